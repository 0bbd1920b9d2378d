/**
 * Shares of a dividend year, weighted by the days they were held
 * (入股股份按持有天数折算).
 *
 * Pure domain module: no Prisma, Remix or Node imports. Dates are
 * "YYYY-MM-DD" calendar strings, turned into day numbers, so nothing here
 * depends on the local clock or time zone.
 *
 * Rules (the ones printed on the statement):
 * - A household's shares start and end with its equity contract(s) (入股合同):
 *   the contract's land counts from its start date to its end date, or to the
 *   termination date when the contract ended early, BOTH DAYS INCLUDED
 *   (a contract terminated on 2026-06-30 still held the land that day, as
 *   the rent schedule counts it).
 * - days held = the days of that span inside the calendar year [Jan 1, Dec 31].
 * - weight (折算股数) = Σ over the household's contracts of
 *   area × sharesPerMu × days held / days in the year (365 or 366),
 *   rounded half-up to WEIGHT_PLACES decimals. A household that held 16 mu
 *   all year at 1 share per mu has weight "16" exactly; one that joined on
 *   July 1 of 2026 has 16 × 184 / 365 = 8.065753424658.
 * - areaMu and shares describe the holding at its largest on any single day
 *   of the year (area × sharesPerMu), so that a contract and its renewal
 *   (one ending June 30, the other starting July 1) are not counted twice.
 * - Contracts with no day inside the year are ignored; a household with none
 *   left does not appear. Output is sorted by householdId.
 *
 * Errors are RangeErrors with a code as message: "dividend.badYear",
 * "dividend.badDate", "dividend.badArea", "dividend.badSharesPerMu",
 * "dividend.badHousehold".
 */
import { Decimal } from "~/lib/money";

/** Decimal places kept in a weight: far below a fen on any realistic pool, and exact for full-year holdings. */
export const WEIGHT_PLACES = 12;

export interface ShareContract {
  householdId: number;
  /** area contributed under this contract, mu, plain decimal string */
  areaMu: string;
  startDate: string;
  endDate: string;
  /** last day of an early-terminated contract (inclusive); null/undefined when it runs to endDate */
  terminatedOn?: string | null;
}

export interface WeightedShare {
  householdId: number;
  /** largest area held on any day of the year, with 2 decimals ("16.00"; more only if the contracts had more) */
  areaMu: string;
  /** areaMu × sharesPerMu, plain decimal string without trailing zeros ("16", "128000", "2.5") */
  shares: string;
  /** Σ area × sharesPerMu × days held / days in year, at most WEIGHT_PLACES decimals, no trailing zeros */
  weight: string;
  /** days of the year on which the household held any share (union of its contracts' spans) */
  days: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UNSIGNED = /^\d+(?:\.\d+)?$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function parseDay(s: unknown): number {
  const m = typeof s === "string" ? DATE.exec(s) : null;
  if (!m) throw new RangeError("dividend.badDate");
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError("dividend.badDate");
  return dayNumber(y, mo, d);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new RangeError("dividend.badYear");
}

/** 365 or 366. */
export function daysInYear(year: number): number {
  checkYear(year);
  return isLeap(year) ? 366 : 365;
}

/** The inclusive day-number span [first, last] of the contract inside the year, or null when it has no day there. */
function spanInYear(c: Pick<ShareContract, "startDate" | "endDate" | "terminatedOn">, year: number): [number, number] | null {
  const start = parseDay(c.startDate);
  let last = parseDay(c.endDate);
  if (c.terminatedOn != null && c.terminatedOn !== "") {
    const t = parseDay(c.terminatedOn);
    if (t < last) last = t;
  }
  const first = Math.max(start, dayNumber(year, 1, 1));
  last = Math.min(last, dayNumber(year, 12, 31));
  return last < first ? null : [first, last];
}

/**
 * Days of `year` on which the contract held its shares: from the start date to
 * the end date or the termination date, both included, clipped to the year.
 * 0 when the contract lies outside the year or ended before it started.
 */
export function shareDays(c: Pick<ShareContract, "startDate" | "endDate" | "terminatedOn">, year: number): number {
  checkYear(year);
  const span = spanInYear(c, year);
  return span ? span[1] - span[0] + 1 : 0;
}

function parseArea(s: unknown): Decimal {
  if (typeof s !== "string" || !UNSIGNED.test(s.trim())) throw new RangeError("dividend.badArea");
  return new Decimal(s.trim());
}

/** Plain decimal string without trailing zeros: "16", "8.065753424658". */
function plain(d: Decimal): string {
  return d.toFixed();
}

/**
 * One entry per household holding shares on at least one day of `year`; see
 * the module comment for the rules. `sharesPerMu` is the cooperative's
 * setting ("1", or "8000" where 1 yuan is a share and a mu is valued at 8,000).
 */
export function weightedShares(contracts: ShareContract[], year: number, sharesPerMu: string): WeightedShare[] {
  const diy = daysInYear(year);
  if (typeof sharesPerMu !== "string" || !UNSIGNED.test(sharesPerMu.trim())) throw new RangeError("dividend.badSharesPerMu");
  const perMu = new Decimal(sharesPerMu.trim());
  if (perMu.isZero()) throw new RangeError("dividend.badSharesPerMu");

  interface Acc {
    /** Σ area × days (mu·days), exact */
    areaDays: Decimal;
    /** area changes by day: +area on the first day, −area the day after the last */
    events: [number, Decimal][];
  }
  const byHousehold = new Map<number, Acc>();
  for (const c of contracts) {
    if (!Number.isSafeInteger(c.householdId)) throw new RangeError("dividend.badHousehold");
    const area = parseArea(c.areaMu);
    const span = spanInYear(c, year);
    if (!span || area.isZero()) continue;
    let acc = byHousehold.get(c.householdId);
    if (!acc) {
      acc = { areaDays: new Decimal(0), events: [] };
      byHousehold.set(c.householdId, acc);
    }
    acc.areaDays = acc.areaDays.plus(area.times(span[1] - span[0] + 1));
    acc.events.push([span[0], area], [span[1] + 1, area.negated()]);
  }

  const out: WeightedShare[] = [];
  for (const [householdId, acc] of byHousehold) {
    // Sweep the day events: the largest area held at once, and the days on
    // which anything was held (overlapping spans counted once).
    acc.events.sort((a, b) => a[0] - b[0] || (a[1].isNegative() ? -1 : 0) - (b[1].isNegative() ? -1 : 0));
    let current = new Decimal(0);
    let maxArea = new Decimal(0);
    let days = 0;
    let openSince: number | null = null;
    for (const [day, delta] of acc.events) {
      const before = current;
      current = current.plus(delta);
      if (before.isZero() && current.gt(0)) openSince = day;
      if (!before.isZero() && current.isZero() && openSince !== null) {
        days += day - openSince;
        openSince = null;
      }
      if (current.gt(maxArea)) maxArea = current;
    }
    const weight = acc.areaDays.times(perMu).dividedBy(diy).toDecimalPlaces(WEIGHT_PLACES, Decimal.ROUND_HALF_UP);
    out.push({
      householdId,
      areaMu: maxArea.decimalPlaces() <= 2 ? maxArea.toFixed(2) : plain(maxArea),
      shares: plain(maxArea.times(perMu)),
      weight: plain(weight),
      days,
    });
  }
  out.sort((a, b) => a.householdId - b.householdId);
  return out;
}

/**
 * The first day of each household's holding in `year` (printed on the notice
 * as 入股日期): the earliest start date among its contracts that hold shares
 * on some day of the year. A contract that began before the year gives its
 * own start date, one that began within it the day the household joined.
 */
export function holdingSince(contracts: Pick<ShareContract, "householdId" | "areaMu" | "startDate" | "endDate" | "terminatedOn">[], year: number): Map<number, string> {
  checkYear(year);
  const out = new Map<number, string>();
  for (const c of contracts) {
    if (!spanInYear(c, year) || parseArea(c.areaMu).isZero()) continue;
    const known = out.get(c.householdId);
    if (known === undefined || c.startDate < known) out.set(c.householdId, c.startDate);
  }
  return out;
}
