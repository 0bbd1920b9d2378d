import { isValidDate, today as clockToday } from "~/lib/dates";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { checkIdNumber } from "./id-number";
import { checkPhone } from "./phone";
import { checkMonitoring, formatRiskTypes, RISK_TYPES, type MonitoringCategory } from "./monitoring";

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
  /**
   * 入户日期, "YYYY-MM-DD" China date; null when unknown (the member then
   * counts for the whole year). Absent (undefined) leaves a stored date alone.
   */
  joinedOn?: string | null;
}

/** A current member taken off the form: they leave on `leftOn`, the first day no longer a member (迁出日期). */
export interface LeavingMember {
  row: number;
  id: number;
  name: string;
  leftOn: string;
  /** why they leave (婚嫁迁出, 死亡注销…): moving out is not undone here, so it is asked for and kept in the audit trail */
  reason: string;
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
  /** the free-text note (情况说明); for a monitored household required when a risk type is OTHER */
  statusReason: string;
  /** ./monitoring.ts: set for MONITORED only (absent: none) */
  monitoringCategory?: MonitoringCategory | null;
  /** ./monitoring.ts: comma-separated risk type codes, "" unless MONITORED (absent: none) */
  riskTypes?: string;
  statusDate: string | null;
  members: MemberInput[];
  /**
   * Members who leave, each with the date typed for it. Current members that
   * are neither in `members` nor here are refused: a removal needs its date.
   */
  leaving?: LeavingMember[];
}

const NAME_RE = /^[\p{Script=Han}A-Za-z·• ]{1,20}$/u;
const CODE_RE = /^[0-9A-Za-z-]{1,20}$/;

/** Member rows are numbered in the form; blank rows (no name, no ID) are ignored. */
export function memberIndexes(raw: RawForm): number[] {
  const seen = new Set<number>();
  for (const key of Object.keys(raw)) {
    const m = /^members\.(\d{1,3})\./.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * `today` is the China date the form is checked on: dates after it (入户日期,
 * 迁出日期, the status date) have not happened yet and are refused.
 */
export function parseHouseholdForm(
  raw: RawForm,
  currentYear: number,
  today: string = clockToday(),
  /**
   * `keepUnclassified`: a household monitored before the standard categories
   * existed, left as it was (the import, when the file neither changes its
   * status nor gives a category or risk type), keeps its old free-text reason
   * instead of being refused for want of a category.
   */
  opts: { keepUnclassified?: boolean } = {},
): { ok: true; value: HouseholdInput } | { ok: false; errors: FieldErrors } {
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
    if (!isValidDate(statusDateRaw)) errors.statusDate = { key: "date.format" };
    else if (statusDateRaw > today) errors.statusDate = { key: "status.dateFuture", params: { today } };
    else statusDate = statusDateRaw;
  }
  if (status === "ALLEVIATED") {
    const y = Number((raw.statusYear ?? "").trim());
    if (!raw.statusYear?.trim()) errors.statusYear = { key: "status.yearRequired" };
    else if (!Number.isInteger(y) || y < 2013 || y > currentYear) errors.statusYear = { key: "status.yearRange", params: { year: currentYear } };
    else statusYear = y;
  }
  // Risk types come as one checkbox each (riskTypes.ILLNESS=on), so the form stays a flat map of names.
  const riskChosen = RISK_TYPES.filter((r) => raw[`riskTypes.${r}`] === "on" || raw[`riskTypes.${r}`] === "true");
  const categoryRaw = (raw.monitoringCategory ?? "").trim();
  const unclassified = opts.keepUnclassified && !categoryRaw && riskChosen.length === 0;
  if (status === "MONITORED" && unclassified) {
    if (!statusReason) errors.statusReason = { key: "status.reasonRequired" };
    if (!statusDateRaw) errors.statusDate = { key: "status.dateRequired" };
  } else if (status === "MONITORED") {
    for (const m of checkMonitoring({ category: categoryRaw || null, riskTypes: riskChosen, note: statusReason })) errors[m.field] ??= { key: m.key };
    if (!statusDateRaw) errors.statusDate = { key: "status.dateRequired" };
  }

  const members: MemberInput[] = [];
  const leaving: LeavingMember[] = [];
  const seenIds = new Map<string, string>();
  for (const i of memberIndexes(raw)) {
    const p = `members.${i}.`;
    const name = (raw[`${p}name`] ?? "").trim();
    const idRaw = (raw[`${p}idNumber`] ?? "").trim();
    const idField = (raw[`${p}id`] ?? "").trim();
    if (!name && !idRaw && !idField) continue;
    const existingId = idField && /^\d+$/.test(idField) ? Number(idField) : null;
    const joinedRaw = (raw[`${p}joinedOn`] ?? "").trim();
    let joinedOn: string | null = null;
    if (joinedRaw) {
      if (!isValidDate(joinedRaw)) errors[`${p}joinedOn`] = { key: "date.format" };
      else if (joinedRaw > today) errors[`${p}joinedOn`] = { key: "member.joinedOnFuture", params: { today } };
      else joinedOn = joinedRaw;
    }
    if (raw[`${p}remove`] === "1" && existingId !== null) {
      // Taken off the form: the member leaves, on the date typed for it.
      const leftOn = (raw[`${p}leftOn`] ?? "").trim();
      const reason = (raw[`${p}leaveReason`] ?? "").trim().slice(0, 200);
      if (!reason) errors[`${p}leaveReason`] = { key: "confirm.reasonRequired" };
      if (!leftOn) errors[`${p}leftOn`] = { key: "member.leftOnRequired" };
      else if (!isValidDate(leftOn)) errors[`${p}leftOn`] = { key: "date.format" };
      else if (leftOn > today) errors[`${p}leftOn`] = { key: "member.leftOnFuture", params: { today } };
      else if (joinedOn && leftOn <= joinedOn) errors[`${p}leftOn`] = { key: "member.leftOnBeforeJoined", params: { joinedOn } };
      else if (reason) leaving.push({ row: i, id: existingId, name, leftOn, reason });
      continue;
    }
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
      if (joinedOn && joinedOn < birthDate) errors[`${p}joinedOn`] = { key: "member.joinedOnBeforeBirth", params: { birthDate } };
    }
    let memberPhone = (raw[`${p}phone`] ?? "").trim();
    if (memberPhone) {
      const ph = checkPhone(memberPhone);
      if (ph.ok) memberPhone = ph.phone;
      else errors[`${p}phone`] = { key: ph.error };
    }
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
      joinedOn,
    });
  }
  if (members.length === 0) errors.members = { key: "members.required" };
  else if (members.filter((m) => m.relation === "HEAD").length !== 1) errors.members = { key: "head.count" };

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      code,
      groupId,
      address,
      phone,
      bankName,
      bankAccount,
      status,
      statusYear,
      statusReason: status === "MONITORED" ? statusReason : "",
      monitoringCategory: status === "MONITORED" && categoryRaw ? (categoryRaw as MonitoringCategory) : null,
      riskTypes: status === "MONITORED" ? formatRiskTypes(riskChosen) : "",
      statusDate,
      members,
      leaving,
    },
  };
}

/**
 * On the edit form the status date only matters when the status changes. When
 * status, year and reason are as stored and no date was typed, the current
 * status's own date stands, so an unchanged 监测户 is not asked for it again.
 */
export function keepCurrentStatusDate(
  raw: RawForm,
  current: {
    status: string;
    statusYear: number | null;
    statusReason: string;
    effectiveOn: string | null;
    monitoringCategory?: string | null;
    riskTypes?: string;
  },
): RawForm {
  if ((raw.statusDate ?? "").trim() || !current.effectiveOn) return raw;
  const status = raw.status ?? "ORDINARY";
  const typedRisks = formatRiskTypes(RISK_TYPES.filter((r) => raw[`riskTypes.${r}`] === "on" || raw[`riskTypes.${r}`] === "true"));
  const same =
    status === current.status &&
    (status !== "ALLEVIATED" || (raw.statusYear ?? "").trim() === String(current.statusYear ?? "")) &&
    (status !== "MONITORED" ||
      ((raw.statusReason ?? "").trim() === current.statusReason &&
        (raw.monitoringCategory ?? "").trim() === (current.monitoringCategory ?? "") &&
        typedRisks === formatRiskTypes((current.riskTypes ?? "").split(","))));
  return same ? { ...raw, statusDate: current.effectiveOn } : raw;
}
