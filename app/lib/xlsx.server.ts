/**
 * Excel exports (ledgers, lists) written with exceljs: a title row, a
 * subtitle row, one header row, then typed columns.
 *
 * - money: fen (bigint) or a yuan decimal string, written as a number with
 *   "#,##0.00". Decimal → Number happens only here, at the Excel boundary,
 *   where every amount of a village ledger (≪ 2^53 fen) is exact to the fen.
 * - decimal: areas and other decimal strings, as numbers with N places.
 * - text: codes and IDs are stored as text cells with the "@" format, so
 *   Excel never turns a 19-digit parcel code into 3.71702E+18.
 * - date: "YYYY-MM-DD" becomes a real Excel date (sortable, filterable).
 *
 * The sheet freezes the header, has an auto-filter, repeats the header on
 * printed pages, and prints A4 landscape, fitted to the page width.
 */
import ExcelJS from "exceljs";
import { Decimal, fromFen } from "~/lib/money";
import { now } from "./dates";

export type XlsxCellType = "text" | "money" | "decimal" | "integer" | "date";
export type XlsxValue = string | number | bigint | null | undefined;

export interface XlsxColumn<T> {
  header: string;
  type: XlsxCellType;
  value: (row: T) => XlsxValue;
  /** width in characters (a Chinese character counts about 2) */
  width?: number;
  /** places for "decimal" (default 2) */
  places?: number;
  /** wrap long text (default: true for text columns wider than 16) */
  wrap?: boolean;
  /** a value for the totals row; money and decimal columns can be summed with `total: "sum"` */
  total?: "sum" | string;
}

export interface XlsxSheet<T> {
  /** sheet tab name; cut to Excel's 31 characters and cleaned of []:*?/\ */
  name: string;
  title: string;
  subtitle?: string;
  columns: XlsxColumn<T>[];
  rows: T[];
  /** label of the totals row, written in the first column (no totals row when absent) */
  totalsLabel?: string;
}

export const MONEY_FORMAT = "#,##0.00";
export const TITLE_ROW = 1;
export const SUBTITLE_ROW = 2;
export const HEADER_ROW = 3;

const thin: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FF999999" } };
export const border: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

/** A decimal for money: fen bigint → yuan; a yuan string as it is. */
export function moneyDecimal(v: XlsxValue): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "bigint") return fromFen(v);
  // A JS number would already have passed through binary floating point.
  if (typeof v === "number") throw new RangeError("xlsx: money must be fen (bigint) or a yuan string");
  return new Decimal(v);
}

export function decimalOf(v: XlsxValue): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  return new Decimal(typeof v === "bigint" ? v.toString() : v);
}

export function excelDate(v: XlsxValue): Date | string | null {
  if (v === null || v === undefined || v === "") return null;
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  // UTC midnight: exceljs converts with getTime(), so no time zone can shift the day
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : String(v);
}

// Text that a spreadsheet would read as a formula once the sheet is saved as
// CSV and opened again ("=HYPERLINK(…)", "+cmd|…", "@SUM(…)", "-2+3…"); a
// plain negative number or a lone dash is left alone.
const FORMULA_LIKE = /^(?:[=+@\t\r\uFF1D\uFF0B\uFF20]|-(?!(?:\d+(?:\.\d+)?)?$))/;

/** A text cell's value: formula-looking text gets a leading apostrophe so that it stays text everywhere. */
export function textCell(raw: XlsxValue | unknown): string {
  if (raw === null || raw === undefined) return "";
  const s = String(raw);
  return FORMULA_LIKE.test(s) ? `'${s}` : s;
}

export function sheetName(name: string): string {
  const cleaned = name.replace(/[[\]:*?/\\]/g, " ").trim() || "Sheet1";
  return Array.from(cleaned).slice(0, 31).join("");
}

function addSheet<T>(wb: ExcelJS.Workbook, spec: XlsxSheet<T>): void {
  const cols = spec.columns;
  const ws = wb.addWorksheet(sheetName(spec.name), {
    views: [{ state: "frozen", ySplit: HEADER_ROW, xSplit: 0, activeCell: `A${HEADER_ROW + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: "&C第 &P 页 共 &N 页", evenFooter: "&C第 &P 页 共 &N 页" },
  });

  ws.columns = cols.map((c) => ({
    width: c.width ?? (c.type === "text" ? 14 : 12),
    style: c.type === "text" ? { numFmt: "@" } : {},
  }));

  // Title and subtitle, merged across the table.
  const last = cols.length;
  ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, last);
  const title = ws.getCell(TITLE_ROW, 1);
  title.value = spec.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: "center", vertical: "middle" };
  ws.getRow(TITLE_ROW).height = 28;
  ws.mergeCells(SUBTITLE_ROW, 1, SUBTITLE_ROW, last);
  const sub = ws.getCell(SUBTITLE_ROW, 1);
  sub.value = spec.subtitle ?? "";
  sub.font = { size: 9, color: { argb: "FF555555" } };
  sub.alignment = { horizontal: "right" };

  const header = ws.getRow(HEADER_ROW);
  cols.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    cell.border = border;
  });
  header.height = 32;

  const sums = cols.map(() => new Decimal(0));
  spec.rows.forEach((row, r) => {
    const xr = ws.getRow(HEADER_ROW + 1 + r);
    cols.forEach((c, i) => {
      const cell = xr.getCell(i + 1);
      const raw = c.value(row);
      cell.border = border;
      switch (c.type) {
        case "money": {
          const d = moneyDecimal(raw);
          if (d) sums[i] = sums[i]!.plus(d);
          cell.value = d ? d.toDecimalPlaces(2).toNumber() : null;
          cell.numFmt = MONEY_FORMAT;
          cell.alignment = { horizontal: "right", vertical: "middle" };
          break;
        }
        case "decimal": {
          const d = decimalOf(raw);
          if (d) sums[i] = sums[i]!.plus(d);
          const places = c.places ?? 2;
          cell.value = d ? d.toDecimalPlaces(places).toNumber() : null;
          cell.numFmt = places > 0 ? `0.${"0".repeat(places)}` : "0";
          cell.alignment = { horizontal: "right", vertical: "middle" };
          break;
        }
        case "integer":
          cell.value = raw === null || raw === undefined || raw === "" ? null : Number(raw);
          cell.numFmt = "0";
          cell.alignment = { horizontal: "center", vertical: "middle" };
          break;
        case "date":
          cell.value = excelDate(raw);
          cell.numFmt = "yyyy-mm-dd";
          cell.alignment = { horizontal: "center", vertical: "middle" };
          break;
        default:
          cell.value = textCell(raw);
          cell.numFmt = "@";
          cell.alignment = { vertical: "middle", wrapText: c.wrap ?? (c.width ?? 14) > 16 };
      }
    });
  });

  const lastDataRow = HEADER_ROW + spec.rows.length;
  if (spec.totalsLabel !== undefined) {
    const tr = ws.getRow(lastDataRow + 1);
    cols.forEach((c, i) => {
      const cell = tr.getCell(i + 1);
      cell.border = border;
      cell.font = { bold: true };
      if (i === 0) cell.value = spec.totalsLabel!;
      else if (c.total === "sum" && (c.type === "money" || c.type === "decimal")) {
        cell.value = sums[i]!.toDecimalPlaces(c.type === "money" ? 2 : (c.places ?? 2)).toNumber();
        cell.numFmt = c.type === "money" ? MONEY_FORMAT : cell.numFmt;
        cell.alignment = { horizontal: "right" };
      } else if (c.total !== undefined && c.total !== "sum") cell.value = c.total;
    });
  }

  ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: Math.max(lastDataRow, HEADER_ROW), column: last } };
}

/**
 * Writes one workbook with the given sheets. The Buffer is typed over a plain
 * ArrayBuffer so that it can be handed to `new Response(...)` as it is.
 */
export async function writeXlsx(sheets: XlsxSheet<any>[], meta: { creator?: string; created?: Date } = {}): Promise<Buffer<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.creator ?? "村社账本 Cunshe Ledger";
  wb.created = meta.created ?? now();
  for (const s of sheets) addSheet(wb, s);
  const out = await wb.xlsx.writeBuffer();
  const bytes = new Uint8Array(out as unknown as ArrayBufferLike);
  const copy = Buffer.alloc(bytes.byteLength) as Buffer<ArrayBuffer>;
  copy.set(bytes);
  return copy;
}

/** Headers for an Excel download; the file name may be Chinese (RFC 5987 `filename*`). */
export function xlsxHeaders(fileName: string): Record<string, string> {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "private, no-store",
  };
}
