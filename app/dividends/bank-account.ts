/**
 * Checks of a member's bank account number before it goes into a bank
 * payment file (ADR 020). Pure.
 *
 * - Spaces and dashes that people type to group digits are dropped; anything
 *   else that is not a digit makes the account invalid.
 * - A bank card (银行卡) is 16–19 digits starting with 62 (China UnionPay),
 *   4 (Visa) or 5 (Mastercard): those numbers carry a Luhn check digit
 *   (ISO/IEC 7812), so a mistyped digit is caught here instead of by the bank
 *   a week later.
 * - Other accounts (passbook and settlement accounts, 存折/结算账户) are 12–25
 *   digits and have no check digit that is the same across banks, so only
 *   their length and digits are checked.
 */

export type AccountProblem = "missing" | "notDigits" | "length" | "checkDigit";

export type AccountCheck = { ok: true; account: string; kind: "card" | "account" } | { ok: false; problem: AccountProblem };

export const CARD_LENGTH = { min: 16, max: 19 } as const;
export const ACCOUNT_LENGTH = { min: 12, max: 25 } as const;

/** The digits of an account as typed: group separators (spaces, full-width spaces, dashes) removed. */
export function normalizeAccount(raw: string | null | undefined): string {
  return (raw ?? "").replace(/[\s\u3000\u00a0-]/g, "");
}

/** Luhn (mod 10) over a string of digits, the last being the check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The check digit that makes `body` + digit Luhn-valid (used to make valid card numbers in tests and demo data). */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return String(d);
  throw new RangeError("no check digit");
}

/** Whether a number of this shape is a bank card, on which the Luhn check applies. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= CARD_LENGTH.min && digits.length <= CARD_LENGTH.max && /^(62|4|5)/.test(digits);
}

export function checkAccount(raw: string | null | undefined): AccountCheck {
  const account = normalizeAccount(raw);
  if (!account) return { ok: false, problem: "missing" };
  if (!/^\d+$/.test(account)) return { ok: false, problem: "notDigits" };
  if (isCardNumber(account)) return luhnValid(account) ? { ok: true, account, kind: "card" } : { ok: false, problem: "checkDigit" };
  if (account.length < ACCOUNT_LENGTH.min || account.length > ACCOUNT_LENGTH.max) return { ok: false, problem: "length" };
  return { ok: true, account, kind: "account" };
}
