/**
 * The status history of a household (一般户 / 脱贫户 / 监测户): pure rules.
 *
 * Invariant: the household's current status is the status of its latest
 * change effective on or before today (ties on the same day: the one recorded
 * later), and the history reads in date order. A change dated after today is
 * refused (it has not happened yet); one dated before the current status's
 * date is refused too, with that date in the message, because the form's
 * status is "当前状态": a change placed behind the current one would not
 * become current, which is not what the user asked for.
 */

export interface StatusChangeDate {
  id: number;
  /** "YYYY-MM-DD", China date */
  effectiveOn: string;
}

export type StatusDateError = { key: "status.dateFuture"; params: { today: string } } | { key: "status.dateBeforeCurrent"; params: { date: string } };

/** Why a status change effective on `date` cannot be recorded, or null when it can. */
export function checkStatusDate(date: string, currentSince: string | null, today: string): StatusDateError | null {
  if (date > today) return { key: "status.dateFuture", params: { today } };
  if (currentSince !== null && date < currentSince) return { key: "status.dateBeforeCurrent", params: { date: currentSince } };
  return null;
}

/** Newest first: by date, then by the order recorded. */
export function historyNewestFirst<T extends StatusChangeDate>(history: readonly T[]): T[] {
  return [...history].sort((a, b) => (a.effectiveOn < b.effectiveOn ? 1 : a.effectiveOn > b.effectiveOn ? -1 : b.id - a.id));
}

/** The change in force today: the latest effective on or before today, or null. */
export function currentChange<T extends StatusChangeDate>(history: readonly T[], today: string): T | null {
  return historyNewestFirst(history).find((c) => c.effectiveOn <= today) ?? null;
}
