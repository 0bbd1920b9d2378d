-- Payday (issue 14, ADR 020): payment file templates, bank result files, who recorded an objection.

-- AlterTable
ALTER TABLE "Cooperative" ADD COLUMN "paymentTemplateId" INTEGER;

-- AlterTable
ALTER TABLE "DividendObjection" ADD COLUMN "recordedById" INTEGER;

-- AlterTable
ALTER TABLE "DividendPayment" ADD COLUMN "bankReturnId" INTEGER;

-- CreateTable
CREATE TABLE "PaymentTemplate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cooperativeId" INTEGER,
    "name" TEXT NOT NULL,
    "spec" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BankReturn" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "templateId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'CHECKED',
    "report" TEXT NOT NULL,
    "paidOn" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedById" INTEGER,
    "appliedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "PaymentTemplate_cooperativeId_idx" ON "PaymentTemplate"("cooperativeId");

-- CreateIndex
CREATE INDEX "BankReturn_runId_idx" ON "BankReturn"("runId");

