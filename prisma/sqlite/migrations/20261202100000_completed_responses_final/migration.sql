-- A completed response is final. The respondent's state, the last link to it, is deleted in the
-- turn that completes it (DESIGN.md, privacy model), and the analysis keeps the completed
-- responses it has read (src/analysis/completedResponses.ts). The database refuses any change to
-- one, from any writer; withdrawal, which deletes the response, stays possible.

CREATE TRIGGER "Response_completed_final" BEFORE UPDATE ON "Response"
WHEN OLD."status" = 'completed'
BEGIN SELECT RAISE(ABORT, 'a completed response is final'); END;

CREATE TRIGGER "Answer_insert_completed_final" BEFORE INSERT ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = NEW."responseId") = 'completed'
BEGIN SELECT RAISE(ABORT, 'a completed response is final'); END;

CREATE TRIGGER "Answer_update_completed_final" BEFORE UPDATE ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = OLD."responseId") = 'completed'
BEGIN SELECT RAISE(ABORT, 'a completed response is final'); END;

CREATE TRIGGER "Answer_delete_completed_final" BEFORE DELETE ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = OLD."responseId") = 'completed'
BEGIN SELECT RAISE(ABORT, 'a completed response is final'); END;
