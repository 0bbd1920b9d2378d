/**
 * Unified social credit codes (GB 32100-2015), the 18-character identifier
 * of companies, farmer cooperatives (type "93") and other organisations
 * that take land by transfer.
 *
 * Only the alphabet and check character are validated. The registration
 * authority/type pair and the embedded area code are returned for display
 * but not checked against lists, because those lists change and an old
 * code stays valid.
 */

export type CreditCodeError = "credit.required" | "credit.length" | "credit.charset" | "credit.checksum";

export type CreditCodeResult =
  | {
      ok: true;
      code: string;
      /** Character 1: registering authority, e.g. "9" market regulation. */
      registrationAuthority: string;
      /** Characters 1–2: authority and organisation type, e.g. "93" farmer cooperative. */
      organizationType: string;
      /** Characters 3–8: administrative division of the registering office. */
      areaCode: string;
    }
  | { ok: false; error: CreditCodeError };

// 31 characters: digits and capitals without I, O, S, V, Z, which are too
// easily misread as 1, 0, 5, U and 2.
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const VALID = /^[0-9A-HJ-NPQRTUWXY]+$/;

/** Trims and upper-cases: clerks often type the letters in lower case. */
export function normalizeCreditCode(s: string | null | undefined): string {
  return (s ?? "").trim().toUpperCase();
}

/** The check character for the first 17 characters. Throws RangeError on bad input. */
export function creditCheckChar(first17: string): string {
  if (first17.length !== 17 || !VALID.test(first17)) {
    throw new RangeError("creditCheckChar: expected 17 characters from the GB 32100 alphabet");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function checkCreditCode(s: string | null | undefined): CreditCodeResult {
  const code = normalizeCreditCode(s);
  if (code === "") return { ok: false, error: "credit.required" };
  if (code.length !== 18) return { ok: false, error: "credit.length" };
  if (!VALID.test(code)) return { ok: false, error: "credit.charset" };
  if (creditCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, error: "credit.checksum" };
  return {
    ok: true,
    code,
    registrationAuthority: code[0]!,
    organizationType: code.slice(0, 2),
    areaCode: code.slice(2, 8),
  };
}

/** Completes 17 characters into a valid code, for demo and test data only. */
export function makeCreditCode(first17: string): string {
  const f = normalizeCreditCode(first17);
  return f + creditCheckChar(f);
}
