/**
 * The audit trail's read side (issue 15): the events a reader may see, by the
 * filters of ./audit-filters.ts, a page of them in words, and the same
 * selection as an Excel workbook. Every snapshot is masked for the reader
 * (./audit-view.ts, ADR 004) before it is described, on the page and in the
 * export alike. Scope: a township's reader sees the events of its township
 * (sign-ins carry no place and reach only a system-wide reader), as before.
 */
import type { AuditEvent, Prisma } from "@prisma/client";
import { recordAudit } from "./audit.server";
import { describeChanges, entityLabel, type ChangeLine } from "./audit-diff";
import { auditFilterParams, type AuditFilters } from "./audit-filters";
import { auditEventView, maskAuditJson } from "./audit-view";
import { auditScopeWhere, householdScopeWhere, placeScopeWhere } from "./permissions.server";
import type { CurrentUser } from "./session.server";
import { chinaDateTime, addDays, formatInstant, now, startOfChinaDay, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { Translate } from "~/lib/i18n";
import { writeInBackground } from "~/exports/frame.server";
import { XlsxStreamWriter, yieldToEventLoop } from "~/lib/xlsx-stream.server";

export const AUDIT_PAGE = 50;
/** Events per export: a bigger selection asks for narrower dates instead of a workbook nobody opens. */
export const AUDIT_EXPORT_MAX = 50_000;

/** The reader's scope and the filters as one `where`. */
export async function auditWhere(user: Pick<CurrentUser, "scope">, f: AuditFilters): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [auditScopeWhere(user.scope)];
  if (f.actorId !== null) and.push({ actorId: f.actorId });
  if (f.entity) and.push({ entity: f.entity });
  if (f.from) and.push({ at: { gte: startOfChinaDay(f.from) } });
  if (f.to) and.push({ at: { lt: startOfChinaDay(addDays(f.to, 1)) } });
  if (f.record) and.push({ OR: await recordMatches(user, f.record) });
  return { AND: and };
}

/** A record typed in the filter: an entity id, or a household (户编号) or contract number of the reader's scope. */
async function recordMatches(user: Pick<CurrentUser, "scope">, record: string): Promise<Prisma.AuditEventWhereInput[]> {
  const place = placeScopeWhere(user.scope, (s) => ({ villageId: { in: s.villageIds } }));
  const [households, contracts] = await Promise.all([
    prisma.household.findMany({ where: { AND: [householdScopeWhere(user.scope), { code: record }] }, select: { id: true }, take: 50 }),
    prisma.transferContract.findMany({ where: { AND: [place, { OR: [{ contractNo: record }, { draftNo: record }] }] }, select: { id: true }, take: 50 }),
  ]);
  const or: Prisma.AuditEventWhereInput[] = [{ entityId: record }];
  if (households.length) or.push({ entity: "Household", entityId: { in: households.map((h) => String(h.id)) } });
  if (contracts.length) or.push({ entity: "TransferContract", entityId: { in: contracts.map((c) => String(c.id)) } });
  return or;
}

export interface AuditRow {
  id: number;
  at: string;
  actorName: string;
  action: string;
  entity: string;
  entityLabel: string;
  entityId: string;
  changes: ChangeLine[];
}

/** One event in words for this reader: masked as ADR 004 says, then described. */
export function auditRow(user: Pick<CurrentUser, "role" | "scope">, e: AuditEvent, t: Translate): AuditRow {
  const view = auditEventView(user, e);
  return {
    id: e.id,
    at: formatInstant(e.at, true),
    actorName: e.actorName,
    action: e.action,
    entity: e.entity,
    entityLabel: entityLabel(e.entity, t),
    entityId: e.entityId,
    changes: describeChanges(e.entity, maskAuditJson(e.before, view), maskAuditJson(e.after, view), t),
  };
}

/** Whoever acted on events of the reader's scope, for the filter's list. */
export async function auditActors(user: Pick<CurrentUser, "scope">): Promise<{ id: number; name: string }[]> {
  const rows = await prisma.auditEvent.groupBy({ by: ["actorId", "actorName"], where: { AND: [auditScopeWhere(user.scope), { actorId: { not: null } }] }, orderBy: { actorName: "asc" }, take: 500 });
  const seen = new Set<number>();
  const out: { id: number; name: string }[] = [];
  for (const r of rows) if (r.actorId !== null && !seen.has(r.actorId)) (seen.add(r.actorId), out.push({ id: r.actorId, name: r.actorName }));
  return out;
}

export async function auditPage(user: CurrentUser, f: AuditFilters, page: number, t: Translate) {
  const where = await auditWhere(user, f);
  const [events, total, actors] = await Promise.all([
    prisma.auditEvent.findMany({ where, orderBy: { id: "desc" }, skip: (page - 1) * AUDIT_PAGE, take: AUDIT_PAGE }),
    prisma.auditEvent.count({ where }),
    auditActors(user),
  ]);
  return { rows: events.map((e) => auditRow(user, e, t)), total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE)), actors };
}

interface ExportLine {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  field: string;
  before: string;
  after: string;
}

/**
 * The filtered events as a workbook, one row per changed field (an event
 * without fields one row), newest first, masked as on the page, streamed
 * while it downloads. Recorded in the trail before any row leaves. `null`
 * when the selection is too big.
 */
export async function exportAuditTrail(user: CurrentUser, f: AuditFilters, t: Translate): Promise<{ body: ReadableStream<Uint8Array>; fileName: string; events: number } | null> {
  const where = await auditWhere(user, f);
  const count = await prisma.auditEvent.count({ where });
  if (count > AUDIT_EXPORT_MAX) return null;
  const filters = [...auditFilterParams(f)].map(([k, v]) => `${k}=${v}`).join("&");
  await recordAudit({
    actor: { id: user.id, name: user.username },
    action: "export",
    entity: "Export",
    entityId: "audit-trail",
    townshipId: user.scope.kind === "all" ? null : user.scope.townshipId,
    after: { list: "audit-trail", filters, rows: count },
  });
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<ExportLine>({
    name: t("audit.export.sheet"),
    title: `${t("audit.export.title")} ${user.scopeName}`.trim(),
    subtitle: t("export.meta", { filters: filters || t("export.filter.none"), time: chinaDateTime(now()), who: `${user.displayName}（${user.username}）`, count }) + `　${t("export.masked")}`,
    columns: [
      { header: t("audit.at"), type: "text", value: (r) => r.at, width: 20 },
      { header: t("audit.actor"), type: "text", value: (r) => r.actor, width: 12 },
      { header: t("audit.action"), type: "text", value: (r) => r.action, width: 10 },
      { header: t("audit.entity"), type: "text", value: (r) => r.entity, width: 14 },
      { header: t("audit.filter.record"), type: "text", value: (r) => r.entityId, width: 10 },
      { header: t("audit.field"), type: "text", value: (r) => r.field, width: 18 },
      { header: t("audit.old"), type: "text", value: (r) => r.before, width: 28 },
      { header: t("audit.new"), type: "text", value: (r) => r.after, width: 28 },
    ],
  });
  writeInBackground(w, async () => {
    let cursor: number | null = null;
    for (;;) {
      const batch: AuditEvent[] = await prisma.auditEvent.findMany({ where: cursor === null ? where : { AND: [where, { id: { lt: cursor } }] }, orderBy: { id: "desc" }, take: 500 });
      if (batch.length === 0 || w.closed) break;
      for (const e of batch) {
        const r = auditRow(user, e, t);
        const base = { at: r.at, actor: r.actorName, action: t(`action.${r.action}`), entity: r.entityLabel, entityId: r.entityId };
        if (r.changes.length === 0) sheet.add({ ...base, field: "", before: "", after: "" });
        for (const c of r.changes) sheet.add({ ...base, field: c.field, before: c.before, after: c.after });
      }
      cursor = batch[batch.length - 1]!.id;
      await yieldToEventLoop();
    }
    sheet.end();
  });
  return { body: w.body, fileName: `${t("audit.export.title")}-${today()}.xlsx`, events: count };
}
