import { checkIdNumber } from "./id-number";
import { checkPhone } from "./phone";

/**
 * Validation of the household form: pure, shared by the create and edit
 * actions and the Excel importer. Errors are message keys per field name, as
 * the form names them (`members.2.idNumber`), so each can sit next to its field.
 */
export const HOUSEHOLD_STATUSES = ["ORDINARY", "ALLEVIATED", "MONITORED"] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];

export const RELATIONS = [
  "HEAD",
  "SPOUSE",
  "SON",
  "DAUGHTER",
  "SON_IN_LAW",
  "DAUGHTER_IN_LAW",
  "GRANDSON",
  "GRANDDAUGHTER",
  "FATHER",
  "MOTHER",
  "SIBLING",
  "OTHER",
] as const;
export type Relation = (typeof RELATIONS)[number];

export interface MemberInput {
  /** the row number in the form, so that database errors land next to the right field */
  row: number;
  id: number | null;
  name: string;
  relation: Relation;
  idNumber: string;
  birthDate: string;
  sex: "M" | "F";
  ableToWork: boolean;
  phone: string;
}

export interface HouseholdInput {
  code: string;
  groupId: number;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
  status: HouseholdStatus;
  statusYear: number | null;
  statusReason: string;
  statusDate: string | null;
  members: MemberInput[];
}

export type FieldErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

export type RawForm = Record<string, string | undefined>;

const NAME_RE = /^[\p{Script=Han}A-Za-z·• ]{1,20}$/u;
const CODE_RE = /^[0-9A-Za-z-]{1,20}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Member rows are numbered in the form; blank rows (no name, no ID) are ignored. */
export function memberIndexes(raw: RawForm): number[] {
  const seen = new Set<number>();
  for (const key of Object.keys(raw)) {
    const m = /^members\.(\d{1,3})\./.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

export function parseHouseholdForm(raw: RawForm, currentYear: number): { ok: true; value: HouseholdInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const text = (name: string, max: number) => {
    const v = (raw[name] ?? "").trim();
    if (v.length > max) errors[name] = { key: "text.tooLong", params: { max } };
    return v;
  };

  const code = text("code", 20);
  if (!code) errors.code = { key: "code.required" };
  else if (!CODE_RE.test(code)) errors.code = { key: "code.format" };

  const groupId = Number(raw.groupId);
  if (!Number.isInteger(groupId) || groupId <= 0) errors.groupId = { key: "group.required" };

  const address = text("address", 100);
  let phone = text("phone", 20);
  if (phone) {
    const p = checkPhone(phone);
    if (p.ok) phone = p.phone;
    else errors.phone = { key: p.error };
  }
  const bankName = text("bankName", 40);
  const bankAccount = text("bankAccount", 40).replace(/\s+/g, "");
  if (bankAccount && !/^\d{12,30}$/.test(bankAccount)) errors.bankAccount = { key: "bank.format" };

  const status = (raw.status ?? "ORDINARY") as HouseholdStatus;
  if (!HOUSEHOLD_STATUSES.includes(status)) errors.status = { key: "field.required" };
  let statusYear: number | null = null;
  const statusReason = text("statusReason", 200);
  const statusDateRaw = (raw.statusDate ?? "").trim();
  let statusDate: string | null = null;
  if (statusDateRaw) {
    if (isValidDate(statusDateRaw)) statusDate = statusDateRaw;
    else errors.statusDate = { key: "date.format" };
  }
  if (status === "ALLEVIATED") {
    const y = Number((raw.statusYear ?? "").trim());
    if (!raw.statusYear?.trim()) errors.statusYear = { key: "status.yearRequired" };
    else if (!Number.isInteger(y) || y < 2013 || y > currentYear) errors.statusYear = { key: "status.yearRange", params: { year: currentYear } };
    else statusYear = y;
  }
  if (status === "MONITORED") {
    if (!statusReason) errors.statusReason = { key: "status.reasonRequired" };
    if (!statusDateRaw) errors.statusDate = { key: "status.dateRequired" };
  }

  const members: MemberInput[] = [];
  const seenIds = new Map<string, string>();
  for (const i of memberIndexes(raw)) {
    const p = `members.${i}.`;
    const name = (raw[`${p}name`] ?? "").trim();
    const idRaw = (raw[`${p}idNumber`] ?? "").trim();
    const idField = (raw[`${p}id`] ?? "").trim();
    if (!name && !idRaw && !idField) continue;
    if (!name) errors[`${p}name`] = { key: "name.required" };
    else if (!NAME_RE.test(name)) errors[`${p}name`] = { key: "name.format" };
    const relation = (raw[`${p}relation`] ?? "") as Relation;
    if (!RELATIONS.includes(relation)) errors[`${p}relation`] = { key: "relation.required" };
    const id = checkIdNumber(idRaw);
    let idNumber = idRaw;
    let birthDate = "";
    let sex: "M" | "F" = "M";
    if (!id.ok) errors[`${p}idNumber`] = { key: id.error };
    else {
      idNumber = id.id;
      birthDate = id.birthDate;
      sex = id.sex;
      if (seenIds.has(idNumber)) errors[`${p}idNumber`] = { key: "id.duplicateInForm" };
      seenIds.set(idNumber, `${p}idNumber`);
    }
    let memberPhone = (raw[`${p}phone`] ?? "").trim();
    if (memberPhone) {
      const ph = checkPhone(memberPhone);
      if (ph.ok) memberPhone = ph.phone;
      else errors[`${p}phone`] = { key: ph.error };
    }
    const existingId = idField && /^\d+$/.test(idField) ? Number(idField) : null;
    members.push({
      row: i,
      id: existingId,
      name,
      relation,
      idNumber,
      birthDate,
      sex,
      ableToWork: raw[`${p}ableToWork`] === "on" || raw[`${p}ableToWork`] === "true",
      phone: memberPhone,
    });
  }
  if (members.length === 0) errors.members = { key: "members.required" };
  else if (members.filter((m) => m.relation === "HEAD").length !== 1) errors.members = { key: "head.count" };

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { code, groupId, address, phone, bankName, bankAccount, status, statusYear, statusReason: status === "MONITORED" ? statusReason : "", statusDate, members },
  };
}
