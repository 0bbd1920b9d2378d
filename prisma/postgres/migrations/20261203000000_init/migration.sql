-- PostgreSQL's first migration: the schema as of SQLite's 20261202040000 (made
-- by prisma migrate diff from prisma/postgres/schema.prisma) and, below it, the
-- partial indexes and income-figure triggers of the SQLite migrations, written
-- for PostgreSQL by scripts/lib/pg-translate.ts (ADR 019).
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Township" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "countyCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Township_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Village" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "parcelCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,

    CONSTRAINT "Village_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VillagerGroup" (
    "id" SERIAL NOT NULL,
    "villageId" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "VillagerGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Household" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "headName" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "bankName" TEXT NOT NULL DEFAULT '',
    "bankAccount" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'ORDINARY',
    "statusYear" INTEGER,
    "statusReason" TEXT NOT NULL DEFAULT '',
    "statusDate" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "householdId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "idNumber" TEXT NOT NULL,
    "birthDate" TEXT NOT NULL,
    "sex" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "ableToWork" BOOLEAN NOT NULL DEFAULT false,
    "phone" TEXT NOT NULL DEFAULT '',
    "joinedOn" TEXT,
    "leftOn" TEXT,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HouseholdStatusChange" (
    "id" SERIAL NOT NULL,
    "householdId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "year" INTEGER,
    "reason" TEXT NOT NULL DEFAULT '',
    "effectiveOn" TIMESTAMP(3) NOT NULL,
    "recordedById" INTEGER,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HouseholdStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HouseholdSearchTerm" (
    "term" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,

    CONSTRAINT "HouseholdSearchTerm_pkey" PRIMARY KEY ("term","townshipId","villageId","householdId")
);

-- CreateTable
CREATE TABLE "Cooperative" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "creditCode" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "legalRepresentative" TEXT NOT NULL,
    "phone" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "sharesPerMu" TEXT NOT NULL DEFAULT '1',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cooperative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CooperativeVillage" (
    "cooperativeId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,

    CONSTRAINT "CooperativeVillage_pkey" PRIMARY KEY ("cooperativeId","villageId")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "townshipId" INTEGER,
    "villageId" INTEGER,
    "cooperativeId" INTEGER,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "passwordChangedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "userAgent" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "townshipId" INTEGER,
    "villageId" INTEGER,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractedPlot" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContractedPlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TransferContract" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransferContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractParty" (
    "id" SERIAL NOT NULL,
    "contractId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "entrustmentNo" TEXT NOT NULL DEFAULT '',
    "entrustmentDate" TEXT,
    "receivingAccount" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ContractParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractPlot" (
    "id" SERIAL NOT NULL,
    "contractId" INTEGER NOT NULL,
    "plotId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "area" TEXT NOT NULL,

    CONSTRAINT "ContractPlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferencePrice" (
    "id" SERIAL NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "crop" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferencePrice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentInstallment" (
    "id" SERIAL NOT NULL,
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
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "RentInstallment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentPayment" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RentPayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PenaltySettlement" (
    "id" SERIAL NOT NULL,
    "contractId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "on" TEXT NOT NULL,
    "method" TEXT NOT NULL DEFAULT '',
    "receiptNo" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT '',
    "decidedBy" TEXT NOT NULL DEFAULT '',
    "reversesId" INTEGER,
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PenaltySettlement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrchardPlot" (
    "id" SERIAL NOT NULL,
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
    "minLon" DOUBLE PRECISION NOT NULL,
    "minLat" DOUBLE PRECISION NOT NULL,
    "maxLon" DOUBLE PRECISION NOT NULL,
    "maxLat" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrchardPlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrchardPlotParcel" (
    "orchardPlotId" INTEGER NOT NULL,
    "plotId" INTEGER NOT NULL,

    CONSTRAINT "OrchardPlotParcel_pkey" PRIMARY KEY ("orchardPlotId","plotId")
);

-- CreateTable
CREATE TABLE "DividendRun" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL DEFAULT '',
    "resolution" TEXT NOT NULL DEFAULT '',
    "incomeFen" BIGINT NOT NULL,
    "costFen" BIGINT NOT NULL,
    "providentPercent" TEXT NOT NULL DEFAULT '0',
    "riskPercent" TEXT NOT NULL DEFAULT '0',
    "guaranteePerShare" TEXT,
    "transactionPercent" TEXT,
    "sharesPerMu" TEXT NOT NULL DEFAULT '1',
    "surplusFen" BIGINT NOT NULL DEFAULT 0,
    "providentFen" BIGINT NOT NULL DEFAULT 0,
    "riskFen" BIGINT NOT NULL DEFAULT 0,
    "distributableFen" BIGINT NOT NULL DEFAULT 0,
    "distributedFen" BIGINT NOT NULL DEFAULT 0,
    "shortfallFen" BIGINT NOT NULL DEFAULT 0,
    "noticeDays" INTEGER NOT NULL DEFAULT 7,
    "noticeStartsOn" TEXT,
    "noticeEndsOn" TEXT,
    "contactPhone" TEXT NOT NULL DEFAULT '',
    "correctsId" INTEGER,
    "createdById" INTEGER NOT NULL,
    "approvedById" INTEGER,
    "approvedAt" TIMESTAMP(3),
    "publishedById" INTEGER,
    "publishedAt" TIMESTAMP(3),
    "issuedById" INTEGER,
    "issuedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DividendRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DividendLine" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "areaMu" TEXT NOT NULL,
    "shares" TEXT NOT NULL,
    "weight" TEXT NOT NULL,
    "guaranteedFen" BIGINT NOT NULL DEFAULT 0,
    "surplusFen" BIGINT NOT NULL DEFAULT 0,
    "transactionFen" BIGINT NOT NULL DEFAULT 0,
    "capitalFen" BIGINT NOT NULL DEFAULT 0,
    "providentShareFen" BIGINT NOT NULL DEFAULT 0,
    "deductionFen" BIGINT NOT NULL DEFAULT 0,
    "deductionNote" TEXT NOT NULL DEFAULT '',
    "netFen" BIGINT NOT NULL,
    "paidFen" BIGINT NOT NULL DEFAULT 0,
    "statementNo" TEXT,
    "verifyCode" TEXT,

    CONSTRAINT "DividendLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DividendObjection" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "householdId" INTEGER,
    "raisedOn" TEXT NOT NULL,
    "raisedBy" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "resolution" TEXT NOT NULL DEFAULT '',
    "resolvedOn" TEXT,
    "resolvedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DividendObjection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DividendPayment" (
    "id" SERIAL NOT NULL,
    "lineId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "paidOn" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "account" TEXT NOT NULL DEFAULT '',
    "reference" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "failureReason" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DividendPayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberTransaction" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantityKg" TEXT,
    "amountFen" BIGINT NOT NULL,
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberCapital" (
    "id" SERIAL NOT NULL,
    "cooperativeId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberCapital_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerifyAttempt" (
    "id" SERIAL NOT NULL,
    "ip" TEXT NOT NULL,
    "code" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,

    CONSTRAINT "VerifyAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInFailure" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Harvest" (
    "id" SERIAL NOT NULL,
    "plotId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "cooperativeId" INTEGER,
    "householdId" INTEGER,
    "year" INTEGER NOT NULL,
    "harvestedOn" TEXT NOT NULL,
    "crop" TEXT NOT NULL,
    "variety" TEXT NOT NULL DEFAULT '',
    "quantityKg" TEXT NOT NULL,
    "enteredQuantity" TEXT NOT NULL,
    "enteredUnit" TEXT NOT NULL,
    "grade" TEXT NOT NULL DEFAULT '',
    "price" TEXT NOT NULL DEFAULT '',
    "priceUnit" TEXT NOT NULL DEFAULT 'JIN',
    "salesFen" BIGINT NOT NULL,
    "buyer" TEXT NOT NULL DEFAULT '',
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Harvest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkDay" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "cooperativeId" INTEGER,
    "employer" TEXT NOT NULL DEFAULT '',
    "year" INTEGER NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "days" TEXT NOT NULL,
    "dailyWageFen" BIGINT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "paidOn" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "correctsId" INTEGER,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnById" INTEGER,
    "withdrawReason" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "WorkDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncomeEntry" (
    "id" SERIAL NOT NULL,
    "householdId" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "personId" INTEGER,
    "year" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "costFen" BIGINT NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL DEFAULT '',
    "receivedOn" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncomeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoringLine" (
    "id" SERIAL NOT NULL,
    "year" INTEGER NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL DEFAULT '',
    "enteredById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitoringLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncomeFigure" (
    "townshipId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "wageFen" BIGINT NOT NULL,
    "operatingFen" BIGINT NOT NULL,
    "operatingCostFen" BIGINT NOT NULL,
    "propertyFen" BIGINT NOT NULL,
    "transferFen" BIGINT NOT NULL,
    "totalFen" BIGINT NOT NULL,
    "previousTotalFen" BIGINT,
    "memberDays" INTEGER NOT NULL,
    "members" INTEGER NOT NULL,
    "hasRecords" BOOLEAN NOT NULL,

    CONSTRAINT "IncomeFigure_pkey" PRIMARY KEY ("townshipId","year","villageId","householdId")
);

-- CreateTable
CREATE TABLE "IncomeFigureStale" (
    "householdId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "IncomeFigureStale_pkey" PRIMARY KEY ("householdId","year")
);

-- CreateTable
CREATE TABLE "IncomeFigureClock" (
    "id" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "IncomeFigureClock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER,
    "fileName" TEXT NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "file" BYTEA NOT NULL,
    "status" TEXT NOT NULL,
    "updateExisting" BOOLEAN NOT NULL DEFAULT false,
    "rowCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "createCount" INTEGER NOT NULL DEFAULT 0,
    "updateCount" INTEGER NOT NULL DEFAULT 0,
    "unchangedCount" INTEGER NOT NULL DEFAULT 0,
    "report" TEXT NOT NULL DEFAULT '{}',
    "failure" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importedAt" TIMESTAMP(3),

    CONSTRAINT "ImportBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "input" TEXT NOT NULL DEFAULT '{}',
    "ref" TEXT NOT NULL DEFAULT '',
    "phase" TEXT NOT NULL DEFAULT '',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "result" TEXT NOT NULL DEFAULT '',
    "resultPath" TEXT NOT NULL DEFAULT '',
    "resultName" TEXT NOT NULL DEFAULT '',
    "resultType" TEXT NOT NULL DEFAULT '',
    "error" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER NOT NULL,
    "townshipId" INTEGER,
    "villageId" INTEGER,
    "cooperativeId" INTEGER,
    "workerId" TEXT NOT NULL DEFAULT '',
    "heartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Township_code_key" ON "Township"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Village_code_key" ON "Village"("code");

-- CreateIndex
CREATE INDEX "Village_townshipId_idx" ON "Village"("townshipId");

-- CreateIndex
CREATE UNIQUE INDEX "VillagerGroup_villageId_number_key" ON "VillagerGroup"("villageId", "number");

-- CreateIndex
CREATE INDEX "Household_townshipId_villageId_id_idx" ON "Household"("townshipId", "villageId", "id");

-- CreateIndex
CREATE INDEX "Household_villageId_id_idx" ON "Household"("villageId", "id");

-- CreateIndex
CREATE INDEX "Household_villageId_groupId_status_id_idx" ON "Household"("villageId", "groupId", "status", "id");

-- CreateIndex
CREATE INDEX "Household_villageId_status_id_idx" ON "Household"("villageId", "status", "id");

-- CreateIndex
CREATE INDEX "Household_townshipId_status_id_idx" ON "Household"("townshipId", "status", "id");

-- CreateIndex
CREATE INDEX "Household_status_id_idx" ON "Household"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Household_villageId_code_key" ON "Household"("villageId", "code");

-- CreateIndex
CREATE INDEX "Person_householdId_joinedOn_leftOn_idx" ON "Person"("householdId", "joinedOn", "leftOn");

-- CreateIndex
CREATE INDEX "Person_idNumber_idx" ON "Person"("idNumber");

-- CreateIndex
CREATE INDEX "HouseholdStatusChange_householdId_effectiveOn_idx" ON "HouseholdStatusChange"("householdId", "effectiveOn");

-- CreateIndex
CREATE INDEX "HouseholdSearchTerm_householdId_idx" ON "HouseholdSearchTerm"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "Cooperative_creditCode_key" ON "Cooperative"("creditCode");

-- CreateIndex
CREATE INDEX "Cooperative_townshipId_idx" ON "Cooperative"("townshipId");

-- CreateIndex
CREATE INDEX "CooperativeVillage_villageId_idx" ON "CooperativeVillage"("villageId");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_entity_entityId_idx" ON "AuditEvent"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_townshipId_at_idx" ON "AuditEvent"("townshipId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

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
CREATE INDEX "RentPayment_installmentId_paidOn_idx" ON "RentPayment"("installmentId", "paidOn");

-- CreateIndex
CREATE INDEX "PenaltySettlement_contractId_householdId_idx" ON "PenaltySettlement"("contractId", "householdId");

-- CreateIndex
CREATE INDEX "PenaltySettlement_villageId_idx" ON "PenaltySettlement"("villageId");

-- CreateIndex
CREATE INDEX "OrchardPlot_townshipId_minLon_maxLon_idx" ON "OrchardPlot"("townshipId", "minLon", "maxLon");

-- CreateIndex
CREATE INDEX "OrchardPlot_villageId_idx" ON "OrchardPlot"("villageId");

-- CreateIndex
CREATE UNIQUE INDEX "OrchardPlot_villageId_code_key" ON "OrchardPlot"("villageId", "code");

-- CreateIndex
CREATE INDEX "OrchardPlotParcel_plotId_idx" ON "OrchardPlotParcel"("plotId");

-- CreateIndex
CREATE INDEX "DividendRun_cooperativeId_year_idx" ON "DividendRun"("cooperativeId", "year");

-- CreateIndex
CREATE INDEX "DividendRun_townshipId_year_idx" ON "DividendRun"("townshipId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "DividendLine_statementNo_key" ON "DividendLine"("statementNo");

-- CreateIndex
CREATE UNIQUE INDEX "DividendLine_verifyCode_key" ON "DividendLine"("verifyCode");

-- CreateIndex
CREATE INDEX "DividendLine_householdId_idx" ON "DividendLine"("householdId");

-- CreateIndex
CREATE INDEX "DividendLine_villageId_idx" ON "DividendLine"("villageId");

-- CreateIndex
CREATE UNIQUE INDEX "DividendLine_runId_householdId_key" ON "DividendLine"("runId", "householdId");

-- CreateIndex
CREATE INDEX "DividendObjection_runId_idx" ON "DividendObjection"("runId");

-- CreateIndex
CREATE INDEX "DividendPayment_householdId_paidOn_idx" ON "DividendPayment"("householdId", "paidOn");

-- CreateIndex
CREATE INDEX "DividendPayment_lineId_idx" ON "DividendPayment"("lineId");

-- CreateIndex
CREATE INDEX "MemberTransaction_cooperativeId_date_idx" ON "MemberTransaction"("cooperativeId", "date");

-- CreateIndex
CREATE INDEX "MemberTransaction_householdId_idx" ON "MemberTransaction"("householdId");

-- CreateIndex
CREATE INDEX "MemberCapital_cooperativeId_idx" ON "MemberCapital"("cooperativeId");

-- CreateIndex
CREATE INDEX "MemberCapital_householdId_idx" ON "MemberCapital"("householdId");

-- CreateIndex
CREATE INDEX "VerifyAttempt_ip_at_idx" ON "VerifyAttempt"("ip", "at");

-- CreateIndex
CREATE INDEX "VerifyAttempt_code_at_idx" ON "VerifyAttempt"("code", "at");

-- CreateIndex
CREATE INDEX "SignInFailure_username_at_idx" ON "SignInFailure"("username", "at");

-- CreateIndex
CREATE INDEX "SignInFailure_address_at_idx" ON "SignInFailure"("address", "at");

-- CreateIndex
CREATE INDEX "Harvest_plotId_year_idx" ON "Harvest"("plotId", "year");

-- CreateIndex
CREATE INDEX "Harvest_townshipId_year_idx" ON "Harvest"("townshipId", "year");

-- CreateIndex
CREATE INDEX "Harvest_cooperativeId_year_idx" ON "Harvest"("cooperativeId", "year");

-- CreateIndex
CREATE INDEX "Harvest_householdId_year_idx" ON "Harvest"("householdId", "year");

-- CreateIndex
CREATE INDEX "WorkDay_householdId_year_idx" ON "WorkDay"("householdId", "year");

-- CreateIndex
CREATE INDEX "WorkDay_townshipId_year_idx" ON "WorkDay"("townshipId", "year");

-- CreateIndex
CREATE INDEX "WorkDay_villageId_year_idx" ON "WorkDay"("villageId", "year");

-- CreateIndex
CREATE INDEX "WorkDay_cooperativeId_year_idx" ON "WorkDay"("cooperativeId", "year");

-- CreateIndex
CREATE INDEX "WorkDay_personId_periodStart_idx" ON "WorkDay"("personId", "periodStart");

-- CreateIndex
CREATE INDEX "IncomeEntry_householdId_year_idx" ON "IncomeEntry"("householdId", "year");

-- CreateIndex
CREATE INDEX "IncomeEntry_townshipId_year_householdId_category_amountFen__idx" ON "IncomeEntry"("townshipId", "year", "householdId", "category", "amountFen", "costFen");

-- CreateIndex
CREATE INDEX "IncomeEntry_villageId_year_householdId_category_amountFen_c_idx" ON "IncomeEntry"("villageId", "year", "householdId", "category", "amountFen", "costFen");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringLine_year_provinceCode_key" ON "MonitoringLine"("year", "provinceCode");

-- CreateIndex
CREATE UNIQUE INDEX "IncomeFigure_householdId_year_key" ON "IncomeFigure"("householdId", "year");

-- CreateIndex
CREATE INDEX "IncomeFigureStale_townshipId_year_idx" ON "IncomeFigureStale"("townshipId", "year");

-- CreateIndex
CREATE INDEX "ImportBatch_townshipId_createdAt_idx" ON "ImportBatch"("townshipId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportBatch_villageId_createdAt_idx" ON "ImportBatch"("villageId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_status_id_idx" ON "Job"("status", "id");

-- CreateIndex
CREATE INDEX "Job_ref_id_idx" ON "Job"("ref", "id");

-- CreateIndex
CREATE INDEX "Job_createdById_id_idx" ON "Job"("createdById", "id");

-- AddForeignKey
ALTER TABLE "Village" ADD CONSTRAINT "Village_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VillagerGroup" ADD CONSTRAINT "VillagerGroup_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "VillagerGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HouseholdStatusChange" ADD CONSTRAINT "HouseholdStatusChange_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cooperative" ADD CONSTRAINT "Cooperative_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CooperativeVillage" ADD CONSTRAINT "CooperativeVillage_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CooperativeVillage" ADD CONSTRAINT "CooperativeVillage_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_townshipId_fkey" FOREIGN KEY ("townshipId") REFERENCES "Township"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractedPlot" ADD CONSTRAINT "ContractedPlot_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransferContract" ADD CONSTRAINT "TransferContract_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractParty" ADD CONSTRAINT "ContractParty_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractParty" ADD CONSTRAINT "ContractParty_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractPlot" ADD CONSTRAINT "ContractPlot_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractPlot" ADD CONSTRAINT "ContractPlot_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "ContractedPlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentInstallment" ADD CONSTRAINT "RentInstallment_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TransferContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentInstallment" ADD CONSTRAINT "RentInstallment_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentPayment" ADD CONSTRAINT "RentPayment_installmentId_fkey" FOREIGN KEY ("installmentId") REFERENCES "RentInstallment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrchardPlotParcel" ADD CONSTRAINT "OrchardPlotParcel_orchardPlotId_fkey" FOREIGN KEY ("orchardPlotId") REFERENCES "OrchardPlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrchardPlotParcel" ADD CONSTRAINT "OrchardPlotParcel_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "ContractedPlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DividendRun" ADD CONSTRAINT "DividendRun_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DividendLine" ADD CONSTRAINT "DividendLine_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DividendRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DividendLine" ADD CONSTRAINT "DividendLine_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DividendObjection" ADD CONSTRAINT "DividendObjection_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DividendRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DividendPayment" ADD CONSTRAINT "DividendPayment_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "DividendLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Harvest" ADD CONSTRAINT "Harvest_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "OrchardPlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ─── Said by hand in the SQLite migrations ───

CREATE INDEX "RentInstallment_open_arrears_idx" ON "RentInstallment"("townshipId", "dueDate", "villageId", "householdId", "amountFen", "paidFen", "cancelledAt") WHERE "cancelledAt" IS NULL AND "amountFen" IS NOT NULL AND "amountFen" > "paidFen";

CREATE INDEX "DividendLine_open_unpaid_idx" ON "DividendLine"("townshipId", "villageId", "householdId", "runId", "netFen", "paidFen") WHERE "netFen" > "paidFen";

CREATE FUNCTION "IncomeFigure_RentPayment_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (NEW."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_RentPayment_insert" AFTER INSERT ON "RentPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_RentPayment_insert_fn"();

CREATE FUNCTION "IncomeFigure_RentPayment_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT NEW."householdId", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (OLD."reversesId", NEW."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_RentPayment_update" AFTER UPDATE ON "RentPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_RentPayment_update_fn"();

CREATE FUNCTION "IncomeFigure_RentPayment_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (OLD."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_RentPayment_delete" AFTER DELETE ON "RentPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_RentPayment_delete_fn"();

CREATE FUNCTION "IncomeFigure_DividendPayment_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_DividendPayment_insert" AFTER INSERT ON "DividendPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_DividendPayment_insert_fn"();

CREATE FUNCTION "IncomeFigure_DividendPayment_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT NEW."householdId", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER)) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_DividendPayment_update" AFTER UPDATE ON "DividendPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_DividendPayment_update_fn"();

CREATE FUNCTION "IncomeFigure_DividendPayment_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_DividendPayment_delete" AFTER DELETE ON "DividendPayment" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_DividendPayment_delete_fn"();

CREATE FUNCTION "IncomeFigure_WorkDay_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_WorkDay_insert" AFTER INSERT ON "WorkDay" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_WorkDay_insert_fn"();

CREATE FUNCTION "IncomeFigure_WorkDay_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_WorkDay_update" AFTER UPDATE ON "WorkDay" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_WorkDay_update_fn"();

CREATE FUNCTION "IncomeFigure_WorkDay_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_WorkDay_delete" AFTER DELETE ON "WorkDay" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_WorkDay_delete_fn"();

CREATE FUNCTION "IncomeFigure_IncomeEntry_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_IncomeEntry_insert" AFTER INSERT ON "IncomeEntry" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_IncomeEntry_insert_fn"();

CREATE FUNCTION "IncomeFigure_IncomeEntry_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_IncomeEntry_update" AFTER UPDATE ON "IncomeEntry" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_IncomeEntry_update_fn"();

CREATE FUNCTION "IncomeFigure_IncomeEntry_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_IncomeEntry_delete" AFTER DELETE ON "IncomeEntry" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_IncomeEntry_delete_fn"();

CREATE FUNCTION "IncomeFigure_Harvest_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Harvest_insert" AFTER INSERT ON "Harvest" FOR EACH ROW WHEN (NEW."householdId" IS NOT NULL) EXECUTE FUNCTION "IncomeFigure_Harvest_insert_fn"();

CREATE FUNCTION "IncomeFigure_Harvest_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Harvest_update" AFTER UPDATE ON "Harvest" FOR EACH ROW WHEN (OLD."householdId" IS NOT NULL OR NEW."householdId" IS NOT NULL) EXECUTE FUNCTION "IncomeFigure_Harvest_update_fn"();

CREATE FUNCTION "IncomeFigure_Harvest_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Harvest_delete" AFTER DELETE ON "Harvest" FOR EACH ROW WHEN (OLD."householdId" IS NOT NULL) EXECUTE FUNCTION "IncomeFigure_Harvest_delete_fn"();

CREATE FUNCTION "IncomeFigure_Person_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (NEW."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (NEW."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Person_insert" AFTER INSERT ON "Person" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_Person_insert_fn"();

CREATE FUNCTION "IncomeFigure_Person_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (OLD."householdId", NEW."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (OLD."householdId", NEW."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Person_update" AFTER UPDATE OF "householdId", "joinedOn", "leftOn" ON "Person" FOR EACH ROW WHEN (OLD."householdId" IS DISTINCT FROM NEW."householdId" OR OLD."joinedOn" IS DISTINCT FROM NEW."joinedOn" OR OLD."leftOn" IS DISTINCT FROM NEW."leftOn") EXECUTE FUNCTION "IncomeFigure_Person_update_fn"();

CREATE FUNCTION "IncomeFigure_Person_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (OLD."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (OLD."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Person_delete" AFTER DELETE ON "Person" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_Person_delete_fn"();

CREATE FUNCTION "IncomeFigure_Household_update_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT DISTINCT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (NEW."id") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (NEW."id")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Household_update" AFTER UPDATE OF "status", "villageId", "townshipId" ON "Household" FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."villageId" IS DISTINCT FROM NEW."villageId" OR OLD."townshipId" IS DISTINCT FROM NEW."townshipId") EXECUTE FUNCTION "IncomeFigure_Household_update_fn"();

CREATE FUNCTION "IncomeFigure_Household_insert_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Household_insert" AFTER INSERT ON "Household" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_Household_insert_fn"();

CREATE FUNCTION "IncomeFigure_Household_delete_fn"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;
  DELETE FROM "IncomeFigure" WHERE "householdId" = OLD."id";
  DELETE FROM "IncomeFigureStale" WHERE "householdId" = OLD."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "IncomeFigure_Household_delete" AFTER DELETE ON "Household" FOR EACH ROW EXECUTE FUNCTION "IncomeFigure_Household_delete_fn"();
