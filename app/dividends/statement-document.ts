/**
 * What the dividend PDFs print: plain data, no Prisma, no pdfkit. The route
 * or service assembles these from the run, its lines and the register;
 * statement-pdf.server.ts lays them out.
 *
 * Personal data arrives ALREADY MASKED (app/registry/masking.ts): the
 * renderer prints what it is given, so a full ID or card number must never be
 * put in these objects. Names are printed as given (village notices print
 * the head's name; mask it with maskName before if a notice must not).
 *
 * Money is integer fen (bigint), areas and shares decimal strings, dates
 * "YYYY-MM-DD".
 */
import type { DividendMethod, RunLine, RunResult } from "./compute";

/** The amounts of one household, as on its line of the run. */
export interface StatementAmounts {
  /** the guarantee owed; printed only when it differs from guaranteedFen (a shortfall) */
  guaranteedDueFen?: bigint;
  guaranteedFen: bigint;
  /** dividend by shares (land-share 二次分红, professional share part) */
  surplusFen: bigint;
  transactionFen: bigint;
  capitalFen: bigint;
  /** provident fund quantified to the member's account: credited, not paid */
  providentShareFen: bigint;
  deductionFen: bigint;
  netFen: bigint;
}

/** One household's dividend statement (分红明细单), one A4 page. */
export interface StatementDocument {
  cooperativeName: string;
  /** unified social credit code (统一社会信用代码) */
  creditCode: string;
  year: number;
  method: DividendMethod;
  /** e.g. "2025 年度收益分配方案" */
  runTitle: string;
  /** the meeting resolution, e.g. "经 2026 年 1 月 18 日成员大会表决通过" */
  resolution: string;
  statementNo: string;
  householdHead: string;
  /** masked ID number ("371702********0018") */
  idMasked: string;
  householdCode: string;
  /** village and group, e.g. "张庄村 3 组" (optional) */
  villageName?: string;
  /** e.g. "脱贫户", "监测户"; omitted or empty = not shown ("—") */
  povertyLabel?: string | null;
  areaMu: string;
  shares: string;
  /** weighted shares when the household held them only part of the year */
  weight?: string;
  daysHeld?: number;
  daysInYear?: number;
  /** the cooperative's shares per mu ("1"), for the "1 亩 = 1 股" note */
  sharesPerMu?: string;
  /** land-share: yuan per share */
  guaranteePerShare?: string | null;
  /** professional: percent returned by transactions */
  transactionPercent?: string | null;
  /** professional: the member's transactions in the year, fen (printed as the basis) */
  transactionVolumeFen?: bigint | null;
  /** professional: the member's capital, fen */
  capitalBaseFen?: bigint | null;
  amounts: StatementAmounts;
  /** why something was withheld, e.g. "代扣 2025 年度水费" */
  deductionNote?: string;
  /** masked payment account, e.g. "菏泽农商银行 6228 **** **** 0018" */
  accountMasked: string;
  /** e.g. "银行转账" */
  paymentMethod: string;
  verificationCode: string;
  /** what the QR code encodes: verifyUrl(baseUrl, code) */
  verifyUrl: string;
  preparer?: string;
  chair?: string;
  supervisor?: string;
  /** date of issue (发放日期) */
  issuedOn?: string | null;
  /** the payment as it happened (到账情况); absent on a draft */
  payment?: StatementPayment;
  /** who made, approved and issued the run (User.displayName), printed on the sign-off line */
  madeBy?: string | null;
  approvedBy?: string | null;
  issuedBy?: string | null;
  /** printed in the footer, e.g. "2026-02-01 10:20" */
  generatedAt?: string;
  /** a simulation or draft run: printed with a faint "试算" watermark */
  draft?: boolean;
  /**
   * A correction's statement (更正明细单): its amounts are differences and may
   * be negative (paid too much, to be returned); it names the run corrected
   * and prints the household's net issued before and after.
   */
  correction?: CorrectionNote & { issuedNetFen: bigint; correctedNetFen: bigint };
}

/** What a correction's papers say of the run they correct. */
export interface CorrectionNote {
  /** the run corrected, e.g. "2025 年度收益分配方案（第 12 号）" */
  of: string;
}

/** The summary page in front of a batch of statements (and its totals). */
export interface RunCover {
  cooperativeName: string;
  creditCode: string;
  year: number;
  method: DividendMethod;
  runTitle: string;
  resolution: string;
  incomeFen: bigint;
  costFen: bigint;
  surplusFen: bigint;
  lossRecoveryFen?: bigint;
  providentPercent: string;
  providentFen: bigint;
  riskPercent: string;
  riskFen: bigint;
  distributableFen: bigint;
  guaranteePerShare?: string | null;
  sharesPerMu?: string | null;
  transactionPercent?: string | null;
  guaranteedFen: bigint;
  surplusSharedFen: bigint;
  transactionFen: bigint;
  capitalFen: bigint;
  providentQuantifiedFen?: bigint;
  deductionFen: bigint;
  netFen: bigint;
  shortfallFen?: bigint;
  /** number of statements that follow (known from the run before streaming them) */
  households: number;
  totalShares: string;
  totalAreaMu: string;
  perShare?: { min: string; median: string; max: string };
  preparer?: string;
  chair?: string;
  supervisor?: string;
  approvedOn?: string | null;
  issuedOn?: string | null;
  generatedAt?: string;
  draft?: boolean;
  /** a correction: the plan figures above are the corrected plan's, the line sums are differences */
  correction?: CorrectionNote & { issuedNetFen: bigint; correctedNetFen: bigint };
}

/** One household's row on the public notice. */
export interface NoticeRow {
  householdHead: string;
  idMasked: string;
  /** village group, e.g. "3 组" (optional column) */
  group?: string;
  // No poverty status (脱贫户/监测户) here: the notice goes on a public wall.
  areaMu: string;
  shares: string;
  /** day-weighted shares (折算股数), which the guarantee and dividend follow */
  weight?: string;
  /** first day of the holding: the start of the equity contract(s), "YYYY-MM-DD" */
  since?: string | null;
  guaranteedFen: bigint;
  surplusFen: bigint;
  transactionFen: bigint;
  capitalFen: bigint;
  deductionFen: bigint;
  netFen: bigint;
  note?: string;
  /** a correction's row: the net issued before it and after it (netFen is the difference) */
  issuedNetFen?: bigint;
  correctedNetFen?: bigint;
}

/** The public notice of the distribution plan (收益分配方案公示表). */
export interface NoticeDocument {
  cooperativeName: string;
  creditCode?: string;
  /** e.g. "牡丹区皇镇张庄村" */
  villageName?: string;
  year: number;
  method: DividendMethod;
  runTitle?: string;
  resolution?: string;
  surplusFen: bigint;
  lossRecoveryFen?: bigint;
  providentPercent: string;
  providentFen: bigint;
  riskPercent: string;
  riskFen: bigint;
  distributableFen: bigint;
  guaranteePerShare?: string | null;
  sharesPerMu?: string | null;
  transactionPercent?: string | null;
  rows: NoticeRow[];
  noticeFrom: string;
  noticeTo: string;
  /** whom to contact with questions */
  contactName?: string;
  contactPhone?: string;
  /** complaints / supervision phone (监督举报电话) */
  complaintPhone: string;
  /** e.g. "监事会" (professional) or "村务监督委员会" */
  supervisoryBody?: string;
  publishedOn?: string | null;
  generatedAt?: string;
  draft?: boolean;
  /** a correction's notice (更正公示): rows are differences, the plan figures the corrected plan's */
  correction?: CorrectionNote;
}

export const METHOD_ZH: Record<DividendMethod, string> = {
  LAND_SHARE: "保底收益 + 按股二次分红",
  PROFESSIONAL: "按交易量返还 + 按出资额和股份分配",
};

/** "https://x/y/" + "7KD2M9QX4P" → "https://x/y/verify/7KD2M9QX4P" (the code URL-encoded). */
export function verifyUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/verify/${encodeURIComponent(code)}`;
}

/** The amounts of a run line, as a statement prints them. */
export function statementAmountsOf(line: RunLine): StatementAmounts {
  return {
    guaranteedDueFen: line.guaranteedDueFen,
    guaranteedFen: line.guaranteedFen,
    surplusFen: line.surplusFen,
    transactionFen: line.transactionFen,
    capitalFen: line.capitalFen,
    providentShareFen: line.providentShareFen,
    deductionFen: line.deductionFen,
    netFen: line.netFen,
  };
}

/** The money fields of a cover page from a computed run. */
export function coverTotalsOf(
  r: RunResult,
): Pick<
  RunCover,
  | "surplusFen"
  | "lossRecoveryFen"
  | "providentFen"
  | "riskFen"
  | "distributableFen"
  | "guaranteedFen"
  | "surplusSharedFen"
  | "transactionFen"
  | "capitalFen"
  | "providentQuantifiedFen"
  | "deductionFen"
  | "netFen"
  | "shortfallFen"
  | "perShare"
> {
  return {
    surplusFen: r.surplusFen,
    lossRecoveryFen: r.lossRecoveryFen,
    providentFen: r.providentFen,
    riskFen: r.riskFen,
    distributableFen: r.distributableFen,
    guaranteedFen: r.guaranteedTotalFen,
    surplusSharedFen: r.surplusSharedFen,
    transactionFen: r.transactionTotalFen,
    capitalFen: r.capitalTotalFen,
    providentQuantifiedFen: r.providentQuantifiedFen,
    deductionFen: r.deductionTotalFen,
    netFen: r.netTotalFen,
    shortfallFen: r.shortfallFen,
    perShare: { min: r.stats.minPerShare, median: r.stats.medianPerShare, max: r.stats.maxPerShare },
  };
}

/** gross = guaranteed + by shares + by transactions + by capital */
export function grossOf(a: StatementAmounts): bigint {
  return a.guaranteedFen + a.surplusFen + a.transactionFen + a.capitalFen;
}

/** One payment attempt of a line, as recorded (DividendPayment). */
export interface PaymentAttempt {
  status: "PAID" | "FAILED" | string;
  paidOn: string;
  amountFen: bigint;
  reference: string;
  failureReason: string;
}

/** What a statement says of the payment: the money that reached the account, a failure still open, or nothing yet. */
export interface StatementPayment {
  /** PAID attempts, in order: the dates money reached the account */
  paid: { on: string; amountFen: bigint; reference: string }[];
  /** the latest attempt, when it FAILED and the line is not fully paid */
  failed: { on: string; reason: string } | null;
  /** net − paid (≤ 0 when nothing is owed) */
  outstandingFen: bigint;
}

/**
 * RULE. A statement tells the payment as it happened: the dates money reached
 * the account (PAID rows), never the issue date; while the latest attempt
 * FAILED and something is still owed, that failure and its reason; nothing
 * paid and nothing failed: 未支付. Attempts are taken in recording order.
 */
export function statementPaymentOf(netFen: bigint, attempts: readonly PaymentAttempt[]): StatementPayment {
  const paid = attempts.filter((a) => a.status === "PAID").map((a) => ({ on: a.paidOn, amountFen: a.amountFen, reference: a.reference }));
  const paidFen = paid.reduce((s, p) => s + p.amountFen, 0n);
  const outstandingFen = netFen - paidFen;
  const last = attempts[attempts.length - 1];
  const failed = last && last.status === "FAILED" && outstandingFen > 0n ? { on: last.paidOn, reason: last.failureReason } : null;
  return { paid, failed, outstandingFen };
}
