-- AlterTable: how often a typed answer was confirmed with the respondent, and declined, for the
-- comprehension analysis. Added in place, not by redefining the table as `migrate diff` proposes:
-- that would drop the triggers that keep a completed response final (completed_responses_final).
ALTER TABLE "Response" ADD COLUMN "confirmations" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Response" ADD COLUMN "confirmationsDeclined" INTEGER NOT NULL DEFAULT 0;
