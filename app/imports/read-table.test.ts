import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { cleanRoster, csvText, gbkBytes, ROSTER_HEADINGS, utf8Bytes, xlsxBytes, type SheetSpec } from "../../tests/fixtures/imports/workbooks";
import { cellText, decodeText, numberText, parseCsv, readTable, readTableWith, type RawTable } from "./read-table.server";

async function table(bytes: Uint8Array, name = "花名册.xlsx"): Promise<RawTable> {
  const r = await readTable(bytes, name);
  if (!r.ok) throw new Error(`readTable failed: ${r.error.key}`);
  return r.table;
}

describe("readTable: xlsx", () => {
  it("reads headings and rows with Excel's row numbers, dropping empty rows", async () => {
    const bytes = await xlsxBytes({
      rows: [["姓名", "身份证号", "与户主关系"], ["谢建国", "11010519491231002X", "户主"], [], ["王秀兰", " 440524188001010014 ", "妻"], [], [null, "", null], []],
    });
    const t = await table(bytes);
    expect(t).toMatchObject({ format: "xlsx", encoding: null, sheetName: "Sheet1", headerRowNumber: 1, headings: ["姓名", "身份证号", "与户主关系"] });
    expect(t.rows).toEqual([
      { rowNumber: 2, cells: ["谢建国", "11010519491231002X", "户主"] },
      { rowNumber: 4, cells: ["王秀兰", "440524188001010014", "妻"] },
    ]);
  });

  it("skips a merged title row and uses the merge's value for merged heading and data cells", async () => {
    const bytes = await xlsxBytes({
      rows: [
        ["鲁谢庄村农户花名册"],
        ["填报单位：鲁谢庄村委会"],
        ["户编号", "户主姓名", "姓名", "身份证号"],
        ["0001", "谢建国", "谢建国", "11010519491231002X"],
        [null, null, "王秀兰", "440524188001010014"],
      ],
      merges: ["A1:D1", "A4:A5", "B4:B5"],
    });
    const t = await table(bytes);
    expect(t.headerRowNumber).toBe(3);
    expect(t.headings).toEqual(["户编号", "户主姓名", "姓名", "身份证号"]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ["0001", "谢建国", "谢建国", "11010519491231002X"],
      ["0001", "谢建国", "王秀兰", "440524188001010014"],
    ]);
  });

  it("combines a two-row heading: a merged group heading over sub-headings, vertical merges beside it", async () => {
    const bytes = await xlsxBytes({
      rows: [
        ["承包地块登记表"],
        ["地块编码", "地块名称", "面积（亩）", null, "户主", null],
        [null, null, "合同面积", "实测面积", "姓名", "身份证号"],
        ["3717021020010100001", "东大地", 2.35, 2.4, "谢建国", "11010519491231002X"],
      ],
      merges: ["A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:F2"],
    });
    const t = await table(bytes);
    expect(t.headerRowNumber).toBe(3);
    expect(t.headings).toEqual(["地块编码", "地块名称", "合同面积", "实测面积", "户主姓名", "户主身份证号"]);
    expect(t.rows).toEqual([{ rowNumber: 4, cells: ["3717021020010100001", "东大地", "2.35", "2.4", "谢建国", "11010519491231002X"] }]);
  });

  it("skips a row of column numbers under the headings", async () => {
    const bytes = await xlsxBytes({ rows: [["姓名", "身份证号", "与户主关系"], [1, 2, 3], ["谢建国", "11010519491231002X", "户主"]] });
    expect((await table(bytes)).rows.map((r) => r.rowNumber)).toEqual([3]);
  });

  it("does not take a first data row for sub-headings", async () => {
    const bytes = await xlsxBytes({ rows: [["姓名", "与户主关系", "备注", null], ["谢建国", "户主", "户主", ""]] });
    const t = await table(bytes);
    expect(t.headerRowNumber).toBe(1);
    expect(t.rows).toHaveLength(1);
  });

  it("turns cell values into the text the user sees", async () => {
    const bytes = await xlsxBytes({
      rows: [
        ["姓名", "身份证号", "入户日期", "合同面积", "是否基本农田", "脱贫年度", "备注"],
        [
          { richText: [{ text: "谢" }, { text: "建国" }] },
          371702198001011234,
          new Date(Date.UTC(2024, 0, 5)),
          1.1000000000000001,
          true,
          { formula: "2018+1", result: 2019 },
          { text: "链接", hyperlink: "https://example.org" },
        ],
        ["王秀兰", "440524188001010014", 45292, 0.1 + 0.2, false, { formula: "A1", result: undefined }, { error: "#N/A" }],
      ],
    });
    const t = await table(bytes);
    expect(t.rows[0]!.cells).toEqual(["谢建国", "371702198001011000", "2024-01-05", "1.1", "是", "2019", "链接"]);
    expect(t.rows[1]!.cells).toEqual(["王秀兰", "440524188001010014", "45292", "0.3", "否", "", "#N/A"]);
  });

  it("gives dates as the calendar day whatever the time of day", () => {
    expect(cellText(new Date(Date.UTC(2024, 0, 5, 23, 59, 59, 999)))).toBe("2024-01-06");
    expect(cellText(new Date(Date.UTC(2024, 0, 5, 12)))).toBe("2024-01-05");
    expect(numberText(12345678901234567890)).toBe("12345678901234600000");
    expect(numberText(2.675)).toBe("2.675");
  });

  it("reads the first sheet that has headings", async () => {
    const bytes = await xlsxBytes({ name: "说明", rows: [["这是说明页"]] }, { name: "名册", rows: [["姓名", "身份证号"], ["谢建国", "11010519491231002X"]] });
    const t = await table(bytes);
    expect(t.sheetName).toBe("名册");
  });

  it("refuses files it cannot read, with a clear message", async () => {
    expect(await readTable(new Uint8Array(), "a.xlsx")).toEqual({ ok: false, error: { key: "import.file.empty" } });
    expect(await readTable(utf8Bytes("a,b"), "a.xlsx")).toMatchObject({ ok: false, error: { key: "import.file.unreadable" } });
    expect(await readTable(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), "a.xls")).toMatchObject({ ok: false, error: { key: "import.file.xls" } });
    expect(await readTable(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), "a.xlsx")).toMatchObject({ ok: false, error: { key: "import.file.encrypted" } });
    expect(await readTable(utf8Bytes("x"), "a.pdf")).toMatchObject({ ok: false, error: { key: "import.file.type", params: { name: "a.pdf" } } });
    const noHeadings = await xlsxBytes({ rows: [["甲", "乙"], ["1", "2"]] });
    expect(await readTable(noHeadings, "a.xlsx")).toMatchObject({ ok: false, error: { key: "import.file.noHeadings" } });
    expect(await readTable(await xlsxBytes({ rows: [] }), "a.xlsx")).toMatchObject({ ok: false, error: { key: "import.file.empty" } });
  });
});

describe("readTable: csv", () => {
  const rows = [
    ["户编号", "姓名", "身份证号", "家庭住址"],
    ["0001", "谢建国", "11010519491231002X", "鲁谢庄村, 东街 \"12\" 号"],
    ["0001", "王秀兰", "440524188001010014", "第一行\n第二行"],
    ["", "", "", ""],
    ["0002", "鲁振华", "11010519491231002X", ""],
  ];

  it("reads GBK (what Chinese Excel writes) with Chinese headings", async () => {
    const t = await table(gbkBytes(csvText(rows)), "花名册.csv");
    expect(t).toMatchObject({ format: "csv", encoding: "gb18030", sheetName: null, headerRowNumber: 1, headings: rows[0] });
    expect(t.rows.map((r) => r.rowNumber)).toEqual([2, 3, 6]);
    expect(t.rows[0]!.cells[3]).toBe('鲁谢庄村, 东街 "12" 号');
    expect(t.rows[1]!.cells[3]).toBe("第一行\n第二行");
  });

  it("reads UTF-8 with and without a BOM, and tab-separated text", async () => {
    for (const bytes of [utf8Bytes(csvText(rows)), utf8Bytes(csvText(rows), true)]) {
      const t = await table(bytes, "a.csv");
      expect(t.encoding).toBe("utf-8");
      expect(t.headings).toEqual(rows[0]);
      expect(t.rows).toHaveLength(3);
    }
    const tsv = await table(utf8Bytes(csvText(rows, "\t")), "a.txt");
    expect(tsv.headings).toEqual(rows[0]);
    expect(tsv.rows[0]!.cells[3]).toBe('鲁谢庄村, 东街 "12" 号');
  });

  it("decodes UTF-16 with a BOM and tells GB18030 from UTF-8", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("姓名,身份证号", "utf16le")]);
    expect(decodeText(new Uint8Array(le))).toEqual({ text: "姓名,身份证号", encoding: "utf-16le" });
    expect(decodeText(gbkBytes("鲁谢庄村"))).toEqual({ text: "鲁谢庄村", encoding: "gb18030" });
  });

  it("unwraps the =\"0001\" form that keeps leading zeros in a CSV", async () => {
    const t = await table(utf8Bytes('户编号,姓名,身份证号\r\n="0001",谢建国,"=""11010519491231002X"""\r\n'), "a.csv");
    expect(t.rows[0]!.cells).toEqual(["0001", "谢建国", "11010519491231002X"]);
  });

  it("parses RFC 4180 quoting with CRLF, LF and CR line ends and keeps line numbers", () => {
    expect(parseCsv('a,"b\r\nc",d\r\n"e""f",,\n\rg', ",")).toEqual([
      { line: 1, cells: ["a", "b\r\nc", "d"] },
      { line: 3, cells: ['e"f', "", ""] },
      { line: 4, cells: [""] },
      { line: 5, cells: ["g"] },
    ]);
  });

  it("finds the headings under a title line and a two-line heading", async () => {
    const text = csvText([["鲁谢庄村承包地块"], ["地块编码", "面积（亩）", ""], ["", "合同面积", "实测面积"], ["3717021020010100001", "2.35", "2.40"]]);
    const t = await table(utf8Bytes(text), "a.csv");
    expect(t.headerRowNumber).toBe(3);
    expect(t.headings).toEqual(["地块编码", "合同面积", "实测面积"]);
    expect(t.rows).toEqual([{ rowNumber: 4, cells: ["3717021020010100001", "2.35", "2.40"] }]);
  });
});

describe("readTable: the fast xlsx reader", () => {
  const workbooks: [string, SheetSpec[]][] = [
    ["a roster with a merged title", [{ rows: [["鲁谢庄村农户花名册"], ROSTER_HEADINGS, ...cleanRoster().rows, [], []], merges: ["A1:K1", "A3:A5"] }]],
    [
      "a two-row heading",
      [{ rows: [["地块编码", "面积（亩）", null, "户主", null], [null, "合同面积", "实测面积", "姓名", "身份证号"], ["3717021020010100001", 2.35, 2.4, "谢建国", 371702198001011234]], merges: ["A1:A2", "B1:C1", "D1:E1"] }],
    ],
    [
      "every kind of value",
      [
        {
          rows: [
            ["姓名", "身份证号", "入户日期", "合同面积", "是否基本农田", "脱贫年度", "备注", "家庭住址"],
            [{ richText: [{ text: "谢" }, { text: "建国" }] }, 371702198001011234, new Date(Date.UTC(2024, 0, 5)), 1.1000000000000001, true, { formula: "2018+1", result: 2019 }, { text: "链接", hyperlink: "https://example.org" }, "A & B <c> \"d\""],
            ["王秀兰", "440524188001010014", 45292, 0.1 + 0.2, false, { formula: "A1", result: undefined }, { error: "#N/A" }, "  有空格  "],
          ],
        },
      ],
    ],
    ["a hidden first sheet", [{ name: "说明", rows: [["姓名", "身份证号"], ["隐藏", "x"]] }, { name: "名册", rows: [["姓名", "身份证号"], ["谢建国", "11010519491231002X"]] }]],
  ];

  it.each(workbooks)("gives what exceljs gives: %s", async (_, sheets) => {
    const bytes = await xlsxBytes(...sheets);
    const fast = await readTableWith(bytes, "a.xlsx", "fast");
    const slow = await readTableWith(bytes, "a.xlsx", "exceljs");
    expect(fast).toEqual(slow);
    expect(fast.ok).toBe(true);
  });

  async function handMade(sheetXml: string, extra: { styles?: string; shared?: string; workbook?: string } = {}): Promise<Uint8Array> {
    const zip = new JSZip();
    zip.file("[Content_Types].xml", "<Types/>");
    zip.file(
      "xl/workbook.xml",
      extra.workbook ??
        `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="名册" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
    );
    zip.file("xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>`);
    zip.file("xl/worksheets/sheet1.xml", sheetXml);
    if (extra.styles) zip.file("xl/styles.xml", extra.styles);
    if (extra.shared) zip.file("xl/sharedStrings.xml", extra.shared);
    return zip.generateAsync({ type: "uint8array" });
  }

  it("reads prefixed elements, inline strings, cells without references, phonetic runs, escapes, Chinese date formats and the 1904 calendar", async () => {
    const styles = `<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="31" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    const shared = `<sst><si><t>姓名</t></si><si><r><t>身份</t></r><r><t>证号</t></r><rPh sb="0" eb="1"><t>シメイ</t></rPh></si><si><t xml:space="preserve">第一行_x000D_</t></si></sst>`;
    const sheet = `<x:worksheet xmlns:x="main"><x:sheetData>
      <x:row r="1"><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>入户日期</x:t></x:is></x:c></x:row>
      <x:row><x:c t="inlineStr"><x:is><x:r><x:t>谢&amp;</x:t></x:r><x:r><x:t>建国</x:t></x:r></x:is></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c s="1"><x:v>43830</x:v></x:c></x:row>
    </x:sheetData></x:worksheet>`;
    const r = await readTableWith(await handMade(sheet, { styles, shared }), "a.xlsx", "fast");
    expect(r).toMatchObject({ ok: true, table: { sheetName: "名册", headings: ["姓名", "身份证号", "入户日期"], rows: [{ rowNumber: 2, cells: ["谢&建国", "第一行", "2024-01-01"] }] } });
  });

  it("falls back to exceljs for a package it does not understand", async () => {
    const bytes = await handMade("<worksheet><sheetData><row r=\"1\"><c r=\"1A\"><v>1</v></c></row></sheetData></worksheet>");
    await expect(readTableWith(bytes, "a.xlsx", "fast")).rejects.toThrow();
    expect(await readTable(bytes, "a.xlsx")).toMatchObject({ ok: false });
  });
});
