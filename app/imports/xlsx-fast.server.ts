/**
 * A fast, read-only view of an .xlsx workbook's cells: unzips with the
 * bounded reader of upload-limits.server.ts (the bytes actually inflated are
 * counted against a budget, whatever sizes the zip declares) and scans the
 * sheet XML with regular expressions, building no object per cell beyond its
 * value. About five times faster than exceljs's full load on a
 * 20,000-row roster, which matters because an import reads its file twice
 * (dry run, then import). readTable falls back to exceljs when this throws,
 * so anything unusual is still read, only slower.
 *
 * Values are what exceljs would give: shared and inline strings (rich-text
 * runs joined, phonetic runs left out), numbers, booleans, errors, formula
 * results, and dates for numbers whose style has a date format (exceljs's
 * rule, plus the built-in Chinese date formats 27–36 and 50–58 that exceljs
 * leaves as numbers). Merged cells give the merge's top-left value.
 *
 * Refusals that must not fall back to exceljs (it would only do the same
 * work unbounded) are thrown as FileRefused: a workbook that inflates past
 * its budget, a part with a DOCTYPE, a sheet with more rows than allowed or
 * with merges covering more than MAX_MERGE_ENTRIES rows.
 */
import { hasDoctype, InflateLimitExceeded, openZip, type ZipArchive } from "~/lib/upload-limits.server";

export type FastValue = string | number | boolean | Date | null;

export interface FastSheet {
  name: string;
  state: "visible" | "hidden" | "veryHidden";
  /** rows present in the sheet or covered by a merge, ascending */
  rowNumbers: number[];
  /** the highest column used in a row (1-based), merges included */
  cellCount(row: number): number;
  /** the value at (row, col) 1-based, the master's for a merged cell */
  value(row: number, col: number): FastValue;
  /** the merge a cell belongs to: its master's address and row */
  merge(row: number, col: number): { id: string; masterRow: number } | null;
}

export class UnsupportedWorkbook extends Error {}

/** The file is refused with this message key; readTable adds the parameters. */
export class FileRefused extends Error {
  constructor(readonly key: "import.file.inflatedTooLarge" | "import.file.doctype" | "import.file.tooManyRows" | "import.file.tooManyMerges" | "import.file.tooManyCells") {
    super(key);
  }
}

export interface FastLimits {
  /** bytes all the parts read may inflate to */
  maxInflatedBytes: number;
  /** rows with a value in one sheet, heading rows included */
  maxSheetRows: number;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string): string {
  let out = s.includes("&")
    ? s.replace(ENTITY, (_, e: string) => (e[0] === "#" ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : NAMED[e]!))
    : s;
  // OOXML escapes characters XML cannot hold as _xHHHH_.
  if (out.includes("_x")) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:]+)\s*=\s*"([^"]*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const name = m[1]!;
    out[name.includes(":") && !name.startsWith("r:") && !name.startsWith("xml:") ? name.slice(name.indexOf(":") + 1) : name] = m[2]!;
  }
  return out;
}

/** The text of all <t> elements in a string item, phonetic runs (<rPh>) excluded. */
function itemText(xml: string): string {
  const body = xml.includes("rPh") ? xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, "") : xml;
  let out = "";
  const re = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1]!;
  return decode(out);
}

function colNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

function colLetters(n: number): string {
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function parseRef(ref: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref);
  if (!m) throw new UnsupportedWorkbook(`bad cell reference ${ref}`);
  return { col: colNumber(m[1]!), row: Number(m[2]) };
}

/** exceljs's test for a date format: date letters outside quotes and brackets. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}

const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function dateStyles(stylesXml: string | null): boolean[] {
  if (!stylesXml) return [];
  const custom = new Map<number, string>();
  const fmts = /<(?:\w+:)?numFmt\b([^>]*)\/?>/g;
  let m: RegExpExecArray | null;
  while ((m = fmts.exec(stylesXml))) {
    const a = attrs(m[1]!);
    if (a.numFmtId !== undefined && a.formatCode !== undefined) custom.set(Number(a.numFmtId), decode(a.formatCode).replace(/\\(.)/g, "$1"));
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml);
  if (!xfs) return [];
  const out: boolean[] = [];
  const xf = /<(?:\w+:)?xf\b([^>]*?)\/?>/g;
  while ((m = xf.exec(xfs[1]!))) {
    const id = Number(attrs(m[1]!).numFmtId ?? 0);
    const code = custom.get(id);
    out.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_IDS.has(id));
  }
  return out;
}

function excelToDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Resolves a relationship target against the folder of the part that points to it. */
function resolve(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/");
  parts.pop();
  for (const p of target.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

/** A part's text; a part with a DOCTYPE is refused (OOXML never has one). */
export async function partText(zip: ZipArchive, path: string): Promise<string | null> {
  const name = zip.find(path);
  if (name === null) return null;
  let xml: string;
  try {
    xml = await zip.readText(name);
  } catch (e) {
    if (e instanceof InflateLimitExceeded) throw new FileRefused("import.file.inflatedTooLarge");
    throw e;
  }
  if (hasDoctype(xml)) throw new FileRefused("import.file.doctype");
  return xml;
}

const MAX_MERGE_ROWS = 10_000;
/** Row entries all merges of a sheet may cover together: a few thousand merges each spanning 10,000 rows would otherwise fill memory. */
export const MAX_MERGE_ENTRIES = 2_000_000;

export async function readWorkbookFast(bytes: Uint8Array, limits: FastLimits): Promise<FastSheet[]> {
  const zip = openZip(bytes, { maxInflatedBytes: limits.maxInflatedBytes });
  const workbook = await partText(zip, "xl/workbook.xml");
  const rels = await partText(zip, "xl/_rels/workbook.xml.rels");
  if (!workbook || !rels) throw new UnsupportedWorkbook("no workbook part");
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*"(?:1|true)"/.test(workbook);

  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
    const a = attrs(m[1]!);
    if (a.Id && a.Target) targets.set(a.Id, resolve("xl/workbook.xml", a.Target));
  }

  const shared = sharedStrings(await partText(zip, "xl/sharedStrings.xml"));
  const isDate = dateStyles(await partText(zip, "xl/styles.xml"));

  const sheets: FastSheet[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
    const a = attrs(m[1]!);
    const path = targets.get(a["r:id"] ?? a.id ?? "");
    if (!path) throw new UnsupportedWorkbook("sheet without a part");
    const xml = await partText(zip, path);
    if (xml === null) throw new UnsupportedWorkbook(`missing ${path}`);
    sheets.push(parseSheet(decode(a.name ?? ""), (a.state as FastSheet["state"]) ?? "visible", xml, shared, isDate, date1904, limits.maxSheetRows));
  }
  return sheets;
}

/**
 * The shared strings, decoded when a cell uses them: only where each item
 * stands is kept up front (8 bytes an item), so a table of millions of tiny
 * strings costs its text and not an object per string.
 */
function sharedStrings(xml: string | null): (index: number) => string {
  if (!xml) return () => "";
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let n = 0;
  const re = /<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    if (n === starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      starts = grow(starts);
      ends = grow(ends);
    }
    if (m[1] === undefined) starts[n] = ends[n] = 0;
    else {
      ends[n] = m.index + m[0].lastIndexOf("<");
      starts[n] = ends[n]! - m[1].length;
    }
    n++;
  }
  const cache = new Map<number, string>();
  return (i) => {
    if (!(i >= 0 && i < n)) return "";
    let s = cache.get(i);
    if (s === undefined) cache.set(i, (s = starts[i] === ends[i] ? "" : itemText(xml.slice(starts[i], ends[i]))));
    return s;
  };
}

function parseSheet(name: string, state: FastSheet["state"], xml: string, shared: (index: number) => string, isDate: boolean[], date1904: boolean, maxRows: number): FastSheet {
  const rows = new Map<number, Map<number, FastValue>>();
  const data = /<(?:\w+:)?sheetData\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?sheetData>)/.exec(xml);
  const rowRe = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
  const cellRe = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
  let lastRow = 0;
  // rows with a value: counted while reading, so a huge sheet stops before its table is built
  // (rows of empty strings, as formulas copied down leave them, do not count)
  let filled = 0;
  let rm: RegExpExecArray | null;
  const body = data?.[1] ?? "";
  while ((rm = rowRe.exec(body))) {
    const ra = /\br\s*=\s*"(\d+)"/.exec(rm[1]!);
    const rn = ra ? Number(ra[1]) : lastRow + 1;
    lastRow = rn;
    const cells = new Map<number, FastValue>();
    let lastCol = 0;
    let hasValue = false;
    let cm: RegExpExecArray | null;
    const inner = rm[2] ?? "";
    cellRe.lastIndex = 0;
    while ((cm = cellRe.exec(inner))) {
      const a = attrs(cm[1]!);
      const col = a.r ? parseRef(a.r).col : lastCol + 1;
      lastCol = col;
      const content = cm[2] ?? "";
      const v = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/.exec(content)?.[1];
      let value: FastValue = null;
      switch (a.t) {
        case "s":
          value = v === undefined ? null : shared(Number(v));
          break;
        case "inlineStr": {
          const is = /<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(content);
          value = is ? itemText(is[1]!) : null;
          break;
        }
        case "str":
          value = v === undefined ? null : decode(v);
          break;
        case "b":
          value = v === undefined ? null : v.trim() === "1" || v.trim() === "true";
          break;
        case "e":
          value = v === undefined ? null : decode(v);
          break;
        case "d": {
          const d = v === undefined ? NaN : Date.parse(v);
          value = Number.isNaN(d) ? (v ?? null) : new Date(d);
          break;
        }
        default: {
          if (v === undefined || v.trim() === "") break;
          const n = Number(v);
          if (Number.isNaN(n)) throw new UnsupportedWorkbook(`bad number ${v}`);
          value = a.s !== undefined && isDate[Number(a.s)] ? excelToDate(n, date1904) : n;
        }
      }
      if (value !== null) {
        cells.set(col, value);
        if (value !== "") hasValue = true;
      }
    }
    if (hasValue && ++filled > maxRows) throw new FileRefused("import.file.tooManyRows");
    rows.set(rn, cells);
  }

  // Merges: every covered cell points to the top-left one.
  const merges = new Map<number, { left: number; right: number; top: number; id: string }[]>();
  const maxRow = lastRow;
  let entries = 0;
  for (const m of xml.matchAll(/<(?:\w+:)?mergeCell\b[^>]*\bref\s*=\s*"([^"]+)"/g)) {
    const [from, to = from] = m[1]!.split(":");
    const a = parseRef(from!);
    const b = parseRef(to!);
    const top = Math.min(a.row, b.row);
    const bottom = Math.min(Math.max(a.row, b.row), top + MAX_MERGE_ROWS, Math.max(maxRow, top));
    const left = Math.min(a.col, b.col);
    const right = Math.max(a.col, b.col);
    const g = { left, right, top, id: `${colLetters(left)}${top}` };
    entries += bottom - top + 1;
    // refused, not left to exceljs: it would make a cell object for every merged cell
    if (entries > MAX_MERGE_ENTRIES) throw new FileRefused("import.file.tooManyMerges");
    for (let r = top; r <= bottom; r++) {
      const list = merges.get(r);
      if (list) list.push(g);
      else merges.set(r, [g]);
    }
  }

  const find = (row: number, col: number) => {
    const list = merges.get(row);
    if (!list) return null;
    for (const g of list) if (col >= g.left && col <= g.right) return g;
    return null;
  };
  const own = (row: number, col: number): FastValue => rows.get(row)?.get(col) ?? null;
  const rowNumbers = [...new Set([...rows.keys(), ...merges.keys()])].sort((x, y) => x - y);

  return {
    name,
    state,
    rowNumbers,
    cellCount(row) {
      let n = 0;
      for (const c of rows.get(row)?.keys() ?? []) if (c > n) n = c;
      for (const g of merges.get(row) ?? []) if (g.right > n) n = g.right;
      return n;
    },
    value(row, col) {
      const g = find(row, col);
      return g ? own(g.top, g.left) : own(row, col);
    },
    merge(row, col) {
      const g = find(row, col);
      return g ? { id: g.id, masterRow: g.top } : null;
    },
  };
}
