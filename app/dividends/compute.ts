/**
 * A cooperative's dividend run for one year (年度盈余分配): from the year's
 * income and costs to one line per household, exact to the fen.
 *
 * Pure domain module (no Prisma, Remix or Node imports): the simulator calls
 * it on every change of an input, the run is saved from its result.
 *
 * ─── The rules, in order ────────────────────────────────────────────────────
 *
 * 1. surplus = income − costs (盈余). It may be zero or negative: then nothing
 *    is set aside or distributed, every line is zero, and the run carries
 *    "dividend.noSurplus".
 * 2. Loss recovery (弥补亏损, optional `lossRecoveryFen`, Cooperatives Law
 *    Art. 44) comes off a positive surplus first, at most the surplus.
 *    base = surplus − loss recovery.
 * 3. Set-asides are percentages of the base: provident fund (公积金) p% and
 *    risk fund (风险金) r%, p + r ≤ 100.
 *      provident = round(base × p / 100)
 *      risk      = round(base × (p + r) / 100) − provident
 *    (round = half-up to the fen). Rounding the two together means the
 *    set-asides never exceed the base, whatever the percentages; risk can
 *    differ by one fen from rounding it alone.
 * 4. distributable = base − provident − risk (可分配盈余).
 * 5. The provident fund is QUANTIFIED to the members' accounts (Art. 43):
 *    split by weight (weighted shares) with allocateFen; if no member has a
 *    weight, by capital; failing that, by transaction volume; failing that it
 *    stays unquantified (all zero). These amounts are CREDITED, NOT PAID:
 *    providentShareFen is shown on the statement but is no part of gross/net.
 *
 * LAND_SHARE (土地股份合作社: 保底收益 + 二次分红):
 * 6. Guarantee due per household = weight × guaranteePerShare, rounded
 *    half-up to the fen, PER HOUSEHOLD. The guarantee is each household's
 *    contractual entitlement (its shares × the rate printed in its contract),
 *    not a share of a pool, so it is rounded on its own line and the total is
 *    the sum of the lines (exact by construction). Equal weights therefore
 *    always get equal guarantees. No guarantee given → 0.
 * 7. If distributable ≥ the guarantee total: every line gets its guarantee in
 *    full, and the rest (二次分红) is split by weight with allocateFen.
 * 8. SHORTFALL (distributable < guarantee total): money is never invented.
 *    shortfallFen = guarantee total − distributable, the run carries
 *    "dividend.shortfall" (it must not be approved until the accountant adds
 *    funds or changes the inputs), every line shows its full guarantee due
 *    (guaranteedDueFen), and what IS available is split in proportion to the
 *    amounts due (guaranteedFen, allocateFen over the dues), so the simulator
 *    shows what each household would get and lacks. No second dividend.
 *    distributedFen = distributable, never more.
 *
 * PROFESSIONAL (农民专业合作社, Art. 44):
 * 6. Transaction return (按交易量返还) = ceil(distributable × t / 100) with
 *    t = transactionPercent, 60 ≤ t ≤ 100 (below 60: "dividend.
 *    transactionPercentTooLow"). Rounded UP so "at least t%" holds to the fen.
 *    Split by each member's transactionFen (volume or value in fen).
 * 7. The rest (at most 40%) is returned by capital and shares:
 *      capital part = round(rest × capitalPercentOfRest / 100), split by
 *                     capitalFen (the member account's capital; pass capital
 *                     plus quantified provident-fund balance plus quantified
 *                     subsidy assets if the charter counts them, Art. 44);
 *      share part   = rest − capital part, split by weight (quantified shares,
 *                     e.g. land shares), reported as surplusFen ("dividend by
 *                     shares" column).
 *    capitalPercentOfRest is the charter's setting, "50" when not given.
 *    If no member has capital, the capital part goes to the share part; if
 *    no member has shares, the share part goes to the capital part; if
 *    neither exists, the whole rest goes back by transactions (more than
 *    t% by transactions is always lawful).
 * 8. No member with transactions while the transaction return is positive:
 *    "dividend.noTransactions"; that amount stays undistributed
 *    (undistributedFen) because the 60% rule cannot be met.
 *    guaranteePerShare is ignored for professional cooperatives.
 *
 * Both methods:
 * 9. gross = guaranteed + surplus (by shares) + transaction + capital.
 *    distributedFen = Σ gross (== the pool totals, to the fen).
 * 10. Deductions (扣除, e.g. fees owed) reduce the net, never below zero: a
 *    deduction above the gross is capped at the gross and the run carries
 *    "dividend.deductionExceeds" (details in `problems`). net = gross −
 *    deduction applied.
 * 11. stats: gross ÷ weight in yuan for every line with a positive weight
 *    (so a half-year member is comparable to a full-year one): min, median
 *    (mean of the middle two for an even count), max; rounded half-up to 4
 *    decimals, printed with at least 2. "0.00" each when no line has weight.
 *
 * TIE RULE: every pool is split with allocateFen (largest remainder; equal
 * remainders → larger weight → smaller key → lower index) with the members'
 * `key`s, so the result does not depend on the order of the members. Keys
 * must be unique ("dividend.duplicateKey"). In the professional method a
 * member's key is prefixed, pool by pool, with the number of leftover fen it
 * already received from earlier pools (transaction, then capital, then
 * shares), so among members with identical inputs the fen rotate instead of
 * piling up on the smallest key: identical members never differ by more than
 * one fen in total.
 *
 * Invalid input (malformed numbers, no members, duplicate households or
 * keys, percentages out of range) gives a result of zeros with the error
 * codes; nothing throws on user input.
 */
import { allocateFen } from "~/lib/allocate";
import { Decimal } from "~/lib/money";

export type DividendMethod = "LAND_SHARE" | "PROFESSIONAL";

/** Codes in `errors`; each needs a catalog entry (app/dividends/messages.ts). */
export type DividendErrorCode =
  | "dividend.methodInvalid"
  | "dividend.amountInvalid"
  | "dividend.percentInvalid"
  | "dividend.setAsidesTooHigh"
  | "dividend.guaranteeInvalid"
  | "dividend.transactionPercentTooLow"
  | "dividend.noMembers"
  | "dividend.memberInvalid"
  | "dividend.duplicateMember"
  | "dividend.duplicateKey"
  | "dividend.noSurplus"
  | "dividend.shortfall"
  | "dividend.noWeights"
  | "dividend.noTransactions"
  | "dividend.deductionExceeds";

export interface RunMember {
  householdId: number;
  /** weighted shares (shares × days held / days in year), plain decimal string */
  weight: string;
  /** shares held (for display), plain decimal string */
  shares: string;
  /** area in mu (for display) */
  areaMu: string;
  /** transactions with the cooperative in the year, fen (professional) */
  transactionFen?: bigint;
  /** capital in the member's account, fen (professional) */
  capitalFen?: bigint;
  /** amount withheld from this member's payout, fen */
  deductionFen?: bigint;
  /** stable, unique tie key, e.g. "12-371702102001030012" (village id + household code) */
  key: string;
}

export interface RunInput {
  method: DividendMethod;
  incomeFen: bigint;
  costFen: bigint;
  /** losses of earlier years made up first (Art. 44); default 0 */
  lossRecoveryFen?: bigint;
  /** provident fund, percent of the surplus, "0"–"100" */
  providentPercent: string;
  /** risk fund, percent of the surplus, "0"–"100" */
  riskPercent: string;
  /** land-share: guaranteed return in yuan per (weighted) share; none = 0 */
  guaranteePerShare?: string;
  /** professional: percent of the distributable surplus returned by transactions, "60"–"100" */
  transactionPercent?: string;
  /** professional: percent of the rest returned by capital (the remainder by shares); default "50" */
  capitalPercentOfRest?: string;
  members: RunMember[];
}

export interface RunLine {
  householdId: number;
  key: string;
  shares: string;
  areaMu: string;
  weight: string;
  /** land-share: the guarantee owed (weight × rate, to the fen), whether or not it is covered */
  guaranteedDueFen: bigint;
  /** land-share: guarantee paid by this run (== due unless the run has a shortfall) */
  guaranteedFen: bigint;
  /** dividend by shares: land-share 二次分红, professional share part */
  surplusFen: bigint;
  /** professional: return by transactions */
  transactionFen: bigint;
  /** professional: return by capital */
  capitalFen: bigint;
  /** provident fund quantified to the member's account: credited, not paid */
  providentShareFen: bigint;
  /** guaranteed + surplus + transaction + capital */
  grossFen: bigint;
  /** deduction applied (capped at gross) */
  deductionFen: bigint;
  netFen: bigint;
}

export interface RunStats {
  /** yuan per weighted share, e.g. "3000.00", "0.375" */
  minPerShare: string;
  medianPerShare: string;
  maxPerShare: string;
}

export interface RunResult {
  method: DividendMethod;
  /** income − costs; may be negative */
  surplusFen: bigint;
  lossRecoveryFen: bigint;
  providentFen: bigint;
  riskFen: bigint;
  distributableFen: bigint;
  /** Σ guarantee due (land-share) */
  guaranteedDueFen: bigint;
  /** Σ guarantee paid */
  guaranteedTotalFen: bigint;
  /** Σ dividend by shares */
  surplusSharedFen: bigint;
  transactionTotalFen: bigint;
  capitalTotalFen: bigint;
  /** Σ provident fund quantified to members (== providentFen unless nobody could take it) */
  providentQuantifiedFen: bigint;
  /** guarantee due − distributable when positive, else 0 */
  shortfallFen: bigint;
  /** Σ gross of the lines; ≤ distributableFen */
  distributedFen: bigint;
  /** distributable − distributed (non-zero only with an error: no weights / no transactions) */
  undistributedFen: bigint;
  deductionTotalFen: bigint;
  netTotalFen: bigint;
  lines: RunLine[];
  stats: RunStats;
  /** unique codes, in the order found; empty = the run can be approved */
  errors: DividendErrorCode[];
  /** the same codes with the household concerned, where there is one */
  problems: { code: DividendErrorCode; householdId?: number }[];
}

const UNSIGNED = /^\d+(?:\.\d+)?$/;
const ZERO_STATS: RunStats = { minPerShare: "0.00", medianPerShare: "0.00", maxPerShare: "0.00" };

/** A percentage as an exact fraction num / (100 × den). */
interface Pct {
  num: bigint;
  den: bigint;
}

function parsePct(s: unknown): Pct | null {
  if (typeof s !== "string") return null;
  const t = s.trim();
  if (!UNSIGNED.test(t)) return null;
  const [i, f = ""] = t.split(".");
  const num = BigInt(i! + f);
  const den = 10n ** BigInt(f.length);
  if (num > 100n * den) return null;
  return { num, den };
}

/** round half-up of amount × pct / 100, amount ≥ 0 */
function pctRound(amount: bigint, p: Pct): bigint {
  const d = 100n * p.den;
  return (2n * amount * p.num + d) / (2n * d);
}

/** ceil of amount × pct / 100, amount ≥ 0 */
function pctCeil(amount: bigint, p: Pct): bigint {
  const d = 100n * p.den;
  return (amount * p.num + d - 1n) / d;
}

function isFen(v: unknown): v is bigint {
  return typeof v === "bigint" && v >= 0n;
}

function dec(s: string): Decimal {
  return new Decimal(s.trim());
}

function fenDec(f: bigint): Decimal {
  return new Decimal(f.toString());
}

function sumFen(xs: bigint[]): bigint {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
}

/** floor(total × wᵢ / Σw) for decimal weights, exactly (Σw > 0). */
function floors(total: bigint, weights: Decimal[]): bigint[] {
  const places = Math.max(0, ...weights.map((w) => w.decimalPlaces()));
  const scaled = weights.map((w) => BigInt(w.toFixed(places).replace(".", "")));
  const sum = sumFen(scaled);
  return scaled.map((w) => (total * w) / sum);
}

/**
 * allocateFen with rotating ties: `extras[i]` counts the leftover fen member i
 * got from earlier pools; it prefixes the key, so among otherwise tied
 * members those with fewer extras come first. Updates `extras`.
 */
function allocateLevelled(total: bigint, weights: Decimal[], keys: string[], extras: number[]): bigint[] {
  if (total === 0n) return weights.map(() => 0n);
  const prefixed = keys.map((k, i) => `${String(extras[i]).padStart(2, "0")}|${k}`);
  const parts = allocateFen(total, weights, prefixed);
  const base = floors(total, weights);
  parts.forEach((p, i) => {
    if (p > base[i]!) extras[i]! += 1;
  });
  return parts;
}

function perShareString(d: Decimal): string {
  const r = d.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  return r.decimalPlaces() <= 2 ? r.toFixed(2) : r.toFixed();
}

function zeroLine(member: RunMember | null | undefined): RunLine {
  const m: Partial<RunMember> = member ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    householdId: Number.isSafeInteger(m.householdId) ? m.householdId! : 0,
    key: str(m.key),
    shares: str(m.shares),
    areaMu: str(m.areaMu),
    weight: str(m.weight),
    guaranteedDueFen: 0n,
    guaranteedFen: 0n,
    surplusFen: 0n,
    transactionFen: 0n,
    capitalFen: 0n,
    providentShareFen: 0n,
    grossFen: 0n,
    deductionFen: 0n,
    netFen: 0n,
  };
}

/** Rule 6: one household's guarantee due, weight × rate rounded half-up to the fen on its own line. */
function guaranteeDueOf(weight: Decimal, rate: Decimal): bigint {
  return BigInt(weight.times(rate).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/**
 * The guarantee a household is due for its weighted shares at a rate in yuan
 * per share (rule 6), for pages that show a shortfall from saved lines: the
 * same rounding as computeRun, so due − paid is exactly what it lacks.
 */
export function guaranteeDueFen(weight: string, guaranteePerShare: string | null | undefined): bigint {
  const w = (weight ?? "").trim();
  const g = (guaranteePerShare ?? "").trim();
  if (!UNSIGNED.test(w) || !UNSIGNED.test(g)) return 0n;
  return guaranteeDueOf(dec(w), dec(g));
}

export function computeRun(input: RunInput): RunResult {
  const problems: { code: DividendErrorCode; householdId?: number }[] = [];
  const flag = (code: DividendErrorCode, householdId?: number) => {
    problems.push(householdId === undefined ? { code } : { code, householdId });
  };
  const members = Array.isArray(input?.members) ? input.members : [];
  const method: DividendMethod = input?.method === "PROFESSIONAL" ? "PROFESSIONAL" : "LAND_SHARE";

  // ── Validation ──────────────────────────────────────────────────────────
  if (input?.method !== "LAND_SHARE" && input?.method !== "PROFESSIONAL") flag("dividend.methodInvalid");
  const income = input?.incomeFen;
  const cost = input?.costFen;
  const loss = input?.lossRecoveryFen ?? 0n;
  if (!isFen(income) || !isFen(cost) || !isFen(loss)) flag("dividend.amountInvalid");
  const provPct = parsePct(input?.providentPercent);
  const riskPct = parsePct(input?.riskPercent);
  if (!provPct || !riskPct) flag("dividend.percentInvalid");
  else if (provPct.num * riskPct.den + riskPct.num * provPct.den > 100n * provPct.den * riskPct.den) flag("dividend.setAsidesTooHigh");

  let rate = new Decimal(0);
  let txPct: Pct | null = null;
  let capPct: Pct | null = null;
  if (method === "LAND_SHARE") {
    const g = input?.guaranteePerShare;
    if (g !== undefined && g !== null && g !== "") {
      if (typeof g !== "string" || !UNSIGNED.test(g.trim())) flag("dividend.guaranteeInvalid");
      else rate = dec(g);
    }
  } else {
    const t = input?.transactionPercent;
    if (t === undefined || t === null || t === "") flag("dividend.transactionPercentTooLow");
    else {
      txPct = parsePct(t);
      if (!txPct) flag("dividend.percentInvalid");
      else if (txPct.num < 60n * txPct.den) flag("dividend.transactionPercentTooLow");
    }
    capPct = parsePct(input?.capitalPercentOfRest ?? "50");
    if (!capPct) flag("dividend.percentInvalid");
  }

  if (members.length === 0) flag("dividend.noMembers");
  const ids = new Set<number>();
  const keySet = new Set<string>();
  for (const m of members) {
    const ok =
      m !== null &&
      typeof m === "object" &&
      Number.isSafeInteger(m.householdId) &&
      typeof m.key === "string" &&
      m.key !== "" &&
      typeof m.weight === "string" &&
      UNSIGNED.test(m.weight.trim()) &&
      typeof m.shares === "string" &&
      typeof m.areaMu === "string" &&
      (m.transactionFen === undefined || isFen(m.transactionFen)) &&
      (m.capitalFen === undefined || isFen(m.capitalFen)) &&
      (m.deductionFen === undefined || isFen(m.deductionFen));
    if (!ok) {
      flag("dividend.memberInvalid", Number.isSafeInteger(m?.householdId) ? m.householdId : undefined);
      continue;
    }
    if (ids.has(m.householdId)) flag("dividend.duplicateMember", m.householdId);
    ids.add(m.householdId);
    if (keySet.has(m.key)) flag("dividend.duplicateKey", m.householdId);
    keySet.add(m.key);
  }

  if (problems.length > 0) {
    const surplus = isFen(income) && isFen(cost) ? income - cost : 0n;
    return finish(method, members.map(zeroLine), {
      surplusFen: surplus,
      lossRecoveryFen: 0n,
      providentFen: 0n,
      riskFen: 0n,
      distributableFen: 0n,
      guaranteedDueFen: 0n,
      providentQuantifiedFen: 0n,
      shortfallFen: 0n,
    }, problems, false);
  }

  // ── Surplus and set-asides ──────────────────────────────────────────────
  const surplus = (income as bigint) - (cost as bigint);
  const positive = surplus > 0n ? surplus : 0n;
  if (surplus <= 0n) flag("dividend.noSurplus");
  const lossApplied = loss < positive ? loss : positive;
  const base = positive - lossApplied;
  const providentFen = pctRound(base, provPct!);
  const setAsides = pctRound(base, {
    num: provPct!.num * riskPct!.den + riskPct!.num * provPct!.den,
    den: provPct!.den * riskPct!.den,
  });
  const riskFen = setAsides - providentFen;
  const distributable = base - setAsides;

  const n = members.length;
  const keys = members.map((m) => m.key);
  const weights = members.map((m) => dec(m.weight));
  const txs = members.map((m) => fenDec(m.transactionFen ?? 0n));
  const caps = members.map((m) => fenDec(m.capitalFen ?? 0n));
  const anyPositive = (ws: Decimal[]) => ws.some((w) => w.gt(0));
  const hasWeights = anyPositive(weights);
  const hasTx = anyPositive(txs);
  const hasCap = anyPositive(caps);
  const lines = members.map(zeroLine);

  // ── Provident fund quantified to members (credited, not paid) ───────────
  const provBasis = hasWeights ? weights : hasCap ? caps : hasTx ? txs : null;
  let providentQuantified = 0n;
  if (provBasis && providentFen > 0n) {
    allocateFen(providentFen, provBasis, keys).forEach((p, i) => {
      lines[i]!.providentShareFen = p;
    });
    providentQuantified = providentFen;
  }

  let guaranteedDue = 0n;
  let shortfall = 0n;

  if (method === "LAND_SHARE") {
    // ── Guarantee, then second dividend ─────────────────────────────────
    const dues = weights.map((w) => guaranteeDueOf(w, rate));
    guaranteedDue = sumFen(dues);
    dues.forEach((d, i) => {
      lines[i]!.guaranteedDueFen = d;
    });
    if (guaranteedDue <= distributable) {
      dues.forEach((d, i) => {
        lines[i]!.guaranteedFen = d;
      });
      const rest = distributable - guaranteedDue;
      if (rest > 0n) {
        if (!hasWeights) flag("dividend.noWeights");
        else
          allocateFen(rest, weights, keys).forEach((p, i) => {
            lines[i]!.surplusFen = p;
          });
      }
    } else {
      shortfall = guaranteedDue - distributable;
      flag("dividend.shortfall");
      if (distributable > 0n) {
        allocateFen(distributable, dues.map(fenDec), keys).forEach((p, i) => {
          lines[i]!.guaranteedFen = p;
        });
      }
    }
  } else if (distributable > 0n) {
    // ── Professional: ≥ t% by transactions, the rest by capital and shares ─
    let txPool = pctCeil(distributable, txPct!);
    const rest = distributable - txPool;
    let capPool = pctRound(rest, capPct!);
    let sharePool = rest - capPool;
    if (!hasCap && !hasWeights) {
      txPool += rest;
      capPool = 0n;
      sharePool = 0n;
    } else if (!hasCap) {
      sharePool += capPool;
      capPool = 0n;
    } else if (!hasWeights) {
      capPool += sharePool;
      sharePool = 0n;
    }
    const extras = new Array<number>(n).fill(0);
    if (txPool > 0n) {
      if (!hasTx) flag("dividend.noTransactions");
      else
        allocateLevelled(txPool, txs, keys, extras).forEach((p, i) => {
          lines[i]!.transactionFen = p;
        });
    }
    allocateLevelled(capPool, caps, keys, extras).forEach((p, i) => {
      lines[i]!.capitalFen = p;
    });
    allocateLevelled(sharePool, weights, keys, extras).forEach((p, i) => {
      lines[i]!.surplusFen = p;
    });
  }

  // ── Gross, deductions, net ──────────────────────────────────────────────
  members.forEach((m, i) => {
    const l = lines[i]!;
    l.grossFen = l.guaranteedFen + l.surplusFen + l.transactionFen + l.capitalFen;
    const wanted = m.deductionFen ?? 0n;
    if (wanted > l.grossFen) {
      flag("dividend.deductionExceeds", m.householdId);
      l.deductionFen = l.grossFen;
    } else {
      l.deductionFen = wanted;
    }
    l.netFen = l.grossFen - l.deductionFen;
  });

  return finish(method, lines, {
    surplusFen: surplus,
    lossRecoveryFen: lossApplied,
    providentFen,
    riskFen,
    distributableFen: distributable,
    guaranteedDueFen: guaranteedDue,
    providentQuantifiedFen: providentQuantified,
    shortfallFen: shortfall,
  }, problems, true);
}

function finish(
  method: DividendMethod,
  lines: RunLine[],
  head: Pick<
    RunResult,
    "surplusFen" | "lossRecoveryFen" | "providentFen" | "riskFen" | "distributableFen" | "guaranteedDueFen" | "providentQuantifiedFen" | "shortfallFen"
  >,
  problems: { code: DividendErrorCode; householdId?: number }[],
  withStats: boolean,
): RunResult {
  const total = (f: (l: RunLine) => bigint) => sumFen(lines.map(f));
  const distributed = total((l) => l.grossFen);
  return {
    method,
    ...head,
    guaranteedTotalFen: total((l) => l.guaranteedFen),
    surplusSharedFen: total((l) => l.surplusFen),
    transactionTotalFen: total((l) => l.transactionFen),
    capitalTotalFen: total((l) => l.capitalFen),
    distributedFen: distributed,
    undistributedFen: head.distributableFen - distributed,
    deductionTotalFen: total((l) => l.deductionFen),
    netTotalFen: total((l) => l.netFen),
    lines,
    stats: withStats ? stats(lines) : { ...ZERO_STATS },
    errors: [...new Set(problems.map((p) => p.code))],
    problems,
  };
}

function stats(lines: RunLine[]): RunStats {
  const values: Decimal[] = [];
  for (const l of lines) {
    const w = dec(l.weight);
    if (w.gt(0)) values.push(fenDec(l.grossFen).dividedBy(100).dividedBy(w));
  }
  if (values.length === 0) return { ...ZERO_STATS };
  values.sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(values.length / 2);
  const median = values.length % 2 === 1 ? values[mid]! : values[mid - 1]!.plus(values[mid]!).dividedBy(2);
  return {
    minPerShare: perShareString(values[0]!),
    medianPerShare: perShareString(median),
    maxPerShare: perShareString(values[values.length - 1]!),
  };
}
