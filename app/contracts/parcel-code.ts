/**
 * The 19-digit parcel code (地块编码) of the land-contract registration:
 * county 6 + township 3 + village 3 + group 2 + parcel 5. A plot's code must
 * start with its village's 12-digit prefix and its group's 2-digit number.
 */
export type ParcelCodeError = "parcel.required" | "parcel.format" | "parcel.village" | "parcel.group";

export function checkParcelCode(
  code: string,
  expected: { villagePrefix: string; groupNumber: string },
): { ok: true; code: string } | { ok: false; error: ParcelCodeError } {
  const c = code.trim();
  if (!c) return { ok: false, error: "parcel.required" };
  if (!/^\d{19}$/.test(c)) return { ok: false, error: "parcel.format" };
  if (c.slice(0, 12) !== expected.villagePrefix) return { ok: false, error: "parcel.village" };
  if (c.slice(12, 14) !== expected.groupNumber) return { ok: false, error: "parcel.group" };
  return { ok: true, code: c };
}

/** A village's 12-digit parcel prefix: the first 9 digits of the township's division code + the village's 3-digit part. */
export function villageParcelPrefix(townshipCode: string, villageParcelCode: string): string {
  return townshipCode.slice(0, 9) + villageParcelCode;
}
