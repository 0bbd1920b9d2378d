import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { LedgerRow } from "./contract-document";
import { writeLedgerXlsx } from "./ledger-xlsx.server";

function row(over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    no: 1,
    contractNo: "HZ-LZ-2026-0042",
    villageGroup: "张庄村 第3组",
    householdHead: "王建国",
    idNumberMasked: "371702********0018",
    parcelCodes: ["3717021020010300001"],
    parcelNames: "东大洼",
    areaMu: "3.25",
    transferee: "菏泽市牡丹区张庄牡丹种植专业合作社",
    transfereeKind: "COOPERATIVE",
    transfereeCode: "93371702MA3C4K8X1Q",
    form: "LEASE",
    use: "NURSERY",
    useNote: "观赏牡丹",
    startDate: "2026-04-01",
    endDate: "2036-03-31",
    rentStandard: { kind: "CASH", yuanPerMu: "800" },
    annualRentYuan: "2600.00",
    paymentTiming: "YEARLY",
    paymentMonthDay: "12-31",
    step: { percent: "5", everyYears: 3 },
    riskDepositYuan: "5000.00",
    reviewNo: "皇政农审〔2026〕3号",
    signedDate: "2026-03-25",
    filedDate: "2026-04-10",
    status: "ACTIVE",
    notes: "",
    ...over,
  };
}

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe("writeLedgerXlsx", () => {
  it("writes Chinese headers, codes as text and amounts as numbers, and reads back", async () => {
    const rows = [
      row(),
      row({ no: 2, householdHead: "李秀英", idNumberMasked: "371702********002X", parcelCodes: ["3717021020010400003", "3717021020010400004"], parcelNames: "东大洼、河南地", areaMu: "4.10", annualRentYuan: "3280.00" }),
      row({ no: 3, householdHead: "张德胜", areaMu: "2.67", rentStandard: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", priceBasis: "MARKET" }, annualRentYuan: null, paymentTiming: "INSTALMENTS", paymentMonthDay: null, instalmentsPerYear: 4, step: null, status: "FILED", notes: "terminated 2027-03-31" }),
    ];
    const buf = await writeLedgerXlsx(rows, { title: "皇镇土地经营权流转台账", generatedAt: "2026-05-01 10:20" });
    expect(buf.subarray(0, 2).toString()).toBe("PK");
    const ws = await load(buf);

    expect(ws.name).toBe("流转台账");
    expect(ws.getCell("A1").value).toBe("皇镇土地经营权流转台账");
    expect(String(ws.getCell("A2").value)).toContain("2026-05-01 10:20");
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    expect(headers).toEqual([
      "序号", "合同编号", "村组", "户主姓名", "身份证号码（脱敏）", "地块编码", "地块名称", "流转面积（亩）",
      "流入方", "流入方类型", "统一社会信用代码或身份证号", "流转方式", "用途", "起始日期", "终止日期",
      "租金标准", "年租金（元）", "支付方式", "风险保障金（元）", "资格审查批准文号", "签订日期", "备案日期", "状态", "备注",
    ]);
    const col = (h: string) => headers.indexOf(h) + 1;

    // a 19-digit parcel code stays a text cell, every digit kept
    const code = ws.getRow(4).getCell(col("地块编码"));
    expect(code.value).toBe("3717021020010300001");
    expect(code.type).toBe(ExcelJS.ValueType.String);
    expect(code.numFmt).toBe("@");
    expect(ws.getRow(5).getCell(col("地块编码")).value).toBe("3717021020010400003\n3717021020010400004");
    expect(ws.getRow(4).getCell(col("身份证号码（脱敏）")).value).toBe("371702********0018");
    expect(ws.getRow(4).getCell(col("统一社会信用代码或身份证号")).value).toBe("93371702MA3C4K8X1Q");

    // amounts: numbers with a money format
    const rent = ws.getRow(4).getCell(col("年租金（元）"));
    expect(rent.value).toBe(2600);
    expect(rent.numFmt).toBe("#,##0.00");
    expect(ws.getRow(5).getCell(col("年租金（元）")).value).toBe(3280);
    expect(ws.getRow(6).getCell(col("年租金（元）")).value).toBeNull();
    expect(ws.getRow(4).getCell(col("流转面积（亩）")).value).toBe(3.25);
    expect(ws.getRow(4).getCell(col("风险保障金（元）")).value).toBe(5000);

    // worded codes
    expect(ws.getRow(4).getCell(col("流入方类型")).value).toBe("农民专业合作社");
    expect(ws.getRow(4).getCell(col("流转方式")).value).toBe("出租");
    expect(ws.getRow(4).getCell(col("用途")).value).toBe("苗木花卉：观赏牡丹");
    expect(ws.getRow(4).getCell(col("租金标准")).value).toBe("800.00 元/亩/年，每 3 年递增 5%");
    expect(ws.getRow(6).getCell(col("租金标准")).value).toBe("小麦 950 斤/亩/年（按当年当地市场收购价折价）");
    expect(ws.getRow(4).getCell(col("支付方式")).value).toBe("每年定期支付（12月31日）");
    expect(ws.getRow(6).getCell(col("支付方式")).value).toBe("分期支付（每年4期）");
    expect(ws.getRow(4).getCell(col("状态")).value).toBe("履行中");

    // dates are real dates
    const start = ws.getRow(4).getCell(col("起始日期")).value as Date;
    expect(start).toBeInstanceOf(Date);
    expect(start.toISOString().slice(0, 10)).toBe("2026-04-01");

    // totals: area and annual rent summed exactly
    const totals = ws.getRow(7);
    expect(totals.getCell(1).value).toBe("合计");
    expect(totals.getCell(col("流转面积（亩）")).value).toBe(10.02);
    expect(totals.getCell(col("年租金（元）")).value).toBe(5880);

    // frozen header, filter, print setup
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.getColumn(col("地块编码")).width).toBeGreaterThanOrEqual(20);
  });

  it("writes an empty ledger with its headers", async () => {
    const ws = await load(await writeLedgerXlsx([], { title: "台账", generatedAt: "2026-05-01" }));
    expect(ws.getRow(3).getCell(1).value).toBe("序号");
    expect(ws.getRow(4).getCell(1).value).toBe("合计");
  });

  it("adds the household code column when rows carry one", async () => {
    const ws = await load(await writeLedgerXlsx([row({ householdCode: "371702102001030012" })], { title: "台账", generatedAt: "" }));
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    const c = ws.getRow(4).getCell(headers.indexOf("承包方编码") + 1);
    expect(c.value).toBe("371702102001030012");
    expect(c.type).toBe(ExcelJS.ValueType.String);
  });
});
