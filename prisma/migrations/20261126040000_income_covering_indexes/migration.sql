-- DropIndex
DROP INDEX "Person_householdId_idx";

-- DropIndex
DROP INDEX "IncomeEntry_townshipId_year_idx";

-- DropIndex
DROP INDEX "IncomeEntry_villageId_year_idx";

-- CreateIndex
CREATE INDEX "Person_householdId_joinedOn_leftOn_idx" ON "Person"("householdId", "joinedOn", "leftOn");

-- CreateIndex
CREATE INDEX "IncomeEntry_townshipId_year_householdId_category_amountFen_costFen_idx" ON "IncomeEntry"("townshipId", "year", "householdId", "category", "amountFen", "costFen");

-- CreateIndex
CREATE INDEX "IncomeEntry_villageId_year_householdId_category_amountFen_costFen_idx" ON "IncomeEntry"("villageId", "year", "householdId", "category", "amountFen", "costFen");

