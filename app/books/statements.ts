/**
 * The year-end statements (会计报表) of the two accounting systems, computed
 * from the trial balance alone: each line names the accounts it is read from
 * (by code; sub-accounts count under their parent), so the statements cannot
 * disagree with the ledger.
 *
 * - 农民专业合作社会计制度 (财会〔2021〕37号): 资产负债表 (会农社01表),
 *   盈余及盈余分配表 (会农社02表), 成员权益变动表 (会农社03表).
 * - 农村集体经济组织会计制度 (财会〔2023〕14号): 资产负债表 and
 *   收益及收益分配表; no member-equity table (the system has none).
 *
 * Line order follows the published formats; 行次 are numbered in that order.
 * Every leaf account lies in exactly one balance-sheet line, and profit and
 * loss accounts not yet carried to 本年盈余/本年收益 count in 未分配盈余
 * (未分配收益), so the balance sheet balances whenever the ledger does, at any
 * month (tested in statements.test.ts).
 *
 * Pure: no database, no framework. Amounts are integer fen.
 */

export type StatementSystem = "COOP_2021" | "COLLECTIVE_2023";

/** What a statement needs of one trial-balance row (books.queries.server.ts trialBalance). */
export interface BalanceRow {
  code: string;
  isLeaf: boolean;
  /** DEBIT | CREDIT: the side openingFen and closingFen are positive on */
  normalSide: string;
  openingFen: bigint;
  debitFen: bigint;
  creditFen: bigint;
  closingFen: bigint;
}

/** Debits and credits of the year-end carrying-forward vouchers (结转) per account code, left out of the flows a statement reports. */
export type ClosingFlows = ReadonlyMap<string, { debitFen: bigint; creditFen: bigint }>;

/** How a term reads its accounts: their debit or credit balance, or only the leaves with a debit (credit) balance (成员往来 split between 应收款项 and 应付款项). */
type Take = "debit" | "credit" | "debitLeaves" | "creditLeaves";
interface Term {
  code: string;
  take: Take;
}

type LineKind = "heading" | "item" | "subtotal" | "total";

interface LineDef {
  key: string;
  zh: string;
  en: string;
  kind: LineKind;
  indent?: number;
  /** accounts read (balance sheet) */
  terms?: Term[];
  /** other lines added (+1) or subtracted (−1) */
  sum?: [string, 1 | -1][];
}

export interface StatementLine {
  key: string;
  zh: string;
  en: string;
  kind: LineKind;
  indent: number;
  /** 行次; null for headings */
  row: number | null;
}

// ---------------------------------------------------------------- definitions

const d = (code: string): Term => ({ code, take: "debit" });
const c = (code: string): Term => ({ code, take: "credit" });

/** 资产负债表, 农民专业合作社 (2021). */
const COOP_BALANCE: { assets: LineDef[]; claims: LineDef[] } = {
  assets: [
    { key: "h.current", zh: "流动资产：", en: "Current assets:", kind: "heading" },
    { key: "cash", zh: "货币资金", en: "Cash and deposits", kind: "item", indent: 1, terms: [d("101"), d("102")] },
    { key: "receivables", zh: "应收款项", en: "Receivables", kind: "item", indent: 1, terms: [d("113"), { code: "114", take: "debitLeaves" }] },
    { key: "inventory", zh: "存货", en: "Inventories", kind: "item", indent: 1, terms: [d("121"), d("124"), d("125"), d("127"), d("128"), d("401")] },
    { key: "consumableBio", zh: "消耗性生物资产", en: "Consumable biological assets", kind: "item", indent: 1, terms: [d("141")] },
    { key: "currentTotal", zh: "流动资产合计", en: "Total current assets", kind: "subtotal", sum: [["cash", 1], ["receivables", 1], ["inventory", 1], ["consumableBio", 1]] },
    { key: "h.noncurrent", zh: "非流动资产：", en: "Non-current assets:", kind: "heading" },
    { key: "investments", zh: "对外投资", en: "Investments", kind: "item", indent: 1, terms: [d("131")] },
    { key: "productiveBioCost", zh: "生产性生物资产原值", en: "Productive biological assets, cost", kind: "item", indent: 1, terms: [d("142")] },
    { key: "productiveBioDep", zh: "减：生产性生物资产累计折旧", en: "Less: accumulated depreciation", kind: "item", indent: 1, terms: [c("143")] },
    { key: "productiveBioNet", zh: "生产性生物资产净值", en: "Productive biological assets, net", kind: "subtotal", indent: 1, sum: [["productiveBioCost", 1], ["productiveBioDep", -1]] },
    { key: "fixedCost", zh: "固定资产原值", en: "Fixed assets, cost", kind: "item", indent: 1, terms: [d("151")] },
    { key: "fixedDep", zh: "减：累计折旧", en: "Less: accumulated depreciation", kind: "item", indent: 1, terms: [c("152")] },
    { key: "fixedNet", zh: "固定资产净值", en: "Fixed assets, net", kind: "subtotal", indent: 1, sum: [["fixedCost", 1], ["fixedDep", -1]] },
    { key: "construction", zh: "在建工程", en: "Construction in progress", kind: "item", indent: 1, terms: [d("153")] },
    { key: "fixedDisposal", zh: "固定资产清理", en: "Fixed assets in disposal", kind: "item", indent: 1, terms: [d("154")] },
    { key: "intangibleCost", zh: "无形资产原值", en: "Intangible assets, cost", kind: "item", indent: 1, terms: [d("161")] },
    { key: "intangibleAmort", zh: "减：累计摊销", en: "Less: accumulated amortisation", kind: "item", indent: 1, terms: [c("162")] },
    { key: "intangibleNet", zh: "无形资产净值", en: "Intangible assets, net", kind: "subtotal", indent: 1, sum: [["intangibleCost", 1], ["intangibleAmort", -1]] },
    { key: "publicBio", zh: "公益性生物资产", en: "Public-welfare biological assets", kind: "item", indent: 1, terms: [d("144")] },
    { key: "deferred", zh: "长期待摊费用", en: "Long-term deferred expenses", kind: "item", indent: 1, terms: [d("171")] },
    { key: "pendingLoss", zh: "待处理财产损溢", en: "Property losses pending", kind: "item", indent: 1, terms: [d("181")] },
    {
      key: "noncurrentTotal",
      zh: "非流动资产合计",
      en: "Total non-current assets",
      kind: "subtotal",
      sum: [["investments", 1], ["productiveBioNet", 1], ["fixedNet", 1], ["construction", 1], ["fixedDisposal", 1], ["intangibleNet", 1], ["publicBio", 1], ["deferred", 1], ["pendingLoss", 1]],
    },
    { key: "assetsTotal", zh: "资产总计", en: "Total assets", kind: "total", sum: [["currentTotal", 1], ["noncurrentTotal", 1]] },
  ],
  claims: [
    { key: "h.currentLiab", zh: "流动负债：", en: "Current liabilities:", kind: "heading" },
    { key: "shortLoans", zh: "短期借款", en: "Short-term loans", kind: "item", indent: 1, terms: [c("201")] },
    { key: "payables", zh: "应付款项", en: "Payables", kind: "item", indent: 1, terms: [c("211"), { code: "114", take: "creditLeaves" }] },
    { key: "wages", zh: "应付工资", en: "Wages payable", kind: "item", indent: 1, terms: [c("212")] },
    { key: "labour", zh: "应付劳务费", en: "Labour fees payable", kind: "item", indent: 1, terms: [c("213")] },
    { key: "taxes", zh: "应交税费", en: "Taxes payable", kind: "item", indent: 1, terms: [c("214")] },
    { key: "interest", zh: "应付利息", en: "Interest payable", kind: "item", indent: 1, terms: [c("215")] },
    { key: "patronage", zh: "应付盈余返还", en: "Surplus returns payable", kind: "item", indent: 1, terms: [c("221")] },
    { key: "residual", zh: "应付剩余盈余", en: "Residual surplus payable", kind: "item", indent: 1, terms: [c("222")] },
    {
      key: "currentLiabTotal",
      zh: "流动负债合计",
      en: "Total current liabilities",
      kind: "subtotal",
      sum: [["shortLoans", 1], ["payables", 1], ["wages", 1], ["labour", 1], ["taxes", 1], ["interest", 1], ["patronage", 1], ["residual", 1]],
    },
    { key: "h.longLiab", zh: "非流动负债：", en: "Non-current liabilities:", kind: "heading" },
    { key: "longLoans", zh: "长期借款", en: "Long-term loans", kind: "item", indent: 1, terms: [c("231")] },
    { key: "specialPayable", zh: "专项应付款", en: "Special payables", kind: "item", indent: 1, terms: [c("235")] },
    { key: "longLiabTotal", zh: "非流动负债合计", en: "Total non-current liabilities", kind: "subtotal", sum: [["longLoans", 1], ["specialPayable", 1]] },
    { key: "liabTotal", zh: "负债合计", en: "Total liabilities", kind: "subtotal", sum: [["currentLiabTotal", 1], ["longLiabTotal", 1]] },
    { key: "h.equity", zh: "所有者权益：", en: "Owners' equity:", kind: "heading" },
    { key: "shareCapital", zh: "股金", en: "Share capital", kind: "item", indent: 1, terms: [c("301")] },
    { key: "specialFund", zh: "专项基金", en: "Special fund", kind: "item", indent: 1, terms: [c("311")] },
    { key: "capitalReserve", zh: "资本公积", en: "Capital reserve", kind: "item", indent: 1, terms: [c("321")] },
    { key: "surplusReserve", zh: "盈余公积", en: "Surplus reserve", kind: "item", indent: 1, terms: [c("322")] },
    // profit and loss not yet carried to 本年盈余 is this year's surplus too
    { key: "undistributed", zh: "未分配盈余", en: "Undistributed surplus", kind: "item", indent: 1, terms: [c("331"), c("332"), c("5")] },
    { key: "equityTotal", zh: "所有者权益合计", en: "Total owners' equity", kind: "subtotal", sum: [["shareCapital", 1], ["specialFund", 1], ["capitalReserve", 1], ["surplusReserve", 1], ["undistributed", 1]] },
    { key: "claimsTotal", zh: "负债和所有者权益总计", en: "Total liabilities and owners' equity", kind: "total", sum: [["liabTotal", 1], ["equityTotal", 1]] },
  ],
};

/** 资产负债表, 农村集体经济组织 (2023). */
const COLLECTIVE_BALANCE: { assets: LineDef[]; claims: LineDef[] } = {
  assets: [
    { key: "h.current", zh: "流动资产：", en: "Current assets:", kind: "heading" },
    { key: "cash", zh: "货币资金", en: "Cash and deposits", kind: "item", indent: 1, terms: [d("101"), d("102")] },
    { key: "shortInvest", zh: "短期投资", en: "Short-term investments", kind: "item", indent: 1, terms: [d("111")] },
    { key: "receivables", zh: "应收款项", en: "Receivables", kind: "item", indent: 1, terms: [d("112"), { code: "113", take: "debitLeaves" }] },
    { key: "inventory", zh: "存货", en: "Inventories", kind: "item", indent: 1, terms: [d("121"), d("401")] },
    { key: "consumableBio", zh: "消耗性生物资产", en: "Consumable biological assets", kind: "item", indent: 1, terms: [d("131")] },
    { key: "currentTotal", zh: "流动资产合计", en: "Total current assets", kind: "subtotal", sum: [["cash", 1], ["shortInvest", 1], ["receivables", 1], ["inventory", 1], ["consumableBio", 1]] },
    { key: "h.noncurrent", zh: "非流动资产：", en: "Non-current assets:", kind: "heading" },
    { key: "longInvest", zh: "长期投资", en: "Long-term investments", kind: "item", indent: 1, terms: [d("141")] },
    { key: "productiveBioCost", zh: "生产性生物资产原值", en: "Productive biological assets, cost", kind: "item", indent: 1, terms: [d("132")] },
    { key: "productiveBioDep", zh: "减：生产性生物资产累计折旧", en: "Less: accumulated depreciation", kind: "item", indent: 1, terms: [c("133")] },
    { key: "productiveBioNet", zh: "生产性生物资产净值", en: "Productive biological assets, net", kind: "subtotal", indent: 1, sum: [["productiveBioCost", 1], ["productiveBioDep", -1]] },
    { key: "fixedCost", zh: "固定资产原值", en: "Fixed assets, cost", kind: "item", indent: 1, terms: [d("151")] },
    { key: "fixedDep", zh: "减：累计折旧", en: "Less: accumulated depreciation", kind: "item", indent: 1, terms: [c("152")] },
    { key: "fixedNet", zh: "固定资产净值", en: "Fixed assets, net", kind: "subtotal", indent: 1, sum: [["fixedCost", 1], ["fixedDep", -1]] },
    { key: "fixedDisposal", zh: "固定资产清理", en: "Fixed assets in disposal", kind: "item", indent: 1, terms: [d("154")] },
    { key: "construction", zh: "在建工程", en: "Construction in progress", kind: "item", indent: 1, terms: [d("153")] },
    { key: "intangibleCost", zh: "无形资产原值", en: "Intangible assets, cost", kind: "item", indent: 1, terms: [d("161")] },
    { key: "intangibleAmort", zh: "减：累计摊销", en: "Less: accumulated amortisation", kind: "item", indent: 1, terms: [c("162")] },
    { key: "intangibleNet", zh: "无形资产净值", en: "Intangible assets, net", kind: "subtotal", indent: 1, sum: [["intangibleCost", 1], ["intangibleAmort", -1]] },
    { key: "publicBio", zh: "公益性生物资产", en: "Public-welfare biological assets", kind: "item", indent: 1, terms: [d("134")] },
    { key: "publicInfra", zh: "公益性基础设施", en: "Public-welfare infrastructure", kind: "item", indent: 1, terms: [d("171")] },
    { key: "deferred", zh: "长期待摊费用", en: "Long-term deferred expenses", kind: "item", indent: 1, terms: [d("181")] },
    { key: "pendingLoss", zh: "待处理财产损溢", en: "Property losses pending", kind: "item", indent: 1, terms: [d("191")] },
    {
      key: "noncurrentTotal",
      zh: "非流动资产合计",
      en: "Total non-current assets",
      kind: "subtotal",
      sum: [["longInvest", 1], ["productiveBioNet", 1], ["fixedNet", 1], ["fixedDisposal", 1], ["construction", 1], ["intangibleNet", 1], ["publicBio", 1], ["publicInfra", 1], ["deferred", 1], ["pendingLoss", 1]],
    },
    { key: "assetsTotal", zh: "资产总计", en: "Total assets", kind: "total", sum: [["currentTotal", 1], ["noncurrentTotal", 1]] },
  ],
  claims: [
    { key: "h.currentLiab", zh: "流动负债：", en: "Current liabilities:", kind: "heading" },
    { key: "shortLoans", zh: "短期借款", en: "Short-term loans", kind: "item", indent: 1, terms: [c("201")] },
    { key: "payables", zh: "应付款项", en: "Payables", kind: "item", indent: 1, terms: [c("202"), { code: "113", take: "creditLeaves" }] },
    { key: "wages", zh: "应付工资", en: "Wages payable", kind: "item", indent: 1, terms: [c("211")] },
    { key: "labour", zh: "应付劳务费", en: "Labour fees payable", kind: "item", indent: 1, terms: [c("212")] },
    { key: "taxes", zh: "应交税费", en: "Taxes payable", kind: "item", indent: 1, terms: [c("213")] },
    { key: "currentLiabTotal", zh: "流动负债合计", en: "Total current liabilities", kind: "subtotal", sum: [["shortLoans", 1], ["payables", 1], ["wages", 1], ["labour", 1], ["taxes", 1]] },
    { key: "h.longLiab", zh: "非流动负债：", en: "Non-current liabilities:", kind: "heading" },
    { key: "longLoans", zh: "长期借款及应付款", en: "Long-term loans and payables", kind: "item", indent: 1, terms: [c("221")] },
    { key: "oneMatter", zh: "一事一议资金", en: "One-matter-one-discussion funds", kind: "item", indent: 1, terms: [c("231")] },
    { key: "specialPayable", zh: "专项应付款", en: "Special payables", kind: "item", indent: 1, terms: [c("241")] },
    { key: "longLiabTotal", zh: "非流动负债合计", en: "Total non-current liabilities", kind: "subtotal", sum: [["longLoans", 1], ["oneMatter", 1], ["specialPayable", 1]] },
    { key: "liabTotal", zh: "负债合计", en: "Total liabilities", kind: "subtotal", sum: [["currentLiabTotal", 1], ["longLiabTotal", 1]] },
    { key: "h.equity", zh: "所有者权益：", en: "Owners' equity:", kind: "heading" },
    { key: "capital", zh: "资本", en: "Capital", kind: "item", indent: 1, terms: [c("301")] },
    { key: "reserveFund", zh: "公积公益金", en: "Reserve and welfare fund", kind: "item", indent: 1, terms: [c("311")] },
    { key: "undistributed", zh: "未分配收益", en: "Undistributed earnings", kind: "item", indent: 1, terms: [c("321"), c("322"), c("5")] },
    { key: "equityTotal", zh: "所有者权益合计", en: "Total owners' equity", kind: "subtotal", sum: [["capital", 1], ["reserveFund", 1], ["undistributed", 1]] },
    { key: "claimsTotal", zh: "负债和所有者权益总计", en: "Total liabilities and owners' equity", kind: "total", sum: [["liabTotal", 1], ["equityTotal", 1]] },
  ],
};

/**
 * The income side of each system: which accounts are income (credit flows)
 * and expenses (debit flows), and the detail accounts of 盈余分配 / 收益分配
 * the distribution lines read (their debits: what the year set aside or
 * declared payable, whatever was paid since).
 */
type IncomeLineDef = LineDef & { flow?: { code: string; side: "credit" | "debit" }[]; special?: "opening" | "other" | "closing" };
interface IncomeDef {
  lines: IncomeLineDef[];
  distribution: { key: string; codes: string[] }[];
  netKey: string;
}

const inc = (code: string) => [{ code, side: "credit" as const }];
const exp = (code: string) => [{ code, side: "debit" as const }];

/** 盈余及盈余分配表 (2021). */
const COOP_INCOME: IncomeDef = {
  lines: [
    { key: "h.surplus", zh: "本年盈余", en: "Surplus of the year", kind: "heading" },
    { key: "revenue", zh: "一、经营收入", en: "I. Operating revenue", kind: "item", flow: inc("501") },
    { key: "investIncome", zh: "加：投资收益", en: "Add: investment income", kind: "item", indent: 1, flow: inc("511") },
    { key: "opExpense", zh: "减：经营支出", en: "Less: operating expenses", kind: "item", indent: 1, flow: exp("521") },
    { key: "taxSurcharge", zh: "税金及附加", en: "Taxes and surcharges", kind: "item", indent: 2, flow: exp("522") },
    { key: "admin", zh: "管理费用", en: "Administrative expenses", kind: "item", indent: 2, flow: exp("523") },
    { key: "finance", zh: "财务费用", en: "Financial expenses", kind: "item", indent: 2, flow: exp("524") },
    { key: "operating", zh: "二、经营收益", en: "II. Operating result", kind: "subtotal", sum: [["revenue", 1], ["investIncome", 1], ["opExpense", -1], ["taxSurcharge", -1], ["admin", -1], ["finance", -1]] },
    { key: "otherIncome", zh: "加：其他收入", en: "Add: other income", kind: "item", indent: 1, flow: inc("502") },
    { key: "otherExpense", zh: "减：其他支出", en: "Less: other expenses", kind: "item", indent: 1, flow: exp("529") },
    { key: "incomeTax", zh: "所得税费用", en: "Income tax", kind: "item", indent: 2, flow: exp("531") },
    { key: "net", zh: "三、本年盈余", en: "III. Surplus of the year", kind: "total", sum: [["operating", 1], ["otherIncome", 1], ["otherExpense", -1], ["incomeTax", -1]] },
    { key: "h.distribution", zh: "盈余分配", en: "Distribution of surplus", kind: "heading" },
    { key: "net2", zh: "四、本年盈余", en: "IV. Surplus of the year", kind: "subtotal", sum: [["net", 1]] },
    { key: "opening", zh: "加：年初未分配盈余", en: "Add: undistributed surplus at the start of the year", kind: "item", indent: 1, special: "opening" },
    { key: "other", zh: "其他转入", en: "Other transfers in", kind: "item", indent: 2, special: "other" },
    { key: "distributable", zh: "五、可分配盈余", en: "V. Distributable surplus", kind: "subtotal", sum: [["net2", 1], ["opening", 1], ["other", 1]] },
    { key: "toReserve", zh: "减：提取盈余公积", en: "Less: set aside to the surplus reserve", kind: "item", indent: 1 },
    { key: "returned", zh: "盈余返还", en: "Surplus returned by transactions", kind: "item", indent: 2 },
    { key: "residualPaid", zh: "剩余盈余分配", en: "Residual surplus distributed", kind: "item", indent: 2 },
    { key: "closing", zh: "六、年末未分配盈余", en: "VI. Undistributed surplus at the end of the year", kind: "total", special: "closing" },
  ],
  distribution: [
    // 风险金 is kept under 盈余公积 (32202), so its set-aside is part of 提取盈余公积
    { key: "toReserve", codes: ["3320101", "3320102"] },
    { key: "returned", codes: ["3320103"] },
    { key: "residualPaid", codes: ["3320104"] },
  ],
  netKey: "net",
};

/** 收益及收益分配表 (2023). */
const COLLECTIVE_INCOME: IncomeDef = {
  lines: [
    { key: "h.surplus", zh: "本年收益", en: "Earnings of the year", kind: "heading" },
    { key: "revenue", zh: "一、经营收入", en: "I. Operating revenue", kind: "item", flow: inc("501") },
    { key: "contracting", zh: "加：发包及上交收入", en: "Add: contracting and remitted income", kind: "item", indent: 1, flow: inc("511") },
    { key: "investIncome", zh: "投资收益", en: "Investment income", kind: "item", indent: 2, flow: inc("561") },
    { key: "opExpense", zh: "减：经营支出", en: "Less: operating expenses", kind: "item", indent: 1, flow: exp("502") },
    { key: "taxSurcharge", zh: "税金及附加", en: "Taxes and surcharges", kind: "item", indent: 2, flow: exp("503") },
    { key: "admin", zh: "管理费用", en: "Administrative expenses", kind: "item", indent: 2, flow: exp("541") },
    {
      key: "operating",
      zh: "二、经营收益",
      en: "II. Operating result",
      kind: "subtotal",
      sum: [["revenue", 1], ["contracting", 1], ["investIncome", 1], ["opExpense", -1], ["taxSurcharge", -1], ["admin", -1]],
    },
    { key: "subsidy", zh: "加：补助收入", en: "Add: subsidies", kind: "item", indent: 1, flow: inc("522") },
    { key: "otherIncome", zh: "其他收入", en: "Other income", kind: "item", indent: 2, flow: inc("531") },
    { key: "publicExpense", zh: "减：公益支出", en: "Less: public-welfare expenses", kind: "item", indent: 1, flow: exp("542") },
    { key: "otherExpense", zh: "其他支出", en: "Other expenses", kind: "item", indent: 2, flow: exp("551") },
    { key: "net", zh: "三、本年收益", en: "III. Earnings of the year", kind: "total", sum: [["operating", 1], ["subsidy", 1], ["otherIncome", 1], ["publicExpense", -1], ["otherExpense", -1]] },
    { key: "h.distribution", zh: "收益分配", en: "Distribution of earnings", kind: "heading" },
    { key: "net2", zh: "四、本年收益", en: "IV. Earnings of the year", kind: "subtotal", sum: [["net", 1]] },
    { key: "opening", zh: "加：年初未分配收益", en: "Add: undistributed earnings at the start of the year", kind: "item", indent: 1, special: "opening" },
    { key: "other", zh: "其他转入", en: "Other transfers in", kind: "item", indent: 2, special: "other" },
    { key: "distributable", zh: "五、可分配收益", en: "V. Distributable earnings", kind: "subtotal", sum: [["net2", 1], ["opening", 1], ["other", 1]] },
    { key: "toReserve", zh: "减：提取公积公益金", en: "Less: set aside to the reserve and welfare fund", kind: "item", indent: 1 },
    { key: "toMembers", zh: "向成员分配", en: "Distributed to members", kind: "item", indent: 2 },
    { key: "closing", zh: "六、年末未分配收益", en: "VI. Undistributed earnings at the end of the year", kind: "total", special: "closing" },
  ],
  distribution: [
    { key: "toReserve", codes: ["3220101", "3220102"] },
    { key: "toMembers", codes: ["3220103"] },
  ],
  netKey: "net",
};

const BALANCE: Record<StatementSystem, { assets: LineDef[]; claims: LineDef[] }> = { COOP_2021: COOP_BALANCE, COLLECTIVE_2023: COLLECTIVE_BALANCE };
const INCOME: Record<StatementSystem, IncomeDef> = { COOP_2021: COOP_INCOME, COLLECTIVE_2023: COLLECTIVE_INCOME };

/** The member-equity columns (成员权益变动表, 2021 only): account codes, and null for 未分配盈余. */
const EQUITY_COLUMNS: { key: string; zh: string; en: string; code: string | null }[] = [
  { key: "shareCapital", zh: "股金", en: "Share capital", code: "301" },
  { key: "specialFund", zh: "专项基金", en: "Special fund", code: "311" },
  { key: "capitalReserve", zh: "资本公积", en: "Capital reserve", code: "321" },
  { key: "surplusReserve", zh: "盈余公积", en: "Surplus reserve", code: "322" },
  { key: "undistributed", zh: "未分配盈余", en: "Undistributed surplus", code: null },
];

/** The statements a system publishes. */
export function statementsOf(system: StatementSystem): ("balance" | "income" | "equity")[] {
  return system === "COOP_2021" ? ["balance", "income", "equity"] : ["balance", "income"];
}

// ---------------------------------------------------------------- reading the ledger

/** A code lies under `root` when it is the root or one of its sub-accounts (10201, 114-0012). */
export function isUnder(code: string, root: string): boolean {
  return code === root || (code.startsWith(root) && code.length > root.length);
}

/** A leaf's balance, debit positive. */
function debitBalance(row: BalanceRow, at: "opening" | "closing"): bigint {
  const v = at === "opening" ? row.openingFen : row.closingFen;
  return row.normalSide === "CREDIT" ? -v : v;
}

function leaves(rows: readonly BalanceRow[]): BalanceRow[] {
  return rows.filter((r) => r.isLeaf);
}

function termValue(term: Term, rows: readonly BalanceRow[], at: "opening" | "closing"): bigint {
  let total = 0n;
  for (const r of rows) {
    if (!isUnder(r.code, term.code)) continue;
    const b = debitBalance(r, at);
    if (term.take === "debit") total += b;
    else if (term.take === "credit") total -= b;
    else if (term.take === "debitLeaves") total += b > 0n ? b : 0n;
    else total += b < 0n ? -b : 0n;
  }
  return total;
}

function evaluate(defs: LineDef[], value: (def: LineDef) => bigint | null, into: Map<string, bigint>): void {
  for (const def of defs) {
    if (def.kind === "heading") continue;
    if (def.sum) {
      let s = 0n;
      for (const [key, sign] of def.sum) {
        const v = into.get(key);
        if (v === undefined) throw new Error(`statement line ${def.key} sums ${key} before it is computed`);
        s += sign === 1 ? v : -v;
      }
      into.set(def.key, s);
    } else {
      into.set(def.key, value(def) ?? 0n);
    }
  }
}

/** What a statement is computed with besides the trial balance. */
export interface StatementOptions {
  /** the year-end carrying-forward lines, left out of the flows */
  closing?: ClosingFlows;
  /**
   * The codes of the organisation's chart: a line reading only accounts the
   * chart does not have is left out (it would always be empty).
   */
  chartCodes?: readonly string[];
}

function shown(def: IncomeLineDef, chartCodes: readonly string[] | undefined): boolean {
  if (!chartCodes) return true;
  const codes = [...(def.terms ?? []).map((t) => t.code), ...(def.flow ?? []).map((f) => f.code)];
  if (codes.length === 0) return true;
  return codes.some((code) => chartCodes.some((have) => isUnder(have, code)));
}

function numbered(all: IncomeLineDef[], start: number, chartCodes?: readonly string[]): StatementLine[] {
  const defs = all.filter((def) => shown(def, chartCodes));
  let row = start;
  return defs.map((def) => ({ key: def.key, zh: def.zh, en: def.en, kind: def.kind, indent: def.indent ?? 0, row: def.kind === "heading" ? null : row++ }));
}

// ---------------------------------------------------------------- 资产负债表

export interface BalanceSheet {
  assets: StatementLine[];
  claims: StatementLine[];
  /** 年初余额 by line key */
  opening: Record<string, string>;
  /** 期末余额 by line key */
  closing: Record<string, string>;
  balances: { opening: boolean; closing: boolean };
}

/**
 * The balance sheet from a trial balance whose opening is the start of the
 * year and closing the end of the month reported. Amounts are fen as
 * strings (JSON has no bigint).
 */
export function balanceSheet(system: StatementSystem, rows: readonly BalanceRow[], options: StatementOptions = {}): BalanceSheet {
  const def = BALANCE[system];
  const leafRows = leaves(rows);
  const at = (when: "opening" | "closing") => {
    const values = new Map<string, bigint>();
    const read = (l: LineDef) => (l.terms ? l.terms.reduce((s, t) => s + termValue(t, leafRows, when), 0n) : null);
    evaluate(def.assets, read, values);
    evaluate(def.claims, read, values);
    return values;
  };
  const opening = at("opening");
  const closing = at("closing");
  const assets = numbered(def.assets, 1, options.chartCodes);
  const claims = numbered(def.claims, (assets.at(-1)?.row ?? 0) + 1, options.chartCodes);
  return {
    assets,
    claims,
    opening: toStrings(opening),
    closing: toStrings(closing),
    balances: { opening: opening.get("assetsTotal") === opening.get("claimsTotal"), closing: closing.get("assetsTotal") === closing.get("claimsTotal") },
  };
}

/** The leaf codes no balance-sheet line reads (or that two read): none, for a chart the statements cover. */
export function uncoveredCodes(system: StatementSystem, codes: readonly string[]): string[] {
  const def = BALANCE[system];
  const roots: string[] = [];
  for (const l of [...def.assets, ...def.claims]) for (const t of l.terms ?? []) if (!roots.includes(t.code)) roots.push(t.code);
  return codes.filter((code) => roots.filter((r) => isUnder(code, r)).length !== 1);
}

// ---------------------------------------------------------------- 盈余及盈余分配表 / 收益及收益分配表

export interface IncomeStatement {
  lines: StatementLine[];
  /** this year's amounts by line key (fen as strings) */
  amounts: Record<string, string>;
}

function flowOf(rows: readonly BalanceRow[], code: string, side: "credit" | "debit", closing: ClosingFlows | undefined): bigint {
  let total = 0n;
  for (const r of rows) {
    if (!isUnder(r.code, code)) continue;
    const cl = closing?.get(r.code);
    const debit = r.debitFen - (cl?.debitFen ?? 0n);
    const credit = r.creditFen - (cl?.creditFen ?? 0n);
    total += side === "credit" ? credit - debit : debit - credit;
  }
  return total;
}

/** Credits only: what was set aside or declared payable, not what was paid out of it since. */
function creditsOf(rows: readonly BalanceRow[], code: string, closing: ClosingFlows | undefined): bigint {
  let total = 0n;
  for (const r of rows) if (isUnder(r.code, code)) total += r.creditFen - (closing?.get(r.code)?.creditFen ?? 0n);
  return total;
}

/** 未分配盈余 as the balance sheet reads it: the surplus accounts with every profit and loss account not yet carried. */
function undistributed(system: StatementSystem, rows: readonly BalanceRow[], at: "opening" | "closing"): bigint {
  const line = BALANCE[system].claims.find((l) => l.key === "undistributed")!;
  return line.terms!.reduce((s, t) => s + termValue(t, rows, at), 0n);
}

/**
 * The income and distribution statement for the months the rows cover.
 * `closing` holds the lines of the year-end carrying-forward vouchers, which
 * move profit and loss into 本年盈余 and must not cancel the flows reported.
 * 其他转入 is what moved 未分配盈余 other than the year's surplus and the
 * distribution (e.g. 盈余公积 used to make up a loss), so that 年末未分配盈余
 * is always the ledger's.
 */
export function incomeStatement(system: StatementSystem, rows: readonly BalanceRow[], options: StatementOptions = {}): IncomeStatement {
  const def = INCOME[system];
  const closing = options.closing;
  const leafRows = leaves(rows);
  const values = new Map<string, bigint>();
  const openingU = undistributed(system, leafRows, "opening");
  const closingU = undistributed(system, leafRows, "closing");
  const dist = new Map(def.distribution.map((x) => [x.key, x.codes.reduce((sum, code) => sum + flowOf(leafRows, code, "debit", closing), 0n)]));
  const distTotal = [...dist.values()].reduce((a, b) => a + b, 0n);
  for (const l of def.lines) {
    if (l.kind === "heading") continue;
    if (l.sum) {
      let s = 0n;
      for (const [key, sign] of l.sum) s += sign === 1 ? values.get(key)! : -values.get(key)!;
      values.set(l.key, s);
    } else if (l.flow) {
      values.set(
        l.key,
        l.flow.reduce((s, f) => s + flowOf(leafRows, f.code, f.side, closing), 0n),
      );
    } else if (l.special === "opening") {
      values.set(l.key, openingU);
    } else if (l.special === "other") {
      // closing = net + opening + other − distribution
      values.set(l.key, closingU + distTotal - values.get(def.netKey)! - openingU);
    } else if (l.special === "closing") {
      values.set(l.key, closingU);
    } else if (dist.has(l.key)) {
      values.set(l.key, dist.get(l.key)!);
    } else {
      values.set(l.key, 0n);
    }
  }
  return { lines: numbered(def.lines, 1, options.chartCodes), amounts: toStrings(values) };
}

/** The appropriations and the distribution to members the statement shows (for tying out to the dividend runs). */
export function distributionOf(system: StatementSystem, statement: IncomeStatement): { reserveFen: bigint; membersFen: bigint } {
  const def = INCOME[system];
  const reserveKey = def.distribution[0]!.key;
  let members = 0n;
  for (const x of def.distribution.slice(1)) members += BigInt(statement.amounts[x.key] ?? "0");
  return { reserveFen: BigInt(statement.amounts[reserveKey] ?? "0"), membersFen: members };
}

// ---------------------------------------------------------------- 成员权益变动表

export interface EquityStatement {
  columns: { key: string; zh: string; en: string }[];
  rows: { key: string; zh: string; en: string; indent: number; cells: Record<string, string | null> }[];
}

/** The member-equity table (2021): per column the opening, increases, decreases and closing of the year, with what the surplus and its distribution did. */
export function equityStatement(rows: readonly BalanceRow[], options: StatementOptions = {}): EquityStatement {
  const system: StatementSystem = "COOP_2021";
  const closing = options.closing;
  const leafRows = leaves(rows);
  const income = incomeStatement(system, rows, options);
  const amt = (k: string) => BigInt(income.amounts[k] ?? "0");
  const cells: Record<string, Record<string, bigint | null>> = { opening: {}, increase: {}, fromSurplus: {}, netSurplus: {}, decrease: {}, distributed: {}, closing: {} };
  for (const col of EQUITY_COLUMNS) {
    if (col.code) {
      const open = termValue(c(col.code), leafRows, "opening");
      const end = termValue(c(col.code), leafRows, "closing");
      const inc = creditsOf(leafRows, col.code, closing);
      cells.opening![col.key] = open;
      cells.increase![col.key] = inc;
      cells.decrease![col.key] = open + inc - end;
      cells.closing![col.key] = end;
      cells.fromSurplus![col.key] = col.code === "322" ? amt("toReserve") : null;
      cells.netSurplus![col.key] = null;
      cells.distributed![col.key] = null;
    } else {
      const dist = amt("toReserve") + amt("returned") + amt("residualPaid");
      cells.opening![col.key] = amt("opening");
      cells.increase![col.key] = amt("net") + amt("other");
      cells.netSurplus![col.key] = amt("net");
      cells.fromSurplus![col.key] = null;
      cells.decrease![col.key] = dist;
      cells.distributed![col.key] = amt("returned") + amt("residualPaid");
      cells.closing![col.key] = amt("closing");
    }
  }
  const total = (r: Record<string, bigint | null>) => {
    const vs = Object.values(r).filter((v): v is bigint => v !== null);
    return vs.length ? vs.reduce((a, b) => a + b, 0n) : null;
  };
  const rowDefs: { key: keyof typeof cells; zh: string; en: string; indent: number; total: boolean }[] = [
    { key: "opening", zh: "一、年初余额", en: "I. Balance at the start of the year", indent: 0, total: true },
    { key: "increase", zh: "二、本年增加数", en: "II. Increases of the year", indent: 0, total: true },
    { key: "netSurplus", zh: "其中：本年盈余", en: "of which: surplus of the year", indent: 1, total: false },
    { key: "fromSurplus", zh: "从盈余中提取", en: "set aside from the surplus", indent: 1, total: false },
    { key: "decrease", zh: "三、本年减少数", en: "III. Decreases of the year", indent: 0, total: true },
    { key: "distributed", zh: "其中：盈余返还及剩余盈余分配", en: "of which: surplus returned and distributed", indent: 1, total: false },
    { key: "closing", zh: "四、年末余额", en: "IV. Balance at the end of the year", indent: 0, total: true },
  ];
  return {
    columns: [...EQUITY_COLUMNS.map(({ key, zh, en }) => ({ key, zh, en })), { key: "total", zh: "合计", en: "Total" }],
    rows: rowDefs.map((r) => {
      const row = cells[r.key]!;
      const out: Record<string, string | null> = {};
      for (const col of EQUITY_COLUMNS) out[col.key] = row[col.key] === null ? null : String(row[col.key]);
      const t = r.total ? total(row) : null;
      out.total = t === null ? null : String(t);
      return { key: r.key, zh: r.zh, en: r.en, indent: r.indent, cells: out };
    }),
  };
}

function toStrings(m: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries([...m].map(([k, v]) => [k, String(v)]));
}
