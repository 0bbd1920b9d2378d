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
import { currentYear, daysInYear } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { HouseholdYear, TrendPoint } from "./audit";
import { categorySums, householdYears, memberDaysOf, monitoringLineFor, offYearPayments, owedSums, trend, type Place } from "./income.server";
import {
  auditInputsText,
  countFigures,
  figureCoverage,
  figureTotals,
  householdStatuses,
  householdYearsJson,
  markFigures,
  staleMarks,
  summaryJson,
  villageNames,
  writeFigures,
  type FigureRow,
} from "./figures.queries.server";

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

/**
 * Marks the place's households for `years`: all of them, or (`onlyMissing`)
 * those without a stored row. A row is only ever written through a mark, so
 * that a membership change while it is computed (the Person triggers mark
 * every year a household has a row or a mark of) is never lost.
 */
async function mark(place: Place, years: readonly number[], onlyMissing: boolean): Promise<void> {
  await markFigures(place, years, onlyMissing);
}

export interface Mark {
  h: number;
  y: number;
  seq: bigint;
}

/** The marks of the place and years (exported for the model tests of the write protocol). */
export async function marksOf(place: Place, years: readonly number[]): Promise<Mark[]> {
  const rows = await staleMarks(place, years);
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
    householdStatuses(place.householdIds ? { ids: place.householdIds } : { townshipId }),
  ]);
  const householdOf = new Map(info.map((r) => [Number(r.id), { villageId: Number(r.v), status: r.s }]));
  const totalOf = (s: { wage: bigint; operating: bigint; property: bigint; transfer: bigint }) => s.wage + s.operating + s.property + s.transfer;
  // [householdId, year, seq, villageId, status, wage, operating, operatingCost, property, transfer, total, previousTotal, memberDays, members, hasRecords]:
  // amounts and seq as strings, so that JSON carries every 64-bit value exactly
  const rows: FigureRow[] = [];
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
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) await writeFigures(townshipId, rows.slice(i, i + WRITE_CHUNK));
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
  return figureCoverage(place, years);
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
  const [json, owed] = await Promise.all([summaryJson(place, year), owedRead ?? owedSums(place, asOf)]);
  const diy = daysInYear(year);
  type Row = [id: number, villageId: number, status: string, w: number | string, o: number | string, p: number | string, t: number | string, prev: number | string | null, md: number, m: number];
  return (JSON.parse(json) as Row[]).map(([id, villageId, status, w, o, p, t, prev, md, m]) => ({
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
  const [json, villages, owed, offYear] = await Promise.all([
    householdYearsJson(place, year),
    villageNames(place.townshipId),
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
  const rows = JSON.parse(json) as Row[];
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
    figureTotals(place, years),
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
  return auditInputsText(place.townshipId, year);
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
    const n = await countFigures(t.id, years);
    rows += n;
    log(`${t.name}: ${n} household-years in ${Math.round(performance.now() - t0)} ms`);
  }
  return { townships: townships.length, rows };
}
