/**
 * One booking rule per money event (docs/decisions/021-the-books.md,
 * "Booking rules"): event → voucher lines by AccountRole, the same for both
 * systems (ROLE_CODES maps roles to each system's accounts). Pure.
 *
 * Amounts may be negative: a negative event (a reversing rent payment, a
 * correction run's negative difference) books red ink on the same sides.
 */
import type { AccountRole } from "./chart";

export interface BookingLine {
  role: AccountRole;
  /** the member's sub-account of that role (MEMBER_ROLES), when the line is a member's */
  householdId?: number;
  summary: string;
  debitFen: bigint;
  creditFen: bigint;
}

export interface Booking {
  date: string;
  summary: string;
  lines: BookingLine[];
}

export type PayMethod = "BANK" | "CASH" | "OTHER";

export type BookingEvent =
  | { kind: "RENT_PAID"; date: string; amountFen: bigint; method: string; contract: string; payee: string; reversal?: boolean }
  | { kind: "RENT_COLLECTED"; date: string; amountFen: bigint; method: string; contract: string; householdId: number; payee: string; reversal?: boolean }
  | { kind: "HARVEST"; date: string; salesFen: bigint; crop: string; buyer: string }
  | { kind: "RUN_COST"; date: string; year: number; costFen: bigint; correction?: boolean }
  | { kind: "RUN_RESERVE"; date: string; year: number; providentFen: bigint; riskFen: bigint; correction?: boolean }
  | { kind: "RUN_DISTRIBUTION"; date: string; year: number; lines: DistributionLine[]; correction?: boolean }
  | { kind: "RUN_DEDUCTION"; date: string; year: number; lines: DistributionLine[]; correction?: boolean }
  | { kind: "DIVIDEND_PAYMENT"; date: string; year: number; householdId: number; name: string; returnFen: bigint; surplusFen: bigint; reference: string }
  | { kind: "MEMBER_CAPITAL"; date: string; householdId: number; name: string; amountFen: bigint; note: string };

export interface DistributionLine {
  householdId: number;
  name: string;
  /** returned by transactions (盈余返还) */
  transactionFen: bigint;
  /** the rest of the gross: guaranteed + by shares + by capital (剩余盈余) */
  restFen: bigint;
  deductionFen: bigint;
  deductionNote?: string;
}

/** Where money moved: bank for transfers and other channels, cash for cash. */
export function moneyRole(method: string): AccountRole {
  return method === "CASH" ? "cash" : "bank";
}

function dr(role: AccountRole, fen: bigint, summary: string, householdId?: number): BookingLine {
  return { role, householdId, summary, debitFen: fen, creditFen: 0n };
}
function cr(role: AccountRole, fen: bigint, summary: string, householdId?: number): BookingLine {
  return { role, householdId, summary, debitFen: 0n, creditFen: fen };
}

/** How a line's payable splits after its deduction: the deduction comes off the rest first, then off the return. */
export function payableParts(l: Pick<DistributionLine, "transactionFen" | "restFen" | "deductionFen">): { returnFen: bigint; surplusFen: bigint; fromReturn: bigint; fromRest: bigint } {
  const fromRest = l.deductionFen <= 0n ? 0n : min(l.deductionFen, max(0n, l.restFen));
  const fromReturn = l.deductionFen - fromRest;
  return { returnFen: l.transactionFen - fromReturn, surplusFen: l.restFen - fromRest, fromReturn, fromRest };
}

/**
 * Which payable a payment settles: the return (应付盈余返还) first, as the
 * law puts it first, then the rest; `paidBeforeFen` is what earlier PAID rows
 * of the line already paid.
 */
export function splitPayment(parts: { returnFen: bigint; surplusFen: bigint }, paidBeforeFen: bigint, amountFen: bigint): { returnFen: bigint; surplusFen: bigint } {
  const returnLeft = max(0n, parts.returnFen - paidBeforeFen);
  const fromReturn = amountFen <= 0n ? 0n : min(amountFen, returnLeft);
  return { returnFen: fromReturn, surplusFen: amountFen - fromReturn };
}

/** The voucher a money event books, or null when it moves nothing. */
export function bookingOf(e: BookingEvent): Booking | null {
  const lines = linesOf(e).filter((l) => l.debitFen !== 0n || l.creditFen !== 0n);
  if (lines.length < 2) return null;
  return { date: e.date, summary: summaryOf(e), lines };
}

function summaryOf(e: BookingEvent): string {
  const fix = "correction" in e && e.correction ? "（更正）" : "";
  switch (e.kind) {
    case "RENT_PAID":
      return `${e.reversal ? "冲销" : "支付"}土地流转租金 ${e.contract} ${e.payee}`.trim();
    case "RENT_COLLECTED":
      return `${e.reversal ? "冲销" : ""}代收代付土地流转租金 ${e.contract} ${e.payee}`.trim();
    case "HARVEST":
      return `销售${e.crop}${e.buyer ? `（${e.buyer}）` : ""}`;
    case "RUN_COST":
      return `${e.year}年度经营支出（分配方案）${fix}`;
    case "RUN_RESERVE":
      return `${e.year}年度提取公积金、风险金${fix}`;
    case "RUN_DISTRIBUTION":
      return `${e.year}年度盈余分配${fix}`;
    case "RUN_DEDUCTION":
      return `${e.year}年度分配代扣款项${fix}`;
    case "DIVIDEND_PAYMENT":
      return `支付${e.year}年度分配款 ${e.name}${e.reference ? ` ${e.reference}` : ""}`;
    case "MEMBER_CAPITAL":
      return `收到成员出资 ${e.name}${e.note ? ` ${e.note}` : ""}`;
  }
}

function linesOf(e: BookingEvent): BookingLine[] {
  switch (e.kind) {
    case "RENT_PAID": {
      const s = summaryOf(e);
      return [dr("operatingExpense", e.amountFen, s), cr(moneyRole(e.method), e.amountFen, s)];
    }
    case "RENT_COLLECTED": {
      // Collected from the transferee for the household and paid over to it:
      // both legs, so the member's current account shows the money passing.
      const bank = moneyRole(e.method);
      return [
        dr(bank, e.amountFen, `代收租金 ${e.contract}`),
        cr("memberCurrent", e.amountFen, `代收租金 ${e.payee}`, e.householdId),
        dr("memberCurrent", e.amountFen, `代付租金 ${e.payee}`, e.householdId),
        cr(bank, e.amountFen, `代付租金 ${e.payee}`),
      ];
    }
    case "HARVEST": {
      const s = summaryOf(e);
      return [dr("bank", e.salesFen, s), cr("operatingIncome", e.salesFen, s)];
    }
    case "RUN_COST": {
      const s = summaryOf(e);
      return [dr("operatingExpense", e.costFen, s), cr("bank", e.costFen, s)];
    }
    case "RUN_RESERVE":
      return [
        dr("distributionReserve", e.providentFen, "提取公积金"),
        cr("surplusReserve", e.providentFen, "提取公积金"),
        dr("distributionRisk", e.riskFen, "提取风险金"),
        cr("riskFund", e.riskFen, "提取风险金"),
      ];
    case "RUN_DISTRIBUTION": {
      let ret = 0n;
      let rest = 0n;
      const credits: BookingLine[] = [];
      for (const l of e.lines) {
        ret += l.transactionFen;
        rest += l.restFen;
        if (l.transactionFen !== 0n) credits.push(cr("payableReturn", l.transactionFen, `盈余返还 ${l.name}`, l.householdId));
        if (l.restFen !== 0n) credits.push(cr("payableSurplus", l.restFen, `剩余盈余 ${l.name}`, l.householdId));
      }
      return [dr("distributionReturn", ret, "按交易量（额）返还盈余"), dr("distributionSurplus", rest, "分配剩余盈余"), ...credits];
    }
    case "RUN_DEDUCTION": {
      const out: BookingLine[] = [];
      for (const l of e.lines) {
        if (l.deductionFen === 0n) continue;
        const p = payableParts(l);
        const s = `代扣 ${l.name}${l.deductionNote ? ` ${l.deductionNote}` : ""}`;
        out.push(dr("payableSurplus", p.fromRest, s, l.householdId), dr("payableReturn", p.fromReturn, s, l.householdId), cr("memberCurrent", l.deductionFen, s, l.householdId));
      }
      return out;
    }
    case "DIVIDEND_PAYMENT": {
      const s = summaryOf(e);
      return [dr("payableReturn", e.returnFen, s, e.householdId), dr("payableSurplus", e.surplusFen, s, e.householdId), cr("bank", e.returnFen + e.surplusFen, s)];
    }
    case "MEMBER_CAPITAL": {
      const s = summaryOf(e);
      return [dr("bank", e.amountFen, s), cr("capital", e.amountFen, s, e.householdId)];
    }
  }
}

/**
 * The year-end carry-forward (结转), on balances signed by each account's
 * normal side: every income and expense leaf into the current surplus, then
 * the current surplus and the distribution's detail accounts into the
 * undistributed surplus. Ids, not roles: the leaves may be sub-accounts.
 */
export interface ClosingBalance {
  accountId: number;
  category: string;
  normalSide: "DEBIT" | "CREDIT";
  balanceFen: bigint;
}

export interface ClosingLine {
  accountId: number;
  summary: string;
  debitFen: bigint;
  creditFen: bigint;
}

export function closingLines(
  year: number,
  incomeAndExpense: readonly ClosingBalance[],
  distributionDetails: readonly ClosingBalance[],
  currentSurplusId: number,
  undistributedId: number,
): { toSurplus: ClosingLine[]; toUndistributed: ClosingLine[] } {
  const toSurplus: ClosingLine[] = [];
  let net = 0n; // Σ raw (debit − credit) balance carried into the current surplus
  for (const b of incomeAndExpense) {
    const raw = rawOf(b);
    if (raw === 0n) continue;
    toSurplus.push(emptying(b.accountId, raw, `结转${year}年度损益`));
    net += raw;
  }
  if (toSurplus.length) toSurplus.push(posting(currentSurplusId, net, net <= 0n ? `${year}年度盈余` : `${year}年度亏损`));

  const toUndistributed: ClosingLine[] = [];
  let carried = 0n;
  if (net !== 0n) {
    toUndistributed.push(emptying(currentSurplusId, net, `结转${year}年度本年盈余`));
    carried += net;
  }
  for (const d of distributionDetails) {
    const raw = rawOf(d);
    if (raw === 0n) continue;
    toUndistributed.push(emptying(d.accountId, raw, `结转${year}年度各项分配`));
    carried += raw;
  }
  if (toUndistributed.length) toUndistributed.push(posting(undistributedId, carried, `结转${year}年度未分配盈余`));
  return { toSurplus, toUndistributed };
}

function rawOf(b: ClosingBalance): bigint {
  return b.normalSide === "DEBIT" ? b.balanceFen : -b.balanceFen;
}

/** The line that brings an account of raw balance `raw` (debit − credit) to zero, on the side that empties it. */
function emptying(accountId: number, raw: bigint, summary: string): ClosingLine {
  return raw > 0n ? { accountId, summary, debitFen: 0n, creditFen: raw } : { accountId, summary, debitFen: -raw, creditFen: 0n };
}

/** The line that receives `raw` (debit − credit) carried from the emptied accounts. */
function posting(accountId: number, raw: bigint, summary: string): ClosingLine {
  return raw >= 0n ? { accountId, summary, debitFen: raw, creditFen: 0n } : { accountId, summary, debitFen: 0n, creditFen: -raw };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
