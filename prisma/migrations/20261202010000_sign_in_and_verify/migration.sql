-- Added columns rather than redefined tables: a redefinition of "User" would
-- drop it, and the drop's implicit delete would cascade to every session.

-- AlterTable
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "passwordChangedAt" DATETIME;

-- AlterTable
ALTER TABLE "VerifyAttempt" ADD COLUMN "code" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "SignInFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "VerifyAttempt_code_at_idx" ON "VerifyAttempt"("code", "at");

-- CreateIndex
CREATE INDEX "SignInFailure_username_at_idx" ON "SignInFailure"("username", "at");

-- CreateIndex
CREATE INDEX "SignInFailure_address_at_idx" ON "SignInFailure"("address", "at");
