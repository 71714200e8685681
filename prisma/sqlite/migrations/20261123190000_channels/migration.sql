-- CreateTable
CREATE TABLE "OutboxActivity" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversation" TEXT NOT NULL,
    "activity" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SmsDelivery" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "reply" TEXT,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "OutboxActivity_conversation_seq_idx" ON "OutboxActivity"("conversation", "seq");

-- CreateIndex
CREATE INDEX "OutboxActivity_expiresAt_idx" ON "OutboxActivity"("expiresAt");

-- CreateIndex
CREATE INDEX "SmsDelivery_expiresAt_idx" ON "SmsDelivery"("expiresAt");

