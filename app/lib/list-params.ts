/**
 * Reading a list page's URL parameters. Each capability's list-filters.ts
 * reads its own filters with these, exactly as its page reads them, so that
 * a download carries what the user sees on screen.
 */

/** A positive whole number from a query parameter; undefined when absent or malformed (never a 500 for junk). */
export function positiveInt(value: string | null): number | undefined {
  return value && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

/**
 * The query string of a list's download link: the page's own parameters
 * without the page number (a download is the whole list, not one page).
 */
export function downloadQuery(params: URLSearchParams): string {
  const copy = new URLSearchParams();
  for (const [k, v] of params) if (k !== "page" && v !== "") copy.append(k, v);
  const s = copy.toString();
  return s ? `?${s}` : "";
}
