-- Payday (issue 14, ADR 020): payment file templates, bank result files, who recorded an objection.

-- AlterTable
ALTER TABLE "Cooperative" ADD COLUMN     "paymentTemplateId" INTEGER;

-- AlterTable
ALTER TABLE "DividendObjection" ADD COLUMN     "recordedById" INTEGER;

-- AlterTable
ALTER TABLE "DividendPayment" ADD COLUMN     "bankReturnId" INTEGER;

-- CreateTable
CREATE TABLE "PaymentTemplate" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER,
    "name" TEXT NOT NULL,
    "spec" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PaymentTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankReturn" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "templateId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'CHECKED',
    "report" TEXT NOT NULL,
    "paidOn" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedById" INTEGER,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "BankReturn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PaymentTemplate_cooperativeId_idx" ON "PaymentTemplate"("cooperativeId");

-- CreateIndex
CREATE INDEX "BankReturn_runId_idx" ON "BankReturn"("runId");

