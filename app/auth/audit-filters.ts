/**
 * The audit trail's filters as the URL carries them (a GET form, so a
 * filtered view can be bookmarked and exported): actor, kind of record, China
 * date range and record. Read the same way by the page and its Excel export.
 * Pure: no database, no framework.
 */
import { AUDIT_ENTITIES } from "./audit-diff";
import { isValidDate } from "~/lib/dates";

export interface AuditFilters {
  actorId: number | null;
  entity: (typeof AUDIT_ENTITIES)[number] | null;
  /** China dates, inclusive */
  from: string | null;
  to: string | null;
  /** an entity id, a household number (户编号) or a contract number */
  record: string | null;
  /** the field a bad value came in, for the message next to it */
  errors: Partial<Record<"from" | "to", string>>;
}

export function auditFilters(params: URLSearchParams): AuditFilters {
  const errors: AuditFilters["errors"] = {};
  const actorRaw = (params.get("actor") ?? "").trim();
  const actorId = /^\d{1,9}$/.test(actorRaw) ? Number(actorRaw) : null;
  const entityRaw = (params.get("entity") ?? "").trim();
  const entity = (AUDIT_ENTITIES as readonly string[]).includes(entityRaw) ? (entityRaw as AuditFilters["entity"]) : null;
  const date = (k: "from" | "to") => {
    const v = (params.get(k) ?? "").trim();
    if (!v) return null;
    if (!isValidDate(v)) {
      errors[k] = "audit.filter.badDate";
      return null;
    }
    return v;
  };
  const from = date("from");
  let to = date("to");
  if (from && to && from > to) {
    errors.to = "audit.filter.badRange";
    to = null;
  }
  const record = (params.get("record") ?? "").trim().slice(0, 64) || null;
  return { actorId, entity, from, to, record, errors };
}

/** The filters back as search parameters (empty ones left out), for links that keep them. */
export function auditFilterParams(f: AuditFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.actorId !== null) p.set("actor", String(f.actorId));
  if (f.entity) p.set("entity", f.entity);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.record) p.set("record", f.record);
  return p;
}

export const hasAuditFilters = (f: AuditFilters) => f.actorId !== null || !!f.entity || !!f.from || !!f.to || !!f.record;
