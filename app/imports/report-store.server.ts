/**
 * How a dry run's report is kept (ADR 016): the batch's `report` column holds
 * only a summary — counts, problems of the file, unknown headings, the first
 * page of row errors and the first planned changes — so that the batch page
 * reads a few kilobytes whatever the size of the file. When there are more
 * rows with errors than one page, all of them are written to a file beside
 * the database (`import-reports/`, owner-only, like the job results), one
 * gzip member per page of REPORT_PAGE rows; the summary keeps each page's
 * byte offset, so showing page N reads and inflates only that page.
 *
 * Batches stored before this (a report holding every row error) are read as
 * they are. A pages file that is gone (a database restored from a backup
 * without it) leaves the first page; the error file is then made by checking
 * the kept upload again.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { dataDirectory } from "~/lib/db.server";
import type { Change, Note, RowError } from "./check-common";

/** Rows with errors per page of the batch page. */
export const REPORT_PAGE = 200;
/** Planned changes kept in the summary (the page lists these; the import itself re-checks the file). */
export const SHOWN_ITEMS = 200;

export interface ReportItem {
  rowNumbers: number[];
  action: "create" | "update" | "unchanged";
  label: string;
  changes: Change[];
  notes: Note[];
}

/** The whole report as the check produces it (in memory, never stored whole). */
export interface FullReport {
  fileErrors: Note[];
  rowErrors: [number, RowError[]][];
  unknownHeadings: string[];
  counts: Record<string, number>;
  items: ReportItem[];
}

/** What the `report` column holds. `rowErrors` and `items` are the first ones only. */
export interface StoredReport {
  v: 2;
  fileErrors: Note[];
  unknownHeadings: string[];
  counts: Record<string, number>;
  /** rows with errors, in all */
  errorRows: number;
  /** the first page of them */
  rowErrors: [number, RowError[]][];
  /** planned changes worth showing (created, updated, or with a note), in all */
  itemsTotal: number;
  items: ReportItem[];
  /** every page of row errors, when there is more than one: the file's name in import-reports/ and each page's start (and the end) */
  pages?: { file: string; offsets: number[] };
  /** the job whose result file is this report's error workbook, and its language */
  errorFile?: { jobId: number; locale: string };
}

const shown = (i: ReportItem) => i.action !== "unchanged" || i.notes.length > 0;

export function reportsDirectory(): string {
  const dir = process.env.IMPORT_REPORTS_DIR ? path.resolve(process.env.IMPORT_REPORTS_DIR) : path.join(dataDirectory(), "import-reports");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const FILE_NAME = /^batch-\d+-[0-9a-f]{12}\.pages\.gz$/;

function pagesPath(file: string): string | null {
  // the name comes from the database: never let it point elsewhere
  return FILE_NAME.test(file) ? path.join(reportsDirectory(), file) : null;
}

/**
 * The summary to store for a full report; writes the pages file when the
 * row errors do not fit on one page.
 */
export function storeReport(batchId: number, r: FullReport): StoredReport {
  let itemsTotal = 0;
  const items: ReportItem[] = [];
  for (const i of r.items) {
    if (!shown(i)) continue;
    itemsTotal++;
    if (items.length < SHOWN_ITEMS) items.push(i);
  }
  const stored: StoredReport = {
    v: 2,
    fileErrors: r.fileErrors,
    unknownHeadings: r.unknownHeadings,
    counts: r.counts,
    errorRows: r.rowErrors.length,
    rowErrors: r.rowErrors.slice(0, REPORT_PAGE),
    itemsTotal,
    items,
  };
  if (r.rowErrors.length > REPORT_PAGE) stored.pages = writePages(batchId, r.rowErrors);
  return stored;
}

function writePages(batchId: number, rowErrors: [number, RowError[]][]): { file: string; offsets: number[] } {
  const file = `batch-${batchId}-${randomBytes(6).toString("hex")}.pages.gz`;
  const full = path.join(reportsDirectory(), file);
  const fd = fs.openSync(full, "wx", 0o600);
  const offsets = [0];
  try {
    let at = 0;
    for (let i = 0; i < rowErrors.length; i += REPORT_PAGE) {
      const chunk = gzipSync(JSON.stringify(rowErrors.slice(i, i + REPORT_PAGE)));
      fs.writeSync(fd, chunk);
      at += chunk.length;
      offsets.push(at);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { file, offsets };
}

/** Parses the `report` column: the summary, or a report stored whole by an older version (read as one). */
export function parseReport(json: string): StoredReport & { legacy: boolean; all?: [number, RowError[]][] } {
  const r = JSON.parse(json || "{}") as Partial<StoredReport> & { rowErrors?: [number, RowError[]][]; items?: ReportItem[] };
  if (r.v === 2) return { ...(r as StoredReport), legacy: false };
  const rowErrors = r.rowErrors ?? [];
  const items = (r.items ?? []).filter(shown);
  return {
    v: 2,
    fileErrors: r.fileErrors ?? [],
    unknownHeadings: r.unknownHeadings ?? [],
    counts: r.counts ?? {},
    errorRows: rowErrors.length,
    rowErrors: rowErrors.slice(0, REPORT_PAGE),
    itemsTotal: items.length,
    items: items.slice(0, SHOWN_ITEMS),
    legacy: true,
    all: rowErrors,
  };
}

export const pageCount = (r: Pick<StoredReport, "errorRows">) => Math.max(1, Math.ceil(r.errorRows / REPORT_PAGE));

/**
 * Row errors of page `page` (1-based), or null when that page is no longer
 * kept (its file is gone). Reads one gzip member of the pages file.
 */
export function rowErrorPage(r: ReturnType<typeof parseReport>, page: number): [number, RowError[]][] | null {
  if (page <= 1) return r.rowErrors;
  if (page > pageCount(r)) return [];
  if (r.all) return r.all.slice((page - 1) * REPORT_PAGE, page * REPORT_PAGE);
  if (!r.pages) return [];
  const full = pagesPath(r.pages.file);
  const start = r.pages.offsets[page - 1];
  const end = r.pages.offsets[page];
  if (!full || start === undefined || end === undefined) return null;
  let fd: number;
  try {
    fd = fs.openSync(full, "r");
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(end - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    return JSON.parse(gunzipSync(buf).toString("utf8")) as [number, RowError[]][];
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Every row error of the report, or null when some are no longer kept. */
export function allRowErrors(r: ReturnType<typeof parseReport>): Map<number, RowError[]> | null {
  if (r.all) return new Map(r.all);
  if (!r.pages) return new Map(r.rowErrors);
  const out = new Map<number, RowError[]>();
  for (let p = 1; p <= pageCount(r); p++) {
    const rows = rowErrorPage(r, p);
    if (rows === null) return null;
    for (const [rn, errors] of rows) out.set(rn, errors);
  }
  return out;
}

/** Removes a report's pages file (the batch was checked again, or discarded). */
export function removePages(r: Pick<StoredReport, "pages"> | null | undefined): void {
  const full = r?.pages ? pagesPath(r.pages.file) : null;
  if (full) fs.rmSync(full, { force: true });
}
