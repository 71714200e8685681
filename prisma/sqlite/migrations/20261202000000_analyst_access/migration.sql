-- Analyst access (issue 12): API tokens, stored only as scrypt hashes, and the audit log of what
-- each token did. Neither table refers to a response; times are kept to the hour.

-- CreateTable
CREATE TABLE "AnalystToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AnalystAudit" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hour" DATETIME NOT NULL,
    "tokenName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "filters" TEXT NOT NULL,
    "outcome" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AnalystToken_name_key" ON "AnalystToken"("name");

-- CreateIndex
CREATE INDEX "AnalystAudit_hour_idx" ON "AnalystAudit"("hour");
