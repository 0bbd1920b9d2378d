/** The query string that keeps a books page's cooperative and year (and any extra parameters); shared by loaders and components. */
export function booksQuery(coop: { id: number } | null, year: number, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  if (coop) p.set("coop", String(coop.id));
  p.set("year", String(year));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") p.set(k, String(v));
  return `?${p.toString()}`;
}

/** The statuses a voucher list filters by. */
export const VOUCHER_STATUSES = ["UNCHECKED", "CHECKED", "VOID"] as const;
