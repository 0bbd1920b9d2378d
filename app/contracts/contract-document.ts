/**
 * Plain data for the printed contract (合同文本) and the transfer ledger
 * (流转台账) export, plus the Chinese wording both share.
 *
 * Pure module: the server modules (contract-pdf.server.ts,
 * ledger-xlsx.server.ts) only lay these out; whoever builds the data has
 * already applied the privacy policy (app/registry/privacy.ts) and computed the schedule
 * (./schedule.ts). Enumerations arrive as the codes stored in the database
 * and are worded here, so the PDF, the Excel file and the screens agree.
 */
import { Decimal, formatYuan, fromFen, toCapitals, toFen } from "~/lib/money";
import { addYears, daysBetween, type PaymentTiming, type PeriodTotal } from "./schedule";

// ─── Wording of the stored codes (mirrors app/contracts/messages.ts, zh-CN) ──

export const FORM_ZH: Record<string, string> = {
  LEASE: "出租",
  SUBCONTRACT: "转包",
  EQUITY: "入股",
  TRANSFER: "转让",
  SWAP: "互换",
  OTHER: "其他",
};
export const USE_ZH: Record<string, string> = {
  GRAIN: "粮食种植",
  ORCHARD: "果园",
  NURSERY: "苗木花卉",
  VEGETABLE: "蔬菜种植",
  FISH_POND: "鱼塘养殖",
  LIVESTOCK: "畜禽养殖",
  OTHER_AGRI: "其他农业用途",
};
export const TRANSFEREE_KIND_ZH: Record<string, string> = {
  COOPERATIVE: "农民专业合作社",
  ENTERPRISE: "企业",
  GROWER: "种植大户",
  OTHER: "其他",
};
export const STATUS_ZH: Record<string, string> = {
  DRAFT: "草稿",
  SIGNED: "已签订",
  FILED: "已备案",
  ACTIVE: "履行中",
  EXPIRED: "已到期",
  TERMINATED: "已解除",
  RENEWED: "已续签",
  SUPERSEDED: "已变更",
};
export const TIMING_ZH: Record<string, string> = {
  ONCE: "一次性支付",
  YEARLY: "每年定期支付",
  ADVANCE: "每年预付",
  INSTALMENTS: "分期支付",
};
export const CROP_ZH: Record<string, string> = { WHEAT: "小麦", CORN: "玉米" };
export const PRICE_BASIS_ZH: Record<string, string> = {
  MARKET: "当年当地市场收购价",
  MINIMUM_PURCHASE: "当年国家最低收购价",
};

/** Word for a code, or the code itself when unknown (never an empty cell). */
export function zh(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return "";
  return map[code] ?? code;
}

/** "12-31" → "12月31日" */
export function monthDayZh(monthDay: string | null | undefined): string {
  const m = monthDay ? /^(\d{2})-(\d{2})$/.exec(monthDay) : null;
  return m ? `${Number(m[1])}月${Number(m[2])}日` : "";
}

/** Amount in figures and capitals: "人民币 12,240.00 元（大写：壹万贰仟贰佰肆拾元整）". */
export function yuanWithCapitals(fen: bigint): string {
  return `人民币 ${formatYuan(fen)} 元（大写：${toCapitals(fromFen(fen))}）`;
}

export type RentStandard =
  | { kind: "CASH"; yuanPerMu: string }
  | { kind: "IN_KIND"; crop: string; jinPerMu: string; priceBasis?: string | null }
  /** 入股: no rent; the return is the cooperative's dividend */
  | { kind: "EQUITY" };

export const EQUITY_RETURN_TEXT = "入股分红（保底收益 + 盈余分红），不收租金";

/** "800.00 元/亩/年" or "小麦 950 斤/亩/年（按当年国家最低收购价折价）". */
export function rentStandardText(r: RentStandard): string {
  if (r.kind === "EQUITY") return EQUITY_RETURN_TEXT;
  if (r.kind === "CASH") return r.yuanPerMu ? `${formatYuan(fromYuanString(r.yuanPerMu))} 元/亩/年` : "";
  const basis = r.priceBasis ? `（按${zh(PRICE_BASIS_ZH, r.priceBasis)}折价）` : "（折价支付）";
  return `${zh(CROP_ZH, r.crop)} ${r.jinPerMu} 斤/亩/年${basis}`;
}

function fromYuanString(s: string): bigint {
  return toFen(new Decimal(s));
}

/** "每 3 年递增 5%" */
export function stepText(step: { percent: string; everyYears: number } | null | undefined): string {
  if (!step || !step.percent || Number(step.percent) === 0) return "";
  return `每 ${step.everyYears} 年递增 ${step.percent}%`;
}

/** Wording of the payment timing, e.g. "每年12月31日前支付当年租金". */
export function paymentTimingText(
  timing: string,
  opts: { monthDay?: string | null; perYear?: number | null } = {},
): string {
  switch (timing) {
    case "ONCE":
      return "一次性支付全部流转期限的租金，于流转期限开始之日支付";
    case "YEARLY":
      return opts.monthDay
        ? `按年支付，每年${monthDayZh(opts.monthDay)}前支付截至当日的本租金年度租金`
        : "按年支付";
    case "ADVANCE":
      return "按年预付，每一合同年度开始之日支付该年度租金";
    case "INSTALMENTS":
      return opts.perYear
        ? `分期支付，每合同年度分 ${opts.perYear} 期，每期开始之日支付该期租金`
        : "分期支付";
    default:
      return timing;
  }
}

/** Short form for tables: "每年定期支付（12月31日）", "分期支付（每年4期）". */
export function paymentTimingShort(timing: string, opts: { monthDay?: string | null; perYear?: number | null } = {}): string {
  const word = zh(TIMING_ZH, timing);
  if (timing === "YEARLY" && opts.monthDay) return `${word}（${monthDayZh(opts.monthDay)}）`;
  if (timing === "INSTALMENTS" && opts.perYear) return `${word}（每年${opts.perYear}期）`;
  return word;
}

export function paymentTimingOf(p: PaymentTiming): { timing: string; monthDay?: string; perYear?: number } {
  if (p.timing === "YEARLY") return { timing: p.timing, monthDay: p.monthDay };
  if (p.timing === "INSTALMENTS") return { timing: p.timing, perYear: p.perYear };
  return { timing: p.timing };
}

// ─── The printed contract ───────────────────────────────────────────────────

/**
 * A transferor household (甲方, 流出方). Personal fields arrive as the
 * reader may see them (app/registry/privacy.ts): whole on the copy the
 * village secretary prints for signing, masked on every other copy.
 */
export interface TransferorParty {
  headName: string;
  /** "371702197001011234", or masked "371702********1234" */
  idNumber: string;
  address: string;
  phone: string;
  /** the account rent is paid to, with the bank name when known */
  receivingAccount: string;
  /** transferred area of this household, mu, 2 decimals */
  areaMu: string;
  /** this household's rent in the first rent year, when known */
  firstYearRentFen?: bigint | null;
  /** entrustment (委托书) when the village committee signs for the household */
  entrustmentNo?: string;
  entrustmentDate?: string | null;
}

/** The transferee (乙方, 流入方). */
export interface TransfereeParty {
  name: string;
  /** COOPERATIVE | ENTERPRISE | GROWER | OTHER */
  kind: string;
  /** e.g. 农民专业合作社, 有限责任公司, 自然人 */
  entityType: string;
  /** unified social credit code, or the (masked) ID number of a person */
  code: string;
  representative: string;
  address: string;
  phone: string;
  /** qualification and project review (资格审查) for outside capital */
  reviewApprovalNo: string;
  reviewDate: string | null;
}

/** One row of the parcel table (流转土地明细). */
export interface PlotLine {
  /** owner household, printed when the contract has several */
  householdHead: string;
  /** "张庄村 第三村民小组" */
  villageGroup: string;
  parcelName: string;
  /** 19 digits */
  parcelCode: string;
  east: string;
  south: string;
  west: string;
  north: string;
  /** grade and land class, e.g. "二等 水浇地" */
  gradeClass: string;
  /** transferred area, mu, 2 decimals */
  areaMu: string;
  /** permanent basic farmland (永久基本农田) */
  basicFarmland: boolean;
  notes?: string;
}

export interface ContractDocument {
  /** number assigned by the township on filing; null before */
  contractNo: string | null;
  draftNo: string;
  /** stored or effective status code (DRAFT, SIGNED, FILED, ACTIVE, …) */
  status: string;
  version?: number;
  /** "牡丹区", "XX镇", "XX村": where the land lies and who files */
  district: string;
  township: string;
  village: string;
  transferors: TransferorParty[];
  /**
   * "full" on the copy for signing (the secretary who keeps the households
   * prints it); "masked" (the default) on every other copy.
   */
  personalNumbers?: "full" | "masked";
  /** the village committee signs for the households under entrustment (委托) */
  signedByVillageCommittee: boolean;
  transferee: TransfereeParty;
  plots: PlotLine[];
  /** total transferred area, mu, 2 decimals */
  totalAreaMu: string;
  /** LEASE | SUBCONTRACT | EQUITY | TRANSFER | SWAP | OTHER */
  form: string;
  /** GRAIN | ORCHARD | … */
  use: string;
  useNote: string;
  startDate: string;
  endDate: string;
  handoverDate: string | null;
  rent: RentStandard;
  step: { percent: string; everyYears: number } | null;
  payment: PaymentTiming;
  /** whole contract's rent in the first rent year (null when an in-kind price is missing) */
  annualRentFen: bigint | null;
  riskDepositFen: bigint | null;
  /** days after signing within which the deposit is paid */
  riskDepositWithinDays?: number;
  /** daily penalty: annual rent × N / 10,000 */
  penaltyPerTenThousand: string;
  /** filing with the township within N days of signing (model contract) */
  filingWithinDays: number;
  /** the transferee asks for renewal N days before expiry */
  renewalNoticeDays: number;
  /** from generateSchedule(): the first periods are printed, then the count and total */
  schedule: { periods: PeriodTotal[]; totalFen: bigint | null; missingPriceYears: number[] };
  /**
   * 附件：各户流转地块及租金明细 — per transferor household, its plots and its
   * own schedule with the total. Absent or empty for an equity contract.
   */
  householdAppendix?: HouseholdAppendix[];
  signedDate: string | null;
  signingPlace: string;
  filedDate: string | null;
  /** number of originals */
  copies?: number;
  /** printed in the footer, e.g. "2026-05-01 10:20" */
  generatedAt?: string;
}

/** One household's page of the appendix. */
export interface HouseholdAppendix {
  headName: string;
  /** mu, 2 decimals */
  areaMu: string;
  plots: { parcelName: string; parcelCode: string; areaMu: string }[];
  installments: { periodStart: string; periodEnd: string; dueDate: string; areaMu: string; ratePerMu: string | null; amountFen: bigint | null }[];
  /** null when some amount waits for an in-kind price */
  totalFen: bigint | null;
}

/** Title by form, after the model contract's "农村土地经营权出租合同". */
export function contractTitle(form: string): string {
  switch (form) {
    case "LEASE":
      return "农村土地经营权出租合同";
    case "SUBCONTRACT":
      return "农村土地经营权转包合同";
    case "EQUITY":
      return "农村土地经营权入股合同";
    default:
      return "农村土地经营权流转合同";
  }
}

/** Whole years of a term, for "共计 N 年" (null when the term is not whole years). */
export function termYears(startDate: string, endDate: string): number | null {
  try {
    const years = Number(endDate.slice(0, 4)) - Number(startDate.slice(0, 4));
    // a term of N whole years ends the day before the N-th anniversary
    return years > 0 && daysBetween(endDate, addYears(startDate, years)) === 1 ? years : null;
  } catch {
    return null;
  }
}

// ─── The transfer ledger (流转台账) ─────────────────────────────────────────

/** One row per transferor household of a contract (DOMAIN.md §5). */
export interface LedgerRow {
  no: number;
  contractNo: string;
  villageGroup: string;
  householdHead: string;
  householdCode?: string;
  idNumberMasked: string;
  /** 19-digit codes, kept as text */
  parcelCodes: string[];
  parcelNames: string;
  /** mu, decimal string */
  areaMu: string;
  transferee: string;
  /** COOPERATIVE | ENTERPRISE | GROWER | OTHER */
  transfereeKind: string;
  /** credit code, or masked ID number of a person */
  transfereeCode: string;
  /** LEASE | SUBCONTRACT | … */
  form: string;
  /** GRAIN | ORCHARD | … */
  use: string;
  useNote: string;
  startDate: string;
  endDate: string;
  rentStandard: RentStandard;
  /** this household's annual rent, yuan decimal string; null for rent in kind */
  annualRentYuan: string | null;
  /** ONCE | YEARLY | ADVANCE | INSTALMENTS */
  paymentTiming: string;
  paymentMonthDay: string | null;
  instalmentsPerYear?: number | null;
  step: { percent: string; everyYears: number } | null;
  riskDepositYuan: string | null;
  reviewNo: string;
  signedDate: string | null;
  filedDate: string | null;
  /** effective status code */
  status: string;
  notes: string;
}
