import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { formatYuan } from "~/lib/money";
import { auditVillage, trendPointOf, type HouseholdYear, type TrendPoint } from "./audit";
import { householdBuilder } from "../../tests/household-years";
import { auditReportPdf, auditReportTitle, type AuditReportInput } from "./audit-pdf.server";

/**
 * Renders the audit report and reads it back with poppler (pdftotext,
 * pdfinfo). Set INCOME_PDF_OUT=/some/dir to keep the files and look at
 * them: `pdftoppm -png -r 80 audit.pdf page`.
 */

let dir: string;
beforeAll(() => {
  dir = process.env.INCOME_PDF_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), "income-pdf-"));
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  if (!process.env.INCOME_PDF_OUT) fs.rmSync(dir, { recursive: true, force: true });
});

const zh = translator("zh-CN");
const LINE = 720_000n;

const { hh, reset } = householdBuilder();

/** A small village whose figures are worked out in the comments. */
function rows(): HouseholdYear[] {
  reset();
  return [
    // 1,900,000 / 3 = 633,333.33 → 6,333.33 yuan: BELOW 7,200 (88.0 %)
    hh({ code: "0001", headName: "谢建国", status: "ALLEVIATED", statusYear: 2019, wageFen: 1_200_000n, operatingFen: 400_000n, propertyFen: 180_000n, transferFen: 120_000n, previousTotalFen: 2_000_000n, arrearsFen: 96_000n }),
    // 1,500,000 / 2 = 750,000 → 7,500.00: NEAR (104.2 %); unpaid dividend 300.00
    hh({ code: "0002", headName: "李秀英", status: "MONITORED", members: 2, memberDays: 730, wageFen: 1_000_000n, propertyFen: 200_000n, transferFen: 300_000n, unpaidDividendFen: 30_000n }),
    // an ordinary household whose income fell from 40,000 to 20,000: -50.0 %
    hh({ code: "0003", headName: "王德胜", members: 4, memberDays: 1460, wageFen: 1_500_000n, operatingFen: 500_000n, previousTotalFen: 4_000_000n }),
    // 3,000,000 / 3 = 1,000,000 → 10,000.00 (138.9 %), ABOVE
    hh({ code: "0004", headName: "张红梅", status: "ALLEVIATED", statusYear: 2020, wageFen: 2_400_000n, propertyFen: 300_000n, transferFen: 300_000n }),
  ];
}

function input(over: Partial<AuditReportInput> = {}): AuditReportInput {
  const village = auditVillage(rows(), { villageId: 7, villageName: "鲁谢庄村", year: 2025, lineFen: LINE });
  const trend: TrendPoint[] = [
    { year: 2023, households: 4, memberDays: 4380, daysInYear: 365, totals: { WAGE: 5_500_000n, OPERATING: 1_000_000n, PROPERTY: 500_000n, TRANSFER: 600_000n }, lineFen: 660_000n },
    { year: 2024, households: 4, memberDays: 4392, daysInYear: 366, totals: { WAGE: 6_000_000n, OPERATING: 1_200_000n, PROPERTY: 600_000n, TRANSFER: 700_000n }, lineFen: 690_000n },
    trendPointOf(village),
  ];
  return {
    township: "小留镇",
    village,
    trend,
    line: { amountFen: LINE, source: "演示数据：非官方数值，仅供演示" },
    generatedAt: "2026-03-01 10:20",
    generatedBy: "乡镇干部 张明",
    ...over,
  };
}

async function save(name: string, buf: Buffer): Promise<string> {
  expect(buf.subarray(0, 5).toString()).toBe("%PDF-");
  const file = path.join(dir, name);
  fs.writeFileSync(file, buf);
  return file;
}
const text = (file: string) => execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
/** pdftotext drops or adds spaces in small print: compare without whitespace. */
const flat = (s: string) => s.replace(/\s+/g, "");
const pages = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" }))![1]);

describe("auditReportPdf", () => {
  it("prints the title, the line with its source, and every figure as on screen", async () => {
    const inp = input();
    const v = inp.village;
    // the figures the test expects, worked out by hand
    expect(v.totals.total).toBe(8_400_000n);
    expect(v.perCapita.overallFen).toBe(700_000n); // 8,400,000 / 12 member-years
    const file = await save("audit.pdf", await auditReportPdf(inp, zh));
    const t = flat(text(file));
    expect(t).toContain(flat("鲁谢庄村 2025年 脱贫户、监测户收入核查报告"));
    expect(t).toContain(flat("小留镇 鲁谢庄村"));
    expect(t).toContain(flat("2025 年防止返贫监测线：7,200.00 元/人·年"));
    expect(t).toContain(flat("来源：演示数据：非官方数值，仅供演示"));

    // summary
    expect(t).toContain(flat("农户（户） 4"));
    expect(t).toContain(flat("家庭人口（人·年） 12.00"));
    expect(t).toContain(flat("全年纯收入合计（元） 84,000.00"));
    expect(t).toContain(flat("全村人均纯收入（元） 7,000.00"));
    expect(t).toContain(flat("户人均纯收入中位数（元） 6,916.67")); // (6,333.33… + 7,500) / 2
    expect(t).toContain(flat("低于监测线的脱贫户、监测户（户） 1"));
    expect(t).toContain(flat("欠付租金和未付分红合计（元） 1,260.00"));

    // composition: amount, share, per capita
    expect(t).toContain(flat("工资性收入 61,000.00 72.6% 5,083.33"));
    expect(t).toContain(flat("经营净收入 9,000.00 10.7% 750.00"));
    expect(t).toContain(flat("财产净收入 6,800.00 8.1% 566.67"));
    expect(t).toContain(flat("转移净收入 7,200.00 8.6% 600.00"));
    // distribution against the line, with its ranges
    expect(t).toContain(flat("50%–100% 3,600.00 – 7,200.00 2 50.0%"));
    expect(t).toContain(flat("100%–110% 7,200.00 – 7,920.00 1 25.0%"));
    expect(t).toContain(flat("110%–150% 7,920.00 – 10,800.00 1 25.0%"));

    // flagged households: code, head, status, members, member-years, total, per capita, % of line, flag
    expect(t).toContain(flat("1 0001 谢建国 脱贫户（2019） 3 3.00 19,000.00 6,333.33 88.0% 低于监测线"));
    expect(t).toContain(flat("2 0002 李秀英 监测户 2 2.00 15,000.00 7,500.00 104.2% 接近监测线"));
    expect(t).not.toContain(flat("张红梅 脱贫户（2020） 3"));

    // income fell, on household totals
    expect(t).toContain(flat("1 0003 王德胜 一般户 40,000.00 20,000.00 -50.0% 5,000.00"));
    expect(t).toContain(flat("按家庭全年纯收入（不是人均）与上年比较"));

    // owed to the audited households, with a total row
    expect(t).toContain(flat("1 0001 谢建国 脱贫户（2019） 960.00 0.00 960.00"));
    expect(t).toContain(flat("2 0002 李秀英 监测户 0.00 300.00 300.00"));
    expect(t).toContain(flat("合计（2 户） 960.00 300.00 1,260.00"));

    // trend: per capita by category and year, and the line
    expect(t).toContain(flat("2023 4 12.00 4,583.33 833.33 416.67 500.00 6,333.33 6,600.00"));
    expect(t).toContain(flat("2025 4 12.00 5,083.33 750.00 566.67 600.00 7,000.00 7,200.00"));

    // signatures, footer, page numbers
    expect(t).toContain(flat("核查人（签字）"));
    expect(t).toContain(flat("审核人（签字）"));
    expect(t).toContain(flat("生成时间 2026-03-01 10:20 乡镇干部 张明"));
    expect(t).toContain(flat(`第 1 页 共 ${pages(file)} 页`));
  });

  it("prints the same figures as formatYuan for every flagged row", async () => {
    const inp = input();
    const t = flat(text(await save("audit-again.pdf", await auditReportPdf(inp, zh))));
    expect(inp.village.flagged.length).toBe(2);
    for (const r of inp.village.flagged) {
      expect(t).toContain(flat(`${r.code} ${r.headName}`));
      expect(t).toContain(formatYuan(r.perCapitaFen!));
      expect(t).toContain(formatYuan(r.totalFen));
    }
  });

  it("says when no line is set and flags nothing", async () => {
    const village = auditVillage(rows(), { villageId: 7, villageName: "鲁谢庄村", year: 2025, lineFen: null });
    const file = await save("audit-noline.pdf", await auditReportPdf(input({ village, line: null }), zh));
    const t = flat(text(file));
    expect(t).toContain(flat("2025 年未设置防止返贫监测线，本报告不作低于或接近监测线的标记"));
    expect(t).toContain(flat("未设置监测线，无法标记。"));
    expect(t).toContain(flat("5千–1万元 5,000.00 – 10,000.00 3 75.0%"));
  });

  it("runs long tables over several pages, repeating their header", async () => {
    reset();
    const many: HouseholdYear[] = [];
    for (let i = 0; i < 140; i++) {
      many.push(hh({ code: String(1000 + i), headName: `农户${i}`, status: i % 2 ? "ALLEVIATED" : "MONITORED", statusYear: i % 2 ? 2018 : null, wageFen: BigInt(1_000_000 + i * 5_000), previousTotalFen: i % 3 === 0 ? 5_000_000n : null, arrearsFen: i % 4 === 0 ? 12_345n : 0n }));
    }
    const village = auditVillage(many, { villageId: 7, villageName: "鲁谢庄村", year: 2025, lineFen: LINE });
    expect(village.flagged.length).toBe(140);
    const file = await save("audit-long.pdf", await auditReportPdf(input({ village }), zh));
    const n = pages(file);
    expect(n).toBeGreaterThanOrEqual(5);
    const t = text(file);
    // the flagged table's header on each page it runs onto
    const perPage = t.split("\f").filter((p) => p.includes("农户"));
    for (const p of perPage) expect(flat(p)).toMatch(/序号户编号户主/);
    expect(flat(t)).toContain(flat("140 1139 农户139"));
    expect(flat(t)).toContain(flat(`第 ${n} 页 共 ${n} 页`));
    // the signature block comes last
    expect(flat(t.split("\f")[n - 1]!)).toContain("审核人（签字）");
  });

  it("is the same document in English", async () => {
    const en = translator("en");
    const inp = input();
    expect(auditReportTitle(inp, en)).toBe("鲁谢庄村 2025: income audit of poverty-alleviated and monitored households");
    const t = flat(text(await save("audit-en.pdf", await auditReportPdf(inp, en))));
    expect(t).toContain(flat("Monitoring line for 2025: 7,200.00 yuan per person per year"));
    expect(t).toContain(flat("88.0% Below"));
    expect(t).toContain(flat("Page 1 of"));
    expect(t).toContain("6,333.33");
  });

  it("looks right: page 1 rendered to PNG", async () => {
    const file = await save("audit-look.pdf", await auditReportPdf(input(), zh));
    execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, path.join(dir, "audit-page")]);
    const png = fs.readdirSync(dir).find((f) => f.startsWith("audit-page") && f.endsWith(".png"));
    expect(png).toBeTruthy();
    expect(fs.statSync(path.join(dir, png!)).size).toBeGreaterThan(10_000);
  });
});
