/**
 * An audit event for people (issue 15): the stored before/after snapshots
 * turned into "field: old → new" lines, with field names, kinds of record and
 * known values in the reader's language. Snapshots are masked before they
 * reach this module (./audit-view.ts); nothing here unmasks or looks anything
 * up. Pure: no database, no framework.
 */
import { formatInstant } from "~/lib/dates";
import type { Translate } from "~/lib/i18n";
import { formatYuan } from "~/lib/money";

export type Scalar = string | number | boolean | null;

/** A field's value in one snapshot; `undefined` when the snapshot does not have it. */
export interface FieldChange {
  /** dotted path: `headName`, `members.2.idNumber` (list items counted from 1) */
  path: string;
  before: Scalar | undefined;
  after: Scalar | undefined;
}

/**
 * A snapshot as a flat map of paths to values, in the snapshot's own order.
 * Objects nest by path, lists of objects by item number (from 1), lists of
 * plain values become one value joined by "、", so that a list is one field.
 */
export function flattenSnapshot(value: unknown): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== "object")) out.set(path || "value", v.map((x) => String(x)).join("、"));
      else v.forEach((x, i) => walk(x, path ? `${path}.${i + 1}` : String(i + 1)));
    } else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v as Record<string, unknown>);
      if (keys.length === 0 && path) out.set(path, null);
      for (const k of keys) walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (v !== undefined) out.set(path || "value", v as Scalar);
  };
  walk(value, "");
  return out;
}

/** JSON text → value; null for none or for text that is not JSON. */
export function parseSnapshot(json: string | null | undefined): unknown {
  if (!json) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/**
 * The fields that differ between two snapshots, before's order first, then
 * the fields only after has. A create (no before) lists every new value, a
 * delete (no after) every old one; an update's partial snapshots list what
 * either names and changed.
 */
export function diffSnapshots(before: unknown, after: unknown): FieldChange[] {
  const b = flattenSnapshot(before ?? {});
  const a = flattenSnapshot(after ?? {});
  const out: FieldChange[] = [];
  for (const [path, x] of b) {
    const has = a.has(path);
    const y = a.get(path);
    if (!has || !Object.is(x, y)) out.push({ path, before: x, after: has ? y : undefined });
  }
  for (const [path, y] of a) if (!b.has(path)) out.push({ path, before: undefined, after: y });
  return out;
}

// ─── In words ───────────────────────────────────────────────────────────────

/** Kinds of record the trail holds, in the order the filter lists them. */
export const AUDIT_ENTITIES = [
  "Household",
  "ContractedPlot",
  "TransferContract",
  "RentPayment",
  "PenaltySettlement",
  "ReferencePrice",
  "OrchardPlot",
  "OrchardPlotImport",
  "Harvest",
  "IncomeEntry",
  "WorkDay",
  "MonitoringLine",
  "Cooperative",
  "MemberTransaction",
  "MemberCapital",
  "DividendRun",
  "DividendLine",
  "DividendObjection",
  "DividendPayment",
  "PaymentTemplate",
  "BankReturn",
  "ImportBatch",
  "User",
  "Session",
  "Backup",
  "Export",
] as const;

/** Catalog prefixes of values the app already names (statuses, kinds, roles). */
const VALUE_PREFIX: Record<string, string> = {
  "Household.status": "status",
  "TransferContract.status": "cstatus",
  "TransferContract.transfereeKind": "tkind",
  "TransferContract.rentKind": "rentKind",
  "DividendRun.status": "dstatus",
  "DividendRun.method": "dmethod",
  "DividendPayment.status": "pstatus",
  "RentPayment.method": "pmethod",
  "PenaltySettlement.method": "pmethod",
  "Cooperative.type": "coopType",
  "User.role": "role",
  "role": "role",
};

const known = (t: Translate, key: string): string | null => {
  const s = t(key);
  return s === key ? null : s;
};

export function entityLabel(entity: string, t: Translate): string {
  return known(t, `auditEntity.${entity}`) ?? entity;
}

/** `members.2.idNumber` → "成员 2 · 身份证号". */
export function fieldLabel(entity: string, path: string, t: Translate): string {
  const parts: string[] = [];
  for (const seg of path.split(".")) {
    if (/^\d+$/.test(seg) && parts.length > 0) parts[parts.length - 1] = t("audit.item", { label: parts[parts.length - 1]!, n: seg });
    else parts.push(known(t, `auditField.${entity}.${seg}`) ?? known(t, `auditField.${seg}`) ?? seg);
  }
  return parts.join(" · ");
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A value as a reader reads it: "—" for none, 是/否, amounts in fen as yuan, instants in China time, known codes by name. */
export function valueText(entity: string, path: string, v: Scalar | undefined, t: Translate): string {
  if (v === undefined || v === null || v === "") return t("audit.empty");
  if (typeof v === "boolean") return t(v ? "audit.yes" : "audit.no");
  const field = path.split(".").filter((s) => !/^\d+$/.test(s)).pop() ?? path;
  const text = String(v);
  if (/Fen$/.test(field) && /^-?\d{1,18}$/.test(text)) return t("audit.yuan", { amount: formatYuan(BigInt(text)) });
  if (typeof v === "string" && INSTANT.test(v)) return formatInstant(v) || v;
  const prefix = VALUE_PREFIX[`${entity}.${field}`] ?? VALUE_PREFIX[field];
  const named = (prefix ? known(t, `${prefix}.${text}`) : null) ?? known(t, `auditValue.${entity}.${field}.${text}`);
  return named ?? text;
}

export interface ChangeLine {
  field: string;
  before: string;
  after: string;
}

/** The event's changed fields in words, as the trail and its export show them. */
export function describeChanges(entity: string, beforeJson: string | null | undefined, afterJson: string | null | undefined, t: Translate): ChangeLine[] {
  return diffSnapshots(parseSnapshot(beforeJson), parseSnapshot(afterJson)).map((c) => ({
    field: fieldLabel(entity, c.path, t),
    before: valueText(entity, c.path, c.before, t),
    after: valueText(entity, c.path, c.after, t),
  }));
}
