import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { auditVillage, trendPointOf, type HouseholdYear } from "./audit";
import { householdBuilder } from "../../tests/household-years";
import type { AuditReportInput } from "./audit-pdf.server";
import { auditWorkbook } from "./audit-xlsx.server";

const zh = translator("zh-CN");
const LINE = 720_000n;

const { hh, reset } = householdBuilder();

/** The village of audit-pdf.test.ts: the workbook must carry the same figures. */
function input(lineFen: bigint | null = LINE): AuditReportInput {
  reset();
  const rows = [
    hh({ code: "0001", headName: "谢建国", status: "ALLEVIATED", statusYear: 2019, wageFen: 1_200_000n, operatingFen: 400_000n, propertyFen: 180_000n, transferFen: 120_000n, previousTotalFen: 2_000_000n, arrearsFen: 96_000n }),
    hh({ code: "0002", headName: "李秀英", status: "MONITORED", members: 2, memberDays: 730, wageFen: 1_000_000n, propertyFen: 200_000n, transferFen: 300_000n, unpaidDividendFen: 30_000n }),
    hh({ code: "0003", headName: "王德胜", members: 4, memberDays: 1460, wageFen: 1_500_000n, operatingFen: 500_000n, previousTotalFen: 4_000_000n }),
    hh({ code: "0004", headName: "张红梅", status: "ALLEVIATED", statusYear: 2020, wageFen: 2_400_000n, propertyFen: 300_000n, transferFen: 300_000n }),
  ];
  const village = auditVillage(rows, { villageId: 7, villageName: "鲁谢庄村", year: 2025, lineFen });
  return {
    township: "小留镇",
    village,
    trend: [
      { year: 2024, households: 4, memberDays: 4392, daysInYear: 366, totals: { WAGE: 6_000_000n, OPERATING: 1_200_000n, PROPERTY: 600_000n, TRANSFER: 700_000n }, lineFen: 690_000n },
      trendPointOf(village),
    ],
    line: lineFen === null ? null : { amountFen: lineFen, source: "演示数据：非官方数值，仅供演示" },
    generatedAt: "2026-03-01 10:20",
    generatedBy: "乡镇干部 张明",
  };
}

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Rows under the header (row 3) as { header: value } objects. */
function table(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const headers = (ws.getRow(3).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  for (let r = 4; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as unknown[]).slice(1);
    if (values.every((v) => v === null || v === undefined || v === "")) continue;
    out.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
  }
  return out;
}

describe("auditWorkbook", () => {
  it("has the seven sheets, titled and dated", async () => {
    const wb = await load(await auditWorkbook(input(), zh));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["汇总", "需关注农户", "需复核", "收入下降", "欠付租金分红", "分布", "趋势"]);
    const sum = wb.getWorksheet("汇总")!;
    expect(sum.getCell("A1").value).toBe("鲁谢庄村 2025年 脱贫户、监测户收入核查报告");
    const sub = String(sum.getCell("A2").value);
    expect(sub).toContain("7,200.00 元/人·年");
    expect(sub).toContain("演示数据：非官方数值，仅供演示");
    expect(sub).toContain("2026-03-01 10:20");
  });

  it("writes the summary figures as numbers with the money format", async () => {
    const wb = await load(await auditWorkbook(input(), zh));
    const rows = table(wb.getWorksheet("汇总")!);
    const row = (item: string) => rows.find((r) => r["项目"] === item)!;
    expect(row("农户（户）")).toMatchObject({ 户数: 4, "人·年": 12 });
    expect(row("脱贫户")["户数"]).toBe(2);
    expect(row("工资性收入")).toMatchObject({ "金额（元）": 61000, "占比（%）": 72.6, "人均（元）": 5083.33 });
    expect(row("经营净收入")).toMatchObject({ "金额（元）": 9000, "占比（%）": 10.7, "人均（元）": 750 });
    expect(row("全年纯收入合计（元）")).toMatchObject({ "金额（元）": 84000, "人均（元）": 7000 });
    expect(row("户人均纯收入中位数（元）")["人均（元）"]).toBe(6916.67);
    expect(row("监测线（元）")).toMatchObject({ "人均（元）": 7200, 说明: "演示数据：非官方数值，仅供演示" });
    expect(row("低于监测线的脱贫户、监测户（户）")["户数"]).toBe(1);
    expect(row("欠付租金（元）")["金额（元）"]).toBe(960);
    const ws = wb.getWorksheet("汇总")!;
    const money = ws.getRow(4 + rows.indexOf(row("工资性收入"))).getCell(4);
    expect(money.numFmt).toBe("#,##0.00");
    expect(typeof money.value).toBe("number");
  });

  it("lists the flagged households with codes as text and every category", async () => {
    const wb = await load(await auditWorkbook(input(), zh));
    const ws = wb.getWorksheet("需关注农户")!;
    const rows = table(ws);
    expect(rows.map((r) => [r["序号"], r["户编号"], r["户主"], r["类别"], r["脱贫年度"], r["人均（元）"], r["占监测线（%）"], r["标记"]])).toEqual([
      [1, "0001", "谢建国", "脱贫户", 2019, 6333.33, 88, "低于监测线"],
      [2, "0002", "李秀英", "监测户", null, 7500, 104.2, "接近监测线（高出不超过10%）"],
    ]);
    expect(rows[0]).toMatchObject({ "工资性收入（元）": 12000, "经营净收入（元）": 4000, "财产净收入（元）": 1800, "转移净收入（元）": 1200, "全年纯收入（元）": 19000, "人·年": 3 });
    // "0001" keeps its leading zeros
    expect(ws.getCell("B4").type).toBe(ExcelJS.ValueType.String);
  });

  it("lists falls in income and what is owed, with totals", async () => {
    const wb = await load(await auditWorkbook(input(), zh));
    expect(table(wb.getWorksheet("收入下降")!)).toEqual([
      expect.objectContaining({ 户编号: "0003", 户主: "王德胜", "上年纯收入（元）": 40000, "全年纯收入（元）": 20000, "变化（%）": -50, "人均（元）": 5000 }),
    ]);
    expect(String(wb.getWorksheet("收入下降")!.getCell("A2").value)).toContain("不是人均");
    const owed = table(wb.getWorksheet("欠付租金分红")!);
    expect(owed).toEqual([
      expect.objectContaining({ 户编号: "0001", "欠付租金（元）": 960, "未付分红（元）": 0, "合计（元）": 960 }),
      expect.objectContaining({ 户编号: "0002", "欠付租金（元）": 0, "未付分红（元）": 300, "合计（元）": 300 }),
      expect.objectContaining({ 序号: "合计", "欠付租金（元）": 960, "未付分红（元）": 300, "合计（元）": 1260 }),
    ]);
  });

  it("writes the distribution and the trend", async () => {
    const wb = await load(await auditWorkbook(input(), zh));
    const dist = table(wb.getWorksheet("分布")!);
    expect(dist.map((r) => [r["分档"], r["下限（元）"], r["上限（元）"], r["户数"], r["占比（%）"]])).toEqual([
      ["低于 50%", null, 3600, 0, 0],
      ["50%–100%", 3600, 7200, 2, 50],
      ["100%–110%", 7200, 7920, 1, 25],
      ["110%–150%", 7920, 10800, 1, 25],
      ["150%–200%", 10800, 14400, 0, 0],
      ["200% 及以上", 14400, null, 0, 0],
      ["合计", null, null, 4, null],
    ]);
    const trend = table(wb.getWorksheet("趋势")!);
    expect(trend.map((r) => [r["年度"], r["人·年"], r["工资性收入人均（元）"], r["人均（元）"], r["监测线（元）"]])).toEqual([
      [2024, 12, 5000, 7083.33, 6900],
      [2025, 12, 5083.33, 7000, 7200],
    ]);
  });

  it("works without a line", async () => {
    const wb = await load(await auditWorkbook(input(null), zh));
    expect(table(wb.getWorksheet("需关注农户")!)).toEqual([]);
    expect(String(wb.getWorksheet("汇总")!.getCell("A2").value)).toContain("未设置防止返贫监测线");
    expect(table(wb.getWorksheet("分布")!)[0]!["分档"]).toBe("5千元以下");
  });

  it("names its sheets in English for English users", async () => {
    const wb = await load(await auditWorkbook(input(), translator("en")));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Summary", "Flagged households", "To review", "Income fell", "Rent and dividends owed", "Distribution", "Trend"]);
  });
});
