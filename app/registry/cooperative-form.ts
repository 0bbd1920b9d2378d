import { parseArea } from "~/lib/money";
import { checkCreditCode } from "./credit-code";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { checkPhone } from "./phone";

export const COOPERATIVE_TYPES = ["LAND_SHARE", "PROFESSIONAL"] as const;
export type CooperativeType = (typeof COOPERATIVE_TYPES)[number];

export interface CooperativeInput {
  name: string;
  creditCode: string;
  type: CooperativeType;
  legalRepresentative: string;
  phone: string;
  address: string;
  sharesPerMu: string;
  villageIds: number[];
}

/** Validates the cooperative form; `villageIds` arrive as repeated `villageId` fields. */
export function parseCooperativeForm(raw: RawForm, villageIds: string[]): { ok: true; value: CooperativeInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = (raw.name ?? "").trim();
  if (!name) errors.name = { key: "name.required" };
  else if (name.length > 60) errors.name = { key: "text.tooLong", params: { max: 60 } };
  const credit = checkCreditCode(raw.creditCode ?? "");
  if (!credit.ok) errors.creditCode = { key: credit.error };
  const type = raw.type as CooperativeType;
  if (!COOPERATIVE_TYPES.includes(type)) errors.type = { key: "coop.typeRequired" };
  const legalRepresentative = (raw.legalRepresentative ?? "").trim();
  if (!legalRepresentative) errors.legalRepresentative = { key: "name.required" };
  else if (legalRepresentative.length > 20) errors.legalRepresentative = { key: "name.format" };
  let phone = (raw.phone ?? "").trim();
  if (phone) {
    const p = checkPhone(phone);
    if (p.ok) phone = p.phone;
    else errors.phone = { key: p.error };
  }
  const address = (raw.address ?? "").trim();
  if (address.length > 100) errors.address = { key: "text.tooLong", params: { max: 100 } };
  const shares = parseArea(raw.sharesPerMu ?? "");
  if (!shares.ok) errors.sharesPerMu = { key: "coop.sharesFormat" };
  const ids = [...new Set(villageIds.filter((v) => /^\d{1,9}$/.test(v)).map(Number))];
  if (ids.length === 0) errors.villageIds = { key: "coop.villagesRequired" };
  if (Object.keys(errors).length || !credit.ok || !shares.ok) return { ok: false, errors };
  return {
    ok: true,
    value: { name, creditCode: credit.code, type, legalRepresentative, phone, address, sharesPerMu: shares.value.toFixed(2), villageIds: ids },
  };
}
