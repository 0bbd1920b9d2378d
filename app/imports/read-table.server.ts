/**
 * Reads an uploaded .xlsx or .csv file into a RawTable: finds the heading row
 * (skipping title rows above it, combining a two-row merged heading), and
 * turns every cell into the text the user sees, without guessing types: the
 * column's type decides later (a date column accepts Excel serial numbers,
 * an ID column reports digits Excel has already lost).
 *
 * - xlsx: the first worksheet (visible ones first) that has a heading row,
 *   read by the fast reader of xlsx-fast.server.ts, or by exceljs when the
 *   fast reader does not understand the package.
 * - csv: UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise
 *   GB18030 (a superset of GBK, what Chinese Excel writes); UTF-16 with a BOM
 *   (Excel's "Unicode text"). RFC 4180 quoting; comma, tab or semicolon
 *   separated, whichever the first lines use; CRLF, LF or CR line ends.
 *
 * Limits (ReadLimits) hold while reading, before the table is built: rows
 * are counted as the sheet or the CSV is parsed, and an .xlsx may inflate to
 * at most maxInflatedBytes however small its zip entries say they are.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { InflateLimitExceeded, MiB, openZip, ZipFormatError } from "~/lib/upload-limits.server";
import { isKnownHeading } from "./columns";
import type { RawTable } from "./table";
import { FileRefused, partText, readWorkbookFast, type FastSheet } from "./xlsx-fast.server";

export type { RawTable } from "./table";

export interface ReadError {
  key: string;
  params?: Record<string, string | number>;
}

export type ReadResult = { ok: true; table: RawTable } | { ok: false; error: ReadError };

/** The heading row is looked for among this many non-empty rows at the top of a sheet. */
const HEADING_SEARCH_ROWS = 10;
/** A heading row names at least this many known columns. */
const MIN_KNOWN_HEADINGS = 2;
/** Non-empty rows that can stand above the data: title rows, two heading rows and a row of column numbers. */
const ROWS_ABOVE_DATA = HEADING_SEARCH_ROWS + 2;

export interface ReadLimits {
  /** data rows in one import */
  maxRows: number;
  /** data rows × heading columns: every row is kept as wide as the headings, so a heading row of thousands of columns over tiny rows would fill memory */
  maxCells: number;
  /** bytes an .xlsx may inflate to, all parts read together */
  maxInflatedBytes: number;
  /** what exceljs (the fallback for workbooks the fast reader does not understand) may be given: it holds every cell as objects */
  maxFallbackInflatedBytes: number;
}

export const MAX_IMPORT_ROWS = 200_000;
export const DEFAULT_READ_LIMITS: ReadLimits = { maxRows: MAX_IMPORT_ROWS, maxCells: 10_000_000, maxInflatedBytes: 100 * MiB, maxFallbackInflatedBytes: 16 * MiB };

export async function readTable(bytes: Uint8Array, fileName: string, limits: Partial<ReadLimits> = {}): Promise<ReadResult> {
  return readTableWith(bytes, fileName, "auto", limits);
}

/** readTable with the xlsx engine chosen: the fast reader with exceljs as the fallback, or one of them (tests compare them). */
export async function readTableWith(bytes: Uint8Array, fileName: string, engine: "auto" | "fast" | "exceljs", limits: Partial<ReadLimits> = {}): Promise<ReadResult> {
  const lim: ReadLimits = { ...DEFAULT_READ_LIMITS, ...limits };
  const ext = /\.([^.]+)$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? "";
  if (bytes.byteLength === 0) return fail("import.file.empty");
  if (ext === "xlsx" || ext === "xlsm") {
    if (isOle(bytes)) return fail("import.file.encrypted");
    if (!isZip(bytes)) return fail("import.file.unreadable", { name: fileName });
    try {
      return await readXlsx(bytes, fileName, engine, lim);
    } catch (e) {
      if (e instanceof FileRefused) return refused(e, fileName, lim);
      throw e;
    }
  }
  if (ext === "csv" || ext === "txt" || ext === "tsv") {
    if (isZip(bytes) || isOle(bytes)) return fail("import.file.notCsv", { name: fileName });
    try {
      return readCsv(bytes, fileName, lim);
    } catch (e) {
      if (e instanceof FileRefused) return refused(e, fileName, lim);
      throw e;
    }
  }
  if (ext === "xls" || ext === "et" || ext === "wps") return fail("import.file.xls");
  return fail("import.file.type", { name: fileName });
}

function fail(key: string, params?: Record<string, string | number>): ReadResult {
  return { ok: false, error: params ? { key, params } : { key } };
}

function refused(e: FileRefused, fileName: string, lim: ReadLimits): ReadResult {
  if (e.key === "import.file.tooManyRows") return fail(e.key, { max: lim.maxRows });
  if (e.key === "import.file.inflatedTooLarge") return fail(e.key, { mb: Math.round((lim.maxInflatedBytes / MiB) * 10) / 10 });
  if (e.key === "import.file.tooManyMerges") return fail(e.key);
  if (e.key === "import.file.tooManyCells") return fail(e.key, { max: lim.maxCells });
  return fail(e.key, { name: fileName });
}

const isZip = (b: Uint8Array) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
// OLE compound files: the old .xls format, and also password-protected .xlsx.
const isOle = (b: Uint8Array) => b.length > 7 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

// ─── Cell text ──────────────────────────────────────────────────────────────

/** Numbers as Excel shows them: 15 significant digits, so 1.1 stays 1.1 and no float noise appears. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** exceljs gives dates as UTC instants of the wall-clock date and time in the file. */
export function dateText(d: Date): string {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return "";
  return new Date(Math.round(ms / 1000) * 1000).toISOString().slice(0, 10);
}

export function cellText(v: ExcelJS.CellValue | undefined): string {
  // (also takes the fast reader's values: strings, numbers, booleans, dates)
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (typeof v === "boolean") return v ? "是" : "否";
  if (v instanceof Date) return dateText(v);
  if (typeof v === "object") {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("formula" in o || "sharedFormula" in o) return cellText(o.result as ExcelJS.CellValue | undefined);
    if ("hyperlink" in o) return cellText(o.text as ExcelJS.CellValue);
    if ("error" in o) return String(o.error);
  }
  return String(v);
}

/** Trims ASCII and CJK spaces (full-width and no-break spaces are common in pasted data). */
function clean(s: string): string {
  return s.replace(/^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/g, "");
}

/** Headings split over lines with Alt+Enter are one heading. */
function cleanHeading(s: string): string {
  return clean(s).replace(/\s*[\r\n]+\s*/g, "");
}

// ─── Finding the headings (shared by xlsx and csv) ──────────────────────────

interface HeadCell {
  text: string;
  /** xlsx merges: the master cell's row and an id of the merge, null when the cell is not merged */
  mergeId: string | null;
  masterRow: number | null;
}

interface Sheet {
  /** non-empty rows in order */
  rowNumbers: number[];
  /** cells found by texts() to hold numbers too long for Excel (xlsx) */
  lost?: { rowNumber: number; column: number }[];
  texts(rowNumber: number, width?: number): string[];
  /** heading cells with merge information (xlsx) or without (csv) */
  headCells(rowNumber: number): HeadCell[];
}

function knownCount(texts: string[]): number {
  const seen = new Set<string>();
  for (const t of texts) {
    const h = cleanHeading(t);
    if (h && isKnownHeading(h)) seen.add(h);
  }
  return seen.size;
}

interface Headings {
  headings: string[];
  /** the last heading row */
  headerRowNumber: number;
}

function findHeadings(sheet: Sheet): Headings | null {
  const candidates = sheet.rowNumbers.slice(0, HEADING_SEARCH_ROWS);
  for (const [i, rn] of candidates.entries()) {
    const top = sheet.headCells(rn);
    if (knownCount(top.map((c) => c.text)) < MIN_KNOWN_HEADINGS) continue;
    const nextRn = sheet.rowNumbers[i + 1];
    const bottom = nextRn === rn + 1 ? sheet.headCells(nextRn) : null;
    if (bottom && isSubHeadingRow(top, bottom, rn)) {
      return { headings: trimEnd(combine(top, bottom, rn)), headerRowNumber: nextRn! };
    }
    return { headings: trimEnd(top.map((c) => cleanHeading(c.text))), headerRowNumber: rn };
  }
  return null;
}

function trimEnd(headings: string[]): string[] {
  let n = headings.length;
  while (n > 0 && !headings[n - 1]) n--;
  return headings.slice(0, n);
}

/** The text a heading cell has of its own: a cell covered by a merge from the row above has none. */
function ownBottom(c: HeadCell | undefined, topRow: number): string {
  if (!c) return "";
  if (c.mergeId !== null && c.masterRow !== null && c.masterRow <= topRow) return "";
  return cleanHeading(c.text);
}

/** Whether a column's top heading spans several columns (a merge, or a heading followed by empty cells). */
function spans(top: HeadCell[], i: number): boolean {
  const c = top[i]!;
  if (c.mergeId !== null) return top[i - 1]?.mergeId === c.mergeId || top[i + 1]?.mergeId === c.mergeId;
  return !cleanHeading(c.text) || (!!cleanHeading(c.text) && i + 1 < top.length && !cleanHeading(top[i + 1]!.text) && top[i + 1]!.mergeId === null);
}

/** The text that stands over column i: its own, or that of the group heading to its left. */
function leadText(top: HeadCell[], i: number): string {
  for (let j = i; j >= 0; j--) {
    const t = cleanHeading(top[j]!.text);
    if (t) return t;
  }
  return "";
}

/**
 * The row under a heading row holds sub-headings when one of its cells is a
 * known heading standing under a group heading (merged over several columns)
 * or under an empty top cell, and the row has no data-like cell (4+ digits).
 * A data row's "户主" under 与户主关系 is therefore never taken for a heading.
 */
function isSubHeadingRow(top: HeadCell[], bottom: HeadCell[], topRow: number): boolean {
  const width = Math.max(top.length, bottom.length);
  let found = false;
  for (let i = 0; i < width; i++) {
    const b = ownBottom(bottom[i], topRow);
    if (!b) continue;
    if (/\d{4,}/.test(b)) return false;
    const t = top[i];
    const underGroup = !t || !cleanHeading(t.text) || spans(top, i);
    if (underGroup && (isKnownHeading(b) || isKnownHeading(leadText(top, i) + b))) found = true;
  }
  return found;
}

/** Two heading rows to one: the combined text when it is a known heading ("户主"+"姓名"), else the lower row. */
function combine(top: HeadCell[], bottom: HeadCell[], topRow: number): string[] {
  const width = Math.max(top.length, bottom.length);
  const out: string[] = [];
  for (let i = 0; i < width; i++) {
    const own = top[i] ? cleanHeading(top[i]!.text) : "";
    const b = ownBottom(bottom[i], topRow);
    if (!b) {
      out.push(own);
      continue;
    }
    const lead = own || (i < top.length ? leadText(top, i) : "");
    if (!lead) out.push(b);
    else if (isKnownHeading(lead + b)) out.push(lead + b);
    else out.push(b);
  }
  return out;
}

/** A row of column numbers (栏次: 1, 2, 3 …) that official forms put under their headings. */
function isColumnNumbers(cells: string[]): boolean {
  const filled = cells.filter((c) => c !== "");
  if (filled.length < 3 || filled.length < cells.length / 2) return false;
  return filled.every((c, i) => /^\d{1,2}$/.test(c) && (i === 0 || Number(c) > Number(filled[i - 1])));
}

function buildTable(sheet: Sheet, base: Omit<RawTable, "headerRowNumber" | "headings" | "rows">, lim: Pick<ReadLimits, "maxRows" | "maxCells">): ReadResult | null {
  const h = findHeadings(sheet);
  if (!h) return null;
  const width = h.headings.length;
  const rows: RawTable["rows"] = [];
  for (const rn of sheet.rowNumbers) {
    if (rn <= h.headerRowNumber) continue;
    if ((rows.length + 1) * width > lim.maxCells) throw new FileRefused("import.file.tooManyCells");
    const cells = sheet.texts(rn, width);
    if (cells.every((c) => c === "")) continue;
    if (rows.length === 0 && isColumnNumbers(cells)) continue;
    if (rows.length >= lim.maxRows) throw new FileRefused("import.file.tooManyRows");
    rows.push({ rowNumber: rn, cells });
  }
  const table: RawTable = { ...base, headerRowNumber: h.headerRowNumber, headings: h.headings, rows };
  const lost = sheet.lost?.filter((l) => l.rowNumber > h.headerRowNumber);
  if (lost?.length) table.lostDigitCells = lost;
  return { ok: true, table };
}

// ─── xlsx ───────────────────────────────────────────────────────────────────

async function readXlsx(bytes: Uint8Array, fileName: string, engine: "auto" | "fast" | "exceljs", lim: ReadLimits): Promise<ReadResult> {
  let fast: FastSheet[] | null = null;
  if (engine !== "exceljs") {
    try {
      fast = await readWorkbookFast(bytes, { maxInflatedBytes: lim.maxInflatedBytes, maxSheetRows: lim.maxRows + ROWS_ABOVE_DATA });
    } catch (e) {
      // refusals stand: exceljs would do the same work without the bounds
      if (e instanceof FileRefused) throw e;
      if (e instanceof ZipFormatError) return fail("import.file.unreadable", { name: fileName });
      if (engine === "fast") throw e;
      // anything the fast reader does not understand: exceljs reads it, or says it cannot
    }
  }
  if (fast) return pickSheet(fast.map((s) => ({ name: s.name, visible: s.state === "visible", sheet: () => fastSheet(s) })), fileName, lim);
  const unpacked = await unpackForExcelJs(bytes, lim.maxFallbackInflatedBytes);
  if (!unpacked) return fail("import.file.unreadable", { name: fileName });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(unpacked as unknown as ArrayBuffer);
  } catch {
    return fail("import.file.unreadable", { name: fileName });
  }
  return pickSheet(wb.worksheets.map((ws) => ({ name: ws.name, visible: ws.state === "visible", sheet: () => xlsxSheet(ws) })), fileName, lim);
}

/**
 * The workbook re-packed, uncompressed, from the parts the bounded reader
 * inflated, so exceljs (which would inflate whatever the zip holds) sees
 * exactly the bytes counted; null when they pass the fallback's budget or
 * the zip cannot be opened. Parts with a DOCTYPE are refused.
 */
async function unpackForExcelJs(bytes: Uint8Array, maxInflatedBytes: number): Promise<Buffer | null> {
  try {
    const zip = openZip(bytes, { maxInflatedBytes });
    const out = new JSZip();
    for (const name of zip.names) {
      if (/\.(xml|rels|vml)$/i.test(name)) out.file(name, (await partText(zip, name))!);
      else out.file(name, zip.read(name));
    }
    return await out.generateAsync({ type: "nodebuffer", compression: "STORE" });
  } catch (e) {
    if (e instanceof FileRefused && e.key === "import.file.doctype") throw e;
    if (e instanceof FileRefused || e instanceof InflateLimitExceeded || e instanceof ZipFormatError) return null;
    throw e;
  }
}

/** The first sheet (visible ones first) that has a heading row. */
function pickSheet(candidates: { name: string; visible: boolean; sheet: () => Sheet }[], fileName: string, lim: ReadLimits): ReadResult {
  const ordered = [...candidates].sort((a, b) => Number(!a.visible) - Number(!b.visible));
  let anyData = false;
  for (const c of ordered) {
    const sheet = c.sheet();
    if (!sheet.rowNumbers.length) continue;
    anyData = true;
    const result = buildTable(sheet, { fileName, format: "xlsx", encoding: null, sheetName: c.name }, lim);
    if (result) return result;
  }
  return anyData ? fail("import.file.noHeadings", { rows: HEADING_SEARCH_ROWS }) : fail("import.file.empty");
}

function fastSheet(fs: FastSheet): Sheet {
  const lost: { rowNumber: number; column: number }[] = [];
  const rowNumbers = fs.rowNumbers.filter((rn) => {
    const n = fs.cellCount(rn);
    for (let c = 1; c <= n; c++) if (clean(cellText(fs.value(rn, c)))) return true;
    return false;
  });
  return {
    rowNumbers,
    lost,
    texts(rn, width) {
      const n = width ?? fs.cellCount(rn);
      const out: string[] = new Array(n);
      for (let c = 1; c <= n; c++) {
        const v = fs.value(rn, c);
        out[c - 1] = clean(cellText(v));
        if (width !== undefined && tooLong(v)) lost.push({ rowNumber: rn, column: c - 1 });
      }
      return out;
    },
    headCells(rn) {
      const out: HeadCell[] = [];
      const n = fs.cellCount(rn);
      for (let c = 1; c <= n; c++) {
        const m = fs.merge(rn, c);
        out.push({ text: cellText(fs.value(rn, c)), mergeId: m?.id ?? null, masterRow: m?.masterRow ?? null });
      }
      return out;
    },
  };
}

/** A number Excel cannot hold exactly: 16 or more digits before the point. */
function tooLong(v: ExcelJS.CellValue | undefined): boolean {
  if (typeof v === "number") return Math.abs(v) >= 1e15;
  if (v && typeof v === "object" && "result" in v) return tooLong((v as { result?: ExcelJS.CellValue }).result);
  return false;
}

function xlsxSheet(ws: ExcelJS.Worksheet): Sheet {
  const rowNumbers: number[] = [];
  const lost: { rowNumber: number; column: number }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rn) => {
    for (let c = 1; c <= row.cellCount; c++) {
      if (clean(cellText(row.getCell(c).value))) {
        rowNumbers.push(rn);
        return;
      }
    }
  });
  return {
    rowNumbers,
    lost,
    texts(rn, width) {
      const row = ws.getRow(rn);
      const n = width ?? row.cellCount;
      const out: string[] = new Array(n);
      for (let c = 1; c <= n; c++) {
        const v = row.getCell(c).value;
        out[c - 1] = clean(cellText(v));
        if (width !== undefined && tooLong(v)) lost.push({ rowNumber: rn, column: c - 1 });
      }
      return out;
    },
    headCells(rn) {
      const row = ws.getRow(rn);
      const out: HeadCell[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        const master = cell.isMerged ? cell.master : null;
        out.push({ text: cellText(cell.value), mergeId: master ? master.address : null, masterRow: master ? Number(master.row) : null });
      }
      return out;
    },
  };
}

// ─── csv ────────────────────────────────────────────────────────────────────

export function decodeText(bytes: Uint8Array): { text: string; encoding: NonNullable<RawTable["encoding"]> } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes), encoding: "utf-16be" };
  try {
    // TextDecoder drops a UTF-8 BOM by itself.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gb18030" };
  }
}

/** The separator the first lines use most, outside quotes: comma, tab or semicolon (comma on a tie). */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ",": 0, "\t": 0, ";": 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 10; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) lines++;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  let best = ",";
  for (const d of ["\t", ";"]) if (counts[d]! > counts[best]!) best = d;
  return best;
}

/**
 * RFC 4180 records, each with the line number it starts on. Lenient: stray
 * quotes inside a field are kept. More than maxFilled records with text stop
 * the parse (FileRefused), before a huge file becomes a huge array.
 */
export function parseCsv(text: string, delimiter: string, maxFilled = Infinity): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let filled = 0;
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    cells.push(field);
    if (cells.some((c) => c.trim() !== "") && ++filled > maxFilled) throw new FileRefused("import.file.tooManyRows");
    records.push({ line: start, cells });
    cells = [];
    field = "";
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === "") {
      // a quoted field
      i++;
      for (;;) {
        if (i >= n) break;
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
        i++;
      }
      // anything after the closing quote up to the separator belongs to the field
      while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      continue;
    }
    if (ch === delimiter) {
      cells.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    // unquoted text up to the next special character, in one slice
    let j = i + 1;
    while (j < n) {
      const c = text[j]!;
      if (c === delimiter || c === "\n" || c === "\r") break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== "" || cells.length) endRecord();
  return records;
}

function readCsv(bytes: Uint8Array, fileName: string, lim: ReadLimits): ReadResult {
  const { text, encoding } = decodeText(bytes);
  if (text.includes("\u0000")) return fail("import.file.notCsv", { name: fileName });
  const records = parseCsv(text, detectDelimiter(text), lim.maxRows + ROWS_ABOVE_DATA);
  const byLine = new Map<number, string[]>();
  const rowNumbers: number[] = [];
  for (const r of records) {
    // ="0001" is how a CSV keeps leading zeros and long numbers as text in Excel.
    const cells = r.cells.map((c) => clean(/^="[^"]*"$/.test(c) ? c.slice(2, -1) : c));
    if (cells.every((c) => c === "")) continue;
    byLine.set(r.line, cells);
    rowNumbers.push(r.line);
  }
  if (!rowNumbers.length) return fail("import.file.empty");
  const sheet: Sheet = {
    rowNumbers,
    texts(rn, width) {
      const cells = byLine.get(rn) ?? [];
      if (width === undefined) return cells;
      const out = cells.slice(0, width);
      while (out.length < width) out.push("");
      return out;
    },
    headCells(rn) {
      return (byLine.get(rn) ?? []).map((text) => ({ text, mergeId: null, masterRow: null }));
    },
  };
  // In a CSV, the row under a heading row is its line + 1 only when no quoted line break intervenes; that is enough.
  const result = buildTable(sheet, { fileName, format: "csv", encoding, sheetName: null }, lim);
  return result ?? fail("import.file.noHeadings", { rows: HEADING_SEARCH_ROWS });
}
