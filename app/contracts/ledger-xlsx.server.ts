/**
 * The transfer ledger (流转台账) as an Excel workbook: one row per transferor
 * household of a contract, the columns township offices keep (DOMAIN.md §5),
 * with an area and annual-rent total at the foot. Personal data arrives
 * masked (see ledgerRows in rent.server.ts).
 */
import { writeXlsx, type XlsxColumn } from "~/lib/xlsx.server";
import {
  FORM_ZH,
  paymentTimingShort,
  rentStandardText,
  STATUS_ZH,
  stepText,
  TRANSFEREE_KIND_ZH,
  USE_ZH,
  zh,
  type LedgerRow,
} from "./contract-document";

function columns(withHouseholdCode: boolean): XlsxColumn<LedgerRow>[] {
  return [
    { header: "序号", type: "integer", value: (r) => r.no, width: 6 },
    { header: "合同编号", type: "text", value: (r) => r.contractNo, width: 18 },
    { header: "村组", type: "text", value: (r) => r.villageGroup, width: 16 },
    { header: "户主姓名", type: "text", value: (r) => r.householdHead, width: 10 },
    ...(withHouseholdCode ? [{ header: "承包方编码", type: "text" as const, value: (r: LedgerRow) => r.householdCode ?? "", width: 20 }] : []),
    { header: "身份证号码（脱敏）", type: "text", value: (r) => r.idNumberMasked, width: 20 },
    // one code per line: each stays a 19-character string
    { header: "地块编码", type: "text", value: (r) => r.parcelCodes.join("\n"), width: 22, wrap: true },
    { header: "地块名称", type: "text", value: (r) => r.parcelNames, width: 14 },
    { header: "流转面积（亩）", type: "decimal", value: (r) => r.areaMu, width: 10, total: "sum" },
    { header: "流入方", type: "text", value: (r) => r.transferee, width: 24 },
    { header: "流入方类型", type: "text", value: (r) => zh(TRANSFEREE_KIND_ZH, r.transfereeKind), width: 12 },
    { header: "统一社会信用代码或身份证号", type: "text", value: (r) => r.transfereeCode, width: 21 },
    { header: "流转方式", type: "text", value: (r) => zh(FORM_ZH, r.form), width: 8 },
    { header: "用途", type: "text", value: (r) => [zh(USE_ZH, r.use), r.useNote].filter(Boolean).join("："), width: 14 },
    { header: "起始日期", type: "date", value: (r) => r.startDate, width: 11 },
    { header: "终止日期", type: "date", value: (r) => r.endDate, width: 11 },
    { header: "租金标准", type: "text", value: (r) => [rentStandardText(r.rentStandard), stepText(r.step)].filter(Boolean).join("，"), width: 22 },
    { header: "年租金（元）", type: "money", value: (r) => r.annualRentYuan, width: 12, total: "sum" },
    { header: "支付方式", type: "text", value: (r) => (r.rentStandard.kind === "EQUITY" ? "合作社年度分红" : paymentTimingShort(r.paymentTiming, { monthDay: r.paymentMonthDay, perYear: r.instalmentsPerYear })), width: 16 },
    { header: "风险保障金（元）", type: "money", value: (r) => r.riskDepositYuan, width: 12 },
    { header: "资格审查批准文号", type: "text", value: (r) => r.reviewNo, width: 16 },
    { header: "签订日期", type: "date", value: (r) => r.signedDate, width: 11 },
    { header: "备案日期", type: "date", value: (r) => r.filedDate, width: 11 },
    { header: "状态", type: "text", value: (r) => zh(STATUS_ZH, r.status), width: 8 },
    { header: "备注", type: "text", value: (r) => r.notes, width: 18 },
  ];
}

/**
 * Writes the ledger. `meta.title` is the sheet's title row (e.g.
 * "皇镇土地经营权流转台账"), `meta.generatedAt` is printed under it. Rent in kind has
 * no fixed annual amount: its cell stays empty and the rent standard says
 * why. The risk deposit is per contract and repeats on each of its rows, so
 * it is not summed.
 */
export async function writeLedgerXlsx(rows: LedgerRow[], meta: { title: string; generatedAt: string }): Promise<Buffer<ArrayBuffer>> {
  return writeXlsx([
    {
      name: "流转台账",
      title: meta.title,
      subtitle: `共 ${rows.length} 条　生成时间：${meta.generatedAt}　身份证号码已脱敏`,
      columns: columns(rows.some((r) => r.householdCode)),
      rows,
      totalsLabel: "合计",
    },
  ]);
}
