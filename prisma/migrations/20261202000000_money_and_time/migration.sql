-- CreateTable
CREATE TABLE "PenaltySettlement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    CONSTRAINT "Person_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Person" ("ableToWork", "birthDate", "householdId", "id", "idNumber", "joinedOn", "leftOn", "name", "phone", "relation", "sex") SELECT "ableToWork", "birthDate", "householdId", "id", "idNumber",
    -- 入户日期: dates that were imported or seeded are stored at midnight UTC and
    -- are kept as dates; any other value is the time the record was typed,
    -- which is never a membership date: unknown (the whole year counts).
    CASE
      WHEN "joinedOn" IS NULL THEN NULL
      WHEN typeof("joinedOn") = 'text' AND substr("joinedOn", 11) IN ('T00:00:00.000+00:00', 'T00:00:00.000Z', 'T00:00:00+00:00', '') THEN substr("joinedOn", 1, 10)
      ELSE NULL
    END,
    -- 迁出日期: the China date of the removal (the only record of it there is).
    CASE
      WHEN "leftOn" IS NULL THEN NULL
      WHEN typeof("leftOn") = 'integer' THEN date("leftOn" / 1000, 'unixepoch', '+8 hours')
      ELSE date("leftOn", '+8 hours')
    END,
    "name", "phone", "relation", "sex" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE INDEX "Person_householdId_joinedOn_leftOn_idx" ON "Person"("householdId", "joinedOn", "leftOn");
CREATE INDEX "Person_idNumber_idx" ON "Person"("idNumber");
CREATE TABLE "new_WorkDay" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "correctsId" INTEGER,
    "withdrawnAt" DATETIME,
    "withdrawnById" INTEGER,
    "withdrawReason" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_WorkDay" ("amountFen", "cooperativeId", "createdAt", "dailyWageFen", "days", "employer", "householdId", "id", "note", "paidOn", "periodEnd", "periodStart", "personId", "recordedById", "townshipId", "villageId", "year") SELECT "amountFen", "cooperativeId", "createdAt", "dailyWageFen", "days", "employer", "householdId", "id", "note", "paidOn", "periodEnd", "periodStart", "personId", "recordedById", "townshipId", "villageId", "year" FROM "WorkDay";
DROP TABLE "WorkDay";
ALTER TABLE "new_WorkDay" RENAME TO "WorkDay";
CREATE INDEX "WorkDay_householdId_year_idx" ON "WorkDay"("householdId", "year");
CREATE INDEX "WorkDay_townshipId_year_idx" ON "WorkDay"("townshipId", "year");
CREATE INDEX "WorkDay_villageId_year_idx" ON "WorkDay"("villageId", "year");
CREATE INDEX "WorkDay_cooperativeId_year_idx" ON "WorkDay"("cooperativeId", "year");
CREATE INDEX "WorkDay_personId_periodStart_idx" ON "WorkDay"("personId", "periodStart");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PenaltySettlement_contractId_householdId_idx" ON "PenaltySettlement"("contractId", "householdId");

-- CreateIndex
CREATE INDEX "PenaltySettlement_villageId_idx" ON "PenaltySettlement"("villageId");


-- Equity (入股) contracts are paid by the dividend run, never by rent: cancel
-- any rent schedule they were given. Payments already recorded stay (they
-- are money that was received) but nothing is owed on them any more.
UPDATE "RentInstallment" SET "cancelledAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
WHERE "cancelledAt" IS NULL AND "contractId" IN (SELECT "id" FROM "TransferContract" WHERE "form" = 'EQUITY');
