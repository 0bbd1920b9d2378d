/**
 * Filing numbers (备案编号) a township assigns, from its pattern
 * (Township.filingPattern), e.g. "牡丹小留流转〔{year}〕{seq:3}号".
 * Tokens: {year} (4 digits), {seq:N} (the sequence, zero-padded to N digits;
 * {seq} is {seq:1}), {village} and {township} (names). Exactly one {seq}.
 * The suggestion is the next free sequence of the year: the largest sequence
 * among the numbers that match the pattern for that year, plus one. Pure.
 */
export const DEFAULT_FILING_PATTERN = "{township}流转备〔{year}〕{seq:4}号";
export const MAX_PATTERN_LENGTH = 60;

export interface FilingContext {
  year: number;
  village?: string;
  township?: string;
}

const TOKEN = /\{(year|village|township|seq(?::(\d{1,2}))?)\}/g;

export type PatternError = "filing.patternTooLong" | "filing.patternSeq" | "filing.patternToken";

/** Checks a pattern a township types; "" is fine (the default applies). */
export function checkPattern(pattern: string): PatternError | null {
  const p = pattern.trim();
  if (!p) return null;
  if (p.length > MAX_PATTERN_LENGTH) return "filing.patternTooLong";
  const seqs = [...p.matchAll(TOKEN)].filter((m) => m[1]!.startsWith("seq"));
  if (seqs.length !== 1) return "filing.patternSeq";
  const width = seqs[0]![2] ? Number(seqs[0]![2]) : 1;
  if (width < 1 || width > 8) return "filing.patternSeq";
  // any other brace is a typing slip ({yaer}); the number would carry it literally
  if (/[{}]/.test(p.replace(TOKEN, ""))) return "filing.patternToken";
  return null;
}

export function effectivePattern(pattern: string | null | undefined): string {
  const p = (pattern ?? "").trim();
  return p && !checkPattern(p) ? p : DEFAULT_FILING_PATTERN;
}

/** The pattern with every token but {seq} filled: [before seq, width, after seq]. */
function split(pattern: string, ctx: FilingContext): [string, number, string] {
  const p = effectivePattern(pattern);
  let before = "";
  let after = "";
  let width = 1;
  let seen = false;
  let last = 0;
  for (const m of p.matchAll(TOKEN)) {
    const lit = p.slice(last, m.index);
    last = m.index! + m[0].length;
    const value = m[1] === "year" ? String(ctx.year).padStart(4, "0") : m[1] === "village" ? (ctx.village ?? "") : m[1] === "township" ? (ctx.township ?? "") : null;
    if (value === null) {
      before += lit;
      seen = true;
      width = m[2] ? Number(m[2]) : 1;
      continue;
    }
    if (seen) after += lit + value;
    else before += lit + value;
  }
  if (seen) after += p.slice(last);
  else before += p.slice(last);
  return [before, width, after];
}

export function renderFilingNumber(pattern: string, ctx: FilingContext, seq: number): string {
  const [before, width, after] = split(pattern, ctx);
  return `${before}${String(seq).padStart(width, "0")}${after}`;
}

/** The literal text every number of the year starts with (for a prefix query). */
export function filingPrefix(pattern: string, ctx: FilingContext): string {
  return split(pattern, ctx)[0];
}

/** The sequence of a number made from the pattern for that year, or null when it does not match. */
export function parseFilingSeq(pattern: string, ctx: FilingContext, no: string): number | null {
  const [before, width, after] = split(pattern, ctx);
  if (!no.startsWith(before) || !no.endsWith(after) || no.length < before.length + after.length + 1) return null;
  const digits = no.slice(before.length, no.length - after.length);
  // a number typed by hand with more digits than the width still counts; fewer does not match the pattern
  if (!/^\d+$/.test(digits) || digits.length < width || digits.length > 9) return null;
  if (digits.length > width && digits.startsWith("0")) return null;
  return Number(digits);
}

/** The next free number of the year: one past the largest sequence among the existing numbers. */
export function nextFilingNumber(pattern: string, ctx: FilingContext, existing: Iterable<string>): string {
  let max = 0;
  for (const no of existing) {
    const s = parseFilingSeq(pattern, ctx, no);
    if (s !== null && s > max) max = s;
  }
  return renderFilingNumber(pattern, ctx, max + 1);
}
