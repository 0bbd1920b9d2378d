/**
 * The charts of accounts of the two systems the app keeps books for
 * (docs/decisions/021-the-books.md), and the semantic roles the booking rules
 * post to. Pure: no framework, no database.
 *
 * - COOP_2021: 农民专业合作社会计制度 (财会〔2021〕37号), professional and
 *   land-share cooperatives.
 * - COLLECTIVE_2023: 农村集体经济组织会计制度 (财会〔2023〕14号, from
 *   2024-01-01), village collective economic organisations.
 *
 * Level-1 codes and names are the systems' own. Level-2/3 detail accounts
 * (code = parent + 2 digits, e.g. 33201) are the app's standard details,
 * which both systems allow ("可根据实际需要设置明细科目"). Sub-accounts per
 * member or counterparty are numbered parent + "-" + 4 digits (114-0001).
 */

export type AccountingSystem = "COOP_2021" | "COLLECTIVE_2023";
export const ACCOUNTING_SYSTEMS: readonly AccountingSystem[] = ["COOP_2021", "COLLECTIVE_2023"];

export function isAccountingSystem(value: unknown): value is AccountingSystem {
  return value === "COOP_2021" || value === "COLLECTIVE_2023";
}

export type AccountCategory = "ASSET" | "LIABILITY" | "EQUITY" | "COST" | "PROFIT_LOSS";
export type Side = "DEBIT" | "CREDIT";

export interface StandardAccount {
  code: string;
  name: string;
  category: AccountCategory;
  normalSide: Side;
  parentCode?: string;
  /** kept per member: postings go to the member's sub-account, never to the account itself */
  perMember?: boolean;
}

type Row = [code: string, name: string, side?: Side, extra?: { parentCode?: string; perMember?: boolean }];

function group(category: AccountCategory, normal: Side, rows: Row[]): StandardAccount[] {
  return rows.map(([code, name, side, extra]) => ({ code, name, category, normalSide: side ?? normal, ...(extra ?? {}) }));
}

const D: Side = "DEBIT";
const C: Side = "CREDIT";

/** 农民专业合作社会计制度 (财会〔2021〕37号), 附录 会计科目名称和编号. */
const COOP_2021: StandardAccount[] = [
  ...group("ASSET", D, [
    ["101", "库存现金"],
    ["102", "银行存款"],
    ["113", "应收款"],
    ["114", "成员往来", D, { perMember: true }],
    ["121", "产品物资"],
    ["124", "委托加工物资"],
    ["125", "委托代销商品"],
    ["127", "受托代购商品"],
    ["128", "受托代销商品"],
    ["131", "对外投资"],
    ["141", "消耗性生物资产"],
    ["142", "生产性生物资产"],
    ["143", "生产性生物资产累计折旧", C],
    ["144", "公益性生物资产"],
    ["151", "固定资产"],
    ["152", "累计折旧", C],
    ["153", "在建工程"],
    ["154", "固定资产清理"],
    ["161", "无形资产"],
    ["162", "累计摊销", C],
    ["171", "长期待摊费用"],
    ["181", "待处理财产损溢"],
  ]),
  ...group("LIABILITY", C, [
    ["201", "短期借款"],
    ["211", "应付款"],
    ["212", "应付工资"],
    ["213", "应付劳务费"],
    ["214", "应交税费"],
    ["221", "应付盈余返还", C, { perMember: true }],
    ["222", "应付剩余盈余", C, { perMember: true }],
    ["231", "长期借款"],
    ["235", "专项应付款"],
  ]),
  ...group("EQUITY", C, [
    ["301", "股金", C, { perMember: true }],
    ["311", "专项基金"],
    ["321", "资本公积"],
    ["322", "盈余公积"],
    ["32201", "公积金", C, { parentCode: "322" }],
    ["32202", "风险金", C, { parentCode: "322" }],
    ["331", "本年盈余"],
    ["332", "盈余分配"],
    ["33201", "各项分配", C, { parentCode: "332" }],
    ["3320101", "提取盈余公积", C, { parentCode: "33201" }],
    ["3320102", "提取风险金", C, { parentCode: "33201" }],
    ["3320103", "盈余返还", C, { parentCode: "33201" }],
    ["3320104", "剩余盈余分配", C, { parentCode: "33201" }],
    ["33202", "未分配盈余", C, { parentCode: "332" }],
  ]),
  ...group("COST", D, [["401", "生产成本"]]),
  ...group("PROFIT_LOSS", D, [
    ["501", "经营收入", C],
    ["502", "其他收入", C],
    ["511", "投资收益", C],
    ["521", "经营支出"],
    ["522", "税金及附加"],
    ["523", "管理费用"],
    ["529", "其他支出"],
    ["531", "所得税费用"],
  ]),
];

/** 农村集体经济组织会计制度 (财会〔2023〕14号), 附录 会计科目名称和编号. */
const COLLECTIVE_2023: StandardAccount[] = [
  ...group("ASSET", D, [
    ["101", "库存现金"],
    ["102", "银行存款"],
    ["111", "短期投资"],
    ["112", "应收款"],
    ["113", "内部往来", D, { perMember: true }],
    ["121", "库存物资"],
    ["131", "消耗性生物资产"],
    ["132", "生产性生物资产"],
    ["133", "生产性生物资产累计折旧", C],
    ["134", "公益性生物资产"],
    ["141", "长期投资"],
    ["151", "固定资产"],
    ["152", "累计折旧", C],
    ["153", "在建工程"],
    ["154", "固定资产清理"],
    ["161", "无形资产"],
    ["162", "累计摊销", C],
    ["171", "公益性基础设施"],
    ["181", "长期待摊费用"],
    ["191", "待处理财产损溢"],
  ]),
  ...group("LIABILITY", C, [
    ["201", "短期借款"],
    ["202", "应付款"],
    ["20201", "应付收益", C, { parentCode: "202", perMember: true }],
    ["20202", "其他应付款", C, { parentCode: "202" }],
    ["211", "应付工资"],
    ["212", "应付劳务费"],
    ["213", "应交税费"],
    ["221", "长期借款及应付款"],
    ["231", "一事一议资金"],
    ["241", "专项应付款"],
  ]),
  ...group("EQUITY", C, [
    ["301", "资本", C, { perMember: true }],
    ["311", "公积公益金"],
    ["31101", "公积金公益金", C, { parentCode: "311" }],
    ["31102", "风险金", C, { parentCode: "311" }],
    ["321", "本年收益"],
    ["322", "收益分配"],
    ["32201", "各项分配", C, { parentCode: "322" }],
    ["3220101", "提取公积公益金", C, { parentCode: "32201" }],
    ["3220102", "提取风险金", C, { parentCode: "32201" }],
    ["3220103", "向成员分配", C, { parentCode: "32201" }],
    ["32202", "未分配收益", C, { parentCode: "322" }],
  ]),
  ...group("COST", D, [["401", "生产（劳务）成本"]]),
  ...group("PROFIT_LOSS", D, [
    ["501", "经营收入", C],
    ["502", "经营支出"],
    ["503", "税金及附加"],
    ["511", "发包及上交收入", C],
    ["522", "补助收入", C],
    ["531", "其他收入", C],
    ["541", "管理费用"],
    ["542", "公益支出"],
    ["551", "其他支出"],
    ["561", "投资收益", C],
  ]),
];

export const CHARTS: Record<AccountingSystem, StandardAccount[]> = { COOP_2021, COLLECTIVE_2023 };

export const ACCOUNT_ROLES = [
  "cash",
  "bank",
  "memberCurrent",
  "receivable",
  "payable",
  "payableReturn",
  "payableSurplus",
  "capital",
  "specialFund",
  "capitalReserve",
  "surplusReserve",
  "riskFund",
  "currentSurplus",
  "surplusDistribution",
  "distributionReserve",
  "distributionRisk",
  "distributionReturn",
  "distributionSurplus",
  "undistributed",
  "operatingIncome",
  "otherIncome",
  "investmentIncome",
  "operatingExpense",
  "managementExpense",
  "otherExpense",
  "taxExpense",
  "productionCost",
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Roles whose account is kept per member (the member's sub-account is posted, ../books.server memberAccount). */
export const MEMBER_ROLES: readonly AccountRole[] = ["memberCurrent", "payableReturn", "payableSurplus", "capital"];

/** Semantic role → account code in each system (docs/decisions/021-the-books.md, "Roles"). */
export const ROLE_CODES: Record<AccountingSystem, Record<AccountRole, string>> = {
  COOP_2021: {
    cash: "101",
    bank: "102",
    memberCurrent: "114",
    receivable: "113",
    payable: "211",
    payableReturn: "221",
    payableSurplus: "222",
    capital: "301",
    specialFund: "311",
    capitalReserve: "321",
    surplusReserve: "32201",
    riskFund: "32202",
    currentSurplus: "331",
    surplusDistribution: "332",
    distributionReserve: "3320101",
    distributionRisk: "3320102",
    distributionReturn: "3320103",
    distributionSurplus: "3320104",
    undistributed: "33202",
    operatingIncome: "501",
    otherIncome: "502",
    investmentIncome: "511",
    operatingExpense: "521",
    managementExpense: "523",
    otherExpense: "529",
    taxExpense: "522",
    productionCost: "401",
  },
  COLLECTIVE_2023: {
    cash: "101",
    bank: "102",
    memberCurrent: "113",
    receivable: "112",
    payable: "20202",
    payableReturn: "20201",
    payableSurplus: "20201",
    capital: "301",
    specialFund: "241",
    capitalReserve: "31101",
    surplusReserve: "31101",
    riskFund: "31102",
    currentSurplus: "321",
    surplusDistribution: "322",
    distributionReserve: "3220101",
    distributionRisk: "3220102",
    distributionReturn: "3220103",
    distributionSurplus: "3220103",
    undistributed: "32202",
    operatingIncome: "501",
    otherIncome: "531",
    investmentIncome: "561",
    operatingExpense: "502",
    managementExpense: "541",
    otherExpense: "551",
    taxExpense: "503",
    productionCost: "401",
  },
};

/** The standard account of `code` in `system`, or undefined. */
export function standardAccount(system: AccountingSystem, code: string): StandardAccount | undefined {
  return CHARTS[system].find((a) => a.code === code);
}

/** Codes of accounts that have standard children in the chart (never posted to directly). */
export function standardParents(system: AccountingSystem): Set<string> {
  return new Set(CHARTS[system].flatMap((a) => (a.parentCode ? [a.parentCode] : [])));
}

/**
 * The code of the n-th (1-based) member or counterparty sub-account under
 * `parentCode`: parent + "-" + 4 digits (114-0001); past 9999 the sequence
 * simply grows (114-10000).
 */
export function subAccountCode(parentCode: string, n: number): string {
  return `${parentCode}-${String(n).padStart(4, "0")}`;
}

/** The sequence number of a sub-account code made by subAccountCode, or null. */
export function subAccountSeq(parentCode: string, code: string): number | null {
  if (!code.startsWith(`${parentCode}-`)) return null;
  const rest = code.slice(parentCode.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}

/** Level of a standard code: 3 digits = 1, 5 = 2, 7 = 3. */
export function codeLevel(code: string): number {
  return Math.max(1, Math.floor((code.length - 1) / 2));
}

/** The year-end: which accounts close into which (income → current surplus → distribution). */
export function isIncomeStatementCategory(category: string): boolean {
  return category === "PROFIT_LOSS";
}
