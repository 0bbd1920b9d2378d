-- CreateTable
CREATE TABLE "DividendRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "approvedAt" DATETIME,
    "publishedById" INTEGER,
    "publishedAt" DATETIME,
    "issuedById" INTEGER,
    "issuedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DividendRun_cooperativeId_fkey" FOREIGN KEY ("cooperativeId") REFERENCES "Cooperative" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DividendLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    CONSTRAINT "DividendLine_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DividendRun" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DividendLine_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DividendObjection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "householdId" INTEGER,
    "raisedOn" TEXT NOT NULL,
    "raisedBy" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "resolution" TEXT NOT NULL DEFAULT '',
    "resolvedOn" TEXT,
    "resolvedById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DividendObjection_runId_fkey" FOREIGN KEY ("runId") REFERENCES "DividendRun" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DividendPayment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DividendPayment_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "DividendLine" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MemberTransaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cooperativeId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantityKg" TEXT,
    "amountFen" BIGINT NOT NULL,
    "recordedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MemberCapital" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cooperativeId" INTEGER NOT NULL,
    "householdId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "VerifyAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ip" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL
);

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

