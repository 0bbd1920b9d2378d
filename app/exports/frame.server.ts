/**
 * The frame every list export shares: the list pages as Excel workbooks
 * (households with a sheet of members, contracted plots, the contract list,
 * arrears, orchard plots), each written by the capability that owns the list
 * (registry/, contracts/, plots/ `list-export.server.ts`), all alike here.
 *
 * - Same rows as on screen: the filters are read as the pages read them
 *   (each capability's list-filters.ts) and applied with the same scope and
 *   where-clauses; the lists are paged, so the unpaged selection is built by
 *   the capability.
 * - Personal data: ID numbers, bank accounts, phones and birth dates as the
 *   one policy says (~/registry/privacy.ts, as on the household page): in
 *   full only to the village secretary who keeps the household; everyone
 *   else gets them masked, and the birth year only beside a masked ID.
 * - Traceable: each export is recorded in the audit trail (who, which list,
 *   filters, row counts, masked or not) before any row leaves.
 * - Large scopes stream (~/lib/xlsx-stream.server.ts): the selection is a
 *   list of ids, read back in chunks while the file is already downloading.
 */
import { recordAudit } from "~/auth/audit.server";
import type { Scope } from "~/auth/permissions";
import { villageScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { chinaDateTime, now as clockNow, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import type { Translate } from "~/lib/i18n";
import type { XlsxStreamWriter } from "~/lib/xlsx-stream.server";

export type ExportList = "households" | "contracted-plots" | "contracts" | "arrears" | "orchard-plots";

export interface ExportContext {
  user: CurrentUser;
  t: Translate;
  /** households up to which the members sheet is written from one read (default 20,000; tests lower it) */
  onePassUpTo?: number;
}

export interface ExportFile {
  body: ReadableStream<Uint8Array>;
  fileName: string;
  /** rows of the main sheet */
  rows: number;
}

/**
 * One list's export as its capability writes it: `count` is the rows of the
 * main sheet with the export's own scope and filters (a foreign village
 * counts none), so that a large one can go to a job before any row is read.
 */
export interface ListExport {
  count(user: CurrentUser, params: URLSearchParams): Promise<number>;
  run(ctx: ExportContext, params: URLSearchParams): Promise<ExportFile>;
}

/** Ids per query: within the bind-variable limit of Prisma's SQLite adapter (999), and a short turn of the event loop. */
export const CHUNK = 500;

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** "2026-01-05 14:03", China time, for the title rows. */
export function exportTime(at: Date = clockNow()): string {
  return chinaDateTime(at);
}

// ─── Place, filters, audit ─────────────────────────────────────────────────

export interface Place {
  name: string;
  townshipId: number | null;
  villageId: number | null;
}

export async function placeOf(ctx: ExportContext, villageId?: number): Promise<Place> {
  const { user, t } = ctx;
  if (villageId) {
    const v = await prisma.village.findFirst({
      where: { AND: [{ id: villageId }, villageScopeWhere(user.scope)] },
      select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
    });
    // Another village's id answers 404, as its pages do: never the user's own rows under a foreign heading.
    if (!v) notFound();
    return { name: `${v.township.name} ${v.name}`, townshipId: v.townshipId, villageId: v.id };
  }
  const s = user.scope;
  return {
    name: s.kind === "all" ? t("export.place.all") : user.scopeName,
    townshipId: s.kind === "all" ? null : s.townshipId,
    villageId: s.kind === "village" ? s.villageId : null,
  };
}

export function subtitle(ctx: ExportContext, filters: string, count: number, masking: "masked" | "full" | "none"): string {
  const { t, user } = ctx;
  const meta = t("export.meta", {
    filters: filters || t("export.filter.none"),
    time: exportTime(),
    who: `${user.displayName}（${user.username}）`,
    count,
  });
  return masking === "none" ? meta : `${meta}　${t(masking === "masked" ? "export.masked" : "export.full")}`;
}

export async function recordExport(ctx: ExportContext, list: ExportList, place: Place, after: Record<string, unknown>): Promise<void> {
  const { user } = ctx;
  await recordAudit({
    actor: { id: user.id, name: user.username },
    action: "export",
    entity: "Export",
    entityId: list,
    townshipId: place.townshipId,
    villageId: place.villageId,
    after: { list, ...after },
  });
}

/**
 * Runs the row writing after the response has been handed back, so the
 * download starts at once; a failure ends the download as failed. Stops
 * early when the client goes away.
 */
export function writeInBackground(w: XlsxStreamWriter, fill: () => Promise<void>): void {
  void (async () => {
    try {
      await fill();
      await w.finish();
    } catch (e) {
      if (!w.closed) {
        console.error("export failed", e);
        w.fail(e);
      }
    }
  })();
}

export const exportFileName = (title: string) => `${title}-${today()}.xlsx`;

/** Names of the villages and groups in scope, looked up once instead of joined on every row. */
export async function placeNames(scope: Scope) {
  const villages = await prisma.village.findMany({
    where: villageScopeWhere(scope),
    select: { id: true, name: true, township: { select: { name: true } }, groups: { select: { id: true, name: true } } },
  });
  return {
    village: new Map(villages.map((v) => [v.id, v.name])),
    township: new Map(villages.map((v) => [v.id, v.township.name])),
    group: new Map(villages.flatMap((v) => v.groups.map((g) => [g.id, g.name] as const))),
  };
}
