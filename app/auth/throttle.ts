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
 * How long an address must wait after its latest failure before it may try
 * again. Attempts before then are refused without checking anything, so a
 * script that fires guesses in parallel gains nothing. Only the address that
 * failed is held back: an office behind one address shares it, a stranger
 * elsewhere does not.
 */
export function addressWaitMs(failuresFromAddress: number): number {
  return grow(failuresFromAddress, MAX_ADDRESS_DELAY_MS);
}

/**
 * The pause before checking a password of an account that others have been
 * failing on from elsewhere: a pause, never a refusal, so failing on
 * purpose can slow an official by a few seconds but never keep them out.
 */
export function accountPauseMs(failuresOnAccount: number): number {
  return grow(failuresOnAccount, MAX_ACCOUNT_DELAY_MS);
}

/** The larger of the two, as a single figure for tests of monotonicity. */
export function signInDelayMs(failuresFromAddress: number, failuresOnAccount: number): number {
  return Math.max(addressWaitMs(failuresFromAddress), accountPauseMs(failuresOnAccount));
}

/** The name as typed, folded so that "Admin " and "admin" count together. */
export function foldUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}
