/**
 * Contract status. The stored status moves DRAFT → SIGNED → FILED by hand;
 * whether a filed contract is active or expired follows from its dates, so it
 * is derived, never stored, and can never be stale.
 */
export const STORED_STATUSES = ["DRAFT", "SIGNED", "FILED", "TERMINATED", "RENEWED", "SUPERSEDED"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
export type ContractStatus = StoredStatus | "ACTIVE" | "EXPIRED";

export function effectiveStatus(c: { status: string; startDate: string; endDate: string }, today: string): ContractStatus {
  if (c.status === "FILED") {
    if (today > c.endDate) return "EXPIRED";
    if (today >= c.startDate) return "ACTIVE";
  }
  return c.status as ContractStatus;
}

/** Statuses whose plots count as taken for overlapping periods (drafts and superseded versions do not). */
export const HOLDING_STATUSES: readonly string[] = ["SIGNED", "FILED", "TERMINATED", "RENEWED"];

/** The last day a contract holds its land: the termination date when it ended early. */
export function holdsUntil(c: { endDate: string; terminatedOn: string | null }): string {
  return c.terminatedOn && c.terminatedOn < c.endDate ? c.terminatedOn : c.endDate;
}

export function periodsOverlap(a: { start: string; end: string }, b: { start: string; end: string }): boolean {
  return a.start <= b.end && b.start <= a.end;
}
