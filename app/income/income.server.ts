/**
 * The yearly income account of households, assembled from the records that
 * hold each amount (docs/decisions/011-household-income-and-audit.md):
 * property income comes from rent and dividend payments as recorded under
 * contracts and dividends, wages from work days and typed entries, operating
 * income from typed entries and the household's own harvest sales, transfers
 * from typed entries. Nothing here stores a total: every figure is summed from
 * its records when asked for, so a payment recorded elsewhere shows at once.
 * These are the rules; figures.server.ts keeps their results per household
 * and year for the township audit and recomputes them with these functions
 * whenever a record changes.
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { scopeIncludes } from "~/auth/permissions";
import { prisma } from "~/lib/db.server";
import type { HouseholdYear, TrendPoint } from "./audit";
import { daysInYear, memberDays, type Category, type OffYearPayment } from "./rules";

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

type Num = number | bigint | null;
const big = (v: Num | string | undefined): bigint => (v == null ? 0n : typeof v === "bigint" ? v : BigInt(v));

const yearRange = (year: number) => ({ from: `${year}-01-01`, to: `${year + 1}-01-01` });

/** The place filter as SQL on a table alias that carries townshipId, villageId and the household's id (in `idColumn`). */
function placeSql(alias: string, place: Place, idColumn = "householdId"): Prisma.Sql {
  const a = Prisma.raw(alias);
  if (place.householdIds) return Prisma.sql`${a}.${Prisma.raw(`"${idColumn}"`)} IN (${place.householdIds.length ? Prisma.join(place.householdIds) : Prisma.sql`NULL`})`;
  const village = place.villageId == null ? Prisma.empty : Prisma.sql` AND ${a}."villageId" = ${place.villageId}`;
  const household = place.householdId == null ? Prisma.empty : Prisma.sql` AND ${a}.${Prisma.raw(`"${idColumn}"`)} = ${place.householdId}`;
  return Prisma.sql`${a}."townshipId" = ${place.townshipId}${village}${household}`;
}

export interface Sums {
  wage: bigint;
  operating: bigint;
  property: bigint;
  transfer: bigint;
  /** the costs of typed operating entries, already deducted from `operating` */
  operatingCost: bigint;
}
const zero = (): Sums => ({ wage: 0n, operating: 0n, property: 0n, transfer: 0n, operatingCost: 0n });
const total = (s: Sums) => s.wage + s.operating + s.property + s.transfer;

/**
 * Category sums per household and year for `years`, from every source.
 * Rent payments count by the day they were paid; a reversed payment and its
 * reversal cancel out and count in no year (the reversal corrects a mistaken
 * record, it is not money taken back). Dividend payments count only when
 * PAID. Amounts merely due never count.
 */
export async function categorySums(place: Place, years: number[]): Promise<Map<number, Map<number, Sums>>> {
  const from = `${Math.min(...years)}-01-01`;
  const to = `${Math.max(...years) + 1}-01-01`;
  const y0 = Math.min(...years);
  const y1 = Math.max(...years);
  const out = new Map<number, Map<number, Sums>>();
  const add = (householdId: number, year: number, key: keyof Sums, fen: bigint) => {
    let byYear = out.get(householdId);
    if (!byYear) out.set(householdId, (byYear = new Map()));
    let s = byYear.get(year);
    if (!s) byYear.set(year, (s = zero()));
    s[key] += fen;
  };
  const [rent, dividends, work, entries, harvests] = await Promise.all([
    prisma.$queryRaw<{ h: Num; y: string; s: Num }[]>`
      SELECT r."householdId" AS h, substr(r."paidOn", 1, 4) AS y, SUM(r."amountFen") AS s FROM "RentPayment" r
      WHERE ${placeSql("r", place)} AND r."paidOn" >= ${from} AND r."paidOn" < ${to} AND r."reversesId" IS NULL
        AND r."id" NOT IN (SELECT x."reversesId" FROM "RentPayment" x WHERE ${placeSql("x", place)} AND x."reversesId" IS NOT NULL)
      GROUP BY 1, 2`,
    prisma.$queryRaw<{ h: Num; y: string; s: Num }[]>`
      SELECT d."householdId" AS h, substr(d."paidOn", 1, 4) AS y, SUM(d."amountFen") AS s FROM "DividendPayment" d
      WHERE ${placeSql("d", place)} AND d."status" = 'PAID' AND d."paidOn" >= ${from} AND d."paidOn" < ${to} GROUP BY 1, 2`,
    prisma.$queryRaw<{ h: Num; y: Num; s: Num }[]>`
      SELECT w."householdId" AS h, w."year" AS y, SUM(w."amountFen") AS s FROM "WorkDay" w
      WHERE ${placeSql("w", place)} AND w."year" BETWEEN ${y0} AND ${y1} AND w."withdrawnAt" IS NULL GROUP BY 1, 2`,
    // One row per household and year (not per category): fewer rows to carry out of SQLite.
    prisma.$queryRaw<{ h: Num; y: Num; w: Num; o: Num; c: Num; p: Num; t: Num }[]>`
      SELECT e."householdId" AS h, e."year" AS y,
        SUM(CASE WHEN e."category" = 'WAGE' THEN e."amountFen" ELSE 0 END) AS w,
        SUM(CASE WHEN e."category" = 'OPERATING' THEN e."amountFen" - e."costFen" ELSE 0 END) AS o,
        SUM(CASE WHEN e."category" = 'OPERATING' THEN e."costFen" ELSE 0 END) AS c,
        SUM(CASE WHEN e."category" = 'PROPERTY' THEN e."amountFen" ELSE 0 END) AS p,
        SUM(CASE WHEN e."category" = 'TRANSFER' THEN e."amountFen" ELSE 0 END) AS t
      FROM "IncomeEntry" e
      WHERE ${placeSql("e", place)} AND e."year" BETWEEN ${y0} AND ${y1} GROUP BY 1, 2`,
    prisma.$queryRaw<{ h: Num; y: Num; s: Num }[]>`
      SELECT v."householdId" AS h, v."year" AS y, SUM(v."salesFen") AS s FROM "Harvest" v
      WHERE ${placeSql("v", place)} AND v."householdId" IS NOT NULL AND v."cooperativeId" IS NULL AND v."year" BETWEEN ${y0} AND ${y1} GROUP BY 1, 2`,
  ]);
  for (const r of rent) add(Number(r.h), Number(r.y), "property", big(r.s));
  for (const r of dividends) add(Number(r.h), Number(r.y), "property", big(r.s));
  for (const r of work) add(Number(r.h), Number(r.y), "wage", big(r.s));
  for (const r of harvests) add(Number(r.h), Number(r.y), "operating", big(r.s));
  for (const r of entries) {
    const h = Number(r.h);
    const y = Number(r.y);
    add(h, y, "wage", big(r.w));
    add(h, y, "operating", big(r.o));
    add(h, y, "operatingCost", big(r.c));
    add(h, y, "property", big(r.p));
    add(h, y, "transfer", big(r.t));
  }
  return out;
}

/**
 * Rent due by `asOf` and not paid, and issued dividends not paid, per
 * household. One query returning JSON (Prisma's per-row conversion costs more
 * than the query on a township); `text` is that result as SQLite gave it,
 * which the township audit's memo compares to know nothing owed changed.
 */
export async function owedSums(place: Place, asOf: string): Promise<{ arrears: Map<number, bigint>; unpaid: Map<number, bigint>; text: string }> {
  const [row] = await prisma.$queryRaw<{ a: string | null; u: string | null }[]>`
    SELECT
      (SELECT json_group_array(json_array(x.h, CAST(x.s AS TEXT))) FROM (
        SELECT i."householdId" AS h, SUM(i."amountFen" - i."paidFen") AS s FROM "RentInstallment" i
        WHERE ${placeSql("i", place)} AND i."dueDate" <= ${asOf} AND i."cancelledAt" IS NULL
          AND i."amountFen" IS NOT NULL AND i."amountFen" > i."paidFen" GROUP BY 1) x) AS a,
      (SELECT json_group_array(json_array(x.h, CAST(x.s AS TEXT))) FROM (
        SELECT l."householdId" AS h, SUM(l."netFen" - l."paidFen") AS s FROM "DividendLine" l JOIN "DividendRun" r ON r."id" = l."runId"
        WHERE ${placeSql("l", place)} AND r."status" = 'ISSUED' AND l."netFen" > l."paidFen" GROUP BY 1) x) AS u`;
  const a = row?.a ?? "[]";
  const u = row?.u ?? "[]";
  const map = (json: string) => new Map((JSON.parse(json) as [number, string][]).map(([h, s]) => [h, BigInt(s)]));
  return { arrears: map(a), unpaid: map(u), text: `${a}\n${u}` };
}

/**
 * Rent and dividend payments that the cash basis counts in another year
 * than the one they belong to (a rent installment due in another year, a
 * dividend run of another year), received or belonging in `year − 1` or
 * `year`, per household: what names the cause of a sharp change between
 * the two years (rules.offYearCauses). Reversed payments and their
 * reversals count nowhere, as in categorySums.
 */
export async function offYearPayments(place: Place, year: number): Promise<Map<number, OffYearPayment[]>> {
  const from = `${year - 1}-01-01`;
  const to = `${year + 1}-01-01`;
  const [rent, dividends] = await Promise.all([
    prisma.$queryRaw<{ h: Num; ry: string; b: string; s: Num }[]>`
      SELECT r."householdId" AS h, substr(r."paidOn", 1, 4) AS ry, substr(i."dueDate", 1, 4) AS b, SUM(r."amountFen") AS s
      FROM "RentPayment" r JOIN "RentInstallment" i ON i."id" = r."installmentId"
      WHERE ${placeSql("r", place)} AND r."reversesId" IS NULL
        AND r."id" NOT IN (SELECT x."reversesId" FROM "RentPayment" x WHERE ${placeSql("x", place)} AND x."reversesId" IS NOT NULL)
        AND substr(r."paidOn", 1, 4) <> substr(i."dueDate", 1, 4)
        AND ((r."paidOn" >= ${from} AND r."paidOn" < ${to}) OR (i."dueDate" >= ${from} AND i."dueDate" < ${to}))
      GROUP BY 1, 2, 3`,
    prisma.$queryRaw<{ h: Num; ry: string; b: Num; s: Num }[]>`
      SELECT d."householdId" AS h, substr(d."paidOn", 1, 4) AS ry, run."year" AS b, SUM(d."amountFen") AS s
      FROM "DividendPayment" d JOIN "DividendLine" l ON l."id" = d."lineId" JOIN "DividendRun" run ON run."id" = l."runId"
      WHERE ${placeSql("d", place)} AND d."status" = 'PAID'
        AND CAST(substr(d."paidOn", 1, 4) AS INTEGER) <> run."year"
        AND ((d."paidOn" >= ${from} AND d."paidOn" < ${to}) OR run."year" BETWEEN ${year - 1} AND ${year})
      GROUP BY 1, 2, 3`,
  ]);
  const out = new Map<number, OffYearPayment[]>();
  const add = (h: number, p: OffYearPayment) => {
    const list = out.get(h);
    if (list) list.push(p);
    else out.set(h, [p]);
  };
  for (const r of rent) add(Number(r.h), { kind: "RENT", receivedYear: Number(r.ry), belongsYear: Number(r.b), amountFen: big(r.s) });
  for (const r of dividends) add(Number(r.h), { kind: "DIVIDEND", receivedYear: Number(r.ry), belongsYear: Number(r.b), amountFen: big(r.s) });
  return out;
}

/** Member-days per household for each of `years` (members weighted by days in the household), and current member counts. */
export async function memberDaysOf(place: Place, years: number[]): Promise<{ byYear: Map<number, Map<number, number>>; current: Map<number, number> }> {
  // 入户日期 / 迁出日期 are stored as "YYYY-MM-DD" China dates (ADR 014): substr is a no-op for them
  const people = await prisma.$queryRaw<{ h: Num; j: string | null; l: string | null }[]>`
    SELECT p."householdId" AS h, substr(p."joinedOn", 1, 10) AS j, substr(p."leftOn", 1, 10) AS l
    FROM "Person" p JOIN "Household" hh ON hh."id" = p."householdId" WHERE ${placeSql("hh", place, "id")}`;
  const byYear = new Map<number, Map<number, number>>(years.map((y) => [y, new Map()]));
  const current = new Map<number, number>();
  for (const p of people) {
    const h = Number(p.h);
    if (!p.l) current.set(h, (current.get(h) ?? 0) + 1);
    for (const y of years) {
      const d = memberDays({ joinedOn: p.j, leftOn: p.l }, y);
      if (d === 0) continue;
      const m = byYear.get(y)!;
      m.set(h, (m.get(h) ?? 0) + d);
    }
  }
  return { byYear, current };
}

/** Every household of the place with its year's figures, the input of the audit. */
export async function householdYears(place: Place, year: number, asOf: string): Promise<HouseholdYear[]> {
  const [households, sums, owed, members, offYear] = await Promise.all([
    prisma.$queryRaw<{ id: Num; code: string; headName: string; villageId: Num; villageName: string; status: string; statusYear: Num }[]>`
      SELECT h."id", h."code", h."headName", h."villageId", v."name" AS "villageName", h."status", h."statusYear"
      FROM "Household" h JOIN "Village" v ON v."id" = h."villageId" WHERE ${placeSql("h", place, "id")} ORDER BY h."villageId", h."code"`,
    categorySums(place, [year - 1, year]),
    owedSums(place, asOf),
    memberDaysOf(place, [year]),
    offYearPayments(place, year),
  ]);
  const md = members.byYear.get(year)!;
  const diy = daysInYear(year);
  return households.map((h) => {
    const id = Number(h.id);
    const s = sums.get(id);
    const cur = s?.get(year) ?? zero();
    const prev = s?.get(year - 1);
    const off = offYear.get(id);
    return {
      id,
      code: h.code,
      headName: h.headName,
      villageId: Number(h.villageId),
      villageName: h.villageName,
      status: h.status as HouseholdYear["status"],
      statusYear: h.statusYear == null ? null : Number(h.statusYear),
      members: members.current.get(id) ?? 0,
      memberDays: md.get(id) ?? 0,
      daysInYear: diy,
      wageFen: cur.wage,
      operatingFen: cur.operating,
      propertyFen: cur.property,
      transferFen: cur.transfer,
      previousTotalFen: prev ? total(prev) : null,
      arrearsFen: owed.arrears.get(id) ?? 0n,
      unpaidDividendFen: owed.unpaid.get(id) ?? 0n,
      ...(off ? { offYear: off } : {}),
    };
  });
}

/** Category totals and member-days of the place for each of `years`, with each year's line. */
export async function trend(place: Place, years: number[]): Promise<TrendPoint[]> {
  const [sums, members, lines] = await Promise.all([categorySums(place, years), memberDaysOf(place, years), Promise.all(years.map((y) => monitoringLineFor(place.townshipId, y)))]);
  return years.map((year, i) => {
    const totals: Record<Category, bigint> = { WAGE: 0n, OPERATING: 0n, PROPERTY: 0n, TRANSFER: 0n };
    for (const byYear of sums.values()) {
      const s = byYear.get(year);
      if (!s) continue;
      totals.WAGE += s.wage;
      totals.OPERATING += s.operating;
      totals.PROPERTY += s.property;
      totals.TRANSFER += s.transfer;
    }
    const m = members.byYear.get(year)!;
    let memberDaysSum = 0;
    for (const v of m.values()) memberDaysSum += v;
    return { year, households: m.size, memberDays: memberDaysSum, daysInYear: daysInYear(year), totals, lineFen: lines[i]?.amountFen ?? null };
  });
}

/** The monitoring line for the township's province and year, if an official has entered it. */
export async function monitoringLineFor(townshipId: number, year: number) {
  const t = await prisma.township.findUnique({ where: { id: townshipId }, select: { code: true } });
  if (!t) return null;
  return prisma.monitoringLine.findUnique({ where: { year_provinceCode: { year, provinceCode: t.code.slice(0, 2) } } });
}

/** Villages the scope may audit, with their township. */
export async function auditVillages(scope: Scope) {
  const villages = await prisma.village.findMany({
    where: scope.kind === "all" ? {} : scope.kind === "township" ? { townshipId: scope.townshipId } : scope.kind === "village" ? { id: scope.villageId } : { id: { in: scope.villageIds } },
    select: { id: true, name: true, code: true, townshipId: true, township: { select: { name: true } } },
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
  });
  return villages;
}

export function canAuditPlace(scope: Scope, place: { townshipId: number; villageId: number }): boolean {
  return scopeIncludes(scope, place);
}

export { yearRange };
