/**
 * Household income rules (家庭收入): categories, member-years, per-capita
 * net income, the monitoring-line flags and the distribution buckets.
 * Pure: no framework imports. Money is integer fen (bigint) and member
 * time integer member-days, so that no figure is ever rounded by binary
 * floating point (DOMAIN.md §3); the *Number helpers below use JS numbers
 * only as exact integers below 2^53, for the audit's hot loop.
 */
import { dayNumber, daysInYear, yearStart } from "~/lib/dates";
import { Decimal } from "~/lib/money";
import type { HouseholdStatus } from "~/registry/household-form";

/** The four categories of the household income survey. */
export const CATEGORIES = ["WAGE", "OPERATING", "PROPERTY", "TRANSFER"] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Kinds of typed income entries per category. Rent and land-share dividends
 * are not here: they are derived from payments and never typed (issue #6).
 */
export const ENTRY_KINDS: Record<Category, readonly string[]> = {
  WAGE: ["MIGRANT_WORK", "LOCAL_WORK", "PUBLIC_WELFARE_JOB", "OTHER_WAGE"],
  OPERATING: ["CROPS", "ORCHARD", "LIVESTOCK", "BUSINESS", "OTHER_OPERATING"],
  // 资产收益扶贫分红 and e.g. interest; rent and land-share dividends come from payments
  PROPERTY: ["ASSET_DIVIDEND", "OTHER_PROPERTY"],
  // 低保 DIBAO, 特困供养 TEKUN
  TRANSFER: ["AGRI_SUBSIDY", "PENSION", "DIBAO", "TEKUN", "DISABILITY", "ELDERLY_ALLOWANCE", "OTHER_TRANSFER"],
};

/** Money a household receives that the survey does not count as income (教育、医疗救助、住房补助). */
export const NOT_INCOME_KINDS = ["EDUCATION_AID", "MEDICAL_REIMBURSEMENT", "HOUSING_AID"] as const;
export type NotIncomeKind = (typeof NOT_INCOME_KINDS)[number];

/** The statuses the township audit looks at (脱贫户、监测户). */
export const AUDITED_STATUSES: readonly HouseholdStatus[] = ["ALLEVIATED", "MONITORED"];

export function isCategory(v: unknown): v is Category {
  return typeof v === "string" && (CATEGORIES as readonly string[]).includes(v);
}

export function categoryOfKind(kind: string): Category | null {
  for (const c of CATEGORIES) if (ENTRY_KINDS[c].includes(kind)) return c;
  return null;
}

// ─── Dates and member-years (one calendar for the whole app: ~/lib/dates, ADR 014) ─

export interface Membership {
  /** first day as a member; null = a member since before any year asked about */
  joinedOn: string | null;
  /** first day NOT a member any more; null = still a member */
  leftOn: string | null;
}

/**
 * Days of `year` the person belonged to the household: from
 * max(joinedOn, Jan 1) to min(leftOn − 1 day, Dec 31), inclusive; 0 when
 * they joined after the year, left before it (or on its Jan 1), or the
 * dates are the wrong way round.
 */
export function memberDays(m: Membership, year: number): number {
  const first = dayNumber(yearStart(year));
  const last = first + daysInYear(year) - 1;
  const from = m.joinedOn ? Math.max(first, dayNumber(m.joinedOn)) : first;
  const to = m.leftOn ? Math.min(last, dayNumber(m.leftOn) - 1) : last;
  return to >= from ? to - from + 1 : 0;
}

/** Why a record dated `first`..`last` (inclusive) falls outside a membership. */
export type MembershipProblem = { key: "beforeJoined" | "afterLeft"; date: string };

/**
 * Whether a record dated from `first` to `last` (inclusive, "YYYY-MM-DD")
 * lies within the membership: not before joinedOn, not on or after leftOn
 * (the first day no longer a member). Unknown dates never refuse anything.
 */
export function outsideMembership(m: Membership, first: string, last: string = first): MembershipProblem | null {
  if (m.joinedOn && first < m.joinedOn) return { key: "beforeJoined", date: m.joinedOn };
  if (m.leftOn && last >= m.leftOn) return { key: "afterLeft", date: m.leftOn };
  return null;
}

/** Sum of memberDays over a household's members. */
export function householdMemberDays(ms: readonly Membership[], year: number): number {
  let days = 0;
  for (const m of ms) days += memberDays(m, year);
  return days;
}

/** The share of the year a person belonged to the household (0..1), e.g. 183/366. */
export function memberShare(m: Membership, year: number): Decimal {
  return new Decimal(memberDays(m, year)).dividedBy(daysInYear(year));
}

/** Member-years of a household (e.g. 3.5): Σ memberDays ÷ days in the year. */
export function memberYears(ms: readonly Membership[], year: number): Decimal {
  return new Decimal(householdMemberDays(ms, year)).dividedBy(daysInYear(year));
}

/** Member-days shown as member-years with 2 decimals ("3.50"), rounded half-up. */
export function memberYearsText(memberDaysTotal: number, days: number): string {
  if (days <= 0) return "0.00";
  return ratioTextNumber(memberDaysTotal, days, 2);
}

// ─── Work-day periods ──────────────────────────────────────────────────────

/** A period of work, both days counted ("YYYY-MM-DD"). */
export interface WorkPeriod {
  periodStart: string;
  periodEnd: string;
}

/** Whether two periods share at least one day. */
export function periodsOverlap(a: WorkPeriod, b: WorkPeriod): boolean {
  return a.periodStart <= b.periodEnd && b.periodStart <= a.periodEnd;
}

/**
 * The first of a person's live records whose period shares a day with `p`
 * (one person works one job a day: a second record of the same days is a
 * duplicate that would pay the wages twice), or null.
 */
export function firstOverlap<T extends WorkPeriod>(live: readonly T[], p: WorkPeriod): T | null {
  for (const r of live) if (periodsOverlap(r, p)) return r;
  return null;
}

// ─── Exact integer arithmetic ──────────────────────────────────────────────

/** n ÷ d rounded half away from zero (the voucher rule, as toFen does); d > 0. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("divRound: divisor must be positive");
  const q = n / d; // truncates toward zero
  const r = n % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/**
 * The same rounding for JS numbers used as exact integers (|n|, d ≤ 2^53):
 * the audit's per-row arithmetic, where a bigint operation per figure
 * would allocate. The float quotient is only a first guess, corrected by
 * the exact integer remainder.
 */
export function divRoundNumber(n: number, d: number): number {
  let q = Math.trunc(n / d);
  let r = n - q * d;
  // the float quotient may be one off near an integer: bring r into (-d, d) with n's sign
  if (r >= d || (n < 0 && r > 0)) {
    q += 1;
    r -= d;
  } else if (r <= -d || (n > 0 && r < 0)) {
    q -= 1;
    r += d;
  }
  if (2 * Math.abs(r) >= d) q += n < 0 ? -1 : 1;
  return q;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** n ÷ d as a decimal string with `places` decimals, rounded half away from zero: ratioText(7n, 2n, 1) = "3.5". */
export function ratioText(n: bigint, d: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const scaled = n * scale;
  if (scaled <= SAFE && scaled >= -SAFE && d <= SAFE) return ratioTextNumber(Number(n), Number(d), places);
  return decimalText(divRound(scaled, d), places);
}

/** ratioText for exact integers as numbers (|n| × 10^places and d ≤ 2^53). */
export function ratioTextNumber(n: number, d: number, places: number): string {
  return decimalText(divRoundNumber(n * 10 ** places, d), places);
}

/** An integer count of 10^-places as a decimal string: (-352, 1) → "-35.2". */
function decimalText(v: bigint | number, places: number): string {
  const neg = v < 0;
  const abs = String(neg ? -v : v);
  if (places === 0) return `${neg ? "-" : ""}${abs}`;
  const digits = abs.padStart(places + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

// ─── Per-capita income ─────────────────────────────────────────────────────

/** Member time as integers, the exact form the audit uses (see perCapitaFen). */
export interface MemberTime {
  memberDays: number;
  daysInYear: number;
}

/**
 * Per-capita net income in fen: total ÷ member-years, rounded half-up (away
 * from zero for a negative total, as toFen does) to the fen; null when
 * nobody belonged to the household in the year.
 *
 * Pass member time either as a Decimal of member-years or as
 * { memberDays, daysInYear }. The second is exact integer arithmetic
 * (total × daysInYear ÷ memberDays) and is what the audit uses: a
 * member-year such as 4/365 has no finite decimal, so a Decimal divisor can
 * land a hair beside an exact half fen and round it the other way.
 */
export function perCapitaFen(totalFen: bigint, memberYears: Decimal | MemberTime): bigint | null {
  if (memberYears instanceof Decimal || Decimal.isDecimal(memberYears)) {
    const my = memberYears as Decimal;
    if (my.lessThanOrEqualTo(0)) return null;
    return BigInt(new Decimal(totalFen.toString()).dividedBy(my).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
  }
  const t = memberYears as MemberTime;
  if (t.memberDays <= 0 || t.daysInYear <= 0) return null;
  const n = totalFen * BigInt(t.daysInYear);
  if (n <= SAFE && n >= -SAFE) return BigInt(divRoundNumber(Number(n), t.memberDays));
  return divRound(n, BigInt(t.memberDays));
}

// ─── Flags against the monitoring line ─────────────────────────────────────

export type LineFlag = "BELOW" | "NEAR" | "ABOVE";

/**
 * BELOW: per-capita < line; NEAR: line ≤ per-capita ≤ line × 1.1 (both
 * ends NEAR); ABOVE otherwise. Null when there is no line for the year or
 * no members. Compared as integers (per-capita × 10 ≤ line × 11).
 */
export function lineFlag(perCapitaFen: bigint | null, lineFen: bigint | null): LineFlag | null {
  if (perCapitaFen === null || lineFen === null || lineFen <= 0n) return null;
  if (perCapitaFen < lineFen) return "BELOW";
  if (perCapitaFen * 10n <= lineFen * 11n) return "NEAR";
  return "ABOVE";
}

/** Per-capita as a percentage of the line, one decimal ("98.5"); null without a line or members. */
export function percentOfLine(perCapitaFen: bigint | null, lineFen: bigint | null): string | null {
  if (perCapitaFen === null || lineFen === null || lineFen <= 0n) return null;
  return ratioText(perCapitaFen * 100n, lineFen, 1);
}

// ─── Year-on-year fall ─────────────────────────────────────────────────────

/**
 * "Income fell by more than 30 %", on household totals (not per-capita, so
 * that a member leaving does not by itself raise or lower the figure):
 * previous > 0 and current < previous × 0.7; exactly 30 % is not flagged.
 * changePercent is (current − previous) ÷ previous × 100 with one decimal
 * ("-35.2"), null without a previous record or when the previous total was
 * not positive (no meaningful percentage).
 */
export function fellSharply(currentFen: bigint, previousFen: bigint | null): { fell: boolean; changePercent: string | null } {
  if (previousFen === null || previousFen <= 0n) return { fell: false, changePercent: null };
  return {
    fell: currentFen * 10n < previousFen * 7n,
    changePercent: ratioText((currentFen - previousFen) * 100n, previousFen, 1),
  };
}

/** "Rose by more than 30 %": previous > 0 and current > previous × 1.3; exactly 30 % is not. */
export function roseSharply(currentFen: bigint, previousFen: bigint | null): boolean {
  return previousFen !== null && previousFen > 0n && currentFen * 10n > previousFen * 13n;
}

// ─── Payments that belong to another year (cash basis) ────────────────────

/**
 * Rent or dividend money counted (cash basis, as the survey does) in the
 * year it was received although it belongs to another: a rent installment
 * due in another year, or a dividend run of another year.
 */
export interface OffYearPayment {
  kind: "RENT" | "DIVIDEND";
  receivedYear: number;
  belongsYear: number;
  amountFen: bigint;
}

/**
 * The off-year payments that explain a sharp change between `year − 1` and
 * `year`: every payment received in either year that belongs to another,
 * and every payment belonging to either year received in another. Empty
 * unless the total fell or rose by more than 30 % — the figure itself
 * stays on the cash basis, this only names the cause.
 */
export function offYearCauses(payments: readonly OffYearPayment[], year: number, currentFen: bigint, previousFen: bigint | null): OffYearPayment[] {
  if (payments.length === 0) return [];
  const fell = previousFen !== null && previousFen > 0n && currentFen * 10n < previousFen * 7n;
  if (!fell && !roseSharply(currentFen, previousFen)) return [];
  const inPair = (y: number) => y === year || y === year - 1;
  return payments
    .filter((p) => p.receivedYear !== p.belongsYear && p.amountFen !== 0n && (inPair(p.receivedYear) || inPair(p.belongsYear)))
    .sort((a, b) => a.receivedYear - b.receivedYear || a.belongsYear - b.belongsYear || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

// ─── Figures to review rather than count ───────────────────────────────────

/** A per-capita figure above this many times the village median is reviewed, not counted. */
export const REVIEW_MEDIAN_FACTOR = 10;
/** Fewer member-days than daysInYear ÷ this (a tenth of a member-year) divide a year's income by almost nobody. */
export const REVIEW_MIN_MEMBER_YEAR_PARTS = 10;

export type ReviewReason = "FEW_MEMBER_DAYS" | "FAR_ABOVE_MEDIAN";

/**
 * Why a household's per-capita figure is set aside for review instead of
 * being counted below, near or above the line: its members belonged to it
 * for less than a tenth of a member-year in all (a household entered late
 * in the year, or dates typed wrong), or the figure is more than 10× the
 * village median (when that median is positive). Null: count it.
 */
export function reviewReason(perCapitaFen: bigint | null, medianFen: bigint | null, memberDays: number, daysInYear: number): ReviewReason | null {
  if (perCapitaFen === null || memberDays <= 0) return null;
  if (memberDays * REVIEW_MIN_MEMBER_YEAR_PARTS < daysInYear) return "FEW_MEMBER_DAYS";
  if (medianFen !== null && medianFen > 0n && perCapitaFen > medianFen * BigInt(REVIEW_MEDIAN_FACTOR)) return "FAR_ABOVE_MEDIAN";
  return null;
}

/** reviewReason for exact integers as numbers (the audit's fast path). */
export function reviewReasonNumber(perCapitaFen: number, medianFen: number | null, memberDays: number, daysInYear: number): ReviewReason | null {
  if (memberDays <= 0) return null;
  if (memberDays * REVIEW_MIN_MEMBER_YEAR_PARTS < daysInYear) return "FEW_MEMBER_DAYS";
  if (medianFen !== null && medianFen > 0 && perCapitaFen > medianFen * REVIEW_MEDIAN_FACTOR) return "FAR_ABOVE_MEDIAN";
  return null;
}

// ─── Distribution ──────────────────────────────────────────────────────────

export interface Bucket {
  /** message key of the bucket's label (app/income/messages.ts) */
  key: string;
  /** lower bound in fen (inclusive unless the bucket says otherwise); null = open */
  fromFen: bigint | null;
  /** upper bound in fen (exclusive, except the NEAR bucket which includes it); null = open */
  toFen: bigint | null;
  count: number;
}

/** Bucket edges as fractions of the line: [num, den]. */
const LINE_EDGES: readonly [bigint, bigint][] = [
  [1n, 2n],
  [1n, 1n],
  [11n, 10n],
  [3n, 2n],
  [2n, 1n],
];
export const LINE_BUCKET_KEYS = [
  "income.dist.line.lt50",
  "income.dist.line.50to100",
  "income.dist.line.100to110",
  "income.dist.line.110to150",
  "income.dist.line.150to200",
  "income.dist.line.ge200",
] as const;

/** Fixed bands in fen when there is no line: 5k, 10k, 15k, 20k, 30k yuan. */
const FIXED_EDGES: readonly bigint[] = [500_000n, 1_000_000n, 1_500_000n, 2_000_000n, 3_000_000n];
export const FIXED_BUCKET_KEYS = [
  "income.dist.fixed.lt5k",
  "income.dist.fixed.5to10k",
  "income.dist.fixed.10to15k",
  "income.dist.fixed.15to20k",
  "income.dist.fixed.20to30k",
  "income.dist.fixed.ge30k",
] as const;

/** Index of the line bucket of one per-capita figure; matches lineFlag (the 100–110 % bucket is exactly NEAR). */
function lineBucket(v: bigint, line: bigint): number {
  if (v * 2n < line) return 0;
  if (v < line) return 1;
  if (v * 10n <= line * 11n) return 2;
  if (v * 2n < line * 3n) return 3;
  if (v < line * 2n) return 4;
  return 5;
}

/** lineBucket for exact integers as numbers (v, line below 2^49). */
export function lineBucketNumber(v: number, line: number): number {
  if (v * 2 < line) return 0;
  if (v < line) return 1;
  if (v * 10 <= line * 11) return 2;
  if (v * 2 < line * 3) return 3;
  if (v < line * 2) return 4;
  return 5;
}

function fixedBucket(v: bigint): number {
  for (let i = 0; i < FIXED_EDGES.length; i++) if (v < FIXED_EDGES[i]!) return i;
  return FIXED_EDGES.length;
}

const FIXED_EDGES_NUMBER = FIXED_EDGES.map(Number);
export function fixedBucketNumber(v: number): number {
  for (let i = 0; i < FIXED_EDGES_NUMBER.length; i++) if (v < FIXED_EDGES_NUMBER[i]!) return i;
  return FIXED_EDGES_NUMBER.length;
}

/** The six buckets with their edges, from counts made with lineBucket/fixedBucket (or their number forms). */
export function bucketsOf(counts: readonly number[], lineFen: bigint | null): Bucket[] {
  if (lineFen !== null && lineFen > 0n) {
    const edges = LINE_EDGES.map(([n, d]) => divRound(lineFen * n, d));
    return LINE_BUCKET_KEYS.map((key, i) => ({ key, fromFen: i === 0 ? null : edges[i - 1]!, toFen: i === 5 ? null : edges[i]!, count: counts[i] ?? 0 }));
  }
  return FIXED_BUCKET_KEYS.map((key, i) => ({ key, fromFen: i === 0 ? null : FIXED_EDGES[i - 1]!, toFen: i === 5 ? null : FIXED_EDGES[i]!, count: counts[i] ?? 0 }));
}

/**
 * Households per per-capita bucket. With a line: < 50 % of it, 50–100 %,
 * 100–110 % (inclusive at both ends, the NEAR flag), 110–150 %, 150–200 %,
 * ≥ 200 %. Without: 0–5k, 5–10k, 10–15k, 15–20k, 20–30k, ≥ 30k yuan. The
 * first bucket is open below (a loss-making household lands in it) and the
 * last open above, so every value lands in exactly one. Edges printed as
 * fen are rounded half-up when the line has an odd fen.
 */
export function distribution(perCapitaFens: readonly bigint[], lineFen: bigint | null): Bucket[] {
  const counts = [0, 0, 0, 0, 0, 0];
  if (lineFen !== null && lineFen > 0n) for (const v of perCapitaFens) counts[lineBucket(v, lineFen)]! += 1;
  else for (const v of perCapitaFens) counts[fixedBucket(v)]! += 1;
  return bucketsOf(counts, lineFen);
}
