-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "confirmations" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "confirmationsDeclined" INTEGER NOT NULL DEFAULT 0;

