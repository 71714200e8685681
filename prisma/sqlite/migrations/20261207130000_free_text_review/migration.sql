-- Free-text review (issue 20): an answer waits in FreeTextItem until a reviewer approves, redacts
-- more, or deletes it.
-- CreateTable
CREATE TABLE "FreeTextItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "responseId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "iteration" TEXT NOT NULL DEFAULT '',
    "surveyId" TEXT NOT NULL,
    "surveyVersion" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    CONSTRAINT "FreeTextItem_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FreeTextItem_surveyId_surveyVersion_state_idx" ON "FreeTextItem"("surveyId", "surveyVersion", "state");

-- CreateIndex
CREATE UNIQUE INDEX "FreeTextItem_responseId_questionId_iteration_key" ON "FreeTextItem"("responseId", "questionId", "iteration");


-- A completed response stays final, with one exception: a free-text answer may take the text its
-- review item now holds (more redacted), or null once the reviewer deleted it, and nothing else.
-- So a deleted or further redacted text is gone from the answer too, and no writer can change a
-- completed answer to anything a reviewer did not decide.
DROP TRIGGER "Answer_update_completed_final";

CREATE TRIGGER "Answer_update_completed_final" BEFORE UPDATE ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = OLD."responseId") = 'completed'
  AND NOT (
    NEW."responseId" = OLD."responseId" AND NEW."questionId" = OLD."questionId" AND NEW."iteration" = OLD."iteration"
    AND NEW."language" = OLD."language" AND NEW."fallback" = OLD."fallback" AND NEW."notUnderstood" = OLD."notUnderstood"
    AND NEW."value" IS (
      SELECT CASE WHEN f."state" = 'deleted' THEN 'null' ELSE json_quote(f."text") END FROM "FreeTextItem" f
      WHERE f."responseId" = OLD."responseId" AND f."questionId" = OLD."questionId" AND f."iteration" = OLD."iteration"
    )
  )
BEGIN SELECT RAISE(ABORT, 'a completed response is final'); END;
