/**
 * The error file of a dry run (错误说明): the user's own heading row and every
 * data row in the original order, then the columns 行号 and 错误说明; rows
 * with errors are highlighted, and so is each cell an error points at. The
 * user fixes the rows and uploads the file again: the heading finder skips
 * the note above the headings, and 行号/错误说明 are ignored columns.
 */
import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { Translate } from "~/lib/i18n";
import type { RowError } from "./check-common";
import { rowErrorText } from "./report";
import type { RawTable } from "./table";

const HEAD_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
const ROW_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
const CELL_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFC7CE" } };
const RED = { argb: "FF9C0006" };

function width(texts: string[]): number {
  let w = 8;
  for (const s of texts) {
    let n = 0;
    for (const ch of s) n += ch.charCodeAt(0) > 0xff ? 2 : 1;
    if (n > w) w = n;
  }
  return Math.min(w + 2, 40);
}

type RowErrorMap = Map<number, { column: string | null; key: string; params?: Record<string, string | number> }[]>;

export async function errorFileXlsx(table: RawTable, rowErrors: RowErrorMap, t: Translate): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (c: Buffer) => chunks.push(c));
  await errorFileXlsxTo(sink, table, rowErrors, t);
  return Buffer.concat(chunks);
}

/** The same workbook written to a stream (a job's result file), never held whole. Resolves once every byte has been written. */
export async function errorFileXlsxTo(sink: Writable, table: RawTable, rowErrors: RowErrorMap, t: Translate): Promise<void> {
  const dataRows = new Set(table.rows.map((r) => r.rowNumber));
  // Errors of the file as a whole (missing columns) or of rows that are not data rows.
  const fileProblems: RowError[] = [];
  for (const [rn, errors] of rowErrors) if (!dataRows.has(rn)) fileProblems.push(...errors);

  // The streaming writer: a 20,000-row file in a fraction of the time and memory of the in-memory one.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  wb.creator = "村社账本 Cunshe Ledger";
  wb.created = new Date();
  const headingRow = fileProblems.length ? 2 : 1;
  const ws = wb.addWorksheet(t("import.errorFile.sheetName"), { views: [{ state: "frozen", ySplit: headingRow }] });
  const n = table.headings.length;
  const rowCol = n + 1;
  const errCol = n + 2;

  // Every cell of the user's columns is text ("@"), so a corrected ID number stays text in Excel.
  ws.columns = [
    ...table.headings.map((h, i) => ({ width: width([h, ...table.rows.slice(0, 200).map((r) => r.cells[i] ?? "")]), style: { numFmt: "@" } })),
    { width: 8 },
    { width: 60 },
  ];

  if (fileProblems.length) {
    ws.mergeCells(1, 1, 1, errCol);
    const row = ws.getRow(1);
    const c = row.getCell(1);
    c.value = t("import.errorFile.fileProblems", { problems: rowErrorText(fileProblems, t) });
    c.font = { bold: true, color: RED };
    c.alignment = { wrapText: true, vertical: "middle" };
    row.height = 36;
    row.commit();
  }

  const head = ws.getRow(headingRow);
  [...table.headings, t("import.errorFile.rowNumber"), t("import.errorFile.errors")].forEach((h, i) => {
    const c = head.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = HEAD_FILL;
    c.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  });
  head.commit();

  const columnIndex = new Map(table.headings.map((h, i) => [h, i]));
  for (const [k, row] of table.rows.entries()) {
    // let the zip hand what it has to the stream, so a large file never piles up in memory
    if (k % 2000 === 1999) await new Promise<void>((resolve) => setImmediate(resolve));
    const xr = ws.getRow(headingRow + 1 + k);
    const values: (string | number)[] = row.cells.slice(0, n);
    while (values.length < n) values.push("");
    values.push(row.rowNumber);
    const errors = rowErrors.get(row.rowNumber);
    if (errors?.length) values.push(rowErrorText(errors, t));
    xr.values = values;
    if (errors?.length) {
      const msg = xr.getCell(errCol);
      msg.font = { color: RED };
      msg.alignment = { wrapText: true, vertical: "top" };
      msg.fill = ROW_FILL;
      xr.getCell(rowCol).fill = ROW_FILL;
      for (const e of errors) {
        const i = e.column === null ? undefined : columnIndex.get(e.column);
        if (i !== undefined) xr.getCell(i + 1).fill = CELL_FILL;
      }
    }
    xr.commit();
  }
  ws.autoFilter = { from: { row: headingRow, column: 1 }, to: { row: headingRow + table.rows.length, column: errCol } };
  ws.commit();
  await wb.commit();
}
