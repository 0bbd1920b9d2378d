/**
 * The one clock and the one calendar of the app (ADR 014).
 *
 * Every "today", every stored date and every printed date or time is China
 * time (Asia/Shanghai, UTC+8 all year: China has had no daylight saving since
 * 1991), whatever the server's or the browser's TZ. Dates are "YYYY-MM-DD"
 * strings; arithmetic on them is plain integer day numbers (H. Hinnant's
 * days-from-civil), never Date objects in the process's local zone.
 *
 * Pure: no framework or Node imports, so pages can use it on both sides.
 */

/** UTC+8, fixed. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const TIME_ZONE = "Asia/Shanghai";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ─── The clock ──────────────────────────────────────────────────────────────

/**
 * The current instant. Reads Date.now() on each call so that a test's fake
 * timers (vi.setSystemTime) move it; `CUNSHE_FAKE_NOW` (an ISO instant) pins
 * it for a whole server process, for browser tests at a chosen hour.
 */
export function now(): Date {
  const fake = typeof process !== "undefined" ? process.env?.CUNSHE_FAKE_NOW : undefined;
  if (fake) {
    const ms = Date.parse(fake);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return new Date(Date.now());
}

/** Today's date in China: "2026-12-03" at 00:30 Beijing time, whatever TZ says. */
export function today(at: Date = now()): string {
  return chinaDate(at);
}

/** The current year in China. */
export function currentYear(at: Date = now()): number {
  return Number(today(at).slice(0, 4));
}

/** The China-time calendar date of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:mm" in China time. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** "YYYY-MM-DD HH:mm:ss" in China time. */
export function chinaDateTimeSeconds(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** An instant given as a Date, an ISO string or epoch ms, as China time; "" for null. */
export function formatInstant(at: Date | string | number | null | undefined, withSeconds = false): string {
  if (at == null || at === "") return "";
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return "";
  return withSeconds ? chinaDateTimeSeconds(d) : chinaDateTime(d);
}

/** The China date of an instant given as a Date, an ISO string or epoch ms; "" for null. */
export function formatInstantDate(at: Date | string | number | null | undefined): string {
  if (at == null || at === "") return "";
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? "" : chinaDate(d);
}

/** The instant at which a China calendar day begins (00:00 Beijing time). */
export function startOfChinaDay(date: string): Date {
  return new Date(dayNumber(date) * 86_400_000 - CHINA_OFFSET_MS);
}

// ─── The calendar ───────────────────────────────────────────────────────────

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function daysInYear(y: number): number {
  return isLeapYear(y) ? 366 : 365;
}

/** Days since 1970-01-01 of a proleptic Gregorian y-m-d (Hinnant's days_from_civil). */
export function civilDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [y, m, d] of a day number (inverse of civilDay). */
export function civilOf(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d];
}

/** The parts of a "YYYY-MM-DD" string, or null when it is not a real date. */
export function parseDateParts(value: unknown): [number, number, number] | null {
  const m = typeof value === "string" ? DATE_RE.exec(value) : null;
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return [y, mo, d];
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isValidDate(value: string): boolean {
  return parseDateParts(value) !== null;
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date; RangeError for anything else. */
export function dayNumber(date: string): number {
  const p = parseDateParts(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return civilDay(p[0], p[1], p[2]);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "YYYY-MM-DD" of a day number. */
export function dateOfDay(z: number): string {
  const [y, m, d] = civilOf(z);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/** date + n days. */
export function addDays(date: string, n: number): string {
  return dateOfDay(dayNumber(date) + n);
}

/** Days from a to b (b − a); negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** Adds whole months, clamping the day to the month's end (Jan 31 + 1 month → Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const p = parseDateParts(date);
  if (!p || !Number.isInteger(months)) throw new RangeError(`not a date: ${date}`);
  const idx = p[0] * 12 + (p[1] - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = idx - ny * 12 + 1;
  return dateOfDay(civilDay(ny, nm, Math.min(p[2], daysInMonth(ny, nm))));
}

/** "2024-02-29" + 1 year → "2025-02-28". */
export function addYears(date: string, years: number): string {
  return addMonths(date, 12 * years);
}

export const yearStart = (y: number) => `${String(y).padStart(4, "0")}-01-01`;
export const yearEnd = (y: number) => `${String(y).padStart(4, "0")}-12-31`;

/**
 * The last day of an N-day period that starts on `start` (both counted):
 * a 7-day notice from 12月3日 runs to 12月9日.
 */
export function lastDayOfPeriod(start: string, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`bad period: ${days}`);
  return addDays(start, days - 1);
}

/** Inclusive count of days from `first` to `last` ("12月3日至12月9日" = 7). */
export function inclusiveDays(first: string, last: string): number {
  return daysBetween(first, last) + 1;
}

/** "2026年12月3日" */
export function chineseDate(date: string): string {
  const p = parseDateParts(date);
  return p ? `${p[0]}年${p[1]}月${p[2]}日` : date;
}

/** "2026-04-01" → "2026年4月1日"; missing → a blank to fill in by hand (printed contracts and statements). */
export function dateZh(date: string | null | undefined): string {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) return "______年____月____日";
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** "12月3日" */
export function chineseMonthDay(date: string): string {
  const p = parseDateParts(date);
  return p ? `${p[1]}月${p[2]}日` : date;
}
