/**
 * How long a sign-in waits after recent failures (ADR 015). Nobody can lock
 * an account by failing on purpose: failures only slow further attempts,
 * and most of all from the address that made them.
 *
 * Pure: the counts come from SignInFailure rows of the last WINDOW_MINUTES.
 */
export const WINDOW_MINUTES = 15;
/** failures that cost nothing: typing slips */
export const FREE_FAILURES = 3;
/** ceiling of the wait for an address that keeps failing */
export const MAX_ADDRESS_DELAY_MS = 30_000;
/**
 * Ceiling of the wait that failures from OTHER addresses put on an account:
 * low, so that someone guessing an official's password from elsewhere slows
 * the official down by seconds at most, never locks them out.
 */
export const MAX_ACCOUNT_DELAY_MS = 4_000;

function grow(failures: number, ceiling: number): number {
  if (failures < FREE_FAILURES) return 0;
  // 1 s, 2 s, 4 s, … doubling with each failure past the free ones.
  const steps = Math.min(failures - FREE_FAILURES, 20);
  return Math.min(1000 * 2 ** steps, ceiling);
}

/**
 * The wait before checking a password: growing with the failures of this
 * address (any account) and, capped low, with the failures on this account
 * (any address). Never decreases when either count grows.
 */
export function signInDelayMs(failuresFromAddress: number, failuresOnAccount: number): number {
  return Math.max(grow(failuresFromAddress, MAX_ADDRESS_DELAY_MS), grow(failuresOnAccount, MAX_ACCOUNT_DELAY_MS));
}

/** The name as typed, folded so that "Admin " and "admin" count together. */
export function foldUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}
