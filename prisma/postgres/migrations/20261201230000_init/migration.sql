-- CreateEnum
CREATE TYPE "ResponseStatus" AS ENUM ('in_progress', 'completed');

-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL,
    "surveyId" TEXT NOT NULL,
    "surveyVersion" INTEGER NOT NULL,
    "consentVersion" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "status" "ResponseStatus" NOT NULL,
    "languageSwitches" INTEGER NOT NULL DEFAULT 0,
    "notUnderstoodCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Answer" (
    "responseId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "iteration" TEXT NOT NULL DEFAULT '',
    "value" JSONB NOT NULL,
    "language" TEXT NOT NULL,
    "fallback" BOOLEAN NOT NULL DEFAULT false,
    "notUnderstood" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Answer_pkey" PRIMARY KEY ("responseId","questionId","iteration")
);

-- CreateTable
CREATE TABLE "BotState" (
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "etag" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotState_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "OutboxEntry" (
    "conversation" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "activity" JSONB NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboxEntry_pkey" PRIMARY KEY ("conversation","seq")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "key" TEXT NOT NULL,
    "reply" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Response_surveyId_surveyVersion_status_idx" ON "Response"("surveyId", "surveyVersion", "status");

-- CreateIndex
CREATE INDEX "BotState_expiresAt_idx" ON "BotState"("expiresAt");

-- CreateIndex
CREATE INDEX "OutboxEntry_expiresAt_idx" ON "OutboxEntry"("expiresAt");

-- CreateIndex
CREATE INDEX "Delivery_expiresAt_idx" ON "Delivery"("expiresAt");

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

