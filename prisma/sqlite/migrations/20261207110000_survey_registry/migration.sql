-- CreateTable
CREATE TABLE "SurveyVersion" (
    "surveyId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    "provenance" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "publishedAt" DATETIME,
    "closedAt" DATETIME,

    PRIMARY KEY ("surveyId", "version")
);

-- CreateTable
CREATE TABLE "SmsRoute" (
    "number" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL
);


-- A published survey version is final: its definition and texts never change, and its state only
-- moves on (published → closed). A running conversation finishes on the version it started, and
-- its answers are coded by it (README, Surveys).
CREATE TRIGGER "SurveyVersion_final" BEFORE UPDATE ON "SurveyVersion"
WHEN OLD."state" <> 'draft' AND (
  NEW."definition" IS NOT OLD."definition" OR NEW."texts" IS NOT OLD."texts" OR NEW."provenance" IS NOT OLD."provenance"
  OR NEW."contentHash" IS NOT OLD."contentHash" OR NEW."state" = 'draft' OR (OLD."state" = 'closed' AND NEW."state" <> 'closed'))
BEGIN
  SELECT RAISE(ABORT, 'a published survey version is final');
END;

CREATE TRIGGER "SurveyVersion_kept" BEFORE DELETE ON "SurveyVersion"
WHEN OLD."state" <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'a published survey version is final');
END;
