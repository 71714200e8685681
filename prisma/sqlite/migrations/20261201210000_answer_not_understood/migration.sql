-- AlterTable: per-question "I don't understand" count, for the comprehension analysis.
ALTER TABLE "Answer" ADD COLUMN "notUnderstood" INTEGER NOT NULL DEFAULT 0;
