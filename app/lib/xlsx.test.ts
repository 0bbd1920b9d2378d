import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { textCell, writeXlsx, xlsxHeaders } from "./xlsx.server";

type Row = { code: string; fen: bigint; area: string; day: string };

async function firstSheet(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe("writeXlsx", () => {
  const columns = [
    { header: "编码", type: "text" as const, value: (r: Row) => r.code },
    { header: "金额", type: "money" as const, value: (r: Row) => r.fen, total: "sum" as const },
    { header: "面积", type: "decimal" as const, value: (r: Row) => r.area, total: "sum" as const },
    { header: "日期", type: "date" as const, value: (r: Row) => r.day },
  ];

  it("money from fen, exact totals, long codes as text, a cleaned sheet name", async () => {
    const rows: Row[] = [
      { code: "0012345678901234567", fen: 10n, area: "0.1", day: "2026-01-01" },
      { code: "3717021020010300001", fen: 20n, area: "0.2", day: "2026-12-31" },
    ];
    const ws = await firstSheet(
      await writeXlsx([{ name: "a/b:c*d?[e]这是一个非常非常非常非常长的工作表名称超过三十一", title: "T", columns, rows, totalsLabel: "合计" }]),
    );
    expect(ws.name.length).toBeLessThanOrEqual(31);
    expect(ws.name).not.toMatch(/[[\]:*?/\\]/);
    expect(ws.getCell("A4").value).toBe("0012345678901234567"); // leading zeros kept
    expect(ws.getCell("B4").value).toBe(0.1);
    // 0.1 + 0.2 summed in Decimal, not floats
    expect(ws.getCell("B6").value).toBe(0.3);
    expect(ws.getCell("C6").value).toBe(0.3);
    expect((ws.getCell("D5").value as Date).toISOString()).toBe("2026-12-31T00:00:00.000Z");
  });

  it("refuses money given as a JS number", async () => {
    await expect(
      writeXlsx([{ name: "x", title: "x", columns: [{ header: "金额", type: "money", value: () => 0.1 }], rows: [{}] }]),
    ).rejects.toThrow(RangeError);
  });

  it("download headers carry a UTF-8 file name", () => {
    const h = xlsxHeaders("流转台账 2026.xlsx");
    expect(h["Content-Disposition"]).toContain("filename*=UTF-8''%E6%B5%81");
    expect(h["Content-Disposition"]).toContain('filename="____ 2026.xlsx"');
  });
});

describe("text cells", () => {
  it.each([
    ["=HYPERLINK(\"http://evil.example\",\"点这里\")", "'=HYPERLINK(\"http://evil.example\",\"点这里\")"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["\t=1+1", "'\t=1+1"],
    ["＝1+1", "'＝1+1"],
  ])("keeps formula-looking text as text: %j", (raw, expected) => {
    expect(textCell(raw)).toBe(expected);
  });

  it.each(["鲁守信", "-", "-12.50", "3717021020010300001", "", "a=b"])("leaves ordinary text alone: %j", (raw) => {
    expect(textCell(raw)).toBe(raw);
  });

  it("writes the prefixed value into the workbook", async () => {
    const ws = await firstSheet(await writeXlsx([{ name: "s", title: "T", columns: [{ header: "备注", type: "text" as const, value: (r: { n: string }) => r.n }], rows: [{ n: "=1+1" }] }]));
    expect(ws.getCell(4, 1).value).toBe("'=1+1");
  });
});
