-- One write transaction per turn (issue [turns]) and several writers (issue [postgres]):
-- * the Direct Line outbox numbers each conversation on its own, so a poller's watermark can never
--   pass a row that another writer has yet to commit; existing rows keep their numbers, which
--   still increase within each conversation;
-- * one delivery table for every channel (it was SMS only), written in the turn's transaction, so
--   a message is either handled, with the reply a redelivery gets, or not at all: no claim left
--   behind by a process that died mid-message.

-- CreateTable
CREATE TABLE "OutboxEntry" (
    "conversation" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "activity" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("conversation", "seq")
);
INSERT INTO "OutboxEntry" ("conversation", "seq", "activity", "expiresAt") SELECT "conversation", "seq", "activity", "expiresAt" FROM "OutboxActivity";
DROP TABLE "OutboxActivity";

-- CreateTable
CREATE TABLE "Delivery" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "reply" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);
INSERT INTO "Delivery" ("key", "reply", "expiresAt") SELECT "key", "reply", "expiresAt" FROM "SmsDelivery" WHERE "reply" IS NOT NULL;
DROP TABLE "SmsDelivery";

-- CreateIndex
CREATE INDEX "OutboxEntry_expiresAt_idx" ON "OutboxEntry"("expiresAt");

-- CreateIndex
CREATE INDEX "Delivery_expiresAt_idx" ON "Delivery"("expiresAt");
