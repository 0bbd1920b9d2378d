/**
 * Search terms for the household search index (docs/decisions/005-household-search.md).
 *
 * Chinese names are two to four characters, so every substring of a name is
 * stored as an exact-match term: at most ten per name. Any part of a name is
 * then one B-tree lookup instead of a scan of every name. ID numbers and
 * phones are stored whole and matched exactly or by prefix.
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

export type SearchQuery =
  | { kind: "exact"; terms: string[] }
  | { kind: "prefix"; prefixes: string[] }
  | { kind: "none" };

/**
 * Reads what a user typed. Several words (e.g. a child's and a father's name)
 * must all match one household. Digits are an ID number or phone: whole ones
 * match exactly, partial ones (six or more characters) by prefix.
 */
export function parseSearch(input: string): SearchQuery {
  const words = input.trim().split(/[\s,，、]+/).filter(Boolean).slice(0, 4);
  if (words.length === 0) return { kind: "none" };
  if (words.length === 1 && /^[\dxX-]+$/.test(words[0]!)) {
    const w = words[0]!.replace(/-/g, "").toUpperCase();
    if (w.length === 18) return { kind: "exact", terms: [idTerm(w)] };
    if (/^1\d{10}$/.test(w)) return { kind: "exact", terms: [phoneTerm(w)] };
    if (w.length >= 6) return { kind: "prefix", prefixes: [idTerm(w), phoneTerm(w)] };
    return { kind: "exact", terms: [phoneTerm(w)] };
  }
  return { kind: "exact", terms: words.map((w) => "n:" + w) };
}
