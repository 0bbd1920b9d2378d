/**
 * The columns of each import (导入) kind: their Chinese headings, the heading
 * variants found in villages' own workbooks, and how a user's heading row is
 * mapped onto them. Pure: no framework, no Node APIs.
 *
 * Headings are compared after `normalizeHeading`: full-width and half-width
 * forms are the same (NFKC), spaces, "*" required markers and anything in
 * brackets (units such as （亩）, hints such as (必填)) are dropped, so
 * "合同面积（亩）*" and "合同 面积(亩)" both map to 合同面积.
 */
import { dateOfDay, daysInMonth } from "~/lib/dates";
import { makeIdNumber } from "~/registry/id-number";

export type ImportKind = "HOUSEHOLDS" | "PLOTS" | "CONTRACTS";
export const IMPORT_KINDS: readonly ImportKind[] = ["HOUSEHOLDS", "PLOTS", "CONTRACTS"];

export interface ColumnSpec {
  key: string;
  heading: string;
  variants: string[];
  required: boolean;
  type: "text" | "date" | "decimal" | "money" | "integer" | "id" | "bool";
  example: string;
}

const col = (
  key: string,
  heading: string,
  type: ColumnSpec["type"],
  required: boolean,
  example: string,
  variants: string[] = [],
): ColumnSpec => ({ key, heading, variants, required, type, example });

/**
 * Examples are valid together (the template's example row must pass the
 * checks): ID numbers carry correct check digits, the parcel code fits
 * 小留镇 鲁谢庄村 group 01 of the demo and test data.
 */
export const EXAMPLE_HEAD_ID = makeIdNumber("371702", "19700101", "004");
export const EXAMPLE_TRANSFEREE_ID = makeIdNumber("371702", "19850505", "011");
export const EXAMPLE_PARCEL_CODE = "3717021020010100001";

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  // One row per person; rows of a household share 户编号 (or 户主身份证号).
  HOUSEHOLDS: [
    col("code", "户编号", "text", false, "0001", ["户号", "农户编码", "农户编号", "户编码", "家庭编号", "户主编号"]),
    col("group", "村民小组", "text", true, "1", ["组", "组别", "小组", "所在组", "村组", "村民组", "所属小组", "所在村民小组"]),
    col("headName", "户主姓名", "text", false, "谢建国", ["户主", "户主名称"]),
    col("headIdNumber", "户主身份证号", "id", false, EXAMPLE_HEAD_ID, ["户主身份证号码", "户主证件号码", "户主公民身份号码", "户主身份证"]),
    col("name", "姓名", "text", true, "谢建国", ["成员姓名", "家庭成员姓名", "人员姓名", "家庭成员"]),
    col("relation", "与户主关系", "text", true, "户主", ["关系", "家庭关系", "与户主的关系", "家庭成员关系"]),
    col("idNumber", "身份证号", "id", true, EXAMPLE_HEAD_ID, ["身份证号码", "公民身份号码", "证件号码", "身份证", "成员身份证号", "成员身份证号码", "证件号"]),
    col("ableToWork", "有无劳动能力", "bool", false, "是", ["劳动能力", "是否有劳动能力", "劳动力", "是否劳动力", "有劳动能力"]),
    col("phone", "联系电话", "text", false, "13853012345", ["电话", "手机号", "手机", "手机号码", "联系方式", "电话号码"]),
    col("address", "家庭住址", "text", false, "鲁谢庄村东街 12 号", ["住址", "地址", "家庭地址", "居住地址", "现住址"]),
    col("bankName", "开户银行", "text", false, "牡丹区农村商业银行", ["开户行", "银行", "开户银行名称", "开户行名称"]),
    col("bankAccount", "银行账号", "id", false, "6230580000012345678", ["一卡通账号", "银行卡号", "账号", "一卡通", "开户账号", "银行账户", "卡号"]),
    col("status", "户类型", "text", false, "一般户", ["户属性", "农户类型", "脱贫属性", "户类别", "户状态", "农户属性", "帮扶类型", "户别"]),
    col("statusYear", "脱贫年度", "integer", false, "", ["纳入监测年度", "脱贫年份", "脱贫时间", "监测年度", "脱贫监测年度"]),
    col("statusReason", "监测原因", "text", false, "", ["纳入监测原因", "致贫原因", "情况说明", "监测情况说明"]),
    // the standard category and risk types of a monitored household (app/registry/monitoring.ts); several types separated by 、 or ，
    col("monitoringCategory", "监测类别", "text", false, "", ["监测对象类别", "监测户类别", "监测对象类型", "监测户类型"]),
    col("riskTypes", "风险类型", "text", false, "", ["返贫致贫风险", "主要风险", "风险类别", "致贫返贫风险", "返贫致贫风险类型"]),
    col("statusDate", "状态日期", "date", false, "", ["纳入监测日期", "识别日期", "状态生效日期", "纳入日期"]),
    col("joinedOn", "入户日期", "date", false, "", ["迁入日期", "入户时间"]),
    // Recognised so that a roster exported with former members is not imported
    // as current ones: the roster lists current members only, and a row with a
    // 迁出日期 is refused (a member leaves on the household's edit form, which
    // asks for this date). See households.ts and ADR 012.
    col("leftOn", "迁出日期", "date", false, "", ["迁出时间"]),
  ],
  // Contracted plots (承包地块) from the land registration (确权), one row each.
  PLOTS: [
    col("parcelCode", "地块编码", "id", true, EXAMPLE_PARCEL_CODE, ["地块代码", "宗地编码", "地块编号", "承包地块编码", "宗地代码"]),
    col("householdCode", "户编号", "text", false, "0001", ["户号", "农户编码", "农户编号", "户编码"]),
    col("headIdNumber", "承包方身份证号", "id", false, EXAMPLE_HEAD_ID, ["户主身份证号", "户主身份证号码", "承包方身份证号码", "承包方证件号码", "承包方代表证件号码", "身份证号", "身份证号码"]),
    col("headName", "承包方姓名", "text", false, "谢建国", ["户主姓名", "户主", "承包方", "承包方代表", "承包方代表姓名"]),
    col("group", "村民小组", "text", false, "1", ["组", "组别", "小组", "村组"]),
    col("name", "地块名称", "text", true, "东大地", ["地块名", "地名"]),
    col("contractArea", "合同面积（亩）", "decimal", true, "2.35", ["确权面积", "承包面积", "承包合同面积", "确权确股面积"]),
    col("measuredArea", "实测面积（亩）", "decimal", false, "2.41", ["实际面积", "实测"]),
    col("category", "地块类别", "text", false, "家庭承包地", ["土地类别", "地块类型", "承包地块类别", "承包地类别"]),
    col("landClass", "地类", "text", false, "水浇地", ["土地利用类型", "地类名称", "利用类型"]),
    col("grade", "地力等级", "text", false, "二等", ["等级", "耕地等级", "地力", "质量等级"]),
    col("basicFarmland", "是否基本农田", "bool", false, "否", ["基本农田", "是否永久基本农田", "永久基本农田", "是否基本农田保护区"]),
    col("east", "东至", "text", false, "路", ["四至东", "东"]),
    col("south", "南至", "text", false, "谢建军", ["四至南", "南"]),
    col("west", "西至", "text", false, "沟", ["四至西", "西"]),
    col("north", "北至", "text", false, "谢振华", ["四至北", "北"]),
    col("contractEnd", "承包到期日期", "date", true, "2057-12-31", ["承包期至", "承包期截止日期", "承包期限至", "承包期限截止日期", "承包期止", "到期日期", "承包截止日期"]),
  ],
  // Transfer contracts already signed, one row per plot of a contract (grouped by 合同编号).
  CONTRACTS: [
    col("contractNo", "合同编号", "text", true, "XLZ-2024-001", ["备案编号", "乡镇备案合同编号", "合同号", "备案合同编号", "流转合同编号"]),
    col("parcelCode", "地块编码", "id", true, EXAMPLE_PARCEL_CODE, ["地块代码", "宗地编码", "地块编号"]),
    col("area", "流转面积（亩）", "decimal", true, "2.35", ["面积", "流转地块面积", "本次流转面积"]),
    col("form", "流转方式", "text", true, "出租", ["流转形式", "流转类型"]),
    col("transfereeKind", "受让方类型", "text", true, "种植大户", ["流入方类型", "受让方主体类型", "流入方主体类型"]),
    col("transfereeName", "受让方名称", "text", true, "鲁振华", ["流入方名称", "流入方", "受让方", "受让方姓名", "流入方姓名"]),
    col("transfereeCode", "受让方证件号", "id", false, EXAMPLE_TRANSFEREE_ID, ["受让方证件号码", "流入方证件号码", "流入方证件号", "统一社会信用代码", "社会信用代码", "统一社会信用代码或身份证号", "受让方身份证号"]),
    col("transfereeRep", "受让方负责人", "text", false, "", ["法定代表人", "负责人", "流入方负责人"]),
    col("transfereePhone", "受让方电话", "text", false, "", ["流入方电话", "流入方联系电话", "受让方联系电话"]),
    col("transfereeAddress", "受让方地址", "text", false, "", ["流入方地址"]),
    col("reviewApprovalNo", "资格审查批准文号", "text", false, "", ["审查批准文号", "资格审查文号"]),
    col("reviewDate", "资格审查日期", "date", false, "", ["审查日期"]),
    col("use", "用途", "text", true, "粮食种植", ["土地用途", "流转用途", "流转后用途"]),
    col("useNote", "用途说明", "text", false, "", ["具体用途", "具体用途说明"]),
    col("startDate", "起始日期", "date", true, "2024-01-01", ["开始日期", "流转起始日期", "起始时间", "起始"]),
    col("endDate", "终止日期", "date", true, "2028-12-31", ["结束日期", "到期日期", "流转终止日期", "终止时间", "终止"]),
    col("rentKind", "租金形式", "text", false, "现金", ["租金方式", "租金类型"]),
    col("rentPerMu", "租金（元/亩/年）", "money", true, "800", ["租金标准", "每亩租金", "每亩年租金", "租金单价", "流转价格"]),
    col("paymentTiming", "支付方式", "text", true, "每年", ["租金支付方式", "支付时间", "租金支付时间"]),
    col("paymentMonthDay", "每年支付日", "text", false, "12-31", ["支付日", "每年付款日", "每年支付日期"]),
    col("instalmentsPerYear", "每年期数", "integer", false, "", ["分期数"]),
    col("stepPercent", "租金递增比例（%）", "decimal", false, "", ["递增比例", "租金递增"]),
    col("stepEveryYears", "递增间隔年数", "integer", false, "", ["递增间隔", "每几年递增"]),
    col("riskDeposit", "风险保障金（元）", "money", false, "", ["风险保证金"]),
    col("penaltyPerTenThousand", "违约金比例（万分之/日）", "decimal", false, "", ["逾期违约金"]),
    col("signedDate", "签订日期", "date", true, "2023-12-20", ["签约日期", "合同签订日期", "签订时间"]),
    col("filedDate", "备案日期", "date", false, "2023-12-28", ["备案时间"]),
    col("paidAmount", "已付租金（元）", "money", false, "1880", ["已付金额", "已支付租金", "已付"]),
    col("paidOn", "付款日期", "date", false, "2024-12-31", ["支付日期", "已付日期"]),
  ],
};

/**
 * Headings that are neither mapped nor "unknown": row numbers and the error
 * column of our own error file (so that a corrected error file uploads again
 * as it is), serial numbers and remarks.
 */
// "Row" and "Errors" are the English error file's own columns.
const IGNORED = new Set(["序号", "行号", "错误说明", "备注", "no", "no.", "row", "errors"].map((h) => normalizeHeading(h)));

/** Full-width → half-width, no spaces, no brackets with their content, no "*" markers, lower case. */
export function normalizeHeading(heading: string): string {
  return heading
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/\([^()]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>/g, "")
    .replace(/[*※:：]/g, "")
    .toLowerCase();
}

interface Lookup {
  byKind: Record<ImportKind, Map<string, ColumnSpec>>;
  all: Set<string>;
}

let lookup: Lookup | null = null;
function getLookup(): Lookup {
  if (lookup) return lookup;
  const byKind = {} as Lookup["byKind"];
  const all = new Set<string>();
  for (const kind of IMPORT_KINDS) {
    const m = new Map<string, ColumnSpec>();
    for (const spec of COLUMNS[kind]) {
      for (const h of [spec.heading, ...spec.variants]) {
        const n = normalizeHeading(h);
        if (!m.has(n)) m.set(n, spec);
        all.add(n);
      }
    }
    byKind[kind] = m;
  }
  lookup = { byKind, all };
  return lookup;
}

/** Whether a heading is one of any import kind's headings or variants (to find the heading row). */
export function isKnownHeading(heading: string): boolean {
  const n = normalizeHeading(heading);
  return n !== "" && getLookup().all.has(n);
}

/** The column a heading stands for in an import kind, if any. */
export function specForHeading(kind: ImportKind, heading: string): ColumnSpec | null {
  return getLookup().byKind[kind].get(normalizeHeading(heading)) ?? null;
}

export function columnSpec(kind: ImportKind, key: string): ColumnSpec {
  const spec = COLUMNS[kind].find((c) => c.key === key);
  if (!spec) throw new RangeError(`columnSpec: no column ${key} in ${kind}`);
  return spec;
}

export interface HeadingMap {
  /** column key → index into the table's headings (and each row's cells) */
  index: Record<string, number>;
  missingRequired: ColumnSpec[];
  /** headings that match no column (shown to the user, not an error) */
  unknown: string[];
  /** headings of columns that appear more than once; the first one is used */
  duplicate: string[];
}

export function mapHeadings(kind: ImportKind, headings: string[]): HeadingMap {
  const index: Record<string, number> = {};
  const unknown: string[] = [];
  const duplicate: string[] = [];
  headings.forEach((heading, i) => {
    const n = normalizeHeading(heading);
    if (n === "" || IGNORED.has(n)) return;
    const spec = getLookup().byKind[kind].get(n);
    if (!spec) unknown.push(heading);
    else if (spec.key in index) duplicate.push(heading);
    else index[spec.key] = i;
  });
  const missingRequired = COLUMNS[kind].filter((c) => c.required && !(c.key in index));
  return { index, missingRequired, unknown, duplicate };
}

// ─── Dates ──────────────────────────────────────────────────────────────────

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
  if (d > daysInMonth(y, m)) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Excel's serial day numbers (1900 system) accepted as dates: 1950-01-01 … 2100-12-31. */
const SERIAL_MIN = 18264;
const SERIAL_MAX = 73415;

/** "YYYY-MM-DD" of an Excel serial day number, or null outside the sane range. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial + 1e-9);
  if (day < SERIAL_MIN || day > SERIAL_MAX) return null;
  // Day 0 is 1899-12-31 and Excel counts a 1900-02-29 that never was, so from
  // serial 61 on the epoch is 1899-12-30 (our range starts far above it):
  // serial 25569 is 1970-01-01, day 0 of the one calendar (app/lib/dates.ts).
  return dateOfDay(day - 25569);
}

/**
 * A date as villages write it, to "YYYY-MM-DD": 2024-01-05, 2024/1/5,
 * 2024.1.5, 2024年1月5日, 20240105, with an optional time after it, or an
 * Excel serial number (45292 → 2024-01-01). null when it is none of these.
 */
export function parseImportDate(text: string): string | null {
  const s = text.normalize("NFKC").trim().replace(/\s+/g, " ");
  if (!s) return null;
  let m = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s);
  if (m) return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(s);
  if (m) return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{4,5}(?:\.\d+)?$/.test(s)) return excelSerialToDate(Number(s));
  return null;
}

/**
 * A yearly payment day to "MM-DD": 12-31, 12/31, 12.31, 12月31日, 1231, or a
 * whole date (Excel turns a typed "12-31" into 31 December of this year).
 */
export function parseMonthDay(text: string): string | null {
  const s = text.normalize("NFKC").replace(/\s+/g, "");
  const m = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return parseImportDate(s)?.slice(5) ?? null;
  const v = validYmd(2024, Number(m[1]), Number(m[2]));
  return v ? v.slice(5) : null;
}

/** A year: 2019, 2019年, or the year of a date (2019-12, 2019-12-01, a serial). */
export function parseYear(text: string): number | null {
  const s = text.normalize("NFKC").replace(/\s+/g, "");
  if (!s) return null;
  const m = /^(\d{4})(?:年(?:度|份)?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?|年\d{1,2}月(?:\d{1,2}日)?)?$/.exec(s);
  if (m) return Number(m[1]);
  const d = parseImportDate(s);
  return d ? Number(d.slice(0, 4)) : null;
}
