-- Stored per-household-year income figures for the township audit (ADR 011,
-- "Stored figures"). An existing database starts with an empty IncomeFigure:
-- the audit computes missing rows on first read, and `npm run income:figures`
-- fills every household at once; nothing needs marking here.

-- CreateTable (WITHOUT ROWID, which schema.prisma cannot say: the rows are
-- kept in key order, so a township's or a village's year is read as one range)
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

    PRIMARY KEY ("townshipId", "year", "villageId", "householdId")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "IncomeFigureStale" (
    "householdId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "townshipId" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,

    PRIMARY KEY ("householdId", "year")
);

-- CreateTable
CREATE TABLE "IncomeFigureClock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "n" BIGINT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "IncomeFigure_householdId_year_key" ON "IncomeFigure"("householdId", "year");

-- CreateIndex
CREATE INDEX "IncomeFigureStale_townshipId_year_idx" ON "IncomeFigureStale"("townshipId", "year");

-- What the audit reads live (owed amounts depend on the day): only open rows,
-- so a township's arrears come from the index alone. (cancelledAt is a column
-- too: SQLite takes a partial index as covering only when it holds every
-- column the query names.) Partial indexes are not expressible in schema.prisma.
CREATE INDEX "RentInstallment_open_arrears_idx" ON "RentInstallment"("townshipId", "dueDate", "villageId", "householdId", "amountFen", "paidFen", "cancelledAt")
    WHERE "cancelledAt" IS NULL AND "amountFen" IS NOT NULL AND "amountFen" > "paidFen";
CREATE INDEX "DividendLine_open_unpaid_idx" ON "DividendLine"("townshipId", "villageId", "householdId", "runId", "netFen", "paidFen")
    WHERE "netFen" > "paidFen";

-- Triggers: every write that can change a household's figures of a year marks
-- (householdId, year) with the household's township and a fresh value of the
-- clock, which therefore moves with every change the township audit reads
-- from the figures. The clock row is made by the first mark (an upsert), so a database
-- whose rows were all deleted keeps working.
--
--   RentPayment      the year of payment, and the year after (whose row keeps
--                    this year's total as "previous"); a reversal also marks
--                    the payment it reverses
--   DividendPayment  the year of payment and the year after (status decides whether it counts)
--   WorkDay          the year and the year after (withdrawal and correction are an update and an insert)
--   IncomeEntry      the year and the year after
--   Harvest          the household's (when set), the year and the year after
--   Person           every year the household has a figure or a mark of (member-days, members)
--   Household        a change of status (or place): every such year; deleted: its figures and marks go;
--                    added or deleted: the clock moves (a new household has no row yet: the audit
--                    finds it missing; the clock tells the township audit's memo that its rows changed)
--
-- A REPLACE conflict on a source table would delete a row without its delete
-- trigger (SQLite fires those only with recursive_triggers on); nothing in the
-- app writes them that way.

CREATE TRIGGER "IncomeFigure_RentPayment_insert" AFTER INSERT ON "RentPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (NEW."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_RentPayment_update" AFTER UPDATE ON "RentPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT NEW."householdId", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (OLD."reversesId", NEW."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_RentPayment_delete" AFTER DELETE ON "RentPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT r."householdId", CAST(substr(r."paidOn", 1, 4) AS INTEGER) FROM "RentPayment" r WHERE r."id" IN (OLD."reversesId")) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_DividendPayment_insert" AFTER INSERT ON "DividendPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER) AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_DividendPayment_update" AFTER UPDATE ON "DividendPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y" UNION SELECT NEW."householdId", CAST(substr(NEW."paidOn", 1, 4) AS INTEGER)) x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_DividendPayment_delete" AFTER DELETE ON "DividendPayment" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", CAST(substr(OLD."paidOn", 1, 4) AS INTEGER) AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_WorkDay_insert" AFTER INSERT ON "WorkDay" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_WorkDay_update" AFTER UPDATE ON "WorkDay" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_WorkDay_delete" AFTER DELETE ON "WorkDay" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_IncomeEntry_insert" AFTER INSERT ON "IncomeEntry" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_IncomeEntry_update" AFTER UPDATE ON "IncomeEntry" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_IncomeEntry_delete" AFTER DELETE ON "IncomeEntry" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Harvest_insert" AFTER INSERT ON "Harvest" WHEN NEW."householdId" IS NOT NULL BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT NEW."householdId" AS "h", NEW."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Harvest_update" AFTER UPDATE ON "Harvest" WHEN OLD."householdId" IS NOT NULL OR NEW."householdId" IS NOT NULL BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y" UNION SELECT NEW."householdId", NEW."year") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Harvest_delete" AFTER DELETE ON "Harvest" WHEN OLD."householdId" IS NOT NULL BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y" + d."d", hh."townshipId", c."n"
    FROM (SELECT OLD."householdId" AS "h", OLD."year" AS "y") x JOIN "Household" hh ON hh."id" = x."h", (SELECT 0 AS "d" UNION ALL SELECT 1) d, "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Person_insert" AFTER INSERT ON "Person" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (NEW."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (NEW."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Person_update" AFTER UPDATE OF "householdId", "joinedOn", "leftOn" ON "Person" WHEN OLD."householdId" IS NOT NEW."householdId" OR OLD."joinedOn" IS NOT NEW."joinedOn" OR OLD."leftOn" IS NOT NEW."leftOn" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (OLD."householdId", NEW."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (OLD."householdId", NEW."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Person_delete" AFTER DELETE ON "Person" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (OLD."householdId") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (OLD."householdId")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Household_update" AFTER UPDATE OF "status", "villageId", "townshipId" ON "Household" WHEN OLD."status" IS NOT NEW."status" OR OLD."villageId" IS NOT NEW."villageId" OR OLD."townshipId" IS NOT NEW."townshipId" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
    SELECT x."h", x."y", hh."townshipId", c."n"
    FROM (SELECT f."householdId" AS "h", f."year" AS "y" FROM "IncomeFigure" f WHERE f."householdId" IN (NEW."id") UNION SELECT s."householdId", s."year" FROM "IncomeFigureStale" s WHERE s."householdId" IN (NEW."id")) x JOIN "Household" hh ON hh."id" = x."h", "IncomeFigureClock" c
    WHERE c."id" = 1
    ON CONFLICT ("householdId", "year") DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId";
END;

CREATE TRIGGER "IncomeFigure_Household_insert" AFTER INSERT ON "Household" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "IncomeFigure_Household_delete" AFTER DELETE ON "Household" BEGIN
  INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1;
  DELETE FROM "IncomeFigure" WHERE "householdId" = OLD."id";
  DELETE FROM "IncomeFigureStale" WHERE "householdId" = OLD."id";
END;

