-- AlterTable
ALTER TABLE "Township" ADD COLUMN     "filingPattern" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Household" ADD COLUMN     "monitoringCategory" TEXT,
ADD COLUMN     "riskTypes" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "HouseholdStatusChange" ADD COLUMN     "monitoringCategory" TEXT,
ADD COLUMN     "riskTypes" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Cooperative" ADD COLUMN     "accountingSystem" TEXT NOT NULL DEFAULT 'COOP_2021';

-- AlterTable
ALTER TABLE "RentPayment" ADD COLUMN     "reason" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "DividendRun" ADD COLUMN     "issueNote" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "CropVariety" (
    "id" SERIAL NOT NULL,
    "crop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "colour" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CropVariety_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferenceLayer" (
    "id" SERIAL NOT NULL,
    "townshipId" INTEGER,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "geometry" TEXT NOT NULL,
    "featureCount" INTEGER NOT NULL,
    "minLon" DOUBLE PRECISION NOT NULL,
    "minLat" DOUBLE PRECISION NOT NULL,
    "maxLon" DOUBLE PRECISION NOT NULL,
    "maxLat" DOUBLE PRECISION NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferenceLayer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parentId" INTEGER,
    "category" TEXT NOT NULL,
    "normalSide" TEXT NOT NULL,
    "isLeaf" BOOLEAN NOT NULL DEFAULT true,
    "householdId" INTEGER,
    "counterparty" TEXT NOT NULL DEFAULT '',
    "standard" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Voucher" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "month" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "attachments" INTEGER NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL,
    "sourceId" TEXT,
    "sourceVersion" INTEGER NOT NULL DEFAULT 0,
    "reversesId" INTEGER,
    "redInk" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UNCHECKED',
    "totalFen" BIGINT NOT NULL,
    "makerId" INTEGER,
    "makerName" TEXT NOT NULL DEFAULT '',
    "checkerId" INTEGER,
    "checkerName" TEXT NOT NULL DEFAULT '',
    "checkedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Voucher_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoucherLine" (
    "id" SERIAL NOT NULL,
    "voucherId" INTEGER NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "debitFen" BIGINT NOT NULL DEFAULT 0,
    "creditFen" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "VoucherLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountingPeriod" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "month" INTEGER NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedById" INTEGER NOT NULL,
    "reopenedAt" TIMESTAMP(3),
    "reopenReason" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AccountingPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CropVariety_crop_name_key" ON "CropVariety"("crop", "name");

-- CreateIndex
CREATE INDEX "ReferenceLayer_townshipId_idx" ON "ReferenceLayer"("townshipId");

-- CreateIndex
CREATE INDEX "LedgerAccount_cooperativeId_parentId_idx" ON "LedgerAccount"("cooperativeId", "parentId");

-- CreateIndex
CREATE INDEX "LedgerAccount_cooperativeId_householdId_idx" ON "LedgerAccount"("cooperativeId", "householdId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_cooperativeId_code_key" ON "LedgerAccount"("cooperativeId", "code");

-- CreateIndex
CREATE INDEX "Voucher_cooperativeId_date_idx" ON "Voucher"("cooperativeId", "date");

-- CreateIndex
CREATE INDEX "Voucher_source_sourceId_idx" ON "Voucher"("source", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "Voucher_cooperativeId_year_month_number_key" ON "Voucher"("cooperativeId", "year", "month", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Voucher_cooperativeId_source_sourceId_sourceVersion_key" ON "Voucher"("cooperativeId", "source", "sourceId", "sourceVersion");

-- CreateIndex
CREATE INDEX "VoucherLine_voucherId_idx" ON "VoucherLine"("voucherId");

-- CreateIndex
CREATE INDEX "VoucherLine_cooperativeId_accountId_idx" ON "VoucherLine"("cooperativeId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "AccountingPeriod_cooperativeId_year_month_key" ON "AccountingPeriod"("cooperativeId", "year", "month");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- AddForeignKey
ALTER TABLE "VoucherLine" ADD CONSTRAINT "VoucherLine_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES "Voucher"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

