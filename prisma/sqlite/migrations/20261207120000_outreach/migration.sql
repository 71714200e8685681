-- CreateTable
CREATE TABLE "SmsOptOut" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "reminderAfterHours" INTEGER
);

-- CreateTable
CREATE TABLE "Invitation" (
    "campaign" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "invitedAt" DATETIME NOT NULL,

    PRIMARY KEY ("campaign", "key")
);

-- CreateIndex
CREATE INDEX "Invitation_key_idx" ON "Invitation"("key");
