-- CreateTable
CREATE TABLE "ContractedPlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "parcelCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT 'CONTRACTED',
    "contractArea" TEXT NOT NULL,
    "measuredArea" TEXT,
    "landClass" TEXT NOT NULL DEFAULT '',
    "grade" TEXT NOT NULL DEFAULT '',
    "basicFarmland" BOOLEAN NOT NULL DEFAULT false,
    "east" TEXT NOT NULL DEFAULT '',
    "south" TEXT NOT NULL DEFAULT '',
    "west" TEXT NOT NULL DEFAULT '',
    "north" TEXT NOT NULL DEFAULT '',
    "contractEnd" TEXT NOT NULL,
    "geometry" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContractedPlot_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransferContract" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "draftNo" TEXT NOT NULL,
    "contractNo" TEXT,
    "transfereeKind" TEXT NOT NULL,
    "cooperativeId" INTEGER,
    "transfereeName" TEXT NOT NULL,
    "transfereeEntityType" TEXT NOT NULL DEFAULT '',
    "transfereeCode" TEXT NOT NULL DEFAULT '',
    "transfereeRep" TEXT NOT NULL DEFAULT '',
    "transfereeAddress" TEXT NOT NULL DEFAULT '',
    "transfereePhone" TEXT NOT NULL DEFAULT '',
    "reviewApprovalNo" TEXT NOT NULL DEFAULT '',
    "reviewDate" TEXT,
    "form" TEXT NOT NULL,
    "use" TEXT NOT NULL,
    "useNote" TEXT NOT NULL DEFAULT '',
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "rentKind" TEXT NOT NULL,
    "rentPerMu" TEXT,
    "inKindCrop" TEXT,
    "inKindJinPerMu" TEXT,
    "priceBasis" TEXT,
    "stepPercent" TEXT,
    "stepEveryYears" INTEGER,
    "paymentTiming" TEXT NOT NULL,
    "paymentMonthDay" TEXT,
    "instalmentsPerYear" INTEGER,
    "riskDepositFen" BIGINT,
    "penaltyPerTenThousand" TEXT NOT NULL DEFAULT '0',
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "signedDate" TEXT,
    "filedDate" TEXT,
    "filedById" INTEGER,
    "terminatedOn" TEXT,
    "terminationReason" TEXT NOT NULL DEFAULT '',
    "renewsId" INTEGER,
    "amendsId" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "changeNote" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TransferContract_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContractParty" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contractId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "entrustmentNo" TEXT NOT NULL DEFAULT '',
    "entrustmentDate" TEXT,
    "receivingAccount" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "ContractParty_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ContractParty_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContractPlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contractId" INTEGER NOT NULL,
    "plotId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "area" TEXT NOT NULL,
    CONSTRAINT "ContractPlot_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ContractPlot_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "ContractedPlot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferencePrice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townshipId" INTEGER NOT NULL,
    "crop" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RentInstallment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contractId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "rateNote" TEXT NOT NULL,
    "amountFen" BIGINT,
    "paidFen" BIGINT NOT NULL DEFAULT 0,
    "cancelledAt" DATETIME,
    CONSTRAINT "RentInstallment_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RentInstallment_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RentPayment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "installmentId" INTEGER NOT NULL,
    "contractId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "paidOn" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "method" TEXT NOT NULL,
    "receiptNo" TEXT NOT NULL DEFAULT '',
    "account" TEXT NOT NULL DEFAULT '',
    "reversesId" INTEGER,
    "recordedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RentPayment_installmentId_fkey" FOREIGN KEY ("installmentId") REFERENCES "RentInstallment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrchardPlot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "crop" TEXT NOT NULL,
    "variety" TEXT NOT NULL DEFAULT '',
    "plantingYear" INTEGER,
    "trees" INTEGER,
    "cooperativeId" INTEGER,
    "householdId" INTEGER,
    "contractId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'PLANTED',
    "geometry" TEXT NOT NULL,
    "geometryLow" TEXT,
    "areaMu" TEXT NOT NULL,
    "declaredMu" TEXT,
    "minLon" REAL NOT NULL,
    "minLat" REAL NOT NULL,
    "maxLon" REAL NOT NULL,
    "maxLat" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrchardPlotParcel" (
    "orchardPlotId" INTEGER NOT NULL,
    "plotId" INTEGER NOT NULL,

    PRIMARY KEY ("orchardPlotId", "plotId"),
    CONSTRAINT "OrchardPlotParcel_orchardPlotId_fkey" FOREIGN KEY ("orchardPlotId") REFERENCES "OrchardPlot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "OrchardPlotParcel_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "ContractedPlot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ContractedPlot_parcelCode_key" ON "ContractedPlot"("parcelCode");

-- CreateIndex
CREATE INDEX "ContractedPlot_villageId_householdId_idx" ON "ContractedPlot"("villageId", "householdId");

-- CreateIndex
CREATE INDEX "ContractedPlot_householdId_idx" ON "ContractedPlot"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "TransferContract_draftNo_key" ON "TransferContract"("draftNo");

-- CreateIndex
CREATE UNIQUE INDEX "TransferContract_contractNo_key" ON "TransferContract"("contractNo");

-- CreateIndex
CREATE INDEX "TransferContract_townshipId_status_idx" ON "TransferContract"("townshipId", "status");

-- CreateIndex
CREATE INDEX "TransferContract_villageId_status_idx" ON "TransferContract"("villageId", "status");

-- CreateIndex
CREATE INDEX "TransferContract_cooperativeId_idx" ON "TransferContract"("cooperativeId");

-- CreateIndex
CREATE INDEX "TransferContract_endDate_idx" ON "TransferContract"("endDate");

-- CreateIndex
CREATE INDEX "ContractParty_householdId_idx" ON "ContractParty"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractParty_contractId_householdId_key" ON "ContractParty"("contractId", "householdId");

-- CreateIndex
CREATE INDEX "ContractPlot_plotId_idx" ON "ContractPlot"("plotId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractPlot_contractId_plotId_key" ON "ContractPlot"("contractId", "plotId");

-- CreateIndex
CREATE UNIQUE INDEX "ReferencePrice_townshipId_crop_year_basis_key" ON "ReferencePrice"("townshipId", "crop", "year", "basis");

-- CreateIndex
CREATE INDEX "RentInstallment_townshipId_dueDate_idx" ON "RentInstallment"("townshipId", "dueDate");

-- CreateIndex
CREATE INDEX "RentInstallment_villageId_dueDate_idx" ON "RentInstallment"("villageId", "dueDate");

-- CreateIndex
CREATE INDEX "RentInstallment_householdId_dueDate_idx" ON "RentInstallment"("householdId", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "RentInstallment_contractId_householdId_seq_key" ON "RentInstallment"("contractId", "householdId", "seq");

-- CreateIndex
CREATE INDEX "RentPayment_householdId_paidOn_idx" ON "RentPayment"("householdId", "paidOn");

-- CreateIndex
CREATE INDEX "RentPayment_contractId_idx" ON "RentPayment"("contractId");

-- CreateIndex
CREATE INDEX "RentPayment_villageId_paidOn_idx" ON "RentPayment"("villageId", "paidOn");

-- CreateIndex
CREATE INDEX "OrchardPlot_townshipId_minLon_maxLon_idx" ON "OrchardPlot"("townshipId", "minLon", "maxLon");

-- CreateIndex
CREATE INDEX "OrchardPlot_villageId_idx" ON "OrchardPlot"("villageId");

-- CreateIndex
CREATE UNIQUE INDEX "OrchardPlot_villageId_code_key" ON "OrchardPlot"("villageId", "code");

-- CreateIndex
CREATE INDEX "OrchardPlotParcel_plotId_idx" ON "OrchardPlotParcel"("plotId");

