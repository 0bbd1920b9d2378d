/**
 * Contact phone numbers of households and transferees.
 *
 * Mainland mobiles: 11 digits, 1[3-9]…; an optional +86/86/0086 prefix and
 * any spaces or dashes are dropped, so "+86 138-1234-5678" → "13812345678".
 *
 * Landlines must include the area code, because a bare local number is
 * ambiguous once the ledger is read outside the county. Area codes are
 * 010 and 02X (3 digits, 8-digit local numbers) or 0XXX (4 digits, 7- or
 * 8-digit local numbers); local numbers never start with 0 or 1. The
 * canonical form is "AREA-LOCAL" ("05305551234" → "0530-5551234") so that
 * printed ledgers show the split a villager would dial. Extensions are
 * not accepted.
 *
 * An empty input is "phone.format" too: whether the field is optional is
 * the form's decision, not this module's.
 */

export type PhoneResult =
  | { ok: true; phone: string; kind: "mobile" | "landline" }
  | { ok: false; error: "phone.format" };

export function checkPhone(s: string | null | undefined): PhoneResult {
  // Full-width digits come from Chinese IMEs; map them before anything else.
  const cleaned = (s ?? "")
    .replace(/[０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-－—()（）]/g, "");
  if (cleaned === "") return { ok: false, error: "phone.format" };

  const mobile = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(cleaned);
  if (mobile) return { ok: true, phone: mobile[1]!, kind: "mobile" };

  const landline = /^(0(?:10|2\d))([2-9]\d{7})$/.exec(cleaned) ?? /^(0[3-9]\d{2})([2-9]\d{6,7})$/.exec(cleaned);
  if (landline) return { ok: true, phone: `${landline[1]}-${landline[2]}`, kind: "landline" };

  return { ok: false, error: "phone.format" };
}
