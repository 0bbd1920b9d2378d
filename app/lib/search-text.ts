/**
 * Search boxes match typed text literally. Prisma's `contains` and
 * `startsWith` become SQL LIKE, where "%" and "_" are wildcards it does not
 * escape: "%" alone would match every row. Text with those characters is
 * searched by its literal pieces (a superset) and then checked exactly.
 */
const WILDCARDS = /[%_\\]/;

export function hasLikeWildcards(text: string): boolean {
  return WILDCARDS.test(text);
}

/** The pieces between wildcards, longest first: each must appear in a match. */
export function literalPieces(text: string): string[] {
  return text
    .split(/[%_\\]+/)
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
}
