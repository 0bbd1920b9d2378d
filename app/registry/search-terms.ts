/**
 * Search terms for the household search index (docs/decisions/005-household-search.md).
 *
 * Chinese names are two to four characters, so every substring of a name is
 * stored as an exact-match term: at most ten per name. Any part of a name is
 * then one B-tree lookup instead of a scan of every name. ID numbers and
 * phones are stored whole and matched exactly or by prefix; the last 4, 5
 * and 6 characters of an ID number (`s:`) and the birth date it carries
 * (`b:YYYY-MM-DD`) are terms of their own, matched exactly.
 *
 * Pure and self-contained: the seed and import scripts build terms with it.
 */
export function nameTerms(name: string): string[] {
  const chars = [...name.replace(/\s+/g, "")];
  const out = new Set<string>();
  // Long (foreign or minority) names would explode the index; their prefixes and
  // the whole name still find them.
  const maxLen = chars.length > 6 ? 4 : chars.length;
  for (let i = 0; i < chars.length; i++) {
    for (let j = i + 1; j <= Math.min(chars.length, i + maxLen); j++) out.add("n:" + chars.slice(i, j).join(""));
  }
  out.add("n:" + chars.join(""));
  return [...out];
}

export function idTerm(idNumber: string): string {
  return "i:" + idNumber.toUpperCase();
}

export function phoneTerm(phone: string): string {
  return "p:" + phone.replace(/[^\d]/g, "");
}

/** The last 4, 5 and 6 characters of an ID number: the masked ID shows the last 4, so those are what people type. */
export function idSuffixTerms(idNumber: string): string[] {
  const id = idNumber.trim().toUpperCase();
  const out: string[] = [];
  for (const n of [4, 5, 6]) if (id.length > n) out.push("s:" + id.slice(-n));
  return out;
}

/** The birth date an 18-character ID number carries, "YYYY-MM-DD"; "" when it carries none. */
export function birthDateOfId(idNumber: string): string {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/i.exec(idNumber.trim());
  if (!m) return "";
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return validDate(date) ? date : "";
}

export function birthDateTerm(date: string): string {
  return "b:" + date;
}

/** A real calendar date "YYYY-MM-DD" between 1800 and 2199 (kept here so this module imports nothing). */
function validDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1800 || y > 2199 || mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** What one word of a search asks for. */
export type Criterion =
  | { kind: "name"; text: string }
  | { kind: "id"; id: string }
  | { kind: "phone"; phone: string }
  | { kind: "idSuffix"; digits: string }
  | { kind: "birthDate"; date: string }
  /** seven or more digits: the start of an ID number or phone */
  | { kind: "digits"; digits: string };

/** Why a search was not run: a catalog key and its parameters. */
export interface SearchProblem {
  key: string;
  params?: Record<string, string | number>;
}

export type SearchQuery =
  | { kind: "none" }
  | { kind: "exact"; terms: string[]; criteria: Criterion[] }
  | { kind: "prefix"; prefixes: string[]; criteria: Criterion[] }
  | { kind: "invalid"; problem: SearchProblem };

const DATE_WORD = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** "1965-03-08", "1965/3/8", "1965.3.8", "1965年3月8日", "19650308" → "1965-03-08"; null when not written as a date; "" when written as one but no such day. */
export function readDateWord(word: string): string | null {
  let y: string, mo: string, d: string;
  const m = DATE_WORD.exec(word);
  if (m) [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  else {
    // eight digits are a date only if they read as one from 1900 on; anything else stays a number
    const c = /^((?:19|20)\d{2})(\d{2})(\d{2})$/.exec(word);
    if (!c) return null;
    const date = `${c[1]}-${c[2]}-${c[3]}`;
    return validDate(date) ? date : null;
  }
  const date = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
  return validDate(date) ? date : "";
}

function termOf(c: Exclude<Criterion, { kind: "digits" }>): string {
  switch (c.kind) {
    case "name":
      return "n:" + c.text;
    case "id":
      return idTerm(c.id);
    case "phone":
      return phoneTerm(c.phone);
    case "idSuffix":
      return "s:" + c.digits;
    case "birthDate":
      return birthDateTerm(c.date);
  }
}

/**
 * Reads what a user typed. Several words (e.g. a child's and a father's name,
 * or a name and the last digits of an ID) must all match one household.
 * Digits: 18 characters are an ID number and 11 starting with 1 a mobile,
 * matched exactly; 4–6 characters the end of an ID number; a date in any
 * usual writing a birth date; seven or more other digits the start of an ID
 * number or phone (on their own only). Fewer than four digits, a date that
 * does not exist or a number start beside other words are refused with the
 * reason (`invalid`), never searched as something else.
 */
export function parseSearch(input: string): SearchQuery {
  // "1965 年 3 月 8 日" is one word
  const text = input.trim().replace(/\s*([年月日])\s*/g, "$1");
  const words = text.split(/[\s,，、]+/).filter(Boolean).slice(0, 4);
  if (words.length === 0) return { kind: "none" };
  const criteria: Criterion[] = [];
  for (const word of words) {
    const date = readDateWord(word);
    if (date === "") return { kind: "invalid", problem: { key: "search.dateInvalid", params: { text: word } } };
    if (date) {
      criteria.push({ kind: "birthDate", date });
      continue;
    }
    if (/^[\dxX-]+$/.test(word) && /\d/.test(word)) {
      const w = word.replace(/-/g, "").toUpperCase();
      if (/^\d{17}[\dX]$/.test(w)) criteria.push({ kind: "id", id: w });
      else if (/^1\d{10}$/.test(w)) criteria.push({ kind: "phone", phone: w });
      else if (/^\d{3,5}[\dX]$/.test(w)) criteria.push({ kind: "idSuffix", digits: w });
      else if (/^\d{1,3}$/.test(w)) return { kind: "invalid", problem: { key: "search.idSuffixTooShort", params: { text: w, count: w.length } } };
      else if (/^\d{7,17}$/.test(w)) criteria.push({ kind: "digits", digits: w });
      else return { kind: "invalid", problem: { key: "search.numberUnreadable", params: { text: word } } };
      continue;
    }
    criteria.push({ kind: "name", text: word });
  }
  const digits = criteria.find((c): c is Extract<Criterion, { kind: "digits" }> => c.kind === "digits");
  if (digits) {
    if (criteria.length > 1) return { kind: "invalid", problem: { key: "search.partialAlone", params: { text: digits.digits } } };
    return { kind: "prefix", prefixes: [idTerm(digits.digits), phoneTerm(digits.digits)], criteria };
  }
  const exact = criteria as Exclude<Criterion, { kind: "digits" }>[];
  return { kind: "exact", terms: exact.map(termOf), criteria };
}

/** A criterion as a phrase of the "nothing found" message (catalog keys search.criterion.*). */
export function criterionMessage(c: Criterion): SearchProblem {
  switch (c.kind) {
    case "name":
      return { key: "search.criterion.name", params: { text: c.text } };
    case "id":
      return { key: "search.criterion.id", params: { id: c.id } };
    case "phone":
      return { key: "search.criterion.phone", params: { phone: c.phone } };
    case "idSuffix":
      return { key: "search.criterion.idSuffix", params: { n: c.digits.length, digits: c.digits } };
    case "birthDate":
      return { key: "search.criterion.birthDate", params: { date: c.date } };
    case "digits":
      return { key: "search.criterion.digits", params: { digits: c.digits } };
  }
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * Why a search found nothing, in words naming what was searched and how:
 * "没有身份证号后 4 位为 1234 的户", "按出生日期 1965-03-08 未找到", or every
 * criterion of a search of several words; `filtered` adds that the village,
 * group, status or category chosen narrowed it.
 */
export function explainNoMatch(criteria: readonly Criterion[], filtered: boolean, t: Translate): string {
  const only = criteria.length === 1 ? criteria[0]! : null;
  let text: string;
  if (only?.kind === "birthDate") text = t("search.noMatch.birthDate", { date: only.date });
  else {
    const parts = criteria.map((c) => {
      const m = criterionMessage(c);
      return t(m.key, m.params);
    });
    const joined = parts.join(t("search.and"));
    // a space between a number and the Chinese that follows, as the rest of the UI writes it
    text = t("search.noMatch", { criteria: /[0-9A-Za-z]$/.test(joined) ? joined + " " : joined });
  }
  return filtered ? text + t("search.noMatch.filtered") : text;
}
