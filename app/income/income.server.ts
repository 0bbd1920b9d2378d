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
import type { Scope } from "~/auth/permissions";
import { villageScopeWhere } from "~/auth/permissions.server";
import { prisma } from "~/lib/db.server";
import type { HouseholdYear, TrendPoint } from "./audit";
import { memberDays, type Category, type OffYearPayment } from "./rules";
import { daysInYear } from "~/lib/dates";
import {
  dividendsPaidByYear,
  entriesByYear,
  harvestSalesByYear,
  householdsOfPlace,
  memberDates,
  offYearDividends,
  offYearRent,
  owedJson,
  rentPaidByYear,
  workDaysByYear,
  type Num,
  type Place,
} from "./income.queries.server";

export type { Place };

const big = (v: Num | string | undefined): bigint => (v == null ? 0n : typeof v === "bigint" ? v : BigInt(v));

const yearRange = (year: number) => ({ from: `${year}-01-01`, to: `${year + 1}-01-01` });

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
    rentPaidByYear(place, from, to),
    dividendsPaidByYear(place, from, to),
    workDaysByYear(place, y0, y1),
    entriesByYear(place, y0, y1),
    harvestSalesByYear(place, y0, y1),
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
 * than the query on a township); `text` is that result as the database gave it,
 * which the township audit's memo compares to know nothing owed changed.
 */
export async function owedSums(place: Place, asOf: string): Promise<{ arrears: Map<number, bigint>; unpaid: Map<number, bigint>; text: string }> {
  const { a, u } = await owedJson(place, asOf);
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
  const [rent, dividends] = await Promise.all([offYearRent(place, from, to), offYearDividends(place, from, to, year - 1, year)]);
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
  const people = await memberDates(place);
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
    householdsOfPlace(place),
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
    where: villageScopeWhere(scope),
    select: { id: true, name: true, code: true, townshipId: true, township: { select: { name: true } } },
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
  });
  return villages;
}

export { yearRange };
