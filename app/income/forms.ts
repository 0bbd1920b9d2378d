/**
 * Parsing of the household-income forms: typed income entries, base work
 * days (基地务工) and the yearly monitoring line. Pure, shared by actions and
 * tests. Errors are message keys per field name (~/lib/forms), so each can
 * sit next to its field.
 */
import { dayNumber, isValidDate } from "~/lib/dates";
import { parseYuan, toFen } from "~/lib/money";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { CATEGORIES, ENTRY_KINDS, NOT_INCOME_KINDS, type Category } from "./rules";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The first year the ledger keeps income accounts for (the 2015 targeted-poverty baseline). */
export const FIRST_INCOME_YEAR = 2015;
/** A ceiling against slips of the keyboard (an extra 0 or three): 100 million yuan per amount. */
export const MAX_INCOME_AMOUNT_FEN = 10_000_000_000n;
/**
 * A monitoring line is a per-person yearly figure of a few thousand yuan
 * (about 7,000 in 2025): above 100,000 yuan it is surely a typing slip.
 */
export const MAX_LINE_FEN = 10_000_000n;

/**
 * What the forms need to know of the clock: the current year in China and,
 * when given, today's China date ("YYYY-MM-DD"), after which no income can
 * have been received nor work done (app/lib/dates.ts today()).
 */
export interface FormClock {
  currentYear: number;
  today?: string;
}

const trim = (raw: RawForm, name: string) => (raw[name] ?? "").trim();

function parseYear(raw: RawForm, name: string, from: number, to: number, errors: FieldErrors): number {
  const s = trim(raw, name);
  const y = /^\d{4}$/.test(s) ? Number(s) : NaN;
  if (!s) errors[name] = { key: "income.form.yearRequired" };
  else if (!Number.isInteger(y) || y < from || y > to) errors[name] = { key: "income.form.yearRange", params: { from, to } };
  return y;
}

function parseId(raw: RawForm, name: string, required: boolean, errors: FieldErrors): number | null {
  const s = trim(raw, name);
  if (!s) {
    if (required) errors[name] = { key: "field.required" };
    return null;
  }
  const n = /^\d{1,10}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    errors[name] = { key: "field.required" };
    return null;
  }
  return n;
}

function parseText(raw: RawForm, name: string, max: number, errors: FieldErrors): string {
  const v = trim(raw, name);
  if (v.length > max) errors[name] = { key: "text.tooLong", params: { max } };
  return v;
}

/** A yuan amount in fen; `positive` refuses zero. Errors reuse the shared money.* messages. */
function parseMoney(raw: RawForm, name: string, opts: { positive: boolean; required: boolean; maxFen?: bigint }, errors: FieldErrors): bigint {
  const s = trim(raw, name);
  if (!s && !opts.required) return 0n;
  const r = parseYuan(s);
  if (!r.ok) {
    errors[name] = { key: r.error };
    return 0n;
  }
  const fen = toFen(r.value);
  if (opts.positive && fen <= 0n) errors[name] = { key: "income.form.amountPositive" };
  else if (fen > (opts.maxFen ?? MAX_INCOME_AMOUNT_FEN)) errors[name] = { key: "income.form.amountTooLarge", params: { max: yuanText(opts.maxFen ?? MAX_INCOME_AMOUNT_FEN) } };
  return fen;
}

/** Whole yuan with thousands separators, for the bounds in messages ("100,000,000"). */
const yuanText = (fen: bigint) => (fen / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** A date after today in China is refused next to its field: income not yet received, work not yet done. */
function notFuture(date: string | null, name: string, today: string | undefined, errors: FieldErrors): void {
  if (date && today && date > today && !errors[name]) errors[name] = { key: "income.form.dateFuture", params: { today } };
}

function parseDate(raw: RawForm, name: string, required: boolean, errors: FieldErrors): string | null {
  const s = trim(raw, name);
  if (!s) {
    if (required) errors[name] = { key: "income.form.dateRequired" };
    return null;
  }
  if (!isValidDate(s)) {
    errors[name] = { key: "date.format" };
    return null;
  }
  return s;
}

// ─── Typed income entries ──────────────────────────────────────────────────

export interface IncomeEntryInput {
  year: number;
  category: Category;
  kind: string;
  personId: number | null;
  amountFen: bigint;
  /** operating costs; 0 for every other category */
  costFen: bigint;
  source: string;
  receivedOn: string | null;
  note: string;
}

/**
 * An income entry of a household's yearly account.
 * - year 2015..currentYear; the kind must belong to the category;
 * - education aid, medical reimbursement and housing aid are refused with
 *   the reason (they are not income in the survey's definition);
 * - amount > 0 in yuan to the fen; costs (≥ 0) only for operating income,
 *   where the net (amount − cost) may be negative;
 * - a source (who paid, which document) is required for transfer and
 *   property income, so that the audit can trace them;
 * - receivedOn, when given, within the year.
 */
export function parseIncomeEntryForm(raw: RawForm, opts: FormClock): ParseResult<IncomeEntryInput> {
  const errors: FieldErrors = {};
  const year = parseYear(raw, "year", FIRST_INCOME_YEAR, opts.currentYear, errors);

  const categoryRaw = trim(raw, "category");
  const kind = trim(raw, "kind");
  const category = (CATEGORIES as readonly string[]).includes(categoryRaw) ? (categoryRaw as Category) : null;
  if ((NOT_INCOME_KINDS as readonly string[]).includes(kind)) {
    // explain rather than just refuse: the clerk is holding a real payment slip
    errors.kind = { key: `income.notIncome.${kind}` };
  } else if (!category) {
    errors.category = { key: "income.form.categoryRequired" };
  } else if (!kind) {
    errors.kind = { key: "income.form.kindRequired" };
  } else if (!ENTRY_KINDS[category].includes(kind)) {
    errors.kind = { key: "income.form.kindCategory" };
  }

  const personId = parseId(raw, "personId", false, errors);
  const amountFen = parseMoney(raw, "amount", { positive: true, required: true }, errors);

  let costFen = 0n;
  if (trim(raw, "cost")) {
    if (category === "OPERATING") costFen = parseMoney(raw, "cost", { positive: false, required: false }, errors);
    else errors.cost = { key: "income.form.costOnlyOperating" };
  }

  const source = parseText(raw, "source", 100, errors);
  if (!source && (category === "TRANSFER" || category === "PROPERTY")) errors.source = { key: "income.form.sourceRequired" };

  const receivedOn = parseDate(raw, "receivedOn", false, errors);
  if (receivedOn && Number.isInteger(year) && receivedOn.slice(0, 4) !== String(year)) {
    errors.receivedOn = { key: "income.form.dateInYear", params: { year } };
  }
  notFuture(receivedOn, "receivedOn", opts.today, errors);
  const note = parseText(raw, "note", 200, errors);

  if (Object.keys(errors).length > 0 || !category) return { ok: false, errors };
  return { ok: true, value: { year, category, kind, personId, amountFen, costFen, source, receivedOn, note } };
}

// ─── Work days at the base (基地务工) ───────────────────────────────────────

export interface WorkDayInput {
  personId: number;
  cooperativeId: number | null;
  employer: string;
  periodStart: string;
  periodEnd: string;
  year: number;
  /** decimal days, a multiple of 0.5 ("12", "3.5") */
  days: string;
  dailyWageFen: bigint;
  /** days × daily wage, rounded half-up to the fen */
  amountFen: bigint;
  paidOn: string | null;
  note: string;
}

const DAYS_RE = /^(\d{1,4})(?:\.(\d+))?$/;

/**
 * Days worked by one person in a period, at a cooperative in the app or at
 * a named employer. The period lies within one year (wage income counts in
 * the year the work was done), the year within 2015..currentYear; days are
 * half-day steps, more than 0 and at most the calendar days of the period;
 * the amount is days × daily wage rounded half-up to the fen. paidOn may
 * fall in the next year (December's wages paid in January), not before the
 * period starts.
 */
export function parseWorkDayForm(raw: RawForm, opts: FormClock): ParseResult<WorkDayInput> {
  const errors: FieldErrors = {};
  const personId = parseId(raw, "personId", true, errors);
  const cooperativeId = parseId(raw, "cooperativeId", false, errors);
  const employer = parseText(raw, "employer", 60, errors);
  if (!employer && cooperativeId === null && !errors.cooperativeId) errors.employer = { key: "income.work.employerRequired" };

  const periodStart = parseDate(raw, "periodStart", true, errors);
  const periodEnd = parseDate(raw, "periodEnd", true, errors);
  let year = NaN;
  let periodDays = 0;
  if (periodStart && periodEnd) {
    year = Number(periodStart.slice(0, 4));
    if (periodEnd < periodStart) errors.periodEnd = { key: "income.work.periodOrder" };
    else if (periodEnd.slice(0, 4) !== periodStart.slice(0, 4)) errors.periodEnd = { key: "income.work.periodOneYear" };
    else if (year < FIRST_INCOME_YEAR || year > opts.currentYear) {
      errors.periodStart = { key: "income.form.yearRange", params: { from: FIRST_INCOME_YEAR, to: opts.currentYear } };
    } else periodDays = dayNumber(periodEnd) - dayNumber(periodStart) + 1;
  }

  // days counted in halves, so that every check below is integer arithmetic
  const daysRaw = trim(raw, "days");
  let halves = 0;
  const dm = DAYS_RE.exec(daysRaw);
  if (!daysRaw) errors.days = { key: "income.work.daysRequired" };
  else if (!dm) errors.days = { key: "income.work.daysFormat" };
  else {
    const frac = (dm[2] ?? "").replace(/0+$/, "");
    if (frac !== "" && frac !== "5") errors.days = { key: "income.work.daysHalf" };
    else {
      halves = Number(dm[1]) * 2 + (frac === "5" ? 1 : 0);
      if (halves <= 0) errors.days = { key: "income.work.daysPositive" };
      else if (periodDays > 0 && halves > periodDays * 2) errors.days = { key: "income.work.daysTooMany", params: { days: periodDays } };
    }
  }

  const dailyWageFen = parseMoney(raw, "dailyWage", { positive: true, required: true }, errors);
  const paidOn = parseDate(raw, "paidOn", false, errors);
  if (paidOn && periodStart && paidOn < periodStart) errors.paidOn = { key: "income.work.paidBeforeStart" };
  notFuture(periodEnd, "periodEnd", opts.today, errors);
  notFuture(paidOn, "paidOn", opts.today, errors);
  // days × wage is the amount counted: it gets the same bound as any amount
  if (!errors.dailyWage && halves > 0 && BigInt(halves) * dailyWageFen > MAX_INCOME_AMOUNT_FEN * 2n) {
    errors.dailyWage = { key: "income.work.amountTooLarge", params: { max: yuanText(MAX_INCOME_AMOUNT_FEN) } };
  }
  const note = parseText(raw, "note", 200, errors);

  if (Object.keys(errors).length > 0 || personId === null || !periodStart || !periodEnd) return { ok: false, errors };
  const days = halves % 2 === 0 ? String(halves / 2) : `${(halves - 1) / 2}.5`;
  // halves × wage ÷ 2, half-up: an odd product has exactly half a fen over
  const amountFen = (BigInt(halves) * dailyWageFen + 1n) / 2n;
  return {
    ok: true,
    value: { personId, cooperativeId, employer, periodStart, periodEnd, year, days, dailyWageFen, amountFen, paidOn, note },
  };
}

// ─── Monitoring line (防止返贫监测线) ───────────────────────────────────────

export interface MonitoringLineInput {
  year: number;
  provinceCode: string;
  amountFen: bigint;
  source: string;
  sourceUrl: string;
}

/** GB/T 2260 province-level codes (省级行政区划代码). */
export const PROVINCE_CODES = [
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
  "71", "81", "82",
] as const;

/**
 * A yearly monitoring line per province with the document it comes from
 * (DOMAIN.md §3: a setting, never a constant). The year may be the next
 * one, because provinces publish the line before the year starts; the
 * source must name the document (at least 4 characters); the URL is
 * optional and must be http(s).
 */
export function parseMonitoringLineForm(raw: RawForm, opts: FormClock): ParseResult<MonitoringLineInput> {
  const errors: FieldErrors = {};
  const year = parseYear(raw, "year", FIRST_INCOME_YEAR, opts.currentYear + 1, errors);
  const provinceCode = trim(raw, "provinceCode");
  if (!provinceCode) errors.provinceCode = { key: "income.line.provinceRequired" };
  else if (!(PROVINCE_CODES as readonly string[]).includes(provinceCode)) errors.provinceCode = { key: "income.line.provinceFormat" };
  const amountFen = parseMoney(raw, "amount", { positive: true, required: true, maxFen: MAX_LINE_FEN }, errors);
  const source = parseText(raw, "source", 200, errors);
  if (!errors.source && Array.from(source).length < 4) errors.source = { key: "income.line.sourceRequired" };
  const sourceUrl = parseText(raw, "sourceUrl", 500, errors);
  if (sourceUrl && !errors.sourceUrl && !isHttpUrl(sourceUrl)) errors.sourceUrl = { key: "income.line.urlFormat" };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { year, provinceCode, amountFen, source, sourceUrl } };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}
