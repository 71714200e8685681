-- CreateTable
CREATE TABLE "SurveyVersion" (
    "surveyId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "texts" JSONB NOT NULL,
    "provenance" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "SurveyVersion_pkey" PRIMARY KEY ("surveyId","version")
);

-- CreateTable
CREATE TABLE "SmsRoute" (
    "number" TEXT NOT NULL,
    "surveyId" TEXT NOT NULL,

    CONSTRAINT "SmsRoute_pkey" PRIMARY KEY ("number")
);


-- A published survey version is final: its definition and texts never change, and its state only
-- moves on (published → closed). A running conversation finishes on the version it started, and
-- its answers are coded by it (README, Surveys).
CREATE FUNCTION "survey_version_final"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."state" <> 'draft' AND (TG_OP = 'DELETE'
    OR NEW."definition" IS DISTINCT FROM OLD."definition" OR NEW."texts" IS DISTINCT FROM OLD."texts"
    OR NEW."provenance" IS DISTINCT FROM OLD."provenance" OR NEW."contentHash" IS DISTINCT FROM OLD."contentHash"
    OR NEW."state" = 'draft' OR (OLD."state" = 'closed' AND NEW."state" <> 'closed')) THEN
    RAISE EXCEPTION 'a published survey version is final' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "SurveyVersion_final" BEFORE UPDATE OR DELETE ON "SurveyVersion"
FOR EACH ROW EXECUTE FUNCTION "survey_version_final"();
