-- AlterTable: where the respondent came from (a declared source of the survey, "direct" or
-- "other"; src/survey/sources.ts). Added in place, not by redefining the table as `migrate diff`
-- proposes: that would drop the triggers that keep a completed response final
-- (completed_responses_final). Responses from before it were not traced: "direct".
ALTER TABLE "Response" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'direct';
