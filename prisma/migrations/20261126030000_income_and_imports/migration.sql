-- CreateTable
CREATE TABLE "Harvest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Harvest_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "OrchardPlot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkDay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "IncomeEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MonitoringLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL DEFAULT '',
    "enteredById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "villageId" INTEGER,
    "fileName" TEXT NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "file" BLOB NOT NULL,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importedAt" DATETIME
);

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
CREATE INDEX "IncomeEntry_householdId_year_idx" ON "IncomeEntry"("householdId", "year");

-- CreateIndex
CREATE INDEX "IncomeEntry_townshipId_year_idx" ON "IncomeEntry"("townshipId", "year");

-- CreateIndex
CREATE INDEX "IncomeEntry_villageId_year_idx" ON "IncomeEntry"("villageId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "MonitoringLine_year_provinceCode_key" ON "MonitoringLine"("year", "provinceCode");

-- CreateIndex
CREATE INDEX "ImportBatch_townshipId_createdAt_idx" ON "ImportBatch"("townshipId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportBatch_villageId_createdAt_idx" ON "ImportBatch"("villageId", "createdAt");

