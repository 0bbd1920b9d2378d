/**
 * Stored income figures per household and year (IncomeFigure), what the
 * township audit reads instead of summing every record of the township on
 * each request (ADR 011, "Stored figures").
 *
 * KEPT CURRENT. Triggers on every source table (migration
 * 20261202030000_income_figures) mark (householdId, year) in
 * IncomeFigureStale with a fresh value `seq` of a counter. Before it reads,
 * the audit recomputes the marked rows of its place and years with the
 * functions of income.server.ts (the one copy of the rules); a missing row
 * (a new household, a year never read) is marked first, then computed the
 * same way.
 *
 * CONCURRENCY. A recomputation reads the marks with their seq, sums, then
 * writes each row only if its mark still carries the seq it read, deleting
 * that mark in the same transaction. A write that lands while it sums
 * changes the seq, so the row stays marked and is computed again before the
 * next read; two requests recomputing the same rows write the same absolute
 * values, and the second finds the marks gone and writes nothing: nothing is
 * ever added twice. Within one process, requests for the same place and
 * years share one recomputation.
 */
import { Prisma } from "@prisma/client";
import { currentYear } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { HouseholdYear, TrendPoint } from "./audit";
import { categorySums, householdYears, memberDaysOf, monitoringLineFor, offYearPayments, owedSums, trend, type Place } from "./income.server";
import { daysInYear } from "./rules";

type Num = number | bigint | null;
const big = (v: Num | string | undefined): bigint => (v == null ? 0n : typeof v === "bigint" ? v : BigInt(v));

/**
 * Marked households of a township beyond which the whole township is summed
 * in one grouped pass per table, rather than through each household's index.
 */
const BULK_HOUSEHOLDS = 300;
/** Rows per write statement (passed as one JSON parameter). */
const WRITE_CHUNK = 5000;
/** Reads that find marks or missing rows again after recomputing try this often, then use the exact sums. */
const ATTEMPTS = 4;

/** A 64-bit column in a JSON array: a number while exact in a double, else its digits as a string (BigInt takes either). */
const exact = (column: string) => Prisma.raw(`CASE WHEN ${column} BETWEEN -9007199254740991 AND 9007199254740991 THEN ${column} ELSE CAST(${column} AS TEXT) END`);

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

/**
 * Marks the place's households for `years`: all of them, or (`onlyMissing`)
 * those without a stored row. A row is only ever written through a mark, so
 * that a membership change while it is computed (the Person triggers mark
 * every year a household has a row or a mark of) is never lost.
 */
async function mark(place: Place, years: readonly number[], onlyMissing: boolean): Promise<void> {
  const missing = onlyMissing ? Prisma.sql` AND NOT EXISTS (SELECT 1 FROM "IncomeFigure" f WHERE f."householdId" = hh."id" AND f."year" = y."value")` : Prisma.empty;
  const conflict = onlyMissing ? Prisma.sql`DO NOTHING` : Prisma.sql`DO UPDATE SET "seq" = excluded."seq", "townshipId" = excluded."townshipId"`;
  await prisma.$transaction([
    prisma.$executeRaw`INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "n" + 1`,
    prisma.$executeRaw`INSERT INTO "IncomeFigureStale" ("householdId", "year", "townshipId", "seq")
      SELECT hh."id", y."value", hh."townshipId", c."n" FROM "Household" hh, json_each(${JSON.stringify(years)}) y, "IncomeFigureClock" c
      WHERE c."id" = 1 AND ${householdPlace("hh", place)}${missing}
      ON CONFLICT ("householdId", "year") ${conflict}`,
  ]);
}

export interface Mark {
  h: number;
  y: number;
  seq: bigint;
}

/** The marks of the place and years (exported for the model tests of the write protocol). */
export async function marksOf(place: Place, years: readonly number[]): Promise<Mark[]> {
  const rows =
    place.villageId == null && place.householdId == null
      ? await prisma.$queryRaw<{ h: Num; y: Num; q: Num }[]>`
          SELECT s."householdId" AS h, s."year" AS y, s."seq" AS q FROM "IncomeFigureStale" s
          WHERE s."townshipId" = ${place.townshipId} AND s."year" IN (${Prisma.join(years)})`
      : await prisma.$queryRaw<{ h: Num; y: Num; q: Num }[]>`
          SELECT s."householdId" AS h, s."year" AS y, s."seq" AS q FROM "IncomeFigureStale" s JOIN "Household" hh ON hh."id" = s."householdId"
          WHERE s."townshipId" = ${place.townshipId} AND s."year" IN (${Prisma.join(years)}) AND ${householdPlace("hh", place)}`;
  return rows.map((r) => ({ h: Number(r.h), y: Number(r.y), seq: big(r.q) }));
}

/**
 * Sums the marked rows of one township with the rules of income.server.ts
 * and writes those whose mark is unchanged (exported for the model tests of
 * the write protocol).
 */
export async function recompute(townshipId: number, marks: readonly Mark[]): Promise<void> {
  const households = [...new Set(marks.map((m) => m.h))];
  const years = [...new Set(marks.map((m) => m.y))].sort((a, b) => a - b);
  const place: Place = households.length > BULK_HOUSEHOLDS ? { townshipId, villageId: null } : { townshipId, villageId: null, householdIds: households };
  const [sums, members, info] = await Promise.all([
    // each row keeps the year before's total too
    categorySums(place, [years[0]! - 1, ...years]),
    memberDaysOf(place, years),
    place.householdIds
      ? prisma.$queryRaw<{ id: Num; v: Num; s: string }[]>`SELECT h."id", h."villageId" AS v, h."status" AS s FROM "Household" h WHERE h."id" IN (${Prisma.join(households)})`
      : prisma.$queryRaw<{ id: Num; v: Num; s: string }[]>`SELECT h."id", h."villageId" AS v, h."status" AS s FROM "Household" h WHERE h."townshipId" = ${townshipId}`,
  ]);
  const householdOf = new Map(info.map((r) => [Number(r.id), { villageId: Number(r.v), status: r.s }]));
  const totalOf = (s: { wage: bigint; operating: bigint; property: bigint; transfer: bigint }) => s.wage + s.operating + s.property + s.transfer;
  // [householdId, year, seq, villageId, status, wage, operating, operatingCost, property, transfer, total, previousTotal, memberDays, members, hasRecords]:
  // amounts and seq as strings, so that JSON carries every 64-bit value exactly
  const rows: (number | string | null)[][] = [];
  for (const m of marks) {
    const hh = householdOf.get(m.h);
    if (!hh) continue; // deleted meanwhile: its trigger removed the mark
    const byYear = sums.get(m.h);
    const s = byYear?.get(m.y);
    const prev = byYear?.get(m.y - 1);
    rows.push([
      m.h,
      m.y,
      String(m.seq),
      hh.villageId,
      hh.status,
      String(s?.wage ?? 0n),
      String(s?.operating ?? 0n),
      String(s?.operatingCost ?? 0n),
      String(s?.property ?? 0n),
      String(s?.transfer ?? 0n),
      String(s ? totalOf(s) : 0n),
      prev ? String(totalOf(prev)) : null,
      members.byYear.get(m.y)?.get(m.h) ?? 0,
      members.current.get(m.h) ?? 0,
      s ? 1 : 0,
    ]);
  }
  const int = (i: number) => Prisma.raw(`CAST(j."value" ->> ${i} AS INTEGER)`);
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + WRITE_CHUNK));
    const live = Prisma.sql`json_each(${json}) j JOIN "IncomeFigureStale" s
      ON s."householdId" = j."value" ->> 0 AND s."year" = j."value" ->> 1 AND s."seq" = ${int(2)}`;
    await prisma.$transaction([
      prisma.$executeRaw`INSERT INTO "IncomeFigure" ("townshipId", "year", "villageId", "householdId", "status", "wageFen", "operatingFen", "operatingCostFen",
          "propertyFen", "transferFen", "totalFen", "previousTotalFen", "memberDays", "members", "hasRecords")
        SELECT ${townshipId}, j."value" ->> 1, j."value" ->> 3, j."value" ->> 0, j."value" ->> 4, ${int(5)}, ${int(6)}, ${int(7)},
          ${int(8)}, ${int(9)}, ${int(10)}, ${int(11)}, j."value" ->> 12, j."value" ->> 13, j."value" ->> 14
        FROM ${live} WHERE true
        ON CONFLICT DO UPDATE SET "townshipId" = excluded."townshipId", "villageId" = excluded."villageId", "status" = excluded."status",
          "wageFen" = excluded."wageFen", "operatingFen" = excluded."operatingFen", "operatingCostFen" = excluded."operatingCostFen",
          "propertyFen" = excluded."propertyFen", "transferFen" = excluded."transferFen", "totalFen" = excluded."totalFen",
          "previousTotalFen" = excluded."previousTotalFen", "memberDays" = excluded."memberDays", "members" = excluded."members", "hasRecords" = excluded."hasRecords"`,
      prisma.$executeRaw`DELETE FROM "IncomeFigureStale" WHERE rowid IN (SELECT s.rowid FROM ${live})`,
    ]);
  }
}

/** Recomputes what is marked for the place and years; true when nothing was marked. */
async function refreshNow(place: Place, years: readonly number[]): Promise<boolean> {
  const marks = await marksOf(place, years);
  if (!marks.length) return true;
  await recompute(place.townshipId, marks);
  return false;
}

/**
 * Requests for the same place and years share a recomputation: one that
 * arrives while another runs waits for the next, which starts after that
 * one ends and so sees every write made before the request came.
 */
const flights = new Map<string, { running: Promise<boolean> | null; next: Promise<boolean> | null }>();

function refresh(place: Place, years: readonly number[]): Promise<boolean> {
  const key = `${place.townshipId}:${place.villageId ?? ""}:${place.householdId ?? ""}:${years.join(",")}`;
  let flight = flights.get(key);
  if (!flight) flights.set(key, (flight = { running: null, next: null }));
  const f = flight;
  const start = (): Promise<boolean> => {
    const p = refreshNow(place, years).finally(() => {
      f.running = null;
      if (!f.next) flights.delete(key);
    });
    f.running = p;
    return p;
  };
  if (!f.running) return start();
  f.next ??= f.running
    .catch(() => false)
    .then(() => {
      f.next = null;
      return start();
    });
  return f.next;
}

/** Brings the place's stored figures of `years` up to date with every write made before the call. */
export async function ensureFigures(place: Place, years: readonly number[]): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) if (await refresh(place, years)) return;
}

/** Households of the place, and stored rows of the place for each of `years`. */
async function coverage(place: Place, years: readonly number[]): Promise<{ households: number; rows: Map<number, number> }> {
  const [[h], rows] = await Promise.all([
    prisma.$queryRaw<{ n: Num }[]>`SELECT COUNT(*) AS n FROM "Household" hh WHERE ${householdPlace("hh", place)}`,
    prisma.$queryRaw<{ y: Num; n: Num }[]>`SELECT f."year" AS y, COUNT(*) AS n FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" IN (${Prisma.join(years)}) GROUP BY 1`,
  ]);
  return { households: Number(h?.n ?? 0), rows: new Map(rows.map((r) => [Number(r.y), Number(r.n)])) };
}

/**
 * Up to date and complete: every household of the place has a fresh row for
 * each of `years`. False when that could not be had (households added faster
 * than computed, or the write lock not had in time): callers then answer
 * with the exact sums, which only read.
 */
async function ensureComplete(place: Place, years: readonly number[]): Promise<boolean> {
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      await ensureFigures(place, years);
      const c = await coverage(place, years);
      if (years.every((y) => (c.rows.get(y) ?? 0) === c.households)) return true;
      await mark(place, years, true);
    }
  } catch (e) {
    console.warn(`income figures of township ${place.townshipId} not brought up to date, summing the records instead: ${e instanceof Error ? e.message : String(e)}`);
  }
  return false;
}

/**
 * The rows of the township summary (auditVillage with `summaryOnly`) from
 * the stored figures of `year` alone, one range of the table: the figures,
 * status and village of each household and what it is owed, in key order.
 * The names, codes and the status year are left empty: a summary lists no
 * household, so these rows are for summaryOnly audits and nothing else.
 */
export async function storedSummaryRows(place: Place, year: number, asOf: string, owedRead?: Awaited<ReturnType<typeof owedSums>>): Promise<HouseholdYear[]> {
  if (!(await ensureComplete(place, [year]))) return householdYears(place, year, asOf);
  // One JSON text for all rows: Prisma's conversion of a raw result costs
  // several times SQLite's work per value (measured on 6,000 rows: ~30 ms as
  // rows, a few as one JSON array).
  const [[json], owed] = await Promise.all([
    prisma.$queryRaw<{ j: string | null }[]>`
      SELECT json_group_array(json_array(f."householdId", f."villageId", f."status", ${exact(`f."wageFen"`)}, ${exact(`f."operatingFen"`)},
        ${exact(`f."propertyFen"`)}, ${exact(`f."transferFen"`)}, ${exact(`f."previousTotalFen"`)}, f."memberDays", f."members")) AS j
      FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" = ${year}`,
    owedRead ?? owedSums(place, asOf),
  ]);
  const diy = daysInYear(year);
  type Row = [id: number, villageId: number, status: string, w: number | string, o: number | string, p: number | string, t: number | string, prev: number | string | null, md: number, m: number];
  return (JSON.parse(json?.j ?? "[]") as Row[]).map(([id, villageId, status, w, o, p, t, prev, md, m]) => ({
    id,
    code: "",
    headName: "",
    villageId,
    villageName: "",
    status: status as HouseholdYear["status"],
    statusYear: null,
    members: m,
    memberDays: md,
    daysInYear: diy,
    wageFen: BigInt(w),
    operatingFen: BigInt(o),
    propertyFen: BigInt(p),
    transferFen: BigInt(t),
    previousTotalFen: prev === null ? null : BigInt(prev),
    arrearsFen: owed.arrears.get(id) ?? 0n,
    unpaidDividendFen: owed.unpaid.get(id) ?? 0n,
  }));
}

/**
 * income.server.householdYears, field for field and in its order, from the
 * stored figures of `year`: the household's names and status from the
 * registry, what it is owed and the off-year payments that name a change's
 * cause read live (they depend on the day, and on records the figures do not
 * sum). For a village's page.
 */
export async function storedHouseholdYears(place: Place, year: number, asOf: string): Promise<HouseholdYear[]> {
  if (!(await ensureComplete(place, [year]))) return householdYears(place, year, asOf);
  const [[json], villages, owed, offYear] = await Promise.all([
    prisma.$queryRaw<{ j: string | null }[]>`
      SELECT json_group_array(json_array(h."id", h."code", h."headName", h."villageId", h."status", h."statusYear",
        ${exact(`f."wageFen"`)}, ${exact(`f."operatingFen"`)}, ${exact(`f."propertyFen"`)}, ${exact(`f."transferFen"`)}, ${exact(`f."previousTotalFen"`)},
        f."memberDays", f."members", f."householdId" IS NULL)) AS j
      FROM (SELECT h."id", h."code", h."headName", h."villageId", h."status", h."statusYear" FROM "Household" h
          WHERE ${householdPlace("h", place)} ORDER BY h."villageId", h."code") h
        LEFT JOIN "IncomeFigure" f ON f."householdId" = h."id" AND f."year" = ${year}`,
    prisma.$queryRaw<{ id: Num; name: string }[]>`SELECT v."id", v."name" FROM "Village" v WHERE v."townshipId" = ${place.townshipId}`,
    owedSums(place, asOf),
    offYearPayments(place, year),
  ]);
  type Row = [
    id: number,
    code: string,
    headName: string,
    villageId: number,
    status: string,
    statusYear: number | null,
    w: number | string | null,
    o: number | string | null,
    p: number | string | null,
    t: number | string | null,
    prev: number | string | null,
    md: number | null,
    m: number | null,
    missing: number,
  ];
  const rows = JSON.parse(json?.j ?? "[]") as Row[];
  // a household added since ensureComplete: the exact sums, rather than a row without figures
  if (rows.some((r) => r[13])) return householdYears(place, year, asOf);
  const villageName = new Map(villages.map((v) => [Number(v.id), v.name]));
  const diy = daysInYear(year);
  return rows.map(([id, code, headName, villageId, status, statusYear, w, o, p, t, prev, md, m]) => {
    const off = offYear.get(id);
    return {
      id,
      code,
      headName,
      villageId,
      villageName: villageName.get(villageId) ?? "",
      status: status as HouseholdYear["status"],
      statusYear,
      members: m!,
      memberDays: md!,
      daysInYear: diy,
      wageFen: BigInt(w!),
      operatingFen: BigInt(o!),
      propertyFen: BigInt(p!),
      transferFen: BigInt(t!),
      previousTotalFen: prev === null ? null : BigInt(prev),
      arrearsFen: owed.arrears.get(id) ?? 0n,
      unpaidDividendFen: owed.unpaid.get(id) ?? 0n,
      ...(off ? { offYear: off } : {}),
    };
  });
}

/** income.server.trend from the stored figures: category totals and member-days of the place per year. */
export async function storedTrend(place: Place, years: number[]): Promise<TrendPoint[]> {
  if (!(await ensureComplete(place, years))) return trend(place, years);
  const [sums, lines] = await Promise.all([
    prisma.$queryRaw<{ y: Num; hh: Num; md: Num; w: Num; o: Num; p: Num; t: Num }[]>`
      SELECT f."year" AS y, SUM(f."memberDays" > 0) AS hh, SUM(f."memberDays") AS md,
        SUM(f."wageFen") AS w, SUM(f."operatingFen") AS o, SUM(f."propertyFen") AS p, SUM(f."transferFen") AS t
      FROM "IncomeFigure" f WHERE ${figurePlace("f", place)} AND f."year" IN (${Prisma.join(years)}) GROUP BY f."year"`,
    Promise.all(years.map((y) => monitoringLineFor(place.townshipId, y))),
  ]);
  const byYear = new Map(sums.map((r) => [Number(r.y), r]));
  return years.map((year, i) => {
    const r = byYear.get(year);
    return {
      year,
      households: Number(r?.hh ?? 0),
      memberDays: Number(r?.md ?? 0),
      daysInYear: daysInYear(year),
      totals: { WAGE: big(r?.w), OPERATING: big(r?.o), PROPERTY: big(r?.p), TRANSFER: big(r?.t) },
      lineFen: lines[i]?.amountFen ?? null,
    };
  });
}

/**
 * What the township audit reads besides the figures and what is owed, as one
 * text: the clock (which moves with every mark, i.e. every write the figures
 * depend on, and every household added), the township's name and province,
 * the villages and the year's monitoring line. Equal texts mean equal inputs.
 */
export async function auditInputsVersion(place: Place, year: number): Promise<string> {
  const [row] = await prisma.$queryRaw<{ v: string | null }[]>`
    SELECT json_array(
      (SELECT CAST(c."n" AS TEXT) FROM "IncomeFigureClock" c WHERE c."id" = 1),
      t."name", t."code",
      (SELECT json_group_array(json_array(v."id", v."name", v."code")) FROM "Village" v WHERE v."townshipId" = t."id"),
      (SELECT json_array(l."id", CAST(l."amountFen" AS TEXT), l."source", l."sourceUrl", l."updatedAt") FROM "MonitoringLine" l
        WHERE l."year" = ${year} AND l."provinceCode" = substr(t."code", 1, 2))
    ) AS v FROM "Township" t WHERE t."id" = ${place.townshipId}`;
  return row?.v ?? "";
}

/** The years `npm run income:figures` fills by default: the current one and the five before (an audit year and its trend). */
export function defaultFigureYears(): number[] {
  const y = currentYear();
  return [y - 5, y - 4, y - 3, y - 2, y - 1, y];
}

/**
 * Computes every household's figures of `years`, township by township
 * (`npm run income:figures`, and the bench after building its data set): it
 * marks them all, then recomputes as a read would, so it is safe while the
 * app runs.
 */
export async function rebuildFigures(years: readonly number[] = defaultFigureYears(), log: (s: string) => void = () => {}): Promise<{ townships: number; rows: number }> {
  const townships = await prisma.township.findMany({ select: { id: true, name: true }, orderBy: { id: "asc" } });
  let rows = 0;
  for (const t of townships) {
    const place: Place = { townshipId: t.id, villageId: null };
    const t0 = performance.now();
    await mark(place, years, false);
    await ensureComplete(place, years);
    const [n] = await prisma.$queryRaw<{ n: Num }[]>`SELECT COUNT(*) AS n FROM "IncomeFigure" f WHERE f."townshipId" = ${t.id} AND f."year" IN (${Prisma.join(years)})`;
    rows += Number(n?.n ?? 0);
    log(`${t.name}: ${Number(n?.n ?? 0)} household-years in ${Math.round(performance.now() - t0)} ms`);
  }
  return { townships: townships.length, rows };
}
