/**
 * The township's poverty-alleviation income audit (脱贫户、监测户收入核查),
 * from one row of figures per household and year. Pure and fast: the
 * district benchmark runs it over ~100,000 households, so every per-row
 * figure is exact integer arithmetic (no Decimal objects), the median is
 * found by selection rather than a sort, and the only sorts are of the
 * listed households (see auditVillage).
 *
 * MEMBER TIME. Rows carry member-days (Σ over members of the days of the
 * year each belonged to the household, see rules.memberDays) and the days
 * of the year, instead of a decimal of member-years: 4 days of 365 has no
 * finite decimal, while total × daysInYear ÷ memberDays is exact.
 * Member-years for display are memberDays ÷ daysInYear with 2 decimals.
 */
import {
  CATEGORIES,
  distribution,
  divRound,
  fellSharply,
  lineFlag,
  memberYearsText,
  percentOfLine,
  perCapitaFen,
  ratioText,
  divRoundNumber,
  lineBucketNumber,
  fixedBucketNumber,
  bucketsOf,
  offYearCauses,
  reviewReason,
  reviewReasonNumber,
  roseSharply,
  type Bucket,
  type Category,
  type LineFlag,
  type OffYearPayment,
  type ReviewReason,
} from "./rules";
import { daysInYear as daysOfYear } from "~/lib/dates";
import type { HouseholdStatus } from "~/registry/household-form";

export interface HouseholdYear {
  id: number;
  code: string;
  headName: string;
  villageId: number;
  villageName: string;
  status: HouseholdStatus;
  statusYear: number | null;
  /** current member count, for display only */
  members: number;
  /** Σ days of the year each member belonged to the household (rules.householdMemberDays) */
  memberDays: number;
  /** 365 or 366 (rules.daysInYear(year)) */
  daysInYear: number;
  wageFen: bigint;
  /** net: amounts − costs + harvest sales; may be negative */
  operatingFen: bigint;
  propertyFen: bigint;
  transferFen: bigint;
  /** the household's total of the year before; null when there is no record of that year */
  previousTotalFen: bigint | null;
  /** rent due and not paid (the household is owed it) */
  arrearsFen: bigint;
  /** dividends issued to the household and not paid */
  unpaidDividendFen: bigint;
  /**
   * Rent and dividend payments received in one year that belong to another,
   * for the years around this one (income.server offYearPayments); absent
   * when there are none.
   */
  offYear?: readonly OffYearPayment[];
}

export interface HouseholdFigures {
  totalFen: bigint;
  perCapitaFen: bigint | null;
  flag: LineFlag | null;
  fell: boolean;
  changePercent: string | null;
}

export function householdTotalFen(h: Pick<HouseholdYear, "wageFen" | "operatingFen" | "propertyFen" | "transferFen">): bigint {
  return h.wageFen + h.operatingFen + h.propertyFen + h.transferFen;
}

export function householdFigures(h: HouseholdYear, lineFen: bigint | null): HouseholdFigures {
  const totalFen = householdTotalFen(h);
  const pc = perCapitaFen(totalFen, h);
  const { fell, changePercent } = fellSharply(totalFen, h.previousTotalFen);
  return { totalFen, perCapitaFen: pc, flag: lineFlag(pc, lineFen), fell, changePercent };
}

/** One household in the audit's lists (flagged, fell, owed): every figure the tables print. */
export interface AuditRow {
  id: number;
  code: string;
  headName: string;
  status: HouseholdStatus;
  statusYear: number | null;
  members: number;
  memberDays: number;
  /** member-years, 2 decimals ("3.50") */
  memberYears: string;
  wageFen: bigint;
  operatingFen: bigint;
  propertyFen: bigint;
  transferFen: bigint;
  totalFen: bigint;
  perCapitaFen: bigint | null;
  /** per-capita as % of the line, 1 decimal; null without a line or members */
  percentOfLine: string | null;
  flag: LineFlag | null;
  previousTotalFen: bigint | null;
  /** (current − previous) ÷ previous in %, 1 decimal */
  changePercent: string | null;
  fell: boolean;
  arrearsFen: bigint;
  unpaidDividendFen: bigint;
  /** total rose by more than 30 % on the year before */
  rose: boolean;
  /**
   * When the total fell or rose by more than 30 %: the payments received in
   * this year or the year before that belong to another year, or belonging
   * to either and received in another (the cause of the change, named).
   */
  offYear: OffYearPayment[];
  /** set aside for review instead of being counted against the line (rules.reviewReason) */
  review: ReviewReason | null;
}
export type FlaggedRow = AuditRow;
export type FellRow = AuditRow;
export type OwedRow = AuditRow;

export type CategoryTotals = Record<Category, bigint> & { total: bigint };

export interface VillageAudit {
  villageId: number;
  villageName: string;
  year: number;
  lineFen: bigint | null;
  households: number;
  byStatus: Record<HouseholdStatus, number>;
  /** Σ member-days of every household, and the days of the year */
  memberDays: number;
  daysInYear: number;
  /** member-years, 2 decimals */
  memberYears: string;
  totals: CategoryTotals;
  perCapita: {
    /** the village's total ÷ its member-years */
    overallFen: bigint | null;
    /** per-category totals ÷ member-years (each rounded on its own) */
    byCategoryFen: Record<Category, bigint | null>;
    /** over households with members; the mean of the two middle values (half-up) for an even count */
    medianFen: bigint | null;
    minFen: bigint | null;
    maxFen: bigint | null;
  };
  distribution: Bucket[];
  /** ALLEVIATED or MONITORED with flag BELOW or NEAR, per-capita ascending */
  flagged: FlaggedRow[];
  /** any status, income fell by more than 30 %, largest fall first */
  fell: FellRow[];
  /** ALLEVIATED or MONITORED owed rent or dividends, largest amount first */
  owed: OwedRow[];
  /**
   * any status, per-capita set aside for review (rules.reviewReason): not
   * in the flags, the below/near counts or the distribution; largest first
   */
  review: AuditRow[];
  owedTotals: { arrearsFen: bigint; unpaidDividendFen: bigint };
  counts: {
    /** ALLEVIATED or MONITORED households below the line */
    below: number;
    /** ALLEVIATED or MONITORED households within 10 % above it */
    near: number;
    fell: number;
    owed: number;
    /** households with no member in the year (no per-capita figure) */
    noMembers: number;
    /** households whose per-capita figure is set aside for review */
    review: number;
  };
}

/**
 * Every household's per-capita figure, kept on the audit under a private,
 * non-enumerable key for auditTownship's median: not part of the type,
 * never serialised to the browser, and not converted to 100,000 bigints
 * (which cost more than the rest of the audit). perCapitaFensOf reads it.
 */
const PER_CAPITA = Symbol("income.perCapitaFens");
type PerCapitaFigures = Float64Array | readonly bigint[];

function attachFigures(a: VillageAudit, figures: PerCapitaFigures): VillageAudit {
  Object.defineProperty(a, PER_CAPITA, { value: figures, enumerable: false });
  return a;
}

function figuresOf(a: VillageAudit): PerCapitaFigures {
  const f = (a as unknown as Record<symbol, PerCapitaFigures | undefined>)[PER_CAPITA];
  if (!f) throw new Error("auditTownship needs the audits as returned by auditVillage: a copied or serialised audit has lost its per-household figures");
  return f;
}

/** The per-capita figures of every household with members, in row order (for tests and checks). */
export function perCapitaFensOf(a: VillageAudit): bigint[] {
  return Array.from(figuresOf(a) as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? v : BigInt(v)));
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const cmpCode = (a: AuditRow, b: AuditRow) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id);

function emptyTotals(): CategoryTotals {
  return { WAGE: 0n, OPERATING: 0n, PROPERTY: 0n, TRANSFER: 0n, total: 0n };
}

/**
 * Moves the k-th smallest value to index k, smaller ones before it, larger
 * after (Hoare's selection, median-of-three pivot): O(n) on average, where
 * sorting 100,000 figures for a median cost several times more.
 */
function selectInPlace<T extends number | bigint>(a: { [i: number]: T; length: number }, k: number): T {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const x = a[lo]!;
    const y = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/** Median (even count: mean of the two middle values, half-up), min and max of unsorted figures. */
export function medianOf(values: readonly bigint[]): { medianFen: bigint | null; minFen: bigint | null; maxFen: bigint | null } {
  const n = values.length;
  if (n === 0) return { medianFen: null, minFen: null, maxFen: null };
  let min = values[0]!;
  let max = min;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const a = values.slice();
  const mid = n >> 1;
  const upper = selectInPlace(a, mid);
  if (n % 2 === 1) return { medianFen: upper, minFen: min, maxFen: max };
  let lower = a[0]!;
  for (let i = 1; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return { medianFen: divRound(lower + upper, 2n), minFen: min, maxFen: max };
}

/** medianOf for exact integers held as numbers (the fast path's per-capita figures); reorders `a`. */
function medianOfNumbers(a: Float64Array): { medianFen: bigint | null; minFen: bigint | null; maxFen: bigint | null } {
  const n = a.length;
  if (n === 0) return { medianFen: null, minFen: null, maxFen: null };
  let min = a[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mid = n >> 1;
  const upper = selectInPlace(a, mid);
  if (n % 2 === 1) return { medianFen: BigInt(upper), minFen: BigInt(min), maxFen: BigInt(max) };
  let lower = a[0]!;
  for (let i = 1; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return { medianFen: BigInt(divRoundNumber(lower + upper, 2)), minFen: BigInt(min), maxFen: BigInt(max) };
}

function rowOf(h: HouseholdYear, f: HouseholdFigures, lineFen: bigint | null, year: number, review: ReviewReason | null): AuditRow {
  return {
    id: h.id,
    code: h.code,
    headName: h.headName,
    status: h.status,
    statusYear: h.statusYear,
    members: h.members,
    memberDays: h.memberDays,
    memberYears: memberYearsText(h.memberDays, h.daysInYear),
    wageFen: h.wageFen,
    operatingFen: h.operatingFen,
    propertyFen: h.propertyFen,
    transferFen: h.transferFen,
    totalFen: f.totalFen,
    perCapitaFen: f.perCapitaFen,
    percentOfLine: percentOfLine(f.perCapitaFen, lineFen),
    flag: f.flag,
    previousTotalFen: h.previousTotalFen,
    changePercent: f.changePercent,
    fell: f.fell,
    arrearsFen: h.arrearsFen,
    unpaidDividendFen: h.unpaidDividendFen,
    rose: roseSharply(f.totalFen, h.previousTotalFen),
    offYear: h.offYear ? offYearCauses(h.offYear, year, f.totalFen, h.previousTotalFen) : [],
    review,
  };
}

export interface AuditMeta {
  villageId: number;
  villageName: string;
  year: number;
  lineFen: bigint | null;
  /** needed only when there are no rows */
  daysInYear?: number;
  /**
   * true: leave flagged, fell and owed empty (their counts and the owed
   * totals are still computed). For summaries that show no household
   * lists, e.g. a whole township or the district benchmark: building the
   * list rows is most of the audit's cost when many households are listed.
   */
  summaryOnly?: boolean;
}

/** What one pass over the rows collects; finish() sorts the lists and builds the audit. */
interface Collected {
  lineFen: bigint | null;
  daysInYear: number;
  byStatus: Record<HouseholdStatus, number>;
  memberDays: number;
  totals: CategoryTotals;
  owedTotals: { arrearsFen: bigint; unpaidDividendFen: bigint };
  /** in row order */
  perCapitas: PerCapitaFigures;
  stats: { medianFen: bigint | null; minFen: bigint | null; maxFen: bigint | null } | null;
  bucketCounts: number[] | null;
  flagged: AuditRow[];
  fell: AuditRow[];
  owed: AuditRow[];
  review: AuditRow[];
  noMembers: number;
  reviewCount: number;
  below: number;
  near: number;
  fellCount: number;
  owedCount: number;
}

function collect(meta: AuditMeta): Collected {
  return {
    lineFen: meta.lineFen !== null && meta.lineFen > 0n ? meta.lineFen : null,
    daysInYear: meta.daysInYear ?? daysOfYear(meta.year),
    byStatus: { ORDINARY: 0, ALLEVIATED: 0, MONITORED: 0 },
    memberDays: 0,
    totals: emptyTotals(),
    owedTotals: { arrearsFen: 0n, unpaidDividendFen: 0n },
    perCapitas: [],
    stats: null,
    bucketCounts: null,
    flagged: [],
    fell: [],
    owed: [],
    review: [],
    noMembers: 0,
    reviewCount: 0,
    below: 0,
    near: 0,
    fellCount: 0,
    owedCount: 0,
  };
}

const isAudited = (s: HouseholdStatus) => s === "ALLEVIATED" || s === "MONITORED";

/**
 * The audit of one village and year. `meta.daysInYear` is needed only when
 * `rows` is empty (otherwise it is taken from the rows, which must agree).
 *
 * Two passes: the first sums and finds every per-capita figure, whose
 * median decides which figures are set aside for review (rules.reviewReason);
 * the second flags, counts and lists the others. A reviewed household is
 * in no flag, count or bucket against the line, only in the review list.
 *
 * SPEED (measured on 100,000 rows). Sums and comparisons stay in bigint,
 * which V8 does fast for 64-bit values; what was slow is bigint division
 * (per-capita needs one per household), converting values between bigint
 * and number, and sorting 100,000 bigints for the median. So the per-capita
 * division runs on the total as a JS number used as an exact integer
 * (checked to be below 2^53, else the whole village goes through
 * auditVillageExact, the bigint reference a test compares it with), the
 * per-capita figures are kept as numbers for the flags, buckets and a
 * selection (not a sort) of the median, and converted to bigint once.
 */
export function auditVillage(rows: readonly HouseholdYear[], meta: AuditMeta): VillageAudit {
  const c = collect(meta);
  const lineFen = c.lineFen;
  const line = lineFen === null ? 0 : Number(lineFen);
  if (!Number.isSafeInteger(line * 11)) return auditVillageExact(rows, meta);
  // preallocated: growing a plain array of doubles push by push was the loop's largest cost
  const pcs = new Float64Array(rows.length);
  // each row's per-capita figure (NaN: no member in the year), for the second pass
  const pcOfRow = new Float64Array(rows.length);
  let k = 0;
  const counts = [0, 0, 0, 0, 0, 0];
  // locals, not object fields: V8 keeps local bigint sums unboxed, a field would box each partial sum
  let wage = 0n;
  let operating = 0n;
  let property = 0n;
  let transfer = 0n;
  let arrears = 0n;
  let unpaid = 0n;
  let memberDays = 0;
  let daysInYear = c.daysInYear;
  let ordinary = 0;
  let alleviated = 0;
  let monitored = 0;
  let noMembers = 0;
  let below = 0;
  let near = 0;
  let fellCount = 0;
  let owedCount = 0;
  let reviewCount = 0;
  const lists = !meta.summaryOnly;
  for (let i = 0; i < rows.length; i++) {
    const h = rows[i]!;
    daysInYear = h.daysInYear;
    const status = h.status;
    if (status === "ORDINARY") ordinary++;
    else if (status === "ALLEVIATED") alleviated++;
    else monitored++;
    memberDays += h.memberDays;
    wage += h.wageFen;
    operating += h.operatingFen;
    property += h.propertyFen;
    transfer += h.transferFen;
    if (h.memberDays > 0) {
      const n = Number(h.wageFen + h.operatingFen + h.propertyFen + h.transferFen) * h.daysInYear;
      if (!Number.isSafeInteger(n * 11)) return auditVillageExact(rows, meta);
      const pc = divRoundNumber(n, h.memberDays);
      pcs[k++] = pc;
      pcOfRow[i] = pc;
    } else {
      pcOfRow[i] = NaN;
      noMembers++;
    }
  }
  c.perCapitas = pcs.slice(0, k);
  // on the copy: the selection reorders
  c.stats = medianOfNumbers(pcs.subarray(0, k));
  const median = c.stats.medianFen === null ? null : Number(c.stats.medianFen);
  for (let i = 0; i < rows.length; i++) {
    const h = rows[i]!;
    const status = h.status;
    const total = h.wageFen + h.operatingFen + h.propertyFen + h.transferFen;
    const pc = pcOfRow[i]!;
    const hasPc = pc === pc;
    const review = hasPc ? reviewReasonNumber(pc, median, h.memberDays, h.daysInYear) : null;
    let flag: LineFlag | null = null;
    if (review !== null) reviewCount++;
    else if (hasPc) {
      if (line > 0) {
        flag = pc < line ? "BELOW" : pc * 10 <= line * 11 ? "NEAR" : "ABOVE";
        counts[lineBucketNumber(pc, line)]! += 1;
      } else counts[fixedBucketNumber(pc)]! += 1;
    }
    const prev = h.previousTotalFen;
    const fell = prev !== null && prev > 0n && total * 10n < prev * 7n;
    const audited = status !== "ORDINARY";
    const isFlagged = audited && (flag === "BELOW" || flag === "NEAR");
    const isOwed = audited && (h.arrearsFen > 0n || h.unpaidDividendFen > 0n);
    if (audited && flag === "BELOW") below++;
    else if (audited && flag === "NEAR") near++;
    if (fell) fellCount++;
    if (isOwed) {
      owedCount++;
      if (h.arrearsFen > 0n) arrears += h.arrearsFen;
      if (h.unpaidDividendFen > 0n) unpaid += h.unpaidDividendFen;
    }
    if (lists && (isFlagged || fell || isOwed || review !== null)) {
      // one row object shared by the lists it belongs to
      const row = rowOf(h, { totalFen: total, perCapitaFen: hasPc ? BigInt(pc) : null, flag, fell, changePercent: fellSharply(total, prev).changePercent }, lineFen, meta.year, review);
      if (isFlagged) c.flagged.push(row);
      if (fell) c.fell.push(row);
      if (isOwed) c.owed.push(row);
      if (review !== null) c.review.push(row);
    }
  }
  c.fellCount = fellCount;
  c.owedCount = owedCount;
  c.reviewCount = reviewCount;
  c.totals.WAGE = wage;
  c.totals.OPERATING = operating;
  c.totals.PROPERTY = property;
  c.totals.TRANSFER = transfer;
  c.owedTotals.arrearsFen = arrears;
  c.owedTotals.unpaidDividendFen = unpaid;
  c.memberDays = memberDays;
  c.daysInYear = daysInYear;
  c.byStatus.ORDINARY = ordinary;
  c.byStatus.ALLEVIATED = alleviated;
  c.byStatus.MONITORED = monitored;
  c.noMembers = noMembers;
  c.below = below;
  c.near = near;
  c.bucketCounts = counts;
  return finish(c, rows.length, meta);
}

/**
 * The same audit in bigint arithmetic throughout: the reference for
 * auditVillage and its fallback for amounts beyond its exact range.
 */
export function auditVillageExact(rows: readonly HouseholdYear[], meta: AuditMeta): VillageAudit {
  const c = collect(meta);
  const figures: (HouseholdFigures | null)[] = [];
  for (const h of rows) {
    c.daysInYear = h.daysInYear;
    c.byStatus[h.status] += 1;
    c.memberDays += h.memberDays;
    c.totals.WAGE += h.wageFen;
    c.totals.OPERATING += h.operatingFen;
    c.totals.PROPERTY += h.propertyFen;
    c.totals.TRANSFER += h.transferFen;
    const f = householdFigures(h, c.lineFen);
    if (f.perCapitaFen === null) c.noMembers += 1;
    else (c.perCapitas as bigint[]).push(f.perCapitaFen);
    figures.push(f);
  }
  const { medianFen } = medianOf(c.perCapitas as readonly bigint[]);
  const counted: bigint[] = [];
  rows.forEach((h, i) => {
    const f = figures[i]!;
    const review = reviewReason(f.perCapitaFen, medianFen, h.memberDays, h.daysInYear);
    if (review !== null) {
      c.reviewCount += 1;
      f.flag = null;
    } else if (f.perCapitaFen !== null) counted.push(f.perCapitaFen);
    const audited = isAudited(h.status);
    const isFlagged = audited && (f.flag === "BELOW" || f.flag === "NEAR");
    const isOwed = audited && (h.arrearsFen > 0n || h.unpaidDividendFen > 0n);
    if (audited && f.flag === "BELOW") c.below += 1;
    if (audited && f.flag === "NEAR") c.near += 1;
    if (f.fell) c.fellCount += 1;
    if (isOwed) {
      c.owedCount += 1;
      if (h.arrearsFen > 0n) c.owedTotals.arrearsFen += h.arrearsFen;
      if (h.unpaidDividendFen > 0n) c.owedTotals.unpaidDividendFen += h.unpaidDividendFen;
    }
    if (meta.summaryOnly || (!isFlagged && !f.fell && !isOwed && review === null)) return;
    const row = rowOf(h, f, c.lineFen, meta.year, review);
    if (isFlagged) c.flagged.push(row);
    if (f.fell) c.fell.push(row);
    if (isOwed) c.owed.push(row);
    if (review !== null) c.review.push(row);
  });
  // the distribution counts what is not set aside for review
  c.bucketCounts = distribution(counted, c.lineFen).map((b) => b.count);
  return finish(c, rows.length, meta);
}

function finish(c: Collected, households: number, meta: AuditMeta): VillageAudit {
  const totals = c.totals;
  totals.total = totals.WAGE + totals.OPERATING + totals.PROPERTY + totals.TRANSFER;
  c.flagged.sort((a, b) => cmpBig(a.perCapitaFen!, b.perCapitaFen!) || cmpCode(a, b));
  // largest fall first: by current ÷ previous, a float key to sort by, the
  // exact cross-multiplied comparison only where two keys are equal
  const key = new Map<AuditRow, number>();
  for (const r of c.fell) key.set(r, Number(r.totalFen) / Number(r.previousTotalFen!));
  c.fell.sort((a, b) => key.get(a)! - key.get(b)! || cmpBig(a.totalFen * b.previousTotalFen!, b.totalFen * a.previousTotalFen!) || cmpCode(a, b));
  const owedOf = (r: AuditRow) => (r.arrearsFen > 0n ? r.arrearsFen : 0n) + (r.unpaidDividendFen > 0n ? r.unpaidDividendFen : 0n);
  c.owed.sort((a, b) => cmpBig(owedOf(b), owedOf(a)) || cmpCode(a, b));
  c.review.sort((a, b) => cmpBig(b.perCapitaFen ?? 0n, a.perCapitaFen ?? 0n) || cmpCode(a, b));

  const time = { memberDays: c.memberDays, daysInYear: c.daysInYear };
  const byCategoryFen = {} as Record<Category, bigint | null>;
  for (const k of CATEGORIES) byCategoryFen[k] = perCapitaFen(totals[k], time);
  const pcs = c.perCapitas;
  const stats = c.stats ?? medianOf(pcs as readonly bigint[]);
  return attachFigures({
    villageId: meta.villageId,
    villageName: meta.villageName,
    year: meta.year,
    lineFen: c.lineFen,
    households,
    byStatus: c.byStatus,
    memberDays: c.memberDays,
    daysInYear: c.daysInYear,
    memberYears: memberYearsText(c.memberDays, c.daysInYear),
    totals,
    perCapita: {
      overallFen: perCapitaFen(totals.total, time),
      byCategoryFen,
      medianFen: stats.medianFen,
      minFen: stats.minFen,
      maxFen: stats.maxFen,
    },
    distribution: c.bucketCounts ? bucketsOf(c.bucketCounts, c.lineFen) : distribution(pcs as readonly bigint[], c.lineFen),
    flagged: c.flagged,
    fell: c.fell,
    owed: c.owed,
    review: c.review,
    owedTotals: c.owedTotals,
    counts: { below: c.below, near: c.near, fell: c.fellCount, owed: c.owedCount, noMembers: c.noMembers, review: c.reviewCount },
  }, pcs);
}

// ─── Township summary ──────────────────────────────────────────────────────

export interface VillageSummaryRow {
  /** null on the totals row */
  villageId: number | null;
  villageName: string;
  households: number;
  byStatus: Record<HouseholdStatus, number>;
  memberDays: number;
  memberYears: string;
  totalFen: bigint;
  /** total ÷ member-years */
  perCapitaFen: bigint | null;
  /** median of the households' per-capita figures */
  medianFen: bigint | null;
  below: number;
  near: number;
  fell: number;
  owed: number;
  /** per-capita figures set aside for review, counted in neither below nor near */
  review: number;
  arrearsFen: bigint;
  unpaidDividendFen: bigint;
}

function summaryOf(v: VillageAudit): VillageSummaryRow {
  return {
    villageId: v.villageId,
    villageName: v.villageName,
    households: v.households,
    byStatus: { ...v.byStatus },
    memberDays: v.memberDays,
    memberYears: v.memberYears,
    totalFen: v.totals.total,
    perCapitaFen: v.perCapita.overallFen,
    medianFen: v.perCapita.medianFen,
    below: v.counts.below,
    near: v.counts.near,
    fell: v.counts.fell,
    owed: v.counts.owed,
    review: v.counts.review,
    arrearsFen: v.owedTotals.arrearsFen,
    unpaidDividendFen: v.owedTotals.unpaidDividendFen,
  };
}

/**
 * One summary row per village (in the order given) and a totals row: the
 * township's member-years and per-capita from the summed totals, its median
 * over every household of every village. The villages must be of one year.
 */
export function auditTownship(villages: readonly VillageAudit[], opts: { totalsLabel?: string } = {}): { villages: VillageSummaryRow[]; totals: VillageSummaryRow } {
  const rows = villages.map(summaryOf);
  const totals: VillageSummaryRow = {
    villageId: null,
    villageName: opts.totalsLabel ?? "",
    households: 0,
    byStatus: { ORDINARY: 0, ALLEVIATED: 0, MONITORED: 0 },
    memberDays: 0,
    memberYears: "0.00",
    totalFen: 0n,
    perCapitaFen: null,
    medianFen: null,
    below: 0,
    near: 0,
    fell: 0,
    owed: 0,
    review: 0,
    arrearsFen: 0n,
    unpaidDividendFen: 0n,
  };
  for (const r of rows) {
    totals.households += r.households;
    totals.byStatus.ORDINARY += r.byStatus.ORDINARY;
    totals.byStatus.ALLEVIATED += r.byStatus.ALLEVIATED;
    totals.byStatus.MONITORED += r.byStatus.MONITORED;
    totals.memberDays += r.memberDays;
    totals.totalFen += r.totalFen;
    totals.below += r.below;
    totals.near += r.near;
    totals.fell += r.fell;
    totals.owed += r.owed;
    totals.review += r.review;
    totals.arrearsFen += r.arrearsFen;
    totals.unpaidDividendFen += r.unpaidDividendFen;
  }
  const daysInYear = villages.length ? villages[0]!.daysInYear : 365;
  totals.memberYears = memberYearsText(totals.memberDays, daysInYear);
  totals.perCapitaFen = perCapitaFen(totals.totalFen, { memberDays: totals.memberDays, daysInYear });
  const parts = villages.map(figuresOf);
  if (parts.every((p) => p instanceof Float64Array)) {
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts as Float64Array[]) {
      all.set(p, at);
      at += p.length;
    }
    totals.medianFen = medianOfNumbers(all).medianFen;
  } else {
    totals.medianFen = medianOf(parts.flatMap((p) => Array.from(p as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? v : BigInt(v))))).medianFen;
  }
  return { villages: rows, totals };
}

// ─── Trend over years ──────────────────────────────────────────────────────

export interface TrendPoint {
  year: number;
  households: number;
  memberDays: number;
  daysInYear: number;
  totals: Record<Category, bigint>;
  /** the monitoring line of that year, when known (drawn on the trend chart) */
  lineFen?: bigint | null;
}

export interface TrendRow {
  year: number;
  households: number;
  memberYears: string;
  /** per-capita per category, each rounded on its own (they may differ from the total by a fen) */
  byCategoryFen: Record<Category, bigint | null>;
  totalFen: bigint;
  perCapitaFen: bigint | null;
  lineFen: bigint | null;
}

/** A village audit as one point of the trend (the same village's audits of several years make the trend). */
export function trendPointOf(v: VillageAudit): TrendPoint {
  const { WAGE, OPERATING, PROPERTY, TRANSFER } = v.totals;
  return { year: v.year, households: v.households, memberDays: v.memberDays, daysInYear: v.daysInYear, totals: { WAGE, OPERATING, PROPERTY, TRANSFER }, lineFen: v.lineFen };
}

/** Per-capita income by year and category, oldest year first. */
export function trendPerCapita(points: readonly TrendPoint[]): TrendRow[] {
  return [...points]
    .sort((a, b) => a.year - b.year)
    .map((p) => {
      const time = { memberDays: p.memberDays, daysInYear: p.daysInYear };
      const byCategoryFen = {} as Record<Category, bigint | null>;
      let totalFen = 0n;
      for (const c of CATEGORIES) {
        byCategoryFen[c] = perCapitaFen(p.totals[c], time);
        totalFen += p.totals[c];
      }
      return {
        year: p.year,
        households: p.households,
        memberYears: memberYearsText(p.memberDays, p.daysInYear),
        byCategoryFen,
        totalFen,
        perCapitaFen: perCapitaFen(totalFen, time),
        lineFen: p.lineFen ?? null,
      };
    });
}

/** Share of a part in a total, in %, 1 decimal ("37.5"); null when the total is not positive. */
export function sharePercent(partFen: bigint, totalFen: bigint): string | null {
  if (totalFen <= 0n) return null;
  return ratioText(partFen * 100n, totalFen, 1);
}
