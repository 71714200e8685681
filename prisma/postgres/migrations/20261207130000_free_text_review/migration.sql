-- Free-text review (issue 20): an answer waits in FreeTextItem until a reviewer approves, redacts
-- more, or deletes it.
-- CreateTable
CREATE TABLE "FreeTextItem" (
    "id" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "iteration" TEXT NOT NULL DEFAULT '',
    "surveyId" TEXT NOT NULL,
    "surveyVersion" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "FreeTextItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FreeTextItem_surveyId_surveyVersion_state_idx" ON "FreeTextItem"("surveyId", "surveyVersion", "state");

-- CreateIndex
CREATE UNIQUE INDEX "FreeTextItem_responseId_questionId_iteration_key" ON "FreeTextItem"("responseId", "questionId", "iteration");

-- AddForeignKey
ALTER TABLE "FreeTextItem" ADD CONSTRAINT "FreeTextItem_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A completed response stays final, with one exception: a free-text answer may take the text its
-- review item now holds (more redacted), or null once the reviewer deleted it, and nothing else.
-- So a deleted or further redacted text is gone from the answer too, and no writer can change a
-- completed answer to anything a reviewer did not decide.
CREATE OR REPLACE FUNCTION "completed_response_answers_final"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  response TEXT;
BEGIN
  IF TG_OP = 'INSERT' THEN response := NEW."responseId"; ELSE response := OLD."responseId"; END IF;
  IF EXISTS (SELECT 1 FROM "Response" WHERE "id" = response AND "status" = 'completed') THEN
    IF TG_OP = 'UPDATE'
      AND NEW."responseId" = OLD."responseId" AND NEW."questionId" = OLD."questionId" AND NEW."iteration" = OLD."iteration"
      AND NEW."language" = OLD."language" AND NEW."fallback" = OLD."fallback" AND NEW."notUnderstood" = OLD."notUnderstood"
      AND NEW."value" IS NOT DISTINCT FROM (
        SELECT CASE WHEN f."state" = 'deleted' THEN 'null'::jsonb ELSE to_jsonb(f."text") END FROM "FreeTextItem" f
        WHERE f."responseId" = OLD."responseId" AND f."questionId" = OLD."questionId" AND f."iteration" = OLD."iteration"
      )
      AND EXISTS (SELECT 1 FROM "FreeTextItem" f WHERE f."responseId" = OLD."responseId" AND f."questionId" = OLD."questionId" AND f."iteration" = OLD."iteration")
    THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a completed response is final' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
