import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { badChecksum, cleanRoster, contractContext, householdContext, plotContext, readBack, ROSTER_HEADINGS, xlsxBytes } from "../../tests/fixtures/imports/workbooks";
import { COLUMNS, IMPORT_KINDS, mapHeadings, type ImportKind } from "./columns";
import { checkContractRows } from "./contracts";
import { errorFileXlsx } from "./error-file.server";
import { checkHouseholdRows } from "./households";
import { checkPlotRows } from "./plots";
import { readTable, type RawTable } from "./read-table.server";
import { templateXlsx } from "./templates.server";

const t = translator("zh-CN");

async function read(bytes: Uint8Array | Buffer, name = "file.xlsx"): Promise<RawTable> {
  const r = await readTable(new Uint8Array(bytes), name);
  if (!r.ok) throw new Error(r.error.key);
  return r.table;
}

function checkKind(kind: ImportKind, table: RawTable) {
  const { index } = mapHeadings(kind, table.headings);
  if (kind === "HOUSEHOLDS") return checkHouseholdRows(table, index, householdContext(), 2026);
  if (kind === "PLOTS") return checkPlotRows(table, index, plotContext());
  return checkContractRows(table, index, contractContext());
}

describe("templateXlsx", () => {
  it.each(IMPORT_KINDS)("%s: the template reads back and its example row passes every check", async (kind) => {
    const bytes = await templateXlsx(kind, t);
    const table = await read(bytes, "模板.xlsx");
    const mapped = mapHeadings(kind, table.headings);
    expect(mapped.unknown).toEqual([]);
    expect(mapped.missingRequired).toEqual([]);
    expect(Object.keys(mapped.index)).toHaveLength(COLUMNS[kind].length);
    expect(table.rows).toHaveLength(1);
    const result = checkKind(kind, table);
    expect([...result.rowErrors]).toEqual([]);
    expect(result.counts.create).toBe(1);
  });

  it("marks required headings, keeps code columns as text and explains every column on a second sheet", async () => {
    const bytes = await templateXlsx("HOUSEHOLDS", t);
    const ws = await readBack(bytes);
    expect(ws.name).toBe("农户花名册");
    const headings = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headings).toContain("身份证号*");
    expect(headings).toContain("户编号");
    const idCol = headings.indexOf("身份证号*") + 1;
    expect(ws.getCell(2, idCol).value).toMatch(/^\d{17}[\dX]$/);
    expect(ws.getCell(2, idCol).numFmt).toBe("@");
    expect(ws.getColumn(idCol).numFmt).toBe("@");
    const guide = await readBack(bytes, 1);
    expect(guide.name).toBe("填写说明");
    const text = JSON.stringify(guide.getSheetValues());
    for (const spec of COLUMNS.HOUSEHOLDS) expect(text).toContain(spec.heading);
    expect(text).toContain("公民身份号码");
    expect(text).toContain("户主、配偶、子、女");
  });
});

describe("errorFileXlsx", () => {
  it("repeats the user's rows with the message in the right row, and the fixed file imports", async () => {
    const { rows, people } = cleanRoster();
    rows[2]![6] = badChecksum(people.c.id);
    rows[4]![6] = people.b.id; // 鲁小红 given 王秀兰's ID number
    const table = await read(await xlsxBytes({ rows: [["鲁谢庄村农户花名册"], ROSTER_HEADINGS, ...rows], merges: ["A1:K1"] }));
    const result = checkHouseholdRows(table, mapHeadings("HOUSEHOLDS", table.headings).index, householdContext(), 2026);
    expect([...result.rowErrors.keys()]).toEqual([4, 5, 7]);

    const file = await errorFileXlsx(table, result.rowErrors, t);
    const ws = await readBack(file);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...ROSTER_HEADINGS, "行号", "错误说明"]);
    const byRowNumber = new Map<number, ExcelJS.Row>();
    ws.eachRow((row, n) => {
      if (n > 1) byRowNumber.set(Number(row.getCell(12).value), row);
    });
    expect([...byRowNumber.keys()]).toEqual([3, 4, 5, 6, 7]);
    expect(byRowNumber.get(5)!.getCell(13).value).toBe(`身份证号：身份证号校验位错误（第 18 位应为 ${people.c.id[17]}），请核对号码`);
    expect(byRowNumber.get(4)!.getCell(13).value).toBe(`身份证号：第 4 行与第 7 行是同一人（身份证号 ${people.b.id}），却分在 0101 户和 0102 户`);
    expect(byRowNumber.get(3)!.getCell(13).value ?? "").toBe("");
    const idCell = byRowNumber.get(5)!.getCell(7);
    expect(idCell.value).toBe(badChecksum(people.c.id));
    expect(idCell.numFmt).toBe("@");
    expect((idCell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");

    // The user fixes the two cells and uploads the error file itself.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const rn = Number(row.getCell(12).value);
      if (rn === 5) row.getCell(7).value = people.c.id;
      if (rn === 7) row.getCell(7).value = people.e.id;
    });
    const fixed = await read(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    const mapped = mapHeadings("HOUSEHOLDS", fixed.headings);
    expect(mapped.unknown).toEqual([]);
    const again = checkHouseholdRows(fixed, mapped.index, householdContext(), 2026);
    expect([...again.rowErrors]).toEqual([]);
    expect(again.counts).toMatchObject({ households: 2, people: 5, create: 2 });
  });

  it("states problems of the file above the headings, where a re-upload skips them", async () => {
    const { rows } = cleanRoster();
    const headings = ROSTER_HEADINGS.filter((h) => h !== "身份证号");
    const table = await read(await xlsxBytes({ rows: [headings, ...rows.map((r) => r.filter((_, i) => i !== 6))] }));
    const result = checkHouseholdRows(table, mapHeadings("HOUSEHOLDS", table.headings).index, householdContext(), 2026);
    const file = await errorFileXlsx(table, result.rowErrors, t);
    const ws = await readBack(file);
    expect(ws.getCell(1, 1).value).toBe("文件问题：缺少必填列：身份证号");
    expect(ws.getCell(2, 1).value).toBe("户编号");
    const again = await read(file);
    expect(again.headerRowNumber).toBe(2);
    expect(again.headings).toEqual([...headings, "行号", "错误说明"]);
    expect(again.rows).toHaveLength(5);
  });
});
