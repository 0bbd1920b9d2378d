/**
 * Masking of personal data for printed ledgers, exports and the public
 * verification page. Every function accepts null/undefined/"" (returning "")
 * and errs on the side of hiding: when an input is too short for the usual
 * pattern to leave anything hidden, more of it is masked, never less.
 *
 * Characters are counted as code points so that rare-character names
 * (CJK Extension B, outside the BMP) are not split into broken halves.
 */

const STAR = "*";

function chars(s: string): string[] {
  return Array.from(s);
}

/**
 * "371702199001011234" → "371702********1234": area code and last four stay
 * visible (enough for a villager to recognise their own row), the birth date
 * is hidden. Length is preserved. Inputs of 10 characters or fewer would be
 * fully revealed by that pattern, so they are masked completely.
 */
export function maskIdNumber(id: string | null | undefined): string {
  const c = chars((id ?? "").trim());
  if (c.length === 0) return "";
  if (c.length <= 10) return STAR.repeat(c.length);
  return c.slice(0, 6).join("") + STAR.repeat(c.length - 10) + c.slice(-4).join("");
}

/**
 * "6228480402564890018" → "6228 **** **** 0018": the bank's first four
 * (identifies the bank) and the last four, in the fixed shape printed on
 * Chinese bank slips. The middle is always "**** ****" regardless of the
 * real length, which is deliberate: the length itself narrows down the card
 * product. Spaces and dashes in the input are ignored.
 * Shorter than 12 characters (not a real card/account number): only the
 * last four are shown, and below 8 nothing is.
 */
export function maskBankAccount(account: string | null | undefined): string {
  const c = chars((account ?? "").replace(/[\s-]/g, ""));
  if (c.length === 0) return "";
  if (c.length < 8) return "****";
  const last4 = c.slice(-4).join("");
  if (c.length < 12) return `**** ${last4}`;
  return `${c.slice(0, 4).join("")} **** **** ${last4}`;
}

/**
 * "13812345678" → "138****5678". Spaces and dashes are dropped first, then
 * numbers of 11+ digits keep the first 3 and last 4 (so "0530-5551234"
 * becomes "053****1234"); 5–10 digits keep only the last 4; 4 or fewer are
 * fully masked. Length is preserved.
 */
export function maskPhone(phone: string | null | undefined): string {
  const c = chars((phone ?? "").replace(/[\s-]/g, ""));
  if (c.length === 0) return "";
  if (c.length <= 4) return STAR.repeat(c.length);
  if (c.length < 11) return STAR.repeat(c.length - 4) + c.slice(-4).join("");
  return c.slice(0, 3).join("") + STAR.repeat(c.length - 7) + c.slice(-4).join("");
}

/**
 * "张三丰" → "张*丰", "张三" → "张*", "欧阳娜娜" → "欧**娜". The surname
 * alone is kept for two-character names because showing the last character
 * would reveal the whole given name. A single character is masked
 * entirely. Length is preserved.
 */
export function maskName(name: string | null | undefined): string {
  const c = chars((name ?? "").trim());
  if (c.length === 0) return "";
  if (c.length === 1) return STAR;
  if (c.length === 2) return c[0] + STAR;
  return c[0] + STAR.repeat(c.length - 2) + c[c.length - 1];
}
