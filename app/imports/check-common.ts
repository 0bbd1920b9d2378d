/**
 * What the three row checkers share: reading a mapped cell, collecting row
 * errors (one per row and column, the most specific first), the file-level
 * problems of the heading row, and turning the form parsers' messages into
 * more helpful ones where a spreadsheet needs it. Pure.
 */
import { idCheckDigit } from "~/registry/id-number";
import { columnSpec, mapHeadings, type ColumnSpec, type ImportKind } from "./columns";
import type { RawTable } from "./table";
import { isScientific, looksLikeLostDigits } from "./values";

export interface RowError {
  /** the user's heading of the column (the template's heading when the column is missing); null for the whole row */
  column: string | null;
  key: string;
  params?: Record<string, string | number>;
}

export type RowErrors = Map<number, RowError[]>;

export interface Note {
  key: string;
  params?: Record<string, string | number>;
}

export interface Change {
  /** "group", "address", … or "member.name", "member.relation", "member.added" … (see changeText in report.ts) */
  field: string;
  before: string;
  after: string;
  /** the person a member change is about */
  member?: { name: string; idNumber: string };
}

export class ErrorCollector {
  readonly rows: RowErrors = new Map();
  private readonly seen = new Set<string>();

  /** Adds an error unless the same cell (or, for a whole-row error, the same message) already has one. */
  add(rowNumber: number, column: string | null, key: string, params?: Record<string, string | number>): void {
    const dedupe = column === null ? `${rowNumber}\u0000\u0000${key}\u0000${JSON.stringify(params ?? {})}` : `${rowNumber}\u0000${column}`;
    if (this.seen.has(dedupe)) return;
    this.seen.add(dedupe);
    const list = this.rows.get(rowNumber);
    const e: RowError = params ? { column, key, params } : { column, key };
    if (list) list.push(e);
    else this.rows.set(rowNumber, [e]);
  }

  has(rowNumber: number): boolean {
    return this.rows.has(rowNumber);
  }

  /** Rows sorted by number, so reports and error files read top to bottom. */
  sorted(): RowErrors {
    return new Map([...this.rows.entries()].sort((a, b) => a[0] - b[0]));
  }
}

/** Reads the mapped columns of a table. */
export class Cells {
  private readonly lost: Set<string>;

  constructor(
    readonly table: RawTable,
    readonly index: Record<string, number>,
    readonly kind: ImportKind,
  ) {
    this.lost = new Set((table.lostDigitCells ?? []).map((l) => `${l.rowNumber}:${l.column}`));
  }

  /** Whether a code cell lost digits in Excel: a number cell of 16+ digits, or scientific notation in a CSV. */
  lostDigits(row: { rowNumber: number; cells: string[] }, key: string): boolean {
    const i = this.index[key];
    if (i === undefined) return false;
    return this.lost.has(`${row.rowNumber}:${i}`) || isScientific(row.cells[i] ?? "");
  }

  has(key: string): boolean {
    return key in this.index;
  }

  get(row: { cells: string[] }, key: string): string {
    const i = this.index[key];
    return i === undefined ? "" : (row.cells[i] ?? "");
  }

  /** The user's heading for a column, or the template's when the file has no such column. */
  heading(key: string): string {
    const i = this.index[key];
    return i === undefined ? columnSpec(this.kind, key).heading : this.table.headings[i]!;
  }
}

/**
 * Problems of the heading row: required columns missing, a column given
 * twice, or (for `eitherOf`) none of a set of alternative columns.
 */
export function headingProblems(kind: ImportKind, table: RawTable, index: Record<string, number>, eitherOf: string[][] = []): Note[] {
  const notes: Note[] = [];
  const missing: ColumnSpec[] = [];
  for (const spec of mapHeadings(kind, []).missingRequired) if (!(spec.key in index)) missing.push(spec);
  if (missing.length) notes.push({ key: "import.column.missing", params: { columns: missing.map((c) => c.heading).join("、") } });
  for (const alternatives of eitherOf) {
    if (!alternatives.some((k) => k in index)) {
      notes.push({ key: "import.column.missingEither", params: { columns: alternatives.map((k) => columnSpec(kind, k).heading).join(" 或 ") } });
    }
  }
  const { index: first, duplicate } = mapHeadings(kind, table.headings);
  for (const heading of duplicate) {
    const spec = mapHeadings(kind, [heading]);
    const key = Object.keys(spec.index)[0]!;
    notes.push({ key: "import.column.duplicate", params: { heading, other: table.headings[first[key]!]! } });
  }
  return notes;
}

/** Whether the checkers should stay quiet about a column: it is required and missing, so the file-level error says it. */
export function missingRequired(kind: ImportKind, index: Record<string, number>, key: string): boolean {
  return !(key in index) && columnSpec(kind, key).required;
}

/**
 * A form parser's message for an ID number cell, made more useful for a
 * spreadsheet: the expected check digit, or the hint that Excel turned the
 * number into a float and lost its last digits.
 */
export function idError(key: string, value: string): Note {
  if (looksLikeLostDigits(value)) return { key: "import.lostDigits" };
  if (key === "id.checksum" && /^\d{17}/.test(value)) return { key: "import.id.checksum", params: { expected: idCheckDigit(value.slice(0, 17)) } };
  return { key };
}

/** Text of a cell for comparing two rows' values of one household or contract. */
export function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  return a.normalize("NFKC").replace(/\s+/g, "") === b.normalize("NFKC").replace(/\s+/g, "");
}

/** "谢建国" → shown in messages; ID numbers are shown in full to the clerk who imports them. */
export function rowsText(rows: number[]): string {
  return rows.join("、");
}
