/**
 * Reconciling a bank's result file with a run's lines (ADR 020). Pure: the
 * rows of the file in, a report out; the report is stored (BankReturn) and
 * applied later in one transaction.
 *
 * Every data row of the file ends up in exactly one of two lists: an entry
 * (a line to record as paid or failed) or a problem (why it is not applied).
 * A row is applied only when its statement number names a line of the run,
 * it is the first row for that line, its status is one the template knows,
 * its account (when the file has one) is the member's, and its amount is
 * exactly what the line still owes.
 */
import { normalizeAccount } from "./bank-account";
import { amountText, parseAmount, statementNoIn, type BankTemplateSpec } from "./bank-template";
import { maskBankAccount } from "~/registry/masking";

export interface ReconLine {
  id: number;
  statementNo: string | null;
  account: string;
  netFen: bigint;
  paidFen: bigint;
}

export interface ReconEntry {
  row: number;
  lineId: number;
  statementNo: string;
  status: "PAID" | "FAILED";
  /** fen, as a string (the report is JSON) */
  amountFen: string;
  reason: string;
  account: string;
  /** the line's paidFen when checked: applying refuses if it has changed since */
  paidFenAtCheck: string;
}

export const PROBLEM_KINDS = ["noStatementNo", "unknownStatement", "duplicateRow", "statusUnknown", "amountUnreadable", "accountDiffers", "alreadyPaid", "amountDiffers"] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface ReconProblem {
  row: number;
  kind: ProblemKind;
  statementNo: string;
  params: Record<string, string | number>;
}

export interface ReconReport {
  /** the file's row number of the headings */
  headingRow: number;
  rows: number;
  entries: ReconEntry[];
  problems: ReconProblem[];
  paidFen: string;
  failedFen: string;
}

export type ReconResult = { ok: true; report: ReconReport } | { ok: false; error: { key: string; params?: Record<string, string | number> } };

/** The heading row is looked for among this many rows at the top. */
const HEADING_SEARCH_ROWS = 12;

const norm = (s: string) => s.replace(/[\s\u3000\u00a0]/g, "").toLowerCase();

export function reconcile(rows: { rowNumber: number; cells: string[] }[], spec: BankTemplateSpec, lines: ReconLine[]): ReconResult {
  const rc = spec.resultColumns;
  const want = { statementNo: norm(rc.statementNo), amount: norm(rc.amount), status: norm(rc.status), account: rc.account ? norm(rc.account) : "", reason: rc.reason ? norm(rc.reason) : "" };
  let headingIndex = -1;
  for (let i = 0; i < Math.min(rows.length, HEADING_SEARCH_ROWS); i++) {
    const h = rows[i]!.cells.map(norm);
    if (h.includes(want.statementNo) && h.includes(want.amount) && h.includes(want.status)) {
      headingIndex = i;
      break;
    }
  }
  if (headingIndex < 0) return { ok: false, error: { key: "bank.result.noHeadings", params: { columns: [rc.statementNo, rc.amount, rc.status].join("、") } } };
  const headings = rows[headingIndex]!.cells.map(norm);
  const col = (h: string) => (h ? headings.indexOf(h) : -1);
  const c = { statementNo: col(want.statementNo), amount: col(want.amount), status: col(want.status), account: col(want.account), reason: col(want.reason) };
  const success = new Set(rc.success.map(norm));
  const failure = new Set(rc.failure.map(norm));

  const byNo = new Map<string, ReconLine>();
  for (const l of lines) if (l.statementNo) byNo.set(l.statementNo, l);
  const firstRow = new Map<number, number>();
  const entries: ReconEntry[] = [];
  const problems: ReconProblem[] = [];
  let paid = 0n;
  let failed = 0n;
  let count = 0;

  for (const r of rows.slice(headingIndex + 1)) {
    const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? "").trim() : "");
    if (r.cells.every((x) => x.trim() === "")) continue;
    count++;
    const noText = cell(c.statementNo);
    const problem = (kind: ProblemKind, statementNo: string, params: Record<string, string | number> = {}) => problems.push({ row: r.rowNumber, kind, statementNo, params });
    if (!noText) {
      problem("noStatementNo", "");
      continue;
    }
    const line = byNo.get(noText) ?? byNo.get(statementNoIn(noText) ?? "");
    if (!line) {
      problem("unknownStatement", noText);
      continue;
    }
    const no = line.statementNo!;
    const first = firstRow.get(line.id);
    if (first !== undefined) {
      problem("duplicateRow", no, { first });
      continue;
    }
    firstRow.set(line.id, r.rowNumber);
    const statusText = cell(c.status);
    const status = success.has(norm(statusText)) ? "PAID" : failure.has(norm(statusText)) ? "FAILED" : null;
    if (!status) {
      problem("statusUnknown", no, { value: statusText || "（空）" });
      continue;
    }
    const amountRaw = cell(c.amount);
    const amount = parseAmount(amountRaw, spec.amountUnit);
    if (amount === null) {
      problem("amountUnreadable", no, { value: amountRaw || "（空）" });
      continue;
    }
    const account = normalizeAccount(cell(c.account));
    if (c.account >= 0 && account !== normalizeAccount(line.account)) {
      problem("accountDiffers", no, { file: maskBankAccount(account) || "（空）", ours: maskBankAccount(line.account) || "（空）" });
      continue;
    }
    const outstanding = line.netFen - line.paidFen;
    if (outstanding <= 0n) {
      problem("alreadyPaid", no);
      continue;
    }
    if (amount !== outstanding) {
      problem("amountDiffers", no, { file: amountText(amount, "yuan"), outstanding: amountText(outstanding, "yuan") });
      continue;
    }
    entries.push({ row: r.rowNumber, lineId: line.id, statementNo: no, status, amountFen: amount.toString(), reason: cell(c.reason).slice(0, 200), account: normalizeAccount(line.account), paidFenAtCheck: line.paidFen.toString() });
    if (status === "PAID") paid += amount;
    else failed += amount;
  }
  return { ok: true, report: { headingRow: rows[headingIndex]!.rowNumber, rows: count, entries, problems, paidFen: paid.toString(), failedFen: failed.toString() } };
}
