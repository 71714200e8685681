-- Analyst access (issue 12): API tokens, stored only as scrypt hashes, and the audit log of what
-- each token did. Neither table refers to a response; times are kept to the hour.

-- CreateTable
CREATE TABLE "AnalystToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AnalystToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalystAudit" (
    "seq" SERIAL NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "tokenName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "filters" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "AnalystAudit_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnalystToken_name_key" ON "AnalystToken"("name");

-- CreateIndex
CREATE INDEX "AnalystAudit_hour_idx" ON "AnalystAudit"("hour");

