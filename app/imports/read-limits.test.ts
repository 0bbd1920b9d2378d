import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvText, utf8Bytes, xlsxBytes } from "../../tests/fixtures/imports/workbooks";
import { buildZip, deflateRepeated, SHEET_HEAD, SHEET_TAIL, sheetRow, xlsxEntries } from "../../tests/zips";
import { MiB } from "~/lib/upload-limits.server";
import { DEFAULT_READ_LIMITS, MAX_IMPORT_ROWS, parseCsv, readTable, readTableWith } from "./read-table.server";
import { FileRefused, readWorkbookFast } from "./xlsx-fast.server";

const HEAD = ["姓名", "身份证号", "与户主关系"];
const rows = (n: number) => Array.from({ length: n }, (_, i) => [`王${i}`, `37170219800101${String(i).padStart(4, "0")}`, "户主"]);

describe("rows per import are capped while reading", () => {
  it("is 200,000 rows by default", () => {
    expect(MAX_IMPORT_ROWS).toBe(200_000);
    expect(DEFAULT_READ_LIMITS.maxRows).toBe(200_000);
  });

  it("refuses a CSV with one row more than the cap, with the cap in the message", async () => {
    const at = await readTable(utf8Bytes(csvText([HEAD, ...rows(50)])), "a.csv", { maxRows: 50 });
    expect(at.ok && at.table.rows.length).toBe(50);
    expect(await readTable(utf8Bytes(csvText([["花名册"], HEAD, ...rows(51)])), "a.csv", { maxRows: 50 })).toEqual({ ok: false, error: { key: "import.file.tooManyRows", params: { max: 50 } } });
  });

  it("refuses an .xlsx over the cap, with either engine", async () => {
    const bytes = await xlsxBytes({ rows: [HEAD, ...rows(31)] });
    const refused = { ok: false, error: { key: "import.file.tooManyRows", params: { max: 30 } } };
    expect(await readTableWith(bytes, "a.xlsx", "fast", { maxRows: 30 })).toEqual(refused);
    expect(await readTableWith(bytes, "a.xlsx", "exceljs", { maxRows: 30 })).toEqual(refused);
    expect((await readTableWith(bytes, "a.xlsx", "fast", { maxRows: 31 })).ok).toBe(true);
  });

  it("stops parsing a CSV once the rows with text pass the cap, before the table is built", () => {
    const text = "a,b\n" + "1,2\n".repeat(100_000);
    let thrown: unknown = null;
    try {
      parseCsv(text, ",", 10);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FileRefused);
    // blank lines do not count against the cap
    expect(parseCsv("a,b\n,\n \n,,\n1,2\n", ",", 2)).toHaveLength(5);
  });

  it("stops reading a sheet once its rows pass the cap", async () => {
    const sheet = SHEET_HEAD + sheetRow(HEAD) + sheetRow(["x", "y", "z"]).repeat(1000) + SHEET_TAIL;
    await expect(readWorkbookFast(buildZip(xlsxEntries(sheet)), { maxInflatedBytes: MiB, maxSheetRows: 100 })).rejects.toBeInstanceOf(FileRefused);
  });

  it("property: a CSV reads exactly when its data rows fit the cap", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }), async (n, cap, titles, blanks) => {
        const lines = [...Array.from({ length: titles }, () => ["名册"]), HEAD, ...rows(n), ...Array.from({ length: blanks }, () => ["", "", ""])];
        const r = await readTable(utf8Bytes(csvText(lines)), "a.csv", { maxRows: cap });
        if (n === 0) expect(r.ok).toBe(true);
        else if (n <= cap) expect(r.ok && r.table.rows.length).toBe(n);
        else expect(r).toEqual({ ok: false, error: { key: "import.file.tooManyRows", params: { max: cap } } });
      }),
      { numRuns: 60 },
    );
  });
});

describe("an .xlsx is limited by the bytes it inflates to", () => {
  it("refuses a sheet that declares 2 KB but inflates to 3 MB, at a 1 MB budget", async () => {
    const sheet = await deflateRepeated(SHEET_HEAD + sheetRow(HEAD), sheetRow(["王五", "x", "户主"]), 3 * MiB, SHEET_TAIL);
    const bytes = buildZip(xlsxEntries(sheet, { declaredSize: 2048 }));
    expect(bytes.length).toBeLessThan(50_000);
    const refused = { ok: false, error: { key: "import.file.inflatedTooLarge", params: { mb: 1 } } };
    expect(await readTable(bytes, "a.xlsx", { maxInflatedBytes: MiB })).toEqual(refused);
    expect(await readTableWith(bytes, "a.xlsx", "exceljs", { maxInflatedBytes: MiB, maxFallbackInflatedBytes: MiB })).toEqual({ ok: false, error: { key: "import.file.unreadable", params: { name: "a.xlsx" } } });
  });

  it("reads an ordinary workbook well within the default budget", async () => {
    const r = await readTable(await xlsxBytes({ rows: [HEAD, ...rows(200)] }), "a.xlsx");
    expect(r.ok && r.table.rows.length).toBe(200);
  });

  it("gives exceljs only what the bounded reader unpacked: a workbook the fast reader does not understand and that passes the fallback budget is unreadable", async () => {
    // a cell reference the fast reader refuses, so readTable falls back
    const sheet = SHEET_HEAD + `<row r="1"><c r="1A"><v>1</v></c></row>` + sheetRow(["x"]).repeat(20_000) + SHEET_TAIL;
    const bytes = buildZip(xlsxEntries(sheet));
    expect(await readTable(bytes, "a.xlsx", { maxFallbackInflatedBytes: 100_000 })).toEqual({ ok: false, error: { key: "import.file.unreadable", params: { name: "a.xlsx" } } });
  });
});

describe("rows × columns are bounded", () => {
  it("refuses a heading row of thousands of columns over many tiny rows before making the rows that wide", async () => {
    const wide = ["姓名", "身份证号", ...Array.from({ length: 5000 }, (_, i) => `列${i}`)].join(",");
    const text = wide + "\n" + "王五\n".repeat(3000);
    expect(await readTable(utf8Bytes(text), "a.csv", { maxCells: 1_000_000 })).toEqual({ ok: false, error: { key: "import.file.tooManyCells", params: { max: 1_000_000 } } });
    const ok = await readTable(utf8Bytes(wide + "\n" + "王五\n".repeat(100)), "a.csv", { maxCells: 1_000_000 });
    expect(ok.ok && ok.table.rows.length).toBe(100);
  });
});

describe("merged cells are bounded too", () => {
  it("refuses merges that together cover more rows than the reader keeps, without handing them to exceljs", async () => {
    // 300 merges of 10,000 rows each in a sheet that reaches row 20,000: 3 million covered rows
    const merges = Array.from({ length: 300 }, (_, i) => `<mergeCell ref="B${i + 2}:B${i + 10_001}"/>`).join("");
    const sheet = SHEET_HEAD + sheetRow(HEAD) + `<row r="20000"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData><mergeCells>${merges}</mergeCells></worksheet>`;
    const bytes = buildZip(xlsxEntries(sheet));
    expect(await readTable(bytes, "a.xlsx")).toEqual({ ok: false, error: { key: "import.file.tooManyMerges" } });
  });
});

describe("XML parts with a DOCTYPE are refused", () => {
  const sheet = `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` + SHEET_HEAD.replace(/^<\?xml[^>]*>/, "") + sheetRow(HEAD) + sheetRow(["&b;", "1", "户主"]) + SHEET_TAIL;
  it.each(["fast", "exceljs", "auto"] as const)("by the %s engine", async (engine) => {
    expect(await readTableWith(buildZip(xlsxEntries(sheet)), "名册.xlsx", engine)).toEqual({ ok: false, error: { key: "import.file.doctype", params: { name: "名册.xlsx" } } });
  });
});
