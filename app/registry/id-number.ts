/**
 * Resident identity card numbers (GB 11643-1999): 6-digit area code,
 * birth date YYYYMMDD, 3-digit sequence (odd = male, even = female) and an
 * ISO 7064 MOD 11-2 check character.
 *
 * Only the 18-character form is accepted; the old 15-digit numbers have
 * been invalid since 2013 and a contract should not be signed with one.
 * The area code is checked for shape only: codes of abolished counties stay
 * valid on cards issued before the change, so no code list is authoritative.
 */

export type IdNumberError = "id.required" | "id.length" | "id.format" | "id.birthdate" | "id.checksum";

export type IdNumberResult =
  | { ok: true; id: string; birthDate: string; sex: "M" | "F"; areaCode: string }
  | { ok: false; error: IdNumberError };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

// Earliest plausible birth year; 440524188001010014 (an 1880 birth) is a
// documented valid example, so the floor sits before it.
const MIN_BIRTH_YEAR = 1800;

/** Trims and upper-cases, so a lower-case check "x" compares equal. */
export function normalizeIdNumber(s: string | null | undefined): string {
  return (s ?? "").trim().toUpperCase();
}

/** The check character for 17 digits. Throws RangeError for anything else. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("idCheckDigit: expected 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates an ID number. The checks run from coarse to fine so the clerk
 * is told the most useful thing first (a missing digit before a bad date).
 * Birth dates in the future are not rejected: this module is pure and has
 * no clock; callers that care compare `birthDate` with today.
 */
export function checkIdNumber(s: string | null | undefined): IdNumberResult {
  const id = normalizeIdNumber(s);
  if (id === "") return { ok: false, error: "id.required" };
  if (id.length !== 18) return { ok: false, error: "id.length" };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, error: "id.format" };
  const birth = id.slice(6, 14);
  if (!isValidBirthDate(birth)) return { ok: false, error: "id.birthdate" };
  if (idCheckDigit(id.slice(0, 17)) !== id[17]) return { ok: false, error: "id.checksum" };
  return {
    ok: true,
    id,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(id[16]) % 2 === 1 ? "M" : "F",
    areaCode: id.slice(0, 6),
  };
}

/**
 * Builds a valid number, for demo and test data only. Throws RangeError on
 * malformed parts so broken seed data fails loudly instead of producing
 * numbers that the validator then rejects.
 */
export function makeIdNumber(areaCode6: string, birth: string, seq3: string): string {
  if (!/^\d{6}$/.test(areaCode6)) throw new RangeError("makeIdNumber: area code must be 6 digits");
  if (!/^\d{8}$/.test(birth) || !isValidBirthDate(birth)) {
    throw new RangeError("makeIdNumber: birth must be a valid YYYYMMDD date");
  }
  if (!/^\d{3}$/.test(seq3)) throw new RangeError("makeIdNumber: sequence must be 3 digits");
  const first17 = areaCode6 + birth + seq3;
  return first17 + idCheckDigit(first17);
}

function isValidBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < MIN_BIRTH_YEAR) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
