-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'direct';

