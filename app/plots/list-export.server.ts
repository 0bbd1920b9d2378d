/**
 * The orchard plots of a scope, or of one village of it, as an Excel
 * workbook, in the frame every list export shares
 * (~/exports/frame.server.ts: audit record, streaming). The map's own
 * GeoJSON and KML downloads are export.ts.
 */
import type { CurrentUser } from "~/auth/session.server";
import {
  exportFileName,
  placeNames,
  placeOf,
  recordExport,
  subtitle,
  writeInBackground,
  type ExportContext,
  type ExportFile,
  type ListExport,
} from "~/exports/frame.server";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { XlsxStreamWriter, yieldToEventLoop } from "~/lib/xlsx-stream.server";
import { orchardPlotFilters, type OrchardPlotFilters } from "./list-filters";
import { plotScopeWhere } from "./plots.server";

// ─── Orchard plots (果园地块) ────────────────────────────────────────────────

interface OrchardRow {
  no: number;
  village: string;
  code: string;
  name: string;
  crop: string;
  variety: string;
  plantingYear: number | null;
  trees: number | null;
  areaMu: string;
  declaredMu: string | null;
  status: string;
  cooperative: string;
  household: string;
}

/** Orchard plots of the scope, or of one village of it (a village outside it answers 404, as the map export does). */
export async function exportOrchardPlots(ctx: ExportContext, f: OrchardPlotFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const place = await placeOf(ctx, f.villageId);
  if (f.villageId && place.villageId !== f.villageId) notFound();
  const rows = await prisma.orchardPlot.findMany({
    where: { AND: [plotScopeWhere(user.scope), f.villageId ? { villageId: f.villageId } : {}] },
    orderBy: [{ townshipId: "asc" }, { villageId: "asc" }, { code: "asc" }],
    select: { code: true, name: true, crop: true, variety: true, plantingYear: true, trees: true, status: true, areaMu: true, declaredMu: true, villageId: true, householdId: true, cooperativeId: true },
  });
  const [heads, coops, names] = await Promise.all([
    prisma.household.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.householdId ? [r.householdId] : [])))] } }, select: { id: true, headName: true } }),
    prisma.cooperative.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.cooperativeId ? [r.cooperativeId] : [])))] } }, select: { id: true, name: true } }),
    placeNames(user.scope),
  ]);
  const head = new Map(heads.map((h) => [h.id, h.headName]));
  const coop = new Map(coops.map((c) => [c.id, c.name]));
  const title = `${t("export.plots.title")} ${place.name}`.trim();
  const filters = f.villageId ? `${t("export.filter.village")}：${names.village.get(f.villageId) ?? ""}` : "";
  await recordExport(ctx, "orchard-plots", place, { filters: { village: f.villageId ?? null }, rows: rows.length });
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<OrchardRow>({
    name: t("export.plots.sheet"),
    title,
    subtitle: subtitle(ctx, filters, rows.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
      { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
      { header: t("export.col.plotCode"), type: "text", value: (r) => r.code, width: 14 },
      { header: t("export.col.plotName"), type: "text", value: (r) => r.name, width: 14 },
      { header: t("export.col.crop"), type: "text", value: (r) => r.crop, width: 8 },
      { header: t("export.col.variety"), type: "text", value: (r) => r.variety, width: 12 },
      { header: t("export.col.plantingYear"), type: "integer", value: (r) => r.plantingYear, width: 8 },
      { header: t("export.col.trees"), type: "integer", value: (r) => r.trees, width: 8 },
      { header: t("export.col.areaMu"), type: "decimal", value: (r) => r.areaMu, width: 10, total: "sum" },
      { header: t("export.col.declaredMu"), type: "decimal", value: (r) => r.declaredMu, width: 10, total: "sum" },
      { header: t("export.col.plotStatus"), type: "text", value: (r) => r.status, width: 10 },
      { header: t("export.col.cooperative"), type: "text", value: (r) => r.cooperative, width: 22 },
      { header: t("export.col.household"), type: "text", value: (r) => r.household, width: 10 },
    ],
  });
  writeInBackground(w, async () => {
    for (const r of rows) {
      sheet.add({
        no: sheet.count + 1,
        village: names.village.get(r.villageId) ?? "",
        code: r.code,
        name: r.name,
        crop: t(`plots.crop.${r.crop}`),
        variety: r.variety,
        plantingYear: r.plantingYear,
        trees: r.trees,
        areaMu: r.areaMu,
        declaredMu: r.declaredMu,
        status: t(`plots.status.${r.status}`),
        cooperative: r.cooperativeId ? (coop.get(r.cooperativeId) ?? "") : "",
        household: r.householdId ? (head.get(r.householdId) ?? "") : "",
      });
      if (sheet.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: exportFileName(title), rows: rows.length };
}

export const orchardPlotsExport: ListExport = {
  async count(user: CurrentUser, params: URLSearchParams): Promise<number> {
    const f = orchardPlotFilters(params);
    return prisma.orchardPlot.count({ where: { AND: [plotScopeWhere(user.scope), f.villageId ? { villageId: f.villageId } : {}] } });
  },
  run: (ctx, params) => exportOrchardPlots(ctx, orchardPlotFilters(params)),
};
