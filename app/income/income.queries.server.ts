/**
 * The income account's raw SQL (docs/decisions/018-data-access-layer.md):
 * the sums of every source table per household and year, what is owed, the
 * off-year payments and the members' dates, each for a place (a township, a
 * village, one household or a list of households). The rules that use them
 * are in income.server.ts. Every query runs as written on SQLite and
 * PostgreSQL except owedJson, which has one variant per engine.
 */
import { Prisma } from "@prisma/client";
import { engine, prisma } from "~/lib/db.server";

export interface Place {
  townshipId: number;
  /** null for the whole township */
  villageId: number | null;
  /** one household's account reads only its own rows */
  householdId?: number;
  /**
   * only these households' rows, whatever the place (figures.server.ts
   * recomputing a few marked households): read through each table's
   * household index. A household never moves, and its records carry its
   * township and village (ADR 007), so this is the same filter for them.
   */
  householdIds?: readonly number[];
}

export type Num = number | bigint | null;

/**
 * The place as SQL on a table alias that carries townshipId, villageId and
 * the household's id (in `idColumn`). A place is where an audit looks, not
 * whom the user may see: the routes check the user's scope on the place
 * before any of these run.
 */
export function placeSql(alias: string, place: Place, idColumn = "householdId"): Prisma.Sql {
  const a = Prisma.raw(alias);
  const id = Prisma.raw(`${alias}."${idColumn}"`);
  if (place.householdIds) return Prisma.sql`${id} IN (${place.householdIds.length ? Prisma.join(place.householdIds) : Prisma.sql`NULL`})`;
  const village = place.villageId == null ? Prisma.empty : Prisma.sql` AND ${a}."villageId" = ${place.villageId}`;
  const household = place.householdId == null ? Prisma.empty : Prisma.sql` AND ${id} = ${place.householdId}`;
  return Prisma.sql`${a}."townshipId" = ${place.townshipId}${village}${household}`;
}

/** A sum of 64-bit amounts as a 64-bit integer: PostgreSQL widens SUM(bigint) to numeric. */
const sum = (expr: Prisma.Sql) => Prisma.sql`CAST(SUM(${expr}) AS BIGINT)`;

/** Rent payments not reversed and no reversal, per household and year paid, paid in [from, to). */
export function rentPaidByYear(place: Place, from: string, to: string) {
  return prisma.$queryRaw<{ h: Num; y: string; s: Num }[]>(Prisma.sql`
    SELECT r."householdId" AS h, substr(r."paidOn", 1, 4) AS y, ${sum(Prisma.sql`r."amountFen"`)} AS s FROM "RentPayment" r
    WHERE ${placeSql("r", place)} AND r."paidOn" >= ${from} AND r."paidOn" < ${to} AND r."reversesId" IS NULL
      AND r."id" NOT IN (SELECT x."reversesId" FROM "RentPayment" x WHERE ${placeSql("x", place)} AND x."reversesId" IS NOT NULL)
    GROUP BY 1, 2`);
}

/** Dividend payments PAID, per household and year paid, paid in [from, to). */
export function dividendsPaidByYear(place: Place, from: string, to: string) {
  return prisma.$queryRaw<{ h: Num; y: string; s: Num }[]>(Prisma.sql`
    SELECT d."householdId" AS h, substr(d."paidOn", 1, 4) AS y, ${sum(Prisma.sql`d."amountFen"`)} AS s FROM "DividendPayment" d
    WHERE ${placeSql("d", place)} AND d."status" = 'PAID' AND d."paidOn" >= ${from} AND d."paidOn" < ${to} GROUP BY 1, 2`);
}

/** Base work days not withdrawn, per household and year, for years y0..y1. */
export function workDaysByYear(place: Place, y0: number, y1: number) {
  return prisma.$queryRaw<{ h: Num; y: Num; s: Num }[]>(Prisma.sql`
    SELECT w."householdId" AS h, w."year" AS y, ${sum(Prisma.sql`w."amountFen"`)} AS s FROM "WorkDay" w
    WHERE ${placeSql("w", place)} AND w."year" BETWEEN ${y0} AND ${y1} AND w."withdrawnAt" IS NULL GROUP BY 1, 2`);
}

/** Typed income entries per household and year (one row, not one per category: fewer rows to carry), for years y0..y1. */
export function entriesByYear(place: Place, y0: number, y1: number) {
  const when = (category: string, amount: Prisma.Sql) => sum(Prisma.sql`CASE WHEN e."category" = ${category} THEN ${amount} ELSE 0 END`);
  return prisma.$queryRaw<{ h: Num; y: Num; w: Num; o: Num; c: Num; p: Num; t: Num }[]>(Prisma.sql`
    SELECT e."householdId" AS h, e."year" AS y,
      ${when("WAGE", Prisma.sql`e."amountFen"`)} AS w,
      ${when("OPERATING", Prisma.sql`e."amountFen" - e."costFen"`)} AS o,
      ${when("OPERATING", Prisma.sql`e."costFen"`)} AS c,
      ${when("PROPERTY", Prisma.sql`e."amountFen"`)} AS p,
      ${when("TRANSFER", Prisma.sql`e."amountFen"`)} AS t
    FROM "IncomeEntry" e
    WHERE ${placeSql("e", place)} AND e."year" BETWEEN ${y0} AND ${y1} GROUP BY 1, 2`);
}

/** A household's own harvest sales (not a cooperative's) per household and year, for years y0..y1. */
export function harvestSalesByYear(place: Place, y0: number, y1: number) {
  return prisma.$queryRaw<{ h: Num; y: Num; s: Num }[]>(Prisma.sql`
    SELECT v."householdId" AS h, v."year" AS y, ${sum(Prisma.sql`v."salesFen"`)} AS s FROM "Harvest" v
    WHERE ${placeSql("v", place)} AND v."householdId" IS NOT NULL AND v."cooperativeId" IS NULL AND v."year" BETWEEN ${y0} AND ${y1} GROUP BY 1, 2`);
}

/**
 * Rent due by `asOf` and not paid (`a`), and issued dividends not paid (`u`),
 * per household, each as one JSON text `[[householdId, "fen"], …]` in
 * household order: Prisma's per-row conversion costs more than the query on a
 * township. The texts differ between the engines (spacing); callers compare
 * them only with texts of the same database.
 */
export async function owedJson(place: Place, asOf: string): Promise<{ a: string; u: string }> {
  const arrears = Prisma.sql`
    SELECT i."householdId" AS h, ${sum(Prisma.sql`i."amountFen" - i."paidFen"`)} AS s FROM "RentInstallment" i
    WHERE ${placeSql("i", place)} AND i."dueDate" <= ${asOf} AND i."cancelledAt" IS NULL
      AND i."amountFen" IS NOT NULL AND i."amountFen" > i."paidFen" GROUP BY 1`;
  const unpaid = Prisma.sql`
    SELECT l."householdId" AS h, ${sum(Prisma.sql`l."netFen" - l."paidFen"`)} AS s FROM "DividendLine" l JOIN "DividendRun" r ON r."id" = l."runId"
    WHERE ${placeSql("l", place)} AND r."status" = 'ISSUED' AND l."netFen" > l."paidFen" GROUP BY 1`;
  // SQLite's json_group_array and PostgreSQL's json_agg (NULL over no rows, ordered only when told)
  const array = (rows: Prisma.Sql) =>
    engine() === "postgres"
      ? Prisma.sql`(SELECT COALESCE(CAST(json_agg(json_build_array(x.h, CAST(x.s AS TEXT)) ORDER BY x.h) AS TEXT), '[]') FROM (${rows}) x)`
      : Prisma.sql`(SELECT json_group_array(json_array(x.h, CAST(x.s AS TEXT))) FROM (${rows} ORDER BY 1) x)`;
  const [row] = await prisma.$queryRaw<{ a: string | null; u: string | null }[]>(Prisma.sql`SELECT ${array(arrears)} AS a, ${array(unpaid)} AS u`);
  return { a: row?.a ?? "[]", u: row?.u ?? "[]" };
}

/**
 * Rent payments (not reversed, no reversal) whose year paid differs from the
 * year their installment was due, paid or due in [from, to), per household,
 * year received (`ry`) and year due (`b`).
 */
export function offYearRent(place: Place, from: string, to: string) {
  return prisma.$queryRaw<{ h: Num; ry: string; b: string; s: Num }[]>(Prisma.sql`
    SELECT r."householdId" AS h, substr(r."paidOn", 1, 4) AS ry, substr(i."dueDate", 1, 4) AS b, ${sum(Prisma.sql`r."amountFen"`)} AS s
    FROM "RentPayment" r JOIN "RentInstallment" i ON i."id" = r."installmentId"
    WHERE ${placeSql("r", place)} AND r."reversesId" IS NULL
      AND r."id" NOT IN (SELECT x."reversesId" FROM "RentPayment" x WHERE ${placeSql("x", place)} AND x."reversesId" IS NOT NULL)
      AND substr(r."paidOn", 1, 4) <> substr(i."dueDate", 1, 4)
      AND ((r."paidOn" >= ${from} AND r."paidOn" < ${to}) OR (i."dueDate" >= ${from} AND i."dueDate" < ${to}))
    GROUP BY 1, 2, 3`);
}

/**
 * Dividend payments PAID in another year than their run's, paid in
 * [from, to) or of a run of years y0..y1, per household, year received
 * (`ry`) and the run's year (`b`).
 */
export function offYearDividends(place: Place, from: string, to: string, y0: number, y1: number) {
  return prisma.$queryRaw<{ h: Num; ry: string; b: Num; s: Num }[]>(Prisma.sql`
    SELECT d."householdId" AS h, substr(d."paidOn", 1, 4) AS ry, run."year" AS b, ${sum(Prisma.sql`d."amountFen"`)} AS s
    FROM "DividendPayment" d JOIN "DividendLine" l ON l."id" = d."lineId" JOIN "DividendRun" run ON run."id" = l."runId"
    WHERE ${placeSql("d", place)} AND d."status" = 'PAID'
      AND CAST(substr(d."paidOn", 1, 4) AS INTEGER) <> run."year"
      AND ((d."paidOn" >= ${from} AND d."paidOn" < ${to}) OR run."year" BETWEEN ${y0} AND ${y1})
    GROUP BY 1, 2, 3`);
}

/** Every member of the place's households with the day they joined and left (China dates, ADR 014), or null. */
export function memberDates(place: Place) {
  // substr is a no-op on the stored "YYYY-MM-DD" texts
  return prisma.$queryRaw<{ h: Num; j: string | null; l: string | null }[]>(Prisma.sql`
    SELECT p."householdId" AS h, substr(p."joinedOn", 1, 10) AS j, substr(p."leftOn", 1, 10) AS l
    FROM "Person" p JOIN "Household" hh ON hh."id" = p."householdId" WHERE ${placeSql("hh", place, "id")}`);
}

/** The place's households with their village's name, in village and code order. */
export function householdsOfPlace(place: Place) {
  return prisma.$queryRaw<{ id: Num; code: string; headName: string; villageId: Num; villageName: string; status: string; statusYear: Num }[]>(Prisma.sql`
    SELECT h."id", h."code", h."headName", h."villageId", v."name" AS "villageName", h."status", h."statusYear"
    FROM "Household" h JOIN "Village" v ON v."id" = h."villageId" WHERE ${placeSql("h", place, "id")} ORDER BY h."villageId", h."code"`);
}
