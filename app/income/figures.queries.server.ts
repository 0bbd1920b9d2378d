/**
 * The stored income figures' raw SQL (docs/decisions/018-data-access-layer.md):
 * marks, the guarded write of recomputed rows, and the township audit's reads
 * of whole places as one JSON text (Prisma's conversion of a raw result costs
 * several times the database's work per value: measured on 6,000 rows, ~30 ms
 * as rows, a few as one JSON array). figures.server.ts holds the protocol.
 *
 * Portable, except where JSON is built or taken apart: SQLite's json_each,
 * json_array and json_group_array against PostgreSQL's jsonb_array_elements,
 * json_build_array and json_agg. Those queries have one variant per engine,
 * chosen by engine() and tested on both by the model tests.
 */
import { Prisma } from "@prisma/client";
import { engine, prisma } from "~/lib/db.server";
import type { Num, Place } from "./income.queries.server";

const pg = () => engine() === "postgres";

/** The place as SQL on a Household alias. */
function householdPlace(alias: string, place: Place): Prisma.Sql {
  const a = Prisma.raw(alias);
  const village = place.villageId == null ? Prisma.empty : Prisma.sql` AND ${a}."villageId" = ${place.villageId}`;
  const household = place.householdId == null ? Prisma.empty : Prisma.sql` AND ${a}."id" = ${place.householdId}`;
  return Prisma.sql`${a}."townshipId" = ${place.townshipId}${village}${household}`;
}

/** The place as SQL on an IncomeFigure alias: a range of its key (townshipId, year, villageId, householdId). */
function figurePlace(alias: string, place: Place): Prisma.Sql {
  const a = Prisma.raw(alias);
  const village = place.villageId == null ? Prisma.empty : Prisma.sql` AND ${a}."villageId" = ${place.villageId}`;
  const household = place.householdId == null ? Prisma.empty : Prisma.sql` AND ${a}."householdId" = ${place.householdId}`;
  return Prisma.sql`${a}."townshipId" = ${place.townshipId}${village}${household}`;
}

/** `years` as a table of one column, "value", the same on both engines. */
function yearsTable(years: readonly number[]): Prisma.Sql {
  if (!years.length) throw new Error("yearsTable: no years");
  return Prisma.sql`(${Prisma.join(
    years.map((y) => Prisma.sql`SELECT CAST(${y} AS INTEGER) AS "value"`),
    " UNION ALL ",
  )})`;
}

/**
 * A 64-bit column as a JSON value BigInt() takes back exactly: on SQLite a
 * number while exact in a double, else its digits; on PostgreSQL always its
 * digits (a CASE there has one type).
 */
function exact(column: string): Prisma.Sql {
  return pg() ? Prisma.raw(`CAST(${column} AS TEXT)`) : Prisma.raw(`CASE WHEN ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} ELSE CAST(${column} AS TEXT) END`);
}

/** json_array / json_build_array of the values. */
function jsonArray(values: Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(pg() ? "json_build_array" : "json_array")}(${Prisma.join(values, ", ")})`;
}

/**
 * The rows as one JSON array text, "[]" when there are none; in `orderBy`
 * on PostgreSQL, whose json_agg follows no order of a subquery, and in the
 * order of `from` on SQLite, whose json_group_array does.
 */
function jsonRows(element: Prisma.Sql, from: Prisma.Sql, orderBy: Prisma.Sql): Prisma.Sql {
  return pg()
    ? Prisma.sql`SELECT COALESCE(CAST(json_agg(${element} ORDER BY ${orderBy}) AS TEXT), '[]') AS j ${from}`
    : Prisma.sql`SELECT json_group_array(${element}) AS j ${from}`;
}

/** Moves the clock (a fresh seq) and marks the place's households for `years`: all, or (`onlyMissing`) those without a stored row. */
export async function markFigures(place: Place, years: readonly number[], onlyMissing: boolean): Promise<void> {
  const missing = onlyMissing ? Prisma.sql` AND NOT EXISTS (SELECT 1 FROM "IncomeFigure" f WHERE f."householdId" = hh."id" AND f."year" = y."value")` : Prisma.empty;
  const conflict = onlyMissing ? Prisma.sql`DO NOTHING` : Prisma.sql`DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId"`;
  await prisma.$transaction([
    prisma.$executeRaw(
      Prisma.sql`INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1`,
    ),
    // WHERE, then ON CONFLICT: SQLite needs a WHERE before an upsert's ON CONFLICT after a join
    prisma.$executeRaw(Prisma.sql`INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
      SELECT hh."id", y."value", hh."townshipId", c."n" FROM "Household" hh, ${yearsTable(years)} y, "IncomeFigureClock" c
      WHERE c."id" = 1 AND ${householdPlace("hh", place)}${missing}
      ON CONFLICT ("householdId", "year") ${conflict}`),
  ]);
}

/** The marks of the place and years: household, year, seq. */
export function staleMarks(place: Place, years: readonly number[]) {
  return place.villageId == null && place.householdId == null
    ? prisma.$queryRaw<{ h: Num; y: Num; q: Num }[]>(Prisma.sql`
        SELECT s."householdId" AS h, s."year" AS y, s."seq" AS q FROM "IncomeFigureStale" s
        WHERE s."townshipId" = ${place.townshipId} AND s."year" IN (${Prisma.join(years)})`)
    : prisma.$queryRaw<{ h: Num; y: Num; q: Num }[]>(Prisma.sql`
        SELECT s."householdId" AS h, s."year" AS y, s."seq" AS q FROM "IncomeFigureStale" s JOIN "Household" hh ON hh."id" = s."householdId"
        WHERE s."townshipId" = ${place.townshipId} AND s."year" IN (${Prisma.join(years)}) AND ${householdPlace("hh", place)}`);
}

/** Village and status of these households, or of every household of the township. */
export function householdStatuses(which: { ids: readonly number[] } | { townshipId: number }) {
  return "ids" in which
    ? prisma.$queryRaw<{ id: Num; v: Num; s: string }[]>(
        Prisma.sql`SELECT h."id", h."villageId" AS v, h."status" AS s FROM "Household" h WHERE h."id" IN (${which.ids.length ? Prisma.join(which.ids) : Prisma.sql`NULL`})`,
      )
    : prisma.$queryRaw<{ id: Num; v: Num; s: string }[]>(Prisma.sql`SELECT h."id", h."villageId" AS v, h."status" AS s FROM "Household" h WHERE h."townshipId" = ${which.townshipId}`);
}

/**
 * One recomputed row: [householdId, year, seq, villageId, status, wage,
 * operating, operatingCost, property, transfer, total, previousTotal,
 * memberDays, members, hasRecords (0/1)], amounts and seq as strings so that
 * JSON carries every 64-bit value exactly.
 */
export type FigureRow = [number, number, string, number, string, string, string, string, string, string, string, string | null, number, number, number];

/**
 * Writes the rows whose mark still carries the seq they were computed
 * from, and deletes those marks, in one transaction; rows whose mark
 * changed meanwhile (or went) are left for the next recomputation.
 */
export async function writeFigures(townshipId: number, rows: readonly FigureRow[]): Promise<void> {
  if (!rows.length) return;
  const json = JSON.stringify(rows);
  // the rows as a table j with one JSON array per row in j."value"
  const elements = pg() ? Prisma.sql`jsonb_array_elements(CAST(${json} AS jsonb)) AS j("value")` : Prisma.sql`json_each(${json}) j`;
  const v = (i: number, type: "INTEGER" | "BIGINT" | "TEXT" | "BOOLEAN") => Prisma.raw(`CAST(j."value" ->> ${i} AS ${type})`);
  const live = Prisma.sql`${elements} JOIN "IncomeFigureStale" s
    ON s."householdId" = ${v(0, "INTEGER")} AND s."year" = ${v(1, "INTEGER")} AND s."seq" = ${v(2, "BIGINT")}`;
  await prisma.$transaction([
    prisma.$executeRaw(Prisma.sql`INSERT INTO "IncomeFigure" ("townshipId", "year", "villageId", "householdId", "status", "wageFen", "operatingFen", "operatingCostFen",
        "propertyFen", "transferFen", "totalFen", "previousTotalFen", "memberDays", "members", "hasRecords")
      SELECT CAST(${townshipId} AS INTEGER), ${v(1, "INTEGER")}, ${v(3, "INTEGER")}, ${v(0, "INTEGER")}, ${v(4, "TEXT")}, ${v(5, "BIGINT")}, ${v(6, "BIGINT")}, ${v(7, "BIGINT")},
        ${v(8, "BIGINT")}, ${v(9, "BIGINT")}, ${v(10, "BIGINT")}, ${v(11, "BIGINT")}, ${v(12, "INTEGER")}, ${v(13, "INTEGER")}, ${v(14, "BOOLEAN")}
      FROM ${live} WHERE TRUE
      ON CONFLICT ("householdId", "year") DO UPDATE SET "townshipId" = excluded."townshipId", "villageId" = excluded."villageId", "status" = excluded."status",
        "wageFen" = excluded."wageFen", "operatingFen" = excluded."operatingFen", "operatingCostFen" = excluded."operatingCostFen",
        "propertyFen" = excluded."propertyFen", "transferFen" = excluded."transferFen", "totalFen" = excluded."totalFen",
        "previousTotalFen" = excluded."previousTotalFen", "memberDays" = excluded."memberDays", "members" = excluded."members", "hasRecords" = excluded."hasRecords"`),
    prisma.$executeRaw(Prisma.sql`DELETE FROM "IncomeFigureStale" WHERE ("householdId", "year") IN (SELECT s."householdId", s."year" FROM ${live})`),
  ]);
}

/** How many households the place has, and how many stored rows it has for each of `years`. */
export async function figureCoverage(place: Place, years: readonly number[]): Promise<{ households: number; rows: Map<number, number> }> {
  const [[h], rows] = await Promise.all([
    prisma.$queryRaw<{ n: Num }[]>(Prisma.sql`SELECT COUNT(*) AS n FROM "Household" hh WHERE ${householdPlace("hh", place)}`),
    prisma.$queryRaw<{ y: Num; n: Num }[]>(
      Prisma.sql`SELECT f."year" AS y, COUNT(*) AS n FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" IN (${Prisma.join(years)}) GROUP BY f."year"`,
    ),
  ]);
  return { households: Number(h?.n ?? 0), rows: new Map(rows.map((r) => [Number(r.y), Number(r.n)])) };
}

/** Stored rows of the township for these years. */
export async function countFigures(townshipId: number, years: readonly number[]): Promise<number> {
  const [n] = await prisma.$queryRaw<{ n: Num }[]>(
    Prisma.sql`SELECT COUNT(*) AS n FROM "IncomeFigure" f WHERE f."townshipId" = ${townshipId} AND f."year" IN (${Prisma.join(years)})`,
  );
  return Number(n?.n ?? 0);
}

/**
 * The place's stored rows of `year` as one JSON text, in key order: per row
 * [householdId, villageId, status, wage, operating, property, transfer,
 * previousTotal, memberDays, members], amounts as exact() gives them.
 */
export async function summaryJson(place: Place, year: number): Promise<string> {
  const element = jsonArray([
    Prisma.sql`f."householdId"`,
    Prisma.sql`f."villageId"`,
    Prisma.sql`f."status"`,
    exact(`f."wageFen"`),
    exact(`f."operatingFen"`),
    exact(`f."propertyFen"`),
    exact(`f."transferFen"`),
    exact(`f."previousTotalFen"`),
    Prisma.sql`f."memberDays"`,
    Prisma.sql`f."members"`,
  ]);
  const [row] = await prisma.$queryRaw<{ j: string | null }[]>(
    jsonRows(element, Prisma.sql`FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" = ${year}`, Prisma.sql`f."villageId", f."householdId"`),
  );
  return row?.j ?? "[]";
}

/**
 * The place's households in village and code order, each with its stored
 * row of `year` as one JSON text: per household [id, code, headName,
 * villageId, status, statusYear, wage, operating, property, transfer,
 * previousTotal, memberDays, members, missing], the figures null and
 * `missing` true (1) where it has no row.
 */
export async function householdYearsJson(place: Place, year: number): Promise<string> {
  const element = jsonArray([
    Prisma.sql`h."id"`,
    Prisma.sql`h."code"`,
    Prisma.sql`h."headName"`,
    Prisma.sql`h."villageId"`,
    Prisma.sql`h."status"`,
    Prisma.sql`h."statusYear"`,
    exact(`f."wageFen"`),
    exact(`f."operatingFen"`),
    exact(`f."propertyFen"`),
    exact(`f."transferFen"`),
    exact(`f."previousTotalFen"`),
    Prisma.sql`f."memberDays"`,
    Prisma.sql`f."members"`,
    Prisma.sql`f."householdId" IS NULL`,
  ]);
  const [row] = await prisma.$queryRaw<{ j: string | null }[]>(
    jsonRows(
      element,
      Prisma.sql`FROM (SELECT h."id", h."code", h."headName", h."villageId", h."status", h."statusYear" FROM "Household" h
          WHERE ${householdPlace("h", place)} ORDER BY h."villageId", h."code") h
        LEFT JOIN "IncomeFigure" f ON f."householdId" = h."id" AND f."year" = ${year}`,
      Prisma.sql`h."villageId", h."code"`,
    ),
  );
  return row?.j ?? "[]";
}

/** The township's villages: id and name. */
export function villageNames(townshipId: number) {
  return prisma.$queryRaw<{ id: Num; name: string }[]>(Prisma.sql`SELECT v."id", v."name" FROM "Village" v WHERE v."townshipId" = ${townshipId}`);
}

/** Per year of `years`: households with member-days, member-days, and the category totals of the place's stored rows. */
export function figureTotals(place: Place, years: readonly number[]) {
  const sum = (column: string) => Prisma.raw(`CAST(SUM(${column}) AS BIGINT)`);
  return prisma.$queryRaw<{ y: Num; hh: Num; md: Num; w: Num; o: Num; p: Num; t: Num }[]>(Prisma.sql`
    SELECT f."year" AS y, ${sum(`CASE WHEN f."memberDays" > 0 THEN 1 ELSE 0 END`)} AS hh, ${sum(`f."memberDays"`)} AS md,
      ${sum(`f."wageFen"`)} AS w, ${sum(`f."operatingFen"`)} AS o, ${sum(`f."propertyFen"`)} AS p, ${sum(`f."transferFen"`)} AS t
    FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" IN (${Prisma.join(years)}) GROUP BY f."year"`);
}

/**
 * What the township audit reads besides the figures and what is owed, as
 * one text: the clock, the township's name and code, its villages and the
 * year's monitoring line. Equal texts mean equal inputs (on one database).
 */
export async function auditInputsText(townshipId: number, year: number): Promise<string> {
  const villages = pg()
    ? Prisma.sql`(SELECT COALESCE(json_agg(json_build_array(v."id", v."name", v."code") ORDER BY v."id"), '[]'::json) FROM "Village" v WHERE v."townshipId" = t."id")`
    : Prisma.sql`(SELECT json_group_array(json_array(v."id", v."name", v."code")) FROM "Village" v WHERE v."townshipId" = t."id")`;
  // updatedAt: Prisma's text on SQLite, a timestamp on PostgreSQL; only compared with itself
  const line = Prisma.sql`(SELECT ${jsonArray([Prisma.sql`l."id"`, Prisma.sql`CAST(l."amountFen" AS TEXT)`, Prisma.sql`l."source"`, Prisma.sql`l."sourceUrl"`, Prisma.sql`CAST(l."updatedAt" AS TEXT)`])}
      FROM "MonitoringLine" l WHERE l."year" = ${year} AND l."provinceCode" = substr(t."code", 1, 2))`;
  const clock = Prisma.sql`(SELECT CAST(c."n" AS TEXT) FROM "IncomeFigureClock" c WHERE c."id" = 1)`;
  const [row] = await prisma.$queryRaw<{ v: string | null }[]>(
    Prisma.sql`SELECT CAST(${jsonArray([clock, Prisma.sql`t."name"`, Prisma.sql`t."code"`, villages, line])} AS TEXT) AS v FROM "Township" t WHERE t."id" = ${townshipId}`,
  );
  return row?.v ?? "";
}
