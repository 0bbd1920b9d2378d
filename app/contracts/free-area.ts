import { Decimal } from "~/lib/money";
import { HOLDING_STATUSES, holdsUntil, periodsOverlap } from "./status";

/**
 * A plot's free area for a new contract's period: its contract area minus
 * what live contracts already hold of it on days overlapping that period.
 * "Live" is ADR 008's holding rule (status.ts): SIGNED and FILED (so also the
 * derived ACTIVE and EXPIRED), TERMINATED until its termination date, and
 * RENEWED for its own term; drafts and superseded versions hold nothing.
 * The picker offers this area and the save refuses more, so the two agree.
 *
 * Invariant (property-tested): accepting a contract only when its area is at
 * most the free area keeps, on every day, the sum of the live contracts
 * holding the plot at most the plot's area; the free area is never negative.
 */
export interface Holding {
  area: string;
  status: string;
  startDate: string;
  endDate: string;
  terminatedOn: string | null;
}

export interface Period {
  start: string;
  end: string;
}

export function holdsDuring(h: Holding, period: Period): boolean {
  return HOLDING_STATUSES.includes(h.status) && periodsOverlap(period, { start: h.startDate, end: holdsUntil(h) });
}

/** What live contracts hold of the plot on days overlapping the period (an upper bound of any one day's use). */
export function takenArea(holdings: readonly Holding[], period: Period): Decimal {
  return holdings.filter((h) => holdsDuring(h, period)).reduce((s, h) => s.plus(h.area), new Decimal(0));
}

/** Contract area minus what is taken, never below zero (a plot over-transferred by old data has none free). */
export function freeArea(contractArea: string, holdings: readonly Holding[], period: Period): Decimal {
  const free = new Decimal(contractArea).minus(takenArea(holdings, period));
  return free.isNegative() ? new Decimal(0) : free;
}
