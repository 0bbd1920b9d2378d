/**
 * Rent schedule of a land transfer contract (流转合同租金计划): which periods
 * are paid, when, and how much each transferor household receives.
 *
 * Pure domain module: no Prisma, Remix or Node imports. Dates are
 * "YYYY-MM-DD" strings in the calendar (no time zone); internally they are
 * day numbers, so every helper is leap-safe and never touches the local clock.
 *
 * How an amount is computed (the rule printed on the contract):
 *   period total (whole contract) = total area × yearly rate × fraction,
 *   rounded half-up to the fen, then split between the households by area
 *   by the largest-remainder rule of `allocateFen` (app/lib/allocate.ts),
 *   with the household ids as tie keys, so the households' amounts always
 *   add up to the period total exactly. `splitByArea` below is that rule
 *   specialised to integer weights (0.01 mu) for speed; the tests check it
 *   gives what allocateFen gives.
 *
 * - The yearly rate is yuan per mu (cash) or jin per mu × the price of the
 *   due date's year (in kind), times (1 + step%)^floor(k / everyYears) where
 *   k is the contract year (anniversaries of the start date) in which the
 *   period starts. The stepped rate is rounded half-up to 0.01 yuan/mu, so
 *   that the rate printed on a slip times the area gives the amount.
 * - fraction = days in the period / days of the rent year containing it
 *   (365 or 366); full periods are exactly 1, full instalment periods exactly
 *   1/perYear. A cut instalment period never costs more than a full one
 *   (capped at 1/perYear: a half-year can be 184 days of a 365-day year).
 * - Full instalments of one contract year are rounded cumulatively (the
 *   j-th is round(yearly × (j+1)/perYear) − round(yearly × j/perYear)), so
 *   they add up to the yearly rent exactly; each is within 1 fen of
 *   yearly/perYear.
 *
 * Money in the hot loop is bigint: areas in 0.01 mu, rates in fen per mu.
 * Decimal is used once per distinct rate (step level / price year).
 */
import { addYears as calendarAddYears, civilDay, civilOf, dateOfDay, daysInMonth, parseDateParts } from "~/lib/dates";
import { Decimal } from "~/lib/money";

export type RentTerms =
  | { kind: "CASH"; yuanPerMu: string }
  | {
      kind: "IN_KIND";
      crop: "WHEAT" | "CORN";
      jinPerMu: string;
      /** year → yuan per jin */
      prices: Record<number, string>;
    };

export type PaymentTiming =
  /** one installment for the whole term, due on the start date */
  | { timing: "ONCE" }
  /** "MM-DD": rent years end on that day each year; due on that day (period end) */
  | { timing: "YEARLY"; monthDay: string }
  /** contract years from the start date, each due on its first day */
  | { timing: "ADVANCE" }
  /** each contract year split into perYear periods of 12/perYear months, due on each period's first day */
  | { timing: "INSTALMENTS"; perYear: 2 | 3 | 4 | 12 };

export interface ScheduleInput {
  /** "YYYY-MM-DD", inclusive */
  startDate: string;
  /** "YYYY-MM-DD", inclusive */
  endDate: string;
  rent: RentTerms;
  /** rate × (1+percent/100)^floor(k/everyYears), k = 0-based contract year in which the period starts */
  step?: { percent: string; everyYears: number } | null;
  payment: PaymentTiming;
  /** early termination: nothing after this day; the period containing it ends on it */
  terminatedOn?: string | null;
  /** transferred area per household (sum of its plot lines), mu with at most 2 decimals */
  parties: { householdId: number; areaMu: string }[];
}

export interface ScheduledInstallment {
  householdId: number;
  /** 1.. per household, in period order */
  seq: number;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  /** 2 decimals */
  areaMu: string;
  /** after step-ups, 2 decimals; null when an in-kind price is missing */
  yearlyRateYuanPerMu: string | null;
  /** see RATE NOTE GRAMMAR below; `parseRateNote` reads it back */
  rateNote: string;
  /** null when the in-kind price for that year is missing */
  amountFen: bigint | null;
}

export interface PeriodTotal {
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  totalFen: bigint | null;
  /**
   * Exact fraction of a year's rent: "1", "1/4" (full instalment), "275/365"
   * (days / days of the rent year), or for ONCE the sum over contract years,
   * "10" or "9+200/365".
   */
  fraction: string;
}

export interface ScheduleResult {
  /** ordered by period, then by the order of `parties` */
  installments: ScheduledInstallment[];
  periods: PeriodTotal[];
  /** null when any period's total is unknown (missing in-kind price) */
  totalFen: bigint | null;
  /** calendar years whose in-kind price is needed but missing, ascending */
  missingPriceYears: number[];
}

/**
 * RATE NOTE GRAMMAR (stored in RentInstallment.rateNote; the UI formats it):
 *   CASH <base yuan/mu>[ +<percent>%×<n>]
 *   IN_KIND <WHEAT|CORN> <jin/mu> jin × <yuan/jin or ?> @<price year>[ +<percent>%×<n>]
 * where "+5%×2" means the base was raised twice by 5 %. Examples:
 *   "CASH 800.00", "CASH 800.00 +5%×1", "IN_KIND WHEAT 950 jin × 1.18 @2027",
 *   "IN_KIND CORN 1100 jin × ? @2029". ONCE joins the notes of its contract
 * years with "; " (consecutive duplicates dropped).
 */
export type RateNote =
  | { kind: "CASH"; baseYuanPerMu: string; stepPercent: string | null; steps: number }
  | {
      kind: "IN_KIND";
      crop: "WHEAT" | "CORN";
      jinPerMu: string;
      price: string | null;
      priceYear: number;
      stepPercent: string | null;
      steps: number;
    };

const CASH_NOTE = /^CASH (\d+(?:\.\d+)?)(?: \+(\d+(?:\.\d+)?)%×(\d+))?$/;
const IN_KIND_NOTE =
  /^IN_KIND (WHEAT|CORN) (\d+(?:\.\d+)?) jin × (\d+(?:\.\d+)?|\?) @(\d{4})(?: \+(\d+(?:\.\d+)?)%×(\d+))?$/;

/** Reads one note (not a ONCE list: split on "; " first). null when it does not match the grammar. */
export function parseRateNote(note: string): RateNote | null {
  let m = CASH_NOTE.exec(note);
  if (m) {
    return { kind: "CASH", baseYuanPerMu: m[1]!, stepPercent: m[2] ?? null, steps: m[3] ? Number(m[3]) : 0 };
  }
  m = IN_KIND_NOTE.exec(note);
  if (m) {
    return {
      kind: "IN_KIND",
      crop: m[1] as "WHEAT" | "CORN",
      jinPerMu: m[2]!,
      price: m[3] === "?" ? null : m[3]!,
      priceYear: Number(m[4]),
      stepPercent: m[5] ?? null,
      steps: m[6] ? Number(m[6]) : 0,
    };
  }
  return null;
}

// ─── Dates ──────────────────────────────────────────────────────────────────
// The calendar is app/lib/dates.ts (one for the whole app); this module keeps
// only its own error codes (RangeError("schedule.badDate: <field>")) and its
// accepted range of years, 1900–2999.

const dayNumber = civilDay;
const civil = civilOf;
const formatDay = dateOfDay;

function parseDay(s: string, field: string): number {
  const p = parseDateParts(s);
  if (!p || p[0] < 1900 || p[0] > 2999) throw new RangeError(`schedule.badDate: ${field}`);
  return civilDay(p[0], p[1], p[2]);
}

/** Adds whole months to a civil date, clamping the day to the month's end (Jan 31 + 1 month → Feb 28/29). */
function addMonthsDay(y: number, m: number, d: number, months: number): number {
  const idx = y * 12 + (m - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = idx - ny * 12 + 1;
  return dayNumber(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** "2024-02-29" + 1 → "2025-02-28"; + 4 → "2028-02-29". Throws RangeError for a malformed date. */
export function addYears(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError("schedule.badYears");
  parseDay(date, "date");
  return calendarAddYears(date, n);
}

/** Days from a to b (b − a): daysBetween("2026-01-01", "2026-01-31") = 30; negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return parseDay(b, "b") - parseDay(a, "a");
}

// ─── Parsing amounts ────────────────────────────────────────────────────────

const UNSIGNED = /^\d+(?:\.\d+)?$/;

/** "12.3" → 1230n (hundredths); RangeError(code) when malformed or too precise. */
function hundredths(s: string, code: string): bigint {
  if (typeof s !== "string" || !UNSIGNED.test(s)) throw new RangeError(code);
  const [i, f = ""] = s.split(".");
  if (f.length > 2) {
    if (!/^0*$/.test(f.slice(2))) throw new RangeError(code);
  }
  return BigInt(i!) * 100n + BigInt((f + "00").slice(0, 2));
}

function decimalOf(s: string, code: string, maxPlaces: number): Decimal {
  if (typeof s !== "string" || !UNSIGNED.test(s)) throw new RangeError(code);
  const v = new Decimal(s);
  if (v.decimalPlaces() > maxPlaces) throw new RangeError(code);
  return v;
}

function fenToYuanString(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const s = `${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

/** round half up of n / d for n ≥ 0, d > 0 */
function divRound(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

// ─── Periods ────────────────────────────────────────────────────────────────

interface Period {
  s: number;
  e: number;
  due: number;
  /** contract year in which the period starts */
  k: number;
  /** fraction of a year's rent: num / den */
  num: number;
  den: number;
  full: boolean;
  /** INSTALMENTS: index of the period within its contract year, else 0 */
  j: number;
}

interface Prepared {
  start: number;
  sy: number;
  sm: number;
  sd: number;
  last: number;
  periods: Period[];
  areaHundredths: bigint[];
  totalArea: bigint;
  /** households in allocateFen's tie order: larger area first, then smaller id key, then input order */
  order: number[];
  rate: (k: number, dueYear: number) => { fen: bigint | null; note: string };
}

function anniversary(p: { sy: number; sm: number; sd: number }, k: number): number {
  return addMonthsDay(p.sy, p.sm, p.sd, 12 * k);
}

/** Contract year (0-based) containing day z ≥ start. */
function contractYear(p: { start: number; sy: number; sm: number; sd: number }, z: number): number {
  const [y] = civil(z);
  let k = y - p.sy;
  if (k > 0 && anniversary(p, k) > z) k -= 1;
  while (anniversary(p, k + 1) <= z) k += 1;
  return k < 0 ? 0 : k;
}

/** Contract years [A_k, A_{k+1}) cut at `last`; due on the first day. */
function advancePeriods(p: { start: number; sy: number; sm: number; sd: number }, last: number): Period[] {
  const out: Period[] = [];
  let s = p.start;
  for (let k = 0; s <= last; k++) {
    const next = anniversary(p, k + 1);
    const yearDays = next - s;
    const e = Math.min(next - 1, last);
    const full = e === next - 1;
    out.push({ s, e, due: s, k, num: full ? 1 : e - s + 1, den: full ? 1 : yearDays, full, j: 0 });
    s = next;
  }
  return out;
}

function instalmentPeriods(p: { start: number; sy: number; sm: number; sd: number }, last: number, perYear: number): Period[] {
  const out: Period[] = [];
  const months = 12 / perYear;
  let s = p.start;
  for (let i = 0; s <= last; i++) {
    const k = Math.floor(i / perYear);
    const next = addMonthsDay(p.sy, p.sm, p.sd, (i + 1) * months);
    const e = Math.min(next - 1, last);
    const full = e === next - 1;
    let num = 1;
    let den = perYear;
    if (!full) {
      const yearDays = anniversary(p, k + 1) - anniversary(p, k);
      num = e - s + 1;
      den = yearDays;
      // cap: a cut period never costs more than a full one
      if (num * perYear > yearDays) {
        num = 1;
        den = perYear;
      }
    }
    out.push({ s, e, due: s, k, num, den, full, j: i - k * perYear });
    s = next;
  }
  return out;
}

function yearlyPeriods(
  p: { start: number; sy: number; sm: number; sd: number },
  last: number,
  endMonth: number,
  endDay: number,
): Period[] {
  const out: Period[] = [];
  const endOf = (y: number) => dayNumber(y, endMonth, Math.min(endDay, daysInMonth(y, endMonth)));
  let y = p.sy;
  if (endOf(y) < p.start) y += 1;
  let s = p.start;
  while (s <= last) {
    const yearEnd = endOf(y);
    const yearDays = yearEnd - endOf(y - 1);
    const e = Math.min(yearEnd, last);
    const days = e - s + 1;
    const full = days === yearDays;
    out.push({ s, e, due: e, k: contractYear(p, s), num: full ? 1 : days, den: full ? 1 : yearDays, full, j: 0 });
    s = e + 1;
    y += 1;
  }
  return out;
}

function fractionString(num: number, den: number): string {
  return den === 1 ? String(num) : `${num}/${den}`;
}

function prepare(input: ScheduleInput): Prepared {
  if (!input || typeof input !== "object") throw new RangeError("schedule.badInput");
  const start = parseDay(input.startDate, "startDate");
  const end = parseDay(input.endDate, "endDate");
  if (end < start) throw new RangeError("schedule.endBeforeStart");
  let last = end;
  if (input.terminatedOn != null) {
    const t = parseDay(input.terminatedOn, "terminatedOn");
    if (t < last) last = t;
  }
  const [sy, sm, sd] = civil(start);
  const p = { start, sy, sm, sd };

  // Parties
  if (!Array.isArray(input.parties) || input.parties.length === 0) throw new RangeError("schedule.noParties");
  const seen = new Set<number>();
  const areaHundredths: bigint[] = [];
  const keys: string[] = [];
  let totalArea = 0n;
  for (const party of input.parties) {
    if (!Number.isSafeInteger(party.householdId)) throw new RangeError("schedule.badHousehold");
    if (seen.has(party.householdId)) throw new RangeError("schedule.duplicateHousehold");
    seen.add(party.householdId);
    const a = hundredths(party.areaMu, "schedule.badArea");
    if (a === 0n) throw new RangeError("schedule.zeroArea");
    areaHundredths.push(a);
    totalArea += a;
    // Zero-padded so that the allocation's key order is numeric and does not
    // depend on the order in which the parties arrive.
    keys.push(String(party.householdId).padStart(16, "0"));
  }

  // Step-ups
  const step = input.step ?? null;
  let stepFactor: Decimal | null = null;
  let stepPercent = "";
  let everyYears = 1;
  if (step) {
    const pct = decimalOf(step.percent, "schedule.badStep", 4);
    if (!Number.isInteger(step.everyYears) || step.everyYears < 1) throw new RangeError("schedule.badStep");
    if (!pct.isZero()) {
      stepFactor = pct.dividedBy(100).plus(1);
      stepPercent = pct.toString();
      everyYears = step.everyYears;
    }
  }
  const levelOf = (k: number) => (stepFactor ? Math.floor(k / everyYears) : 0);
  const stepSuffix = (level: number) => (level > 0 ? ` +${stepPercent}%×${level}` : "");
  const stepped = (base: Decimal, level: number): bigint =>
    BigInt(
      (level > 0 ? base.times(stepFactor!.pow(level)) : base)
        .times(100)
        .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
        .toFixed(0),
    );

  // Rates, cached per distinct step level / price year
  const rent = input.rent;
  let rate: Prepared["rate"];
  if (rent?.kind === "CASH") {
    const base = decimalOf(rent.yuanPerMu, "schedule.badRate", 2);
    const baseText = base.toFixed(2);
    const cache = new Map<number, { fen: bigint; note: string }>();
    rate = (k) => {
      const level = levelOf(k);
      let r = cache.get(level);
      if (!r) {
        r = { fen: stepped(base, level), note: `CASH ${baseText}${stepSuffix(level)}` };
        cache.set(level, r);
      }
      return r;
    };
  } else if (rent?.kind === "IN_KIND") {
    if (rent.crop !== "WHEAT" && rent.crop !== "CORN") throw new RangeError("schedule.badCrop");
    const jin = decimalOf(rent.jinPerMu, "schedule.badRate", 2);
    const jinText = jin.toString();
    const prices = new Map<number, Decimal>();
    for (const [y, v] of Object.entries(rent.prices ?? {})) {
      if (!/^\d{4}$/.test(y)) throw new RangeError("schedule.badPrice");
      prices.set(Number(y), decimalOf(v, "schedule.badPrice", 4));
    }
    const cache = new Map<string, { fen: bigint | null; note: string }>();
    rate = (k, dueYear) => {
      const level = levelOf(k);
      const key = `${dueYear}:${level}`;
      let r = cache.get(key);
      if (!r) {
        const price = prices.get(dueYear);
        r = price
          ? { fen: stepped(jin.times(price), level), note: `IN_KIND ${rent.crop} ${jinText} jin × ${price.toString()} @${dueYear}${stepSuffix(level)}` }
          : { fen: null, note: `IN_KIND ${rent.crop} ${jinText} jin × ? @${dueYear}${stepSuffix(level)}` };
        cache.set(key, r);
      }
      return r;
    };
  } else {
    throw new RangeError("schedule.badRentKind");
  }

  // Periods
  const pay = input.payment;
  let periods: Period[];
  if (last < start) {
    periods = []; // terminated before it began
  } else if (pay?.timing === "ADVANCE" || pay?.timing === "ONCE") {
    periods = advancePeriods(p, last);
  } else if (pay?.timing === "INSTALMENTS") {
    if (![2, 3, 4, 12].includes(pay.perYear)) throw new RangeError("schedule.badPerYear");
    periods = instalmentPeriods(p, last, pay.perYear);
  } else if (pay?.timing === "YEARLY") {
    const m = typeof pay.monthDay === "string" ? /^(\d{2})-(\d{2})$/.exec(pay.monthDay) : null;
    const mm = m ? Number(m[1]) : 0;
    const dd = m ? Number(m[2]) : 0;
    if (!m || mm < 1 || mm > 12 || dd < 1 || dd > daysInMonth(2000, mm)) throw new RangeError("schedule.badMonthDay");
    periods = yearlyPeriods(p, last, mm, dd);
  } else {
    throw new RangeError("schedule.badTiming");
  }

  const order = areaHundredths.map((_, i) => i);
  order.sort((a, b) => {
    const wa = areaHundredths[a]!;
    const wb = areaHundredths[b]!;
    if (wa !== wb) return wa > wb ? -1 : 1;
    if (keys[a] !== keys[b]) return keys[a]! < keys[b]! ? -1 : 1;
    return a - b;
  });

  return { start, sy, sm, sd, last, periods, areaHundredths, totalArea, order, rate };
}

/**
 * allocateFen(total, areas, keys) for positive integer weights: floor of the
 * exact share, then the leftover fen one each by largest remainder; equal
 * remainders fall back to `order` (weight, key, index), which the stable sort
 * keeps.
 */
function splitByArea(total: bigint, weights: bigint[], sum: bigint, order: number[]): bigint[] {
  const n = weights.length;
  const parts: bigint[] = new Array(n);
  const rems: bigint[] = new Array(n);
  let given = 0n;
  for (let i = 0; i < n; i++) {
    const x = total * weights[i]!;
    parts[i] = x / sum;
    rems[i] = x % sum;
    given += parts[i]!;
  }
  const left = Number(total - given);
  if (left === 0) return parts;
  const byRemainder = order.slice().sort((a, b) => (rems[b]! > rems[a]! ? 1 : rems[b]! < rems[a]! ? -1 : 0));
  for (let k = 0; k < left; k++) parts[byRemainder[k]!]! += 1n;
  return parts;
}

function yearOf(z: number): number {
  return civil(z)[0];
}

function periodTotalFen(totalArea: bigint, rateFen: bigint, per: Period): bigint {
  if (per.full && per.den > 1) {
    // Full instalment j of a year: the difference of the rounded cumulative
    // amounts, so that the perYear instalments of a full year add up to the
    // year's rent exactly (monthly 8,000.00 / 12 would otherwise pay 8,000.04).
    const den = 100n * BigInt(per.den);
    const yearly = totalArea * rateFen;
    return divRound(yearly * BigInt(per.j + 1), den) - divRound(yearly * BigInt(per.j), den);
  }
  return divRound(totalArea * rateFen * BigInt(per.num), 100n * BigInt(per.den));
}

/** Builds the rent schedule. Throws RangeError("schedule.<code>…") for invalid input. */
export function generateSchedule(input: ScheduleInput): ScheduleResult {
  const pr = prepare(input);
  const parties = input.parties;
  const n = parties.length;
  const areaText = pr.areaHundredths.map((a) => fenToYuanString(a));
  const missing = new Set<number>();
  const installments: ScheduledInstallment[] = [];
  const periods: PeriodTotal[] = [];
  let grand: bigint | null = 0n;

  // Full years at the same rate have the same total: split each total once.
  const splits = new Map<bigint, bigint[]>();
  const split = (total: bigint): bigint[] => {
    if (n === 1) return [total];
    let parts = splits.get(total);
    if (!parts) {
      parts = splitByArea(total, pr.areaHundredths, pr.totalArea, pr.order);
      splits.set(total, parts);
    }
    return parts;
  };

  if (input.payment.timing === "ONCE") {
    if (pr.periods.length === 0) return { installments, periods, totalFen: 0n, missingPriceYears: [] };
    let total: bigint | null = 0n;
    const notes: string[] = [];
    let fullYears = 0;
    let partial = "";
    let firstRate: bigint | null = null;
    for (let i = 0; i < pr.periods.length; i++) {
      const per = pr.periods[i]!;
      const dueYear = yearOf(per.due);
      const r = pr.rate(per.k, dueYear);
      if (i === 0) firstRate = r.fen;
      if (notes[notes.length - 1] !== r.note) notes.push(r.note);
      if (r.fen === null) {
        missing.add(dueYear);
        total = null;
      } else if (total !== null) {
        total += periodTotalFen(pr.totalArea, r.fen, per);
      }
      if (per.full) fullYears += 1;
      else partial = fractionString(per.num, per.den);
    }
    const s = formatDay(pr.start);
    const e = formatDay(pr.periods[pr.periods.length - 1]!.e);
    const fraction = partial === "" ? String(fullYears) : fullYears > 0 ? `${fullYears}+${partial}` : partial;
    periods.push({ periodStart: s, periodEnd: e, dueDate: s, totalFen: total, fraction });
    const parts = total === null ? null : split(total);
    const rateText = firstRate === null ? null : fenToYuanString(firstRate);
    const note = notes.join("; ");
    for (let h = 0; h < n; h++) {
      installments.push({
        householdId: parties[h]!.householdId,
        seq: 1,
        periodStart: s,
        periodEnd: e,
        dueDate: s,
        areaMu: areaText[h]!,
        yearlyRateYuanPerMu: rateText,
        rateNote: note,
        amountFen: parts ? parts[h]! : null,
      });
    }
    return { installments, periods, totalFen: total, missingPriceYears: [...missing].sort((a, b) => a - b) };
  }

  let seq = 0;
  for (const per of pr.periods) {
    seq += 1;
    const dueYear = yearOf(per.due);
    const r = pr.rate(per.k, dueYear);
    const s = formatDay(per.s);
    const e = formatDay(per.e);
    const due = per.due === per.s ? s : per.due === per.e ? e : formatDay(per.due);
    let total: bigint | null = null;
    if (r.fen === null) {
      missing.add(dueYear);
      grand = null;
    } else {
      total = periodTotalFen(pr.totalArea, r.fen, per);
      if (grand !== null) grand += total;
    }
    periods.push({ periodStart: s, periodEnd: e, dueDate: due, totalFen: total, fraction: fractionString(per.num, per.den) });
    const parts = total === null ? null : split(total);
    const rateText = r.fen === null ? null : fenToYuanString(r.fen);
    for (let h = 0; h < n; h++) {
      installments.push({
        householdId: parties[h]!.householdId,
        seq,
        periodStart: s,
        periodEnd: e,
        dueDate: due,
        areaMu: areaText[h]!,
        yearlyRateYuanPerMu: rateText,
        rateNote: r.note,
        amountFen: parts ? parts[h]! : null,
      });
    }
  }
  return { installments, periods, totalFen: grand, missingPriceYears: [...missing].sort((a, b) => a - b) };
}

/**
 * The whole contract's annual rent at a date (total area × the yearly rate of
 * the period containing that date, with step-ups; in kind at the price of
 * that period's due year), for the late-payment penalty. Dates before the
 * start use the first period, after the end (or termination) the last one.
 * null when the in-kind price is missing.
 */
export function annualRentFen(input: ScheduleInput, atDate: string): bigint | null {
  const at = parseDay(atDate, "atDate");
  const pr = prepare(input);
  if (pr.periods.length === 0) {
    // terminated before the start: the agreed first-year rent
    const [y] = civil(pr.start);
    const r = pr.rate(0, y);
    return r.fen === null ? null : divRound(pr.totalArea * r.fen, 100n);
  }
  let per = pr.periods[0]!;
  for (const q of pr.periods) {
    if (q.s <= at) per = q;
    else break;
  }
  const r = pr.rate(per.k, yearOf(per.due));
  return r.fen === null ? null : divRound(pr.totalArea * r.fen, 100n);
}

/**
 * The penalty of one constant base over a number of days: base × N / 10,000
 * × days, rounded half-up to the fen. N is a decimal string ("5", "0.5");
 * zero or negative days give 0. What an installment owes when payments come
 * in between is accruedPenaltyFen (penalty.ts): the base changes day by day.
 */
export function latePenaltyFen(annualRent: bigint, perTenThousand: string, daysLate: number): bigint {
  if (typeof annualRent !== "bigint" || annualRent < 0n) throw new RangeError("schedule.badAnnualRent");
  if (typeof perTenThousand !== "string" || !UNSIGNED.test(perTenThousand)) throw new RangeError("schedule.badPenaltyRate");
  if (!Number.isInteger(daysLate)) throw new RangeError("schedule.badDays");
  if (daysLate <= 0) return 0n;
  const [i, f = ""] = perTenThousand.split(".");
  const scale = 10n ** BigInt(f.length);
  const rateScaled = BigInt(i! + f);
  return divRound(annualRent * rateScaled * BigInt(daysLate), 10000n * scale);
}

export type AgingBucket = "PAID" | "NOT_DUE" | "DUE" | "D1_30" | "D31_90" | "D90_PLUS";

/** Arrears aging (账龄): DUE = due today; D1_30 = 1–30 days overdue; D31_90 = 31–90; D90_PLUS = 91 and more. */
export function agingBucket(dueDate: string, outstandingFen: bigint, today: string): AgingBucket {
  const late = parseDay(today, "today") - parseDay(dueDate, "dueDate");
  if (outstandingFen <= 0n) return "PAID";
  if (late < 0) return "NOT_DUE";
  if (late === 0) return "DUE";
  if (late <= 30) return "D1_30";
  if (late <= 90) return "D31_90";
  return "D90_PLUS";
}
