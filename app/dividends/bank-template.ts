/**
 * Bank payment file layouts as data (ADR 020). Every bank has its own batch
 * payment format (代发工资/批量代付), and banks change them: the app therefore
 * ships no bank's format, only a few generic examples that the accountant
 * copies into their cooperative and adjusts to what their bank asks for.
 *
 * A template says how the payment file is written (CSV or .xlsx, GBK or
 * UTF-8, header rows above the column headings, which field goes into which
 * column, amounts in yuan or fen) and how the bank's result file is read back
 * (the headings of the statement number, account, amount, status and reason
 * columns, and the status values meaning success or failure). Pure.
 */
import type { FieldErrors } from "~/lib/forms";

export const TEMPLATE_FIELDS = ["seq", "account", "name", "amount", "statementNo", "idMasked", "bankName", "village", "householdCode", "note", "blank"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export const PLACEHOLDERS = ["cooperative", "date", "count", "total", "run"] as const;

export interface TemplateColumn {
  header: string;
  field: TemplateField;
}

export interface ResultColumns {
  /** the heading of the column holding our statement number (the bank echoes the 备注/摘要 we sent) */
  statementNo: string;
  /** optional: when set, the account in the result must be the member's */
  account: string;
  amount: string;
  status: string;
  reason: string;
  /** status values meaning the money reached the account */
  success: string[];
  /** status values meaning it did not */
  failure: string[];
}

export interface BankTemplateSpec {
  name: string;
  format: "csv" | "xlsx";
  encoding: "GBK" | "UTF-8";
  /** rows above the column headings; cells may hold {{cooperative}} {{date}} {{count}} {{total}} {{run}} */
  headerRows: string[][];
  columns: TemplateColumn[];
  amountUnit: "yuan" | "fen";
  /** text of the note column (备注/摘要); may hold the same placeholders plus {{statementNo}} */
  note: string;
  resultColumns: ResultColumns;
}

const EXAMPLE_RESULT: ResultColumns = { statementNo: "备注", account: "收款账号", amount: "金额", status: "处理结果", reason: "失败原因", success: ["成功", "交易成功", "已入账"], failure: ["失败", "交易失败", "退回"] };

/** Generic examples to start from. None is any bank's official format: the names say so. */
export const EXAMPLE_TEMPLATES: readonly BankTemplateSpec[] = [
  {
    name: "通用CSV（示例，请按开户银行要求调整）",
    format: "csv",
    encoding: "GBK",
    headerRows: [["付款单位", "{{cooperative}}", "笔数", "{{count}}", "总金额", "{{total}}"]],
    columns: [
      { header: "序号", field: "seq" },
      { header: "收款账号", field: "account" },
      { header: "收款户名", field: "name" },
      { header: "金额", field: "amount" },
      { header: "备注", field: "note" },
    ],
    amountUnit: "yuan",
    note: "{{statementNo}}",
    resultColumns: EXAMPLE_RESULT,
  },
  {
    name: "通用Excel（示例，请按开户银行要求调整）",
    format: "xlsx",
    encoding: "UTF-8",
    headerRows: [["{{cooperative}} 分红代发清单"], ["制表日期", "{{date}}", "笔数", "{{count}}", "合计（元）", "{{total}}"]],
    columns: [
      { header: "序号", field: "seq" },
      { header: "收款户名", field: "name" },
      { header: "收款账号", field: "account" },
      { header: "金额", field: "amount" },
      { header: "身份证号（隐去中间位）", field: "idMasked" },
      { header: "村", field: "village" },
      { header: "备注", field: "note" },
    ],
    amountUnit: "yuan",
    note: "{{statementNo}}",
    resultColumns: EXAMPLE_RESULT,
  },
  {
    name: "通用CSV·金额以分计（示例，请按开户银行要求调整）",
    format: "csv",
    encoding: "GBK",
    headerRows: [],
    columns: [
      { header: "收款账号", field: "account" },
      { header: "收款户名", field: "name" },
      { header: "金额（分）", field: "amount" },
      { header: "备注", field: "note" },
    ],
    amountUnit: "fen",
    note: "{{statementNo}}",
    resultColumns: { ...EXAMPLE_RESULT, amount: "金额（分）" },
  },
];

export type SpecResult = { ok: true; spec: BankTemplateSpec } | { ok: false; errors: FieldErrors };

const MAX_COLUMNS = 30;
const MAX_HEADER_ROWS = 5;
const MAX_TEXT = 60;

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(str) : str(v).split(/[,，、;；\n]/).map((s) => s.trim())).filter((s) => s !== "");

/**
 * Checks a template (as stored JSON, or as assembled from the editor's
 * fields) and returns it cleaned, or the problems by field name
 * (`name`, `columns.2.header`, `result.status` …) as message keys.
 */
export function validateSpec(raw: unknown): SpecResult {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const name = str(o.name);
  if (!name) errors.name = { key: "bank.template.nameRequired" };
  else if (name.length > MAX_TEXT) errors.name = { key: "bank.template.tooLong", params: { max: MAX_TEXT } };
  const format = o.format === "csv" || o.format === "xlsx" ? o.format : null;
  if (!format) errors.format = { key: "bank.template.format" };
  const encoding = o.encoding === "GBK" || o.encoding === "UTF-8" ? o.encoding : null;
  if (!encoding) errors.encoding = { key: "bank.template.encoding" };
  const amountUnit = o.amountUnit === "yuan" || o.amountUnit === "fen" ? o.amountUnit : null;
  if (!amountUnit) errors.amountUnit = { key: "bank.template.amountUnit" };

  const rawRows = Array.isArray(o.headerRows) ? o.headerRows : [];
  const headerRows = rawRows.map((r) => (Array.isArray(r) ? r.map((c) => (typeof c === "string" ? c : "")) : [])).filter((r) => r.some((c) => c.trim() !== ""));
  if (headerRows.length > MAX_HEADER_ROWS) errors.headerRows = { key: "bank.template.tooManyHeaderRows", params: { max: MAX_HEADER_ROWS } };
  for (const [i, r] of headerRows.entries()) {
    const bad = r.map((c) => unknownPlaceholder(c)).find((p) => p !== null);
    if (bad) errors[`headerRows.${i}`] = { key: "bank.template.placeholder", params: { name: bad } };
  }

  const rawColumns = Array.isArray(o.columns) ? o.columns : [];
  const columns: TemplateColumn[] = [];
  for (const [i, c] of rawColumns.entries()) {
    const co = (c && typeof c === "object" ? c : {}) as Record<string, unknown>;
    const header = str(co.header);
    const field = str(co.field) as TemplateField;
    if (!header && !field) continue;
    if (!header) errors[`columns.${i}.header`] = { key: "bank.template.headerRequired" };
    else if (header.length > MAX_TEXT) errors[`columns.${i}.header`] = { key: "bank.template.tooLong", params: { max: MAX_TEXT } };
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field)) errors[`columns.${i}.field`] = { key: "bank.template.field" };
    columns.push({ header, field });
  }
  if (columns.length === 0) errors.columns = { key: "bank.template.noColumns" };
  else if (columns.length > MAX_COLUMNS) errors.columns = { key: "bank.template.tooManyColumns", params: { max: MAX_COLUMNS } };
  else {
    for (const need of ["account", "name", "amount"] as const) if (!columns.some((c) => c.field === need)) errors.columns ??= { key: "bank.template.columnMissing", params: { field: need } };
    const headers = columns.map((c) => c.header).filter(Boolean);
    const dup = headers.find((h, i) => headers.indexOf(h) !== i);
    if (dup && !errors.columns) errors.columns = { key: "bank.template.duplicateHeader", params: { header: dup } };
    for (const f of ["account", "name", "amount", "statementNo", "seq"] as const) {
      if (columns.filter((c) => c.field === f).length > 1 && !errors.columns) errors.columns = { key: "bank.template.duplicateField", params: { field: f } };
    }
  }
  const note = typeof o.note === "string" ? o.note.trim() : "{{statementNo}}";
  if (note.length > MAX_TEXT) errors.note = { key: "bank.template.tooLong", params: { max: MAX_TEXT } };
  else if (unknownPlaceholder(note, true)) errors.note = { key: "bank.template.placeholder", params: { name: unknownPlaceholder(note, true)! } };

  const ro = (o.resultColumns && typeof o.resultColumns === "object" ? o.resultColumns : {}) as Record<string, unknown>;
  const resultColumns: ResultColumns = {
    statementNo: str(ro.statementNo),
    account: str(ro.account),
    amount: str(ro.amount),
    status: str(ro.status),
    reason: str(ro.reason),
    success: list(ro.success),
    failure: list(ro.failure),
  };
  for (const k of ["statementNo", "amount", "status"] as const) if (!resultColumns[k]) errors[`result.${k}`] = { key: "bank.template.resultColumnRequired" };
  if (resultColumns.success.length === 0) errors["result.success"] = { key: "bank.template.statusValuesRequired" };
  if (resultColumns.failure.length === 0) errors["result.failure"] = { key: "bank.template.statusValuesRequired" };
  const both = resultColumns.success.find((s) => resultColumns.failure.includes(s));
  if (both && !errors["result.failure"]) errors["result.failure"] = { key: "bank.template.statusBoth", params: { value: both } };
  // The statement number must travel to the bank, or the result cannot be matched line by line.
  if (columns.length && !columns.some((c) => c.field === "statementNo" || (c.field === "note" && note.includes("{{statementNo}}"))) && !errors.columns) {
    errors.columns = { key: "bank.template.statementNoMissing" };
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, spec: { name, format: format!, encoding: encoding!, headerRows, columns, amountUnit: amountUnit!, note, resultColumns } };
}

/** The first {{placeholder}} in a text that is not known, or null. */
function unknownPlaceholder(text: string, inNote = false): string | null {
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const n = m[1]!;
    if (!(PLACEHOLDERS as readonly string[]).includes(n) && !(inNote && n === "statementNo")) return n;
  }
  return null;
}

/** Reads a stored spec; a stored spec that no longer validates is refused as such (null). */
export function parseStoredSpec(json: string): BankTemplateSpec | null {
  try {
    const r = validateSpec(JSON.parse(json));
    return r.ok ? r.spec : null;
  } catch {
    return null;
  }
}

export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, n: string) => values[n] ?? whole);
}

// ─── Amounts ─────────────────────────────────────────────────────────────────

/** "1234.50" (yuan, two places) or "123450" (fen). */
export function amountText(fen: bigint, unit: "yuan" | "fen"): string {
  if (unit === "fen") return fen.toString();
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  return `${neg ? "-" : ""}${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
}

/** The largest amount a result row may carry: 10亿元, as parseYuan's bound. */
const MAX_FEN = 100_000_000_000n;

/**
 * An amount as a bank writes it back: yuan with up to two places (thousands
 * separators and a ¥ allowed), or whole fen. Null when unreadable or beyond
 * 10亿元. Never through a float.
 */
export function parseAmount(text: string, unit: "yuan" | "fen"): bigint | null {
  const s = text.replace(/[,，\s¥￥]/g, "");
  let fen: bigint;
  if (unit === "fen") {
    if (!/^\d+$/.test(s)) return null;
    fen = BigInt(s);
  } else {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return null;
    fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0") || "0");
  }
  return fen > MAX_FEN ? null : fen;
}

// ─── The payment file's rows ────────────────────────────────────────────────

export interface PayeeLine {
  statementNo: string;
  account: string;
  name: string;
  amountFen: bigint;
  idMasked: string;
  bankName: string;
  village: string;
  householdCode: string;
}

export interface FileContext {
  cooperative: string;
  date: string;
  run: string;
}

// Text a spreadsheet would run as a formula when the CSV is opened (names and notes are typed by people).
const FORMULA_LIKE = /^[=+@\t\r\uFF1D\uFF0B\uFF20]/;
const safeText = (s: string) => (FORMULA_LIKE.test(s) ? `'${s}` : s);

/**
 * The file as rows of text: the header rows with their placeholders filled,
 * the column headings, then one row per payee. The amounts column holds
 * exactly each payee's amount, so the file's total is the sum of the lines.
 */
export function paymentRows(spec: BankTemplateSpec, payees: PayeeLine[], ctx: FileContext): { rows: string[][]; headerRowCount: number; totalFen: bigint } {
  const totalFen = payees.reduce((s, p) => s + p.amountFen, 0n);
  const values = { cooperative: ctx.cooperative, date: ctx.date, run: ctx.run, count: String(payees.length), total: amountText(totalFen, spec.amountUnit) };
  const rows: string[][] = spec.headerRows.map((r) => r.map((c) => fillPlaceholders(c, values)));
  rows.push(spec.columns.map((c) => c.header));
  payees.forEach((p, i) => {
    rows.push(
      spec.columns.map((c) => {
        switch (c.field) {
          case "seq":
            return String(i + 1);
          case "account":
            return p.account;
          case "name":
            return safeText(p.name);
          case "amount":
            return amountText(p.amountFen, spec.amountUnit);
          case "statementNo":
            return p.statementNo;
          case "idMasked":
            return p.idMasked;
          case "bankName":
            return safeText(p.bankName);
          case "village":
            return safeText(p.village);
          case "householdCode":
            return p.householdCode;
          case "note":
            return safeText(fillPlaceholders(spec.note, { ...values, statementNo: p.statementNo }));
          default:
            return "";
        }
      }),
    );
  });
  return { rows, headerRowCount: spec.headerRows.length + 1, totalFen };
}

/** RFC 4180 CSV, CRLF line ends (what Windows tools and bank uploaders expect). */
export function csvText(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\r\n") + "\r\n";
}

/** The statement number a note cell carries, when the note holds it among other text. */
export function statementNoIn(text: string): string | null {
  return /FH\d{4}-[0-9A-Z]+-\d+-\d+/.exec(text)?.[0] ?? null;
}

// ─── The editor's form ──────────────────────────────────────────────────────

/** Column rows the editor shows beyond the template's own, to add columns. */
export const EXTRA_COLUMN_ROWS = 3;

/**
 * A template from the editor's fields: header rows one per line with cells
 * separated by "|", columns `columns.N.header|field|order` (reordered by
 * their order numbers once valid), result columns `result.*`. Errors keep
 * the form's column numbers, so each stands next to its field.
 */
export function specFromForm(get: (name: string) => string): SpecResult {
  const headerRows = get("headerRows")
    .split(/\r?\n/)
    .map((l) => l.split("|").map((c) => c.trim()))
    .filter((r) => r.some((c) => c !== ""));
  const raw: { header: string; field: string; order: number; i: number }[] = [];
  for (let i = 0; i < MAX_COLUMNS + EXTRA_COLUMN_ROWS; i++) {
    const header = get(`columns.${i}.header`);
    const field = get(`columns.${i}.field`);
    const order = Number(get(`columns.${i}.order`));
    raw.push({ header, field: header || field !== "blank" ? field : "", order: Number.isFinite(order) && get(`columns.${i}.order`) !== "" ? order : i + 1, i });
  }
  while (raw.length && !raw[raw.length - 1]!.header && !raw[raw.length - 1]!.field) raw.pop();
  const r = validateSpec({
    name: get("name"),
    format: get("format"),
    encoding: get("encoding"),
    amountUnit: get("amountUnit"),
    note: get("note"),
    headerRows,
    columns: raw.map((c) => ({ header: c.header, field: c.field })),
    resultColumns: { statementNo: get("result.statementNo"), account: get("result.account"), amount: get("result.amount"), status: get("result.status"), reason: get("result.reason"), success: get("result.success"), failure: get("result.failure") },
  });
  if (!r.ok) return r;
  const columns = raw
    .filter((c) => c.header || c.field)
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map((c) => ({ header: c.header, field: c.field as TemplateField }));
  return { ok: true, spec: { ...r.spec, columns } };
}
