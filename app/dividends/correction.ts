/**
 * Corrections of issued dividend runs (更正方案), pure.
 *
 * RULE. A correction's differences are taken against EVERYTHING ALREADY ISSUED
 * for the cooperative and year: the original run plus every correction issued
 * since. Per household and per amount:
 *
 *     difference = corrected entitlement − Σ issued lines
 *
 * (negative where too much was paid). Households whose amounts do not change
 * are left out. The run's totals (surplus, set-asides, distributable,
 * distributed) are differences the same way.
 *
 * INVARIANT (proved by correction.test.ts over random sequences): after any
 * sequence of issued corrections, original + Σ differences = the latest
 * entitlement of each household, to the fen, and likewise for the totals.
 * Computing against the original alone (the old rule) paid the same
 * differences again with every further correction.
 */
import type { RunLine, RunResult } from "./compute";

/** The money of a line that corrections carry. */
export const LINE_AMOUNTS = ["guaranteedFen", "surplusFen", "transactionFen", "capitalFen", "providentShareFen", "deductionFen", "netFen"] as const;
export type LineAmountKey = (typeof LINE_AMOUNTS)[number];
export type LineAmounts = Record<LineAmountKey, bigint>;

/** The money totals a run stores, which corrections carry as differences. */
export const RUN_TOTALS = ["surplusFen", "providentFen", "riskFen", "distributableFen", "distributedFen"] as const;
export type RunTotalKey = (typeof RUN_TOTALS)[number];
export type RunTotalsFen = Record<RunTotalKey, bigint>;

export interface IssuedLine extends LineAmounts {
  householdId: number;
  shares: string;
  areaMu: string;
}

export const zeroAmounts = (): LineAmounts => ({ guaranteedFen: 0n, surplusFen: 0n, transactionFen: 0n, capitalFen: 0n, providentShareFen: 0n, deductionFen: 0n, netFen: 0n });
export const zeroTotals = (): RunTotalsFen => ({ surplusFen: 0n, providentFen: 0n, riskFen: 0n, distributableFen: 0n, distributedFen: 0n });

/** Σ of the issued lines per household (the last seen shares and area kept for display). */
export function sumIssuedLines(lines: Iterable<IssuedLine>): Map<number, IssuedLine> {
  const out = new Map<number, IssuedLine>();
  for (const l of lines) {
    const s = out.get(l.householdId) ?? { householdId: l.householdId, shares: l.shares, areaMu: l.areaMu, ...zeroAmounts() };
    for (const k of LINE_AMOUNTS) s[k] += l[k];
    s.shares = l.shares;
    s.areaMu = l.areaMu;
    out.set(l.householdId, s);
  }
  return out;
}

/** Σ of the issued runs' totals. */
export function sumTotals(runs: Iterable<RunTotalsFen>): RunTotalsFen {
  const t = zeroTotals();
  for (const r of runs) for (const k of RUN_TOTALS) t[k] += r[k];
  return t;
}

/**
 * The correction of `issued` (everything issued so far) to `corrected` (the
 * full result of the corrected inputs). Lines and totals are differences;
 * shortfall and errors stay those of the corrected result, since they decide
 * whether the corrected plan may be approved at all.
 */
export function correctionOf(issued: Map<number, IssuedLine>, issuedTotals: RunTotalsFen, corrected: RunResult): RunResult {
  const now = new Map(corrected.lines.map((l) => [l.householdId, l]));
  const ids = [...corrected.lines.map((l) => l.householdId), ...[...issued.keys()].filter((id) => !now.has(id))];
  const lines: RunLine[] = [];
  for (const id of ids) {
    const n = now.get(id);
    const o = issued.get(id);
    const diff = zeroAmounts();
    for (const k of LINE_AMOUNTS) diff[k] = (n?.[k] ?? 0n) - (o?.[k] ?? 0n);
    if (LINE_AMOUNTS.every((k) => diff[k] === 0n)) continue;
    lines.push({
      householdId: id,
      key: n?.key ?? String(id),
      shares: n?.shares ?? o?.shares ?? "0",
      areaMu: n?.areaMu ?? o?.areaMu ?? "0",
      weight: n?.weight ?? "0",
      guaranteedDueFen: diff.guaranteedFen,
      grossFen: diff.guaranteedFen + diff.surplusFen + diff.transactionFen + diff.capitalFen,
      ...diff,
    });
  }
  const total = (f: (l: RunLine) => bigint) => lines.reduce((s, l) => s + f(l), 0n);
  return {
    ...corrected,
    surplusFen: corrected.surplusFen - issuedTotals.surplusFen,
    providentFen: corrected.providentFen - issuedTotals.providentFen,
    riskFen: corrected.riskFen - issuedTotals.riskFen,
    distributableFen: corrected.distributableFen - issuedTotals.distributableFen,
    distributedFen: corrected.distributedFen - issuedTotals.distributedFen,
    guaranteedDueFen: total((l) => l.guaranteedDueFen),
    guaranteedTotalFen: total((l) => l.guaranteedFen),
    surplusSharedFen: total((l) => l.surplusFen),
    transactionTotalFen: total((l) => l.transactionFen),
    capitalTotalFen: total((l) => l.capitalFen),
    providentQuantifiedFen: total((l) => l.providentShareFen),
    deductionTotalFen: total((l) => l.deductionFen),
    netTotalFen: total((l) => l.netFen),
    lines,
  };
}

/** One household on a correction's page and papers: what was issued so far, what it is now, the difference. */
export interface CorrectionRow {
  issuedNetFen: bigint;
  correctedNetFen: bigint;
  differenceFen: bigint;
}

export function correctionRow(issued: IssuedLine | undefined, differenceNetFen: bigint): CorrectionRow {
  const before = issued?.netFen ?? 0n;
  return { issuedNetFen: before, correctedNetFen: before + differenceNetFen, differenceFen: differenceNetFen };
}
