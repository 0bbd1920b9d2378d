/**
 * List exports written row by row with exceljs's streaming writer, so that a
 * township (≈ 6,000 households, 20,000 people) or the whole district
 * (100,000 households) goes out without first building the workbook in
 * memory: the download starts at once and memory stays flat.
 *
 * The sheets look like those of ~/lib/xlsx.server (title, subtitle, one
 * header row, typed columns, frozen header, auto-filter, A4 landscape) and
 * take the same column specs; the cell rules are the same too: money is fen
 * or a yuan string turned into a number only here, codes and IDs are text
 * cells, "YYYY-MM-DD" becomes a real date.
 */
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { Decimal } from "~/lib/money";
import { border, decimalOf, excelDate, HEADER_ROW, moneyDecimal, MONEY_FORMAT, sheetName, SUBTITLE_ROW, textCell, TITLE_ROW, type XlsxColumn } from "~/lib/xlsx.server";
import { now } from "~/lib/dates";

export interface StreamSheetSpec<T> {
  name: string;
  title: string;
  subtitle?: string;
  columns: XlsxColumn<T>[];
  /** label of the totals row under the data (no totals row when absent) */
  totalsLabel?: string;
}

export interface SheetWriter<T> {
  add(row: T): void;
  readonly count: number;
  /** Writes the totals row and the filter and closes the sheet, so that its rows need not wait in memory for the file's end. */
  end(): void;
}

/**
 * One style object per column, shared by all its cells: exceljs then finds
 * the style id by identity instead of hashing a fresh object for each cell,
 * which is most of the cost of a styled cell.
 */
function cellStyle<T>(c: XlsxColumn<T>): Partial<ExcelJS.Style> {
  switch (c.type) {
    case "money":
      return { numFmt: MONEY_FORMAT, alignment: { horizontal: "right", vertical: "middle" }, border };
    case "decimal": {
      const places = c.places ?? 2;
      return { numFmt: places > 0 ? `0.${"0".repeat(places)}` : "0", alignment: { horizontal: "right", vertical: "middle" }, border };
    }
    case "integer":
      return { numFmt: "0", alignment: { horizontal: "center", vertical: "middle" }, border };
    case "date":
      return { numFmt: "yyyy-mm-dd", alignment: { horizontal: "center", vertical: "middle" }, border };
    default:
      return { numFmt: "@", alignment: { vertical: "middle", wrapText: c.wrap ?? (c.width ?? 14) > 16 }, border };
  }
}

interface SheetState {
  ws: ExcelJS.Worksheet;
  columns: XlsxColumn<unknown>[];
  sums: Decimal[];
  next: number;
  totalsLabel?: string;
  ended: boolean;
}

function endSheet(s: SheetState): void {
  if (s.ended) return;
  s.ended = true;
  const lastData = s.next - 1;
  if (s.totalsLabel !== undefined) {
    const tr = s.ws.getRow(s.next);
    s.columns.forEach((c, i) => {
      const cell = tr.getCell(i + 1);
      const style: Partial<ExcelJS.Style> = { font: { bold: true }, border };
      if (i === 0) cell.value = s.totalsLabel!;
      else if (c.total === "sum" && (c.type === "money" || c.type === "decimal")) {
        cell.value = s.sums[i]!.toDecimalPlaces(c.type === "money" ? 2 : (c.places ?? 2)).toNumber();
        style.numFmt = c.type === "money" ? MONEY_FORMAT : c.places === 0 ? "0" : `0.${"0".repeat(c.places ?? 2)}`;
        style.alignment = { horizontal: "right" };
      } else if (c.total !== undefined && c.total !== "sum") cell.value = c.total;
      cell.style = style;
    });
    tr.commit();
  }
  s.ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: Math.max(lastData, HEADER_ROW), column: s.columns.length } };
  s.ws.commit();
}

/**
 * A workbook being written. Add a sheet, add its rows, end it, then the next
 * (sheets can be filled in turn, but a later sheet's rows then wait in
 * memory as XML until the earlier sheet ends), then `finish()`. `body` is
 * the file as a web stream for a Response; it flows while rows are added.
 */
export class XlsxStreamWriter {
  private readonly out = new PassThrough();
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheets: SheetState[] = [];
  readonly body: ReadableStream<Uint8Array>;

  constructor(meta: { creator?: string; created?: Date } = {}) {
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.out, useStyles: true, useSharedStrings: false });
    this.wb.creator = meta.creator ?? "村社账本 Cunshe Ledger";
    this.wb.created = meta.created ?? now();
    this.body = Readable.toWeb(this.out) as unknown as ReadableStream<Uint8Array>;
    // A client that goes away destroys the stream; the writer then stops (see `closed`)
    // instead of failing the process with an unhandled stream error.
    this.out.on("error", () => {});
  }

  /** Whether the download has ended early (the client went away, or fail() was called). */
  get closed(): boolean {
    return this.out.destroyed;
  }

  addSheet<T>(spec: StreamSheetSpec<T>): SheetWriter<T> {
    const cols = spec.columns;
    const ws = this.wb.addWorksheet(sheetName(spec.name), {
      views: [{ state: "frozen", ySplit: HEADER_ROW, xSplit: 0, activeCell: `A${HEADER_ROW + 1}` }],
      pageSetup: {
        paperSize: 9,
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
    ws.columns = cols.map((c) => ({ width: c.width ?? (c.type === "text" ? 14 : 12), style: c.type === "text" ? { numFmt: "@" } : {} }));

    const last = cols.length;
    ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, last);
    const titleRow = ws.getRow(TITLE_ROW);
    titleRow.height = 28;
    const title = titleRow.getCell(1);
    title.value = spec.title;
    title.style = { font: { bold: true, size: 16 }, alignment: { horizontal: "center", vertical: "middle" } };
    titleRow.commit();
    ws.mergeCells(SUBTITLE_ROW, 1, SUBTITLE_ROW, last);
    const subRow = ws.getRow(SUBTITLE_ROW);
    const sub = subRow.getCell(1);
    sub.value = spec.subtitle ?? "";
    sub.style = { font: { size: 9, color: { argb: "FF555555" } }, alignment: { horizontal: "right" } };
    subRow.commit();
    const header = ws.getRow(HEADER_ROW);
    const headerStyle: Partial<ExcelJS.Style> = {
      font: { bold: true },
      alignment: { horizontal: "center", vertical: "middle", wrapText: true },
      fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } },
      border,
    };
    cols.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.style = headerStyle;
    });
    header.height = 32;
    header.commit();

    const state: SheetState = { ws, columns: cols as XlsxColumn<unknown>[], sums: cols.map(() => new Decimal(0)), next: HEADER_ROW + 1, totalsLabel: spec.totalsLabel, ended: false };
    this.sheets.push(state);
    const styles = cols.map(cellStyle);
    return {
      add: (row: T) => {
        const xr = ws.getRow(state.next++);
        for (let i = 0; i < cols.length; i++) {
          const c = cols[i]!;
          const cell = xr.getCell(i + 1);
          const raw = c.value(row);
          switch (c.type) {
            case "money": {
              const d = moneyDecimal(raw);
              if (d) state.sums[i] = state.sums[i]!.plus(d);
              cell.value = d ? d.toDecimalPlaces(2).toNumber() : null;
              break;
            }
            case "decimal": {
              const d = decimalOf(raw);
              if (d) state.sums[i] = state.sums[i]!.plus(d);
              cell.value = d ? d.toDecimalPlaces(c.places ?? 2).toNumber() : null;
              break;
            }
            case "integer":
              cell.value = raw === null || raw === undefined || raw === "" ? null : Number(raw);
              break;
            case "date":
              cell.value = excelDate(raw);
              break;
            default:
              cell.value = textCell(raw);
          }
          cell.style = styles[i]!;
        }
        xr.commit();
      },
      get count() {
        return state.next - HEADER_ROW - 1;
      },
      end: () => endSheet(state),
    };
  }

  /**
   * Waits while the download is behind (the client reads slower than rows
   * are written), so that a large export does not pile up in memory; returns
   * at once when the download has ended early.
   */
  async drained(): Promise<void> {
    const out = this.out;
    if (!out.writableNeedDrain || out.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off("drain", done);
        out.off("close", done);
        resolve();
      };
      out.on("drain", done);
      out.on("close", done);
    });
  }

  /** Ends the sheets still open and closes the file. */
  async finish(): Promise<void> {
    for (const s of this.sheets) endSheet(s);
    await this.wb.commit();
  }

  /** Ends the download with an error (the browser then shows it as failed, not as a short file). */
  fail(error: unknown): void {
    this.out.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Lets other requests run between batches of a long export. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
