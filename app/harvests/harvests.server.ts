/**
 * Harvest records in the database: recording and deleting them, a plot's
 * harvests by year, the records behind any figure, and the yield reports.
 *
 * Scope (ADR 004): harvests carry the plot's township and village, so they
 * are read with the same scope as orchard plots (an accountant reads the
 * villages their cooperative serves). Writing is narrower: a secretary
 * records on any plot of their village, an accountant only on the plots
 * of their own cooperative.
 */
import type { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import { can, hasPermission, type Scope } from "~/auth/permissions";
import { placeScopeWhere, requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/http";
import { Decimal, fromFen } from "~/lib/money";
import { plotScopeWhere } from "~/plots/plots.server";
import { parseHarvestForm, plotIdOf, type RawHarvestForm } from "./harvest-form";
import type { FieldErrors } from "~/lib/forms";
import type { RecordFilter } from "./links";
import { groupFigures, groupKey, reportYears, yearFigures, type HarvestFact, type ReportBy, type YearFigures } from "./yield-report";

export function harvestScopeWhere(scope: Scope): Prisma.HarvestWhereInput {
  return placeScopeWhere(scope, (s) => ({ villageId: { in: s.villageIds } }));
}

const yuan = (fen: bigint) => fromFen(fen).toFixed(2);

// ─── Plots ─────────────────────────────────────────────────────────────────

const plotSelect = {
  id: true,
  townshipId: true,
  villageId: true,
  cooperativeId: true,
  householdId: true,
  code: true,
  name: true,
  crop: true,
  variety: true,
  status: true,
  areaMu: true,
} satisfies Prisma.OrchardPlotSelect;

/** A plot inside the scope, with what the harvest form shows, or null (→ 404). */
export async function harvestPlot(user: CurrentUser, plotId: number) {
  const p = await prisma.orchardPlot.findFirst({ where: { AND: [{ id: plotId }, plotScopeWhere(user.scope)] }, select: plotSelect });
  if (!p) return null;
  const village = await prisma.village.findUnique({ where: { id: p.villageId }, select: { name: true, township: { select: { name: true } } } });
  return { ...p, villageName: village?.name ?? "", townshipName: village?.township.name ?? "", canWrite: can(user, "write:harvest", p) };
}
export type HarvestPlot = NonNullable<Awaited<ReturnType<typeof harvestPlot>>>;

/** A plot the user may record harvests on: 404 outside the scope, 403 without the right. */
export async function requireHarvestPlot(user: CurrentUser, plotId: number): Promise<HarvestPlot> {
  const p = await harvestPlot(user, plotId);
  if (!p) notFound();
  if (!p.canWrite) forbidden();
  return p;
}

/** The plots the user may record on (bearing ones first), for a form opened without a plot. */
export async function writablePlots(user: CurrentUser) {
  if (!hasPermission(user.role, "write:harvest")) return [];
  const rows = await prisma.orchardPlot.findMany({
    where: {
      // an accountant records only on their own cooperative's plots (write:harvest's "cooperative" relation)
      AND: [plotScopeWhere(user.scope), { status: { not: "REMOVED" } }, placeScopeWhere(user.scope, (s) => ({ cooperativeId: s.cooperativeId }))],
    },
    orderBy: [{ villageId: "asc" }, { code: "asc" }],
    take: 2000,
    select: { id: true, code: true, name: true, crop: true, variety: true, status: true, areaMu: true },
  });
  return rows.sort((a, b) => Number(b.status === "BEARING") - Number(a.status === "BEARING"));
}

// ─── Writing ───────────────────────────────────────────────────────────────

/** On success, what was saved in words for the answer (year, crop, kilograms, plot code). */
export type RecordResult = { ok: true; id: number; plotId: number; saved: { year: number; crop: string; kg: string; plot: string } } | { ok: false; errors: FieldErrors };

/**
 * Records a harvest. Access comes first (404 for a plot outside the scope,
 * 403 without the right), then the form; the plot's places, cooperative,
 * household and crop are copied so reports never depend on later edits of
 * the plot. A removed orchard takes no new harvests.
 */
export async function recordHarvest(user: CurrentUser, raw: RawHarvestForm, asOf = today()): Promise<RecordResult> {
  const plotId = plotIdOf(raw);
  if (plotId === null) return { ok: false, errors: { plotId: { key: "harvest.field.plot.required" } } };
  const plot = await requireHarvestPlot(user, plotId);
  const parsed = parseHarvestForm(raw, { today: asOf, plot });
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (plot.status === "REMOVED") errors.plotId = { key: "harvest.field.plot.removed" };
  if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors };
  const v = parsed.value;
  return prisma.$transaction(async (tx) => {
    const data = {
      plotId: plot.id,
      townshipId: plot.townshipId,
      villageId: plot.villageId,
      cooperativeId: plot.cooperativeId,
      householdId: plot.householdId,
      crop: plot.crop,
      year: v.year,
      harvestedOn: v.harvestedOn,
      variety: v.variety,
      quantityKg: v.quantityKg,
      enteredQuantity: v.enteredQuantity,
      enteredUnit: v.enteredUnit,
      grade: v.grade,
      price: v.price,
      priceUnit: v.priceUnit,
      salesFen: v.salesFen,
      buyer: v.buyer,
      note: v.note,
      recordedById: user.id,
    };
    const h = await tx.harvest.create({ data, select: { id: true } });
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "create",
        entity: "Harvest",
        entityId: h.id,
        townshipId: plot.townshipId,
        villageId: plot.villageId,
        after: { ...data, plotCode: plot.code, salesTyped: v.salesTyped },
      },
      tx,
    );
    return { ok: true as const, id: h.id, plotId: plot.id, saved: { year: data.year, crop: data.crop, kg: String(data.quantityKg), plot: plot.code } };
  });
}

/** A record the user may delete: 404 outside the scope, 403 without the right. */
export async function requireWritableHarvest(user: CurrentUser, id: number) {
  const h = await prisma.harvest.findFirst({ where: { AND: [{ id }, harvestScopeWhere(user.scope)] }, select: { id: true, plotId: true, year: true, townshipId: true, villageId: true, cooperativeId: true } });
  if (!h) notFound();
  requireCan(user, "write:harvest", h);
  return h;
}

/** Deletes a mistaken record; the audit trail keeps every field of it. Returns its plot. */
export async function deleteHarvest(user: CurrentUser, id: number, reason = ""): Promise<{ plotId: number; year: number; plotCode: string; harvestedOn: string; quantityKg: string }> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.harvest.findFirst({ where: { AND: [{ id }, harvestScopeWhere(user.scope)] } });
    if (!before) notFound();
    requireCan(user, "write:harvest", before);
    await tx.harvest.delete({ where: { id } });
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "delete", entity: "Harvest", entityId: id, townshipId: before.townshipId, villageId: before.villageId, before, after: reason ? { reason } : undefined },
      tx,
    );
    const plot = await tx.orchardPlot.findUnique({ where: { id: before.plotId }, select: { code: true } });
    return { plotId: before.plotId, year: before.year, plotCode: plot?.code ?? "", harvestedOn: before.harvestedOn, quantityKg: String(before.quantityKg) };
  });
}

// ─── Reading ───────────────────────────────────────────────────────────────

const factSelect = { plotId: true, year: true, crop: true, variety: true, cooperativeId: true, quantityKg: true, salesFen: true } satisfies Prisma.HarvestSelect;

export interface FigureDto extends Omit<YearFigures, "salesFen"> {
  /** yuan, 2 decimals */
  sales: string;
}
const dto = (f: YearFigures): FigureDto => {
  const { salesFen, ...rest } = f;
  return { ...rest, sales: yuan(salesFen) };
};

const recordSelect = {
  id: true,
  plotId: true,
  townshipId: true,
  villageId: true,
  cooperativeId: true,
  year: true,
  harvestedOn: true,
  crop: true,
  variety: true,
  quantityKg: true,
  enteredQuantity: true,
  enteredUnit: true,
  grade: true,
  price: true,
  priceUnit: true,
  salesFen: true,
  buyer: true,
  note: true,
} satisfies Prisma.HarvestSelect;
type RecordRow = Prisma.HarvestGetPayload<{ select: typeof recordSelect }>;

function recordDto(user: CurrentUser, r: RecordRow) {
  const { salesFen, townshipId: _t, cooperativeId: _c, ...rest } = r;
  return { ...rest, sales: yuan(salesFen), canDelete: can(user, "write:harvest", r) };
}
export type HarvestRecordDto = ReturnType<typeof recordDto> & { plotCode?: string; villageName?: string };

/** A plot's harvests: figures per year (newest first) and its latest records. */
export async function plotHarvests(user: CurrentUser, plot: { id: number; areaMu: string; townshipId: number; villageId: number; cooperativeId: number | null }) {
  const where: Prisma.HarvestWhereInput = { AND: [{ plotId: plot.id }, harvestScopeWhere(user.scope)] };
  const [facts, recent] = await Promise.all([
    prisma.harvest.findMany({ where, select: factSelect }),
    prisma.harvest.findMany({ where, orderBy: [{ harvestedOn: "desc" }, { id: "desc" }], take: 10, select: recordSelect }),
  ]);
  const years = [...new Set(facts.map((f) => f.year))].sort((a, b) => b - a);
  // The yield per mu of a plot uses its area now; harvests keep no area of their own.
  const figures = yearFigures(facts, () => plot.areaMu, years);
  return { years: figures.map(dto), recent: recent.map((r) => recordDto(user, r)), canWrite: can(user, "write:harvest", plot) };
}


function filterWhere(f: RecordFilter): Prisma.HarvestWhereInput {
  return {
    ...(f.year !== undefined ? { year: f.year } : {}),
    ...(f.plotId !== undefined ? { plotId: f.plotId } : {}),
    ...(f.cooperative !== undefined ? { cooperativeId: f.cooperative === "none" ? null : f.cooperative } : {}),
    ...(f.crop !== undefined ? { crop: f.crop } : {}),
    ...(f.variety !== undefined ? { variety: f.variety } : {}),
  };
}

export const RECORDS_PER_PAGE = 100;

/**
 * The records behind a figure, with their total (over every page), so the
 * figure on the report can be checked against the records it sums.
 */
export async function listHarvests(user: CurrentUser, filter: RecordFilter, page = 1) {
  const where: Prisma.HarvestWhereInput = { AND: [filterWhere(filter), harvestScopeWhere(user.scope)] };
  const [all, rows] = await Promise.all([
    prisma.harvest.findMany({ where, select: { quantityKg: true, salesFen: true, plotId: true } }),
    prisma.harvest.findMany({ where, orderBy: [{ harvestedOn: "desc" }, { id: "desc" }], skip: (page - 1) * RECORDS_PER_PAGE, take: RECORDS_PER_PAGE, select: recordSelect }),
  ]);
  const [plots, villages] = await Promise.all([
    prisma.orchardPlot.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.plotId))] } }, select: { id: true, code: true, name: true } }),
    prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } }),
  ]);
  const plotOf = new Map(plots.map((p) => [p.id, p]));
  const villageName = new Map(villages.map((v) => [v.id, v.name]));
  const kg = all.reduce((s, r) => s.plus(r.quantityKg), new Decimal(0));
  const salesFen = all.reduce((s, r) => s + r.salesFen, 0n);
  return {
    total: { records: all.length, kg: kg.toFixed(2), sales: yuan(salesFen), plots: new Set(all.map((r) => r.plotId)).size },
    pages: Math.max(1, Math.ceil(all.length / RECORDS_PER_PAGE)),
    rows: rows.map((r) => ({ ...recordDto(user, r), plotCode: plotOf.get(r.plotId)?.code ?? "", plotName: plotOf.get(r.plotId)?.name ?? "", villageName: villageName.get(r.villageId) ?? "" })),
  };
}

/**
 * What a records filter names, for the page's heading. A plot outside the
 * scope, or a cooperative of another township, answers 404.
 */
export async function filterLabels(user: CurrentUser, f: RecordFilter) {
  const scope = user.scope;
  const [plot, cooperative] = await Promise.all([
    f.plotId ? prisma.orchardPlot.findFirst({ where: { AND: [{ id: f.plotId }, plotScopeWhere(scope)] }, select: { id: true, code: true, name: true } }) : null,
    // Harvests of several cooperatives can lie in one village: any cooperative of the township may be asked for.
    typeof f.cooperative === "number"
      ? prisma.cooperative.findFirst({ where: { id: f.cooperative, ...(scope.kind === "all" ? {} : { townshipId: scope.townshipId }) }, select: { id: true, name: true } })
      : null,
  ]);
  if ((f.plotId && !plot) || (typeof f.cooperative === "number" && !cooperative)) notFound();
  return { plot, cooperative };
}

/** The years that have harvests in the scope, newest first. */
export async function harvestYears(scope: Scope): Promise<number[]> {
  const rows = await prisma.harvest.groupBy({ by: ["year"], where: harvestScopeWhere(scope), orderBy: { year: "desc" } });
  return rows.map((r) => r.year);
}

export interface ReportRow {
  key: string;
  /** by plot */
  plot?: { id: number; code: string; name: string; villageName: string; crop: string; variety: string; areaMu: string; status: string };
  /** by variety */
  crop?: string;
  variety?: string;
  /** by cooperative; null for the harvests of no cooperative */
  cooperative?: { id: number; name: string } | null;
  /** the link parameters of the records this row sums, without the year */
  filter: Record<string, string>;
  years: FigureDto[];
}

/**
 * The yield report of the scope for `year`, grouped by plot, by crop and
 * variety, or by cooperative, each row with the two years before for
 * comparison, and the totals of the scope.
 */
export async function yieldReport(scope: Scope, year: number, by: ReportBy) {
  const years = reportYears(year);
  const facts: HarvestFact[] = await prisma.harvest.findMany({
    where: { AND: [{ year: { in: years } }, harvestScopeWhere(scope)] },
    select: factSelect,
  });
  const plotIds = [...new Set(facts.map((f) => f.plotId))];
  const plots = await prisma.orchardPlot.findMany({
    where: { id: { in: plotIds } },
    select: { id: true, code: true, name: true, villageId: true, crop: true, variety: true, areaMu: true, status: true },
  });
  const plotOf = new Map(plots.map((p) => [p.id, p]));
  const areaOf = (id: number) => plotOf.get(id)?.areaMu ?? "0";
  const groups = groupFigures(by, facts, areaOf, years);
  const sample = new Map<string, HarvestFact>();
  for (const f of facts) if (!sample.has(groupKey(by, f))) sample.set(groupKey(by, f), f);

  let rows: ReportRow[];
  if (by === "plot") {
    const villages = await prisma.village.findMany({ where: { id: { in: [...new Set(plots.map((p) => p.villageId))] } }, select: { id: true, name: true } });
    const villageName = new Map(villages.map((v) => [v.id, v.name]));
    rows = [...groups].map(([key, figs]) => {
      const p = plotOf.get(Number(key));
      return {
        key,
        plot: p
          ? { id: p.id, code: p.code, name: p.name, villageName: villageName.get(p.villageId) ?? "", crop: p.crop, variety: p.variety, areaMu: p.areaMu, status: p.status }
          : { id: Number(key), code: "", name: "", villageName: "", crop: "", variety: "", areaMu: "0", status: "" },
        filter: { plot: key },
        years: figs.map(dto),
      };
    });
    rows.sort((a, b) => a.plot!.villageName.localeCompare(b.plot!.villageName, "zh-CN") || a.plot!.code.localeCompare(b.plot!.code));
  } else if (by === "variety") {
    rows = [...groups].map(([key, figs]) => {
      const f = sample.get(key)!;
      return { key, crop: f.crop, variety: f.variety, filter: { crop: f.crop, variety: f.variety }, years: figs.map(dto) };
    });
    rows.sort((a, b) => a.crop!.localeCompare(b.crop!) || a.variety!.localeCompare(b.variety!, "zh-CN"));
  } else {
    const ids = [...groups.keys()].filter((k) => k !== "none").map(Number);
    const coops = await prisma.cooperative.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
    const nameOf = new Map(coops.map((c) => [c.id, c.name]));
    rows = [...groups].map(([key, figs]) => ({
      key,
      cooperative: key === "none" ? null : { id: Number(key), name: nameOf.get(Number(key)) ?? "" },
      filter: { cooperative: key },
      years: figs.map(dto),
    }));
    // Cooperatives by name, the households' own harvests last.
    rows.sort((a, b) => (a.cooperative ? 0 : 1) - (b.cooperative ? 0 : 1) || (a.cooperative?.name ?? "").localeCompare(b.cooperative?.name ?? "", "zh-CN"));
  }
  return { year, years, by, rows, totals: yearFigures(facts, areaOf, years).map(dto) };
}
export type YieldReport = Awaited<ReturnType<typeof yieldReport>>;

/**
 * The harvest sales of a cooperative's plots in a year, for its dividend
 * run's income: the sum of the records' sales and how many records it sums.
 */
export async function harvestSalesFen(cooperativeId: number, year: number): Promise<{ salesFen: bigint; records: number }> {
  const rows = await prisma.harvest.findMany({ where: { cooperativeId, year }, select: { salesFen: true } });
  return { salesFen: rows.reduce((s, r) => s + r.salesFen, 0n), records: rows.length };
}
