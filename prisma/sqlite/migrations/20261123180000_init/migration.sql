-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "surveyVersion" INTEGER NOT NULL,
    "consentVersion" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "languageSwitches" INTEGER NOT NULL DEFAULT 0,
    "notUnderstoodCount" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "Answer" (
    "responseId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "iteration" TEXT NOT NULL DEFAULT '',
    "value" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "fallback" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("responseId", "questionId", "iteration"),
    CONSTRAINT "Answer_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BotState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "data" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Response_surveyId_surveyVersion_status_idx" ON "Response"("surveyId", "surveyVersion", "status");

-- CreateIndex
CREATE INDEX "BotState_expiresAt_idx" ON "BotState"("expiresAt");

