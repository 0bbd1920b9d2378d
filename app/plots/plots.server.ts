/**
 * Orchard plots in the database: scoped reads, saving a drawn or imported
 * plot, the map's viewport data, search, export, and the overlap index.
 *
 * Every query carries the user's scope in its `where` (ADR 004): a plot
 * outside it is simply not found, so routes answer 404 and reveal nothing.
 */
import { Prisma } from "@prisma/client";
import { changedFields, recordAudit } from "~/auth/audit.server";
import { can, hasPermission, type Scope } from "~/auth/permissions";
import { placeScopeWhere, requireCan, villageScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/http";
import { Decimal } from "~/lib/money";
import type { ExportPlot } from "./export";
import {
  areaDiscrepancy,
  bboxesIntersect,
  findOverlaps,
  overlapM2,
  OVERLAP_TOLERANCE_M2,
  simplifyForLowZoom,
  type BBox,
  type OverlapPair,
  type PlotGeometry,
  type Problem,
} from "./geometry";
import { MAX_IMPORT_BYTES, parsePlotFile, type ImportedFeature, type ImportFormat } from "./import";
import {
  colourKey,
  DETAIL_ZOOM,
  encodeGeometry,
  FLAG_DISCREPANCY,
  FLAG_OVERLAP,
  FULL_SCALE,
  LABEL_ZOOM,
  LOW_SCALE,
  MAX_MAP_PLOTS,
  plotLabel,
  statusIndex,
  type BaseLayer,
  type MapPayload,
  type MapPlotRow,
  type MapSettings,
  type PlotFacts,
} from "./map-data";
import { parsePlotForm, type PlotInput } from "./plot-form";
import type { FieldErrors } from "~/lib/forms";
import { currentYear } from "~/lib/dates";
import { mapEnv } from "~/lib/env.server";
import { hasLikeWildcards, literalPieces } from "~/lib/search-text";
import { containsText, startsWithText } from "~/lib/text-match.server";
import { ensureVarieties, coloursForKeys } from "./varieties.server";
import { placeWarnings } from "./proximity";
import { polygonsOfLayer } from "./reference-layers";
import { flagCandidates, plotExtentOf, plotsInBox, plotStamp } from "./plots.queries.server";

// Routes read an upload within this limit while it arrives; the limit belongs to the importer.
export { MAX_IMPORT_BYTES };
/** A save posts back the previewed plots as JSON (up to 5,000, URL-encoded): larger than the file it came from, but bounded. */
export const MAX_SAVE_FORM_BYTES = 2 * MAX_IMPORT_BYTES;

type Tx = Prisma.TransactionClient;

export function plotScopeWhere(scope: Scope): Prisma.OrchardPlotWhereInput {
  return placeScopeWhere(scope, (s) => ({ villageId: { in: s.villageIds } }));
}

// ─── Places ────────────────────────────────────────────────────────────────

export async function villageInScope(scope: Scope, villageId: number) {
  return prisma.village.findFirst({
    where: { AND: [{ id: villageId }, villageScopeWhere(scope)] },
    select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
  });
}

/** A township the user may look at: their own, or the one around their village or cooperative. */
export async function townshipInScope(scope: Scope, townshipId: number) {
  if (scope.kind !== "all" && scope.townshipId !== townshipId) return null;
  return prisma.township.findUnique({ where: { id: townshipId }, select: { id: true, name: true } });
}

/** The villages where the user may add plots. */
export async function writableVillages(user: CurrentUser) {
  if (!hasPermission(user.role, "write:plot")) return [];
  return prisma.village.findMany({
    where: villageScopeWhere(user.scope),
    orderBy: { code: "asc" },
    select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
  });
}

// ─── Overlap index ─────────────────────────────────────────────────────────

/** One overlap of a plot: the other plot, the shared area, and whether the other lies in another township. */
export interface OverlapWith {
  other: number;
  m2: number;
  otherTownship: boolean;
}

interface OverlapIndex {
  stamp: string;
  pairs: OverlapPair[];
  byPlot: Map<number, OverlapWith[]>;
}
const overlapCache = new Map<number, OverlapIndex>();

/**
 * Overlapping pairs of a township's plots with any plot of the district
 * (removed orchards excluded): a copy laid on a neighbouring township's plots
 * across the border is an overlap too. The neighbours are found with the box
 * columns alone, without the township filter. Computed once per change of the
 * district's plots and kept in memory: saves here clear the cache, and the
 * stamp (count, last change, last id of all plots) catches changes made by
 * another process, such as a seed. The full check takes a few hundred
 * milliseconds for 5,000 plots, the stamp one query.
 */
export async function townshipOverlaps(townshipId: number): Promise<OverlapIndex> {
  const stamp = await plotStamp(null);
  const cached = overlapCache.get(townshipId);
  if (cached?.stamp === stamp) return cached;
  const select = { id: true, townshipId: true, geometry: true, minLon: true, minLat: true, maxLon: true, maxLat: true } as const;
  const own = await prisma.orchardPlot.findMany({ where: { townshipId, status: { not: "REMOVED" } }, select });
  const extent = own.reduce<BBox | null>((b, r) => (b ? [Math.min(b[0], r.minLon), Math.min(b[1], r.minLat), Math.max(b[2], r.maxLon), Math.max(b[3], r.maxLat)] : [r.minLon, r.minLat, r.maxLon, r.maxLat]), null);
  const neighbours = extent
    ? await prisma.orchardPlot.findMany({
        where: { townshipId: { not: townshipId }, status: { not: "REMOVED" }, minLon: { lte: extent[2] }, maxLon: { gte: extent[0] }, minLat: { lte: extent[3] }, maxLat: { gte: extent[1] } },
        select,
      })
    : [];
  const rows = [...own, ...neighbours];
  const townshipOf = new Map(rows.map((r) => [r.id, r.townshipId]));
  const pairs = findOverlaps(rows.map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) as PlotGeometry, bbox: [r.minLon, r.minLat, r.maxLon, r.maxLat] as BBox }))).filter(
    (p) => townshipOf.get(p.a) === townshipId || townshipOf.get(p.b) === townshipId,
  );
  const byPlot = new Map<number, OverlapWith[]>();
  const add = (id: number, other: number, m2: number) =>
    byPlot.set(id, [...(byPlot.get(id) ?? []), { other, m2, otherTownship: townshipOf.get(other) !== townshipOf.get(id) }]);
  for (const p of pairs) {
    add(p.a, p.b, p.m2);
    add(p.b, p.a, p.m2);
  }
  const index = { stamp, pairs, byPlot };
  overlapCache.set(townshipId, index);
  return index;
}

async function overlapsOf(townshipIds: number[]): Promise<Map<number, OverlapWith[]>> {
  const merged = new Map<number, OverlapWith[]>();
  for (const id of townshipIds) for (const [k, v] of (await townshipOverlaps(id)).byPlot) merged.set(k, v);
  return merged;
}

async function townshipIdsOf(scope: Scope, filter: { townshipId?: number }): Promise<number[]> {
  if (filter.townshipId) return [filter.townshipId];
  if (scope.kind !== "all") return [scope.townshipId];
  return (await prisma.township.findMany({ select: { id: true } })).map((t) => t.id);
}

// ─── Lists ─────────────────────────────────────────────────────────────────

/** Villages in scope with their plot counts, for the index page. */
export async function plotsOverview(scope: Scope) {
  const villages = await prisma.village.findMany({
    where: villageScopeWhere(scope),
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
    select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
  });
  const counts = await prisma.orchardPlot.groupBy({ by: ["villageId"], where: plotScopeWhere(scope), _count: { _all: true } });
  const byVillage = new Map(counts.map((c) => [c.villageId, c._count._all]));
  return villages.map((v) => ({ ...v, plots: byVillage.get(v.id) ?? 0 }));
}

export interface FlaggedPlot {
  id: number;
  code: string;
  name: string;
  villageName: string;
  areaMu: string;
  declaredMu: string | null;
  discrepancy: string | null;
  overlaps: { id: number; code: string; m2: number; otherTownship: boolean }[];
}

/** Plots that overlap another or whose measured area is more than 5% off the contract area. */
export async function flaggedPlots(scope: Scope, filter: { villageId?: number; townshipId?: number } = {}): Promise<FlaggedPlot[]> {
  const overlaps = await overlapsOf(await townshipIdsOf(scope, filter));
  const overlapIds = [...overlaps.keys()];
  // SQL narrows thousands of plots to the candidates with a loose float test;
  // the exact 5% rule is then applied in Decimal (areas are never judged in floats).
  const rows = await flagCandidates(scope, filter, overlapIds);
  const flagged = rows.flatMap((r) => {
    const d = areaDiscrepancy(r.areaMu, r.declaredMu);
    const o = overlaps.get(r.id) ?? [];
    return d?.flagged || o.length ? [{ ...r, discrepancy: d?.flagged ? d.percent : null, o }] : [];
  });
  if (flagged.length === 0) return [];
  // Names of the other plot of each pair, only those the user may see.
  const otherIds = [...new Set(flagged.flatMap((f) => f.o.map((x) => x.other)))];
  const [others, villages] = await Promise.all([
    prisma.orchardPlot.findMany({ where: { AND: [{ id: { in: otherIds } }, plotScopeWhere(scope)] }, select: { id: true, code: true } }),
    prisma.village.findMany({ where: { id: { in: [...new Set(flagged.map((f) => f.villageId))] } }, select: { id: true, name: true } }),
  ]);
  const codeOf = new Map(others.map((o) => [o.id, o.code]));
  const villageName = new Map(villages.map((v) => [v.id, v.name]));
  return flagged
    .map((f) => ({
      id: f.id,
      code: f.code,
      name: f.name,
      villageName: villageName.get(f.villageId) ?? "",
      areaMu: f.areaMu,
      declaredMu: f.declaredMu,
      discrepancy: f.discrepancy,
      overlaps: f.o.map((x) => ({ id: x.other, code: codeOf.get(x.other) ?? "", m2: Math.round(x.m2), otherTownship: x.otherTownship })),
    }))
    .sort((a, b) => a.villageName.localeCompare(b.villageName, "zh-CN") || a.code.localeCompare(b.code));
}

// ─── One plot ──────────────────────────────────────────────────────────────

/** A plot inside the scope with everything its page shows, or null (→ 404). */
export async function getPlot(user: CurrentUser, id: number) {
  const p = await prisma.orchardPlot.findFirst({
    where: { AND: [{ id }, plotScopeWhere(user.scope)] },
    select: {
      id: true,
      townshipId: true,
      villageId: true,
      code: true,
      name: true,
      crop: true,
      variety: true,
      plantingYear: true,
      trees: true,
      status: true,
      geometry: true,
      areaMu: true,
      declaredMu: true,
      cooperativeId: true,
      householdId: true,
      contractId: true,
      minLon: true,
      minLat: true,
      maxLon: true,
      maxLat: true,
      updatedAt: true,
      parcels: { select: { plot: { select: { id: true, parcelCode: true, name: true, contractArea: true, householdId: true } } } },
    },
  });
  if (!p) return null;
  const [village, household, cooperative, contract, overlaps] = await Promise.all([
    prisma.village.findUnique({ where: { id: p.villageId }, select: { name: true, township: { select: { name: true } } } }),
    p.householdId ? prisma.household.findUnique({ where: { id: p.householdId }, select: { id: true, code: true, headName: true } }) : null,
    p.cooperativeId ? prisma.cooperative.findUnique({ where: { id: p.cooperativeId }, select: { id: true, name: true } }) : null,
    p.contractId ? prisma.transferContract.findUnique({ where: { id: p.contractId }, select: { id: true, draftNo: true, contractNo: true, transfereeName: true } }) : null,
    townshipOverlaps(p.townshipId),
  ]);
  const pairs = overlaps.byPlot.get(p.id) ?? [];
  const others = pairs.length
    ? await prisma.orchardPlot.findMany({ where: { AND: [{ id: { in: pairs.map((x) => x.other) } }, plotScopeWhere(user.scope)] }, select: { id: true, code: true } })
    : [];
  const codeOf = new Map(others.map((o) => [o.id, o.code]));
  return {
    ...p,
    geometry: JSON.parse(p.geometry) as PlotGeometry,
    villageName: village?.name ?? "",
    townshipName: village?.township.name ?? "",
    household,
    cooperative,
    contract,
    parcels: p.parcels.map((x) => x.plot),
    discrepancy: areaDiscrepancy(p.areaMu, p.declaredMu),
    // An overlapping plot the user may not see is still an overlap; only its code stays hidden.
    overlaps: pairs.map((x) => ({ id: codeOf.has(x.other) ? x.other : null, code: codeOf.get(x.other) ?? "", m2: Math.round(x.m2), otherTownship: x.otherTownship })),
    canWrite: can(user, "write:plot", p),
  };
}
export type PlotDetail = NonNullable<Awaited<ReturnType<typeof getPlot>>>;

/** What the form offers to link a plot to: the village's households, the cooperatives serving it, its contracts. */
export async function plotFormChoices(villageId: number) {
  const [households, cooperatives, contracts] = await Promise.all([
    prisma.household.findMany({ where: { villageId }, orderBy: { code: "asc" }, select: { id: true, code: true, headName: true } }),
    prisma.cooperative.findMany({ where: { villages: { some: { villageId } } }, orderBy: { id: "asc" }, select: { id: true, name: true } }),
    prisma.transferContract.findMany({
      where: { villageId, status: { notIn: ["SUPERSEDED", "TERMINATED"] } },
      orderBy: { id: "asc" },
      select: { id: true, draftNo: true, contractNo: true, transfereeName: true },
    }),
  ]);
  return { households, cooperatives, contracts };
}

// ─── Saving ────────────────────────────────────────────────────────────────

export type SaveResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** The checks that need the database: a free code, links inside the village, parcels of the village. */
async function checkLinks(tx: Tx, villageId: number, input: PlotInput, plotId: number | null): Promise<{ errors: FieldErrors; parcelIds: number[]; parcelArea: string | null }> {
  const errors: FieldErrors = {};
  const same = await tx.orchardPlot.findFirst({ where: { villageId, code: input.code, ...(plotId ? { NOT: { id: plotId } } : {}) }, select: { id: true } });
  if (same) errors.code = { key: "plots.field.code.duplicate" };
  if (input.householdId && !(await tx.household.findFirst({ where: { id: input.householdId, villageId }, select: { id: true } }))) {
    errors.householdId = { key: "plots.field.link.invalid" };
  }
  if (input.cooperativeId && !(await tx.cooperativeVillage.findFirst({ where: { cooperativeId: input.cooperativeId, villageId }, select: { villageId: true } }))) {
    errors.cooperativeId = { key: "plots.field.link.invalid" };
  }
  if (input.contractId && !(await tx.transferContract.findFirst({ where: { id: input.contractId, villageId }, select: { id: true } }))) {
    errors.contractId = { key: "plots.field.link.invalid" };
  }
  const parcels = await checkParcels(tx, villageId, input.parcelCodes);
  if (parcels.error) errors.parcelCodes = parcels.error;
  return { errors, parcelIds: parcels.ids, parcelArea: parcels.area };
}

/**
 * The contracted plots (承包地块) of the village with these parcel codes, or
 * the first code that is none of them: the database half of the parcel-code
 * check, for the plot form and the import alike (the text half is
 * plot-form.ts parseParcelCodes).
 */
export async function checkParcels(db: Tx, villageId: number, codes: readonly string[]): Promise<{ ids: number[]; area: string | null; error: Problem | null }> {
  if (codes.length === 0) return { ids: [], area: null, error: null };
  const parcels = await db.contractedPlot.findMany({ where: { villageId, parcelCode: { in: [...codes] } }, select: { id: true, parcelCode: true, contractArea: true } });
  const missing = codes.find((c) => !parcels.some((p) => p.parcelCode === c));
  return {
    ids: parcels.map((p) => p.id),
    area: parcels.reduce((sum, p) => sum.plus(p.contractArea), new Decimal(0)).toFixed(2),
    error: missing ? { key: "plots.field.parcelCodes.unknown", params: { code: missing } } : null,
  };
}

function columns(input: PlotInput, declaredMu: string | null) {
  return {
    code: input.code,
    name: input.name,
    crop: input.crop,
    variety: input.variety,
    plantingYear: input.plantingYear,
    trees: input.trees,
    status: input.status,
    householdId: input.householdId,
    cooperativeId: input.cooperativeId,
    contractId: input.contractId,
    geometry: JSON.stringify(input.geometry),
    geometryLow: JSON.stringify(simplifyForLowZoom(input.geometry)),
    areaMu: input.areaMu,
    declaredMu,
    minLon: input.bbox[0],
    minLat: input.bbox[1],
    maxLon: input.bbox[2],
    maxLat: input.bbox[3],
  };
}

// The trail keeps the facts and the area; the full geometry would bury them.
const auditView = (c: ReturnType<typeof columns>) => {
  const { geometry: _g, geometryLow: _l, ...rest } = c;
  return rest;
};

export async function createPlot(user: CurrentUser, villageId: number, input: PlotInput): Promise<SaveResult> {
  const village = await villageInScope(user.scope, villageId);
  if (!village) notFound();
  requireCan(user, "write:plot", { townshipId: village.townshipId, villageId });
  return prisma.$transaction(async (tx) => {
    const { errors, parcelIds, parcelArea } = await checkLinks(tx, villageId, input, null);
    if (Object.keys(errors).length) return { ok: false as const, errors };
    // Without a typed contract area, the contracted plots' own areas are what the 5% check compares with.
    const data = columns(input, input.declaredMu ?? parcelArea);
    await ensureVarieties(tx, [input]);
    const p = await tx.orchardPlot.create({
      data: { ...data, townshipId: village.townshipId, villageId, parcels: { create: parcelIds.map((plotId) => ({ plotId })) } },
      select: { id: true },
    });
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "create", entity: "OrchardPlot", entityId: p.id, townshipId: village.townshipId, villageId, after: { ...auditView(data), parcelCodes: input.parcelCodes } },
      tx,
    );
    overlapCache.clear();
    return { ok: true as const, id: p.id };
  });
}

export async function updatePlot(user: CurrentUser, id: number, input: PlotInput): Promise<SaveResult> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.orchardPlot.findFirst({ where: { AND: [{ id }, plotScopeWhere(user.scope)] } });
    if (!before) notFound();
    requireCan(user, "write:plot", before);
    const { errors, parcelIds, parcelArea } = await checkLinks(tx, before.villageId, input, id);
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const data = columns(input, input.declaredMu ?? parcelArea);
    await ensureVarieties(tx, [input]);
    await tx.orchardPlotParcel.deleteMany({ where: { orchardPlotId: id } });
    await tx.orchardPlot.update({ where: { id }, data: { ...data, parcels: { create: parcelIds.map((plotId) => ({ plotId })) } } });
    const diff = changedFields(before as unknown as Record<string, unknown>, data as unknown as Record<string, unknown>);
    const geometryChanged = "geometry" in diff.after;
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "update",
        entity: "OrchardPlot",
        entityId: id,
        townshipId: before.townshipId,
        villageId: before.villageId,
        before: { ...auditView(diff.before as ReturnType<typeof columns>), ...(geometryChanged ? { geometry: "…" } : {}) },
        after: { ...auditView(diff.after as ReturnType<typeof columns>), ...(geometryChanged ? { geometry: "…" } : {}), parcelCodes: input.parcelCodes },
      },
      tx,
    );
    overlapCache.clear();
    return { ok: true as const, id };
  });
}

/**
 * Marks a plot as removed (orchard cleared): it leaves the overlap checks and
 * the map's fill fades; its harvests stay. The reason goes to the audit trail.
 */
export async function removePlot(user: CurrentUser, id: number, reason: string): Promise<{ code: string }> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.orchardPlot.findFirst({ where: { AND: [{ id }, plotScopeWhere(user.scope)] }, select: { id: true, code: true, status: true, townshipId: true, villageId: true } });
    if (!before) notFound();
    requireCan(user, "write:plot", before);
    await tx.orchardPlot.update({ where: { id }, data: { status: "REMOVED" } });
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "update",
        entity: "OrchardPlot",
        entityId: id,
        townshipId: before.townshipId,
        villageId: before.villageId,
        before: { status: before.status },
        after: { status: "REMOVED", reason },
      },
      tx,
    );
    overlapCache.clear();
    return { code: before.code };
  });
}

/** A plot the user may edit, for the edit page and its action: 404 outside the scope, 403 without the right. */
export async function requireWritablePlot(user: CurrentUser, id: number): Promise<PlotDetail> {
  const p = await getPlot(user, id);
  if (!p) notFound();
  if (!p.canWrite) forbidden();
  return p;
}

// ─── Map ───────────────────────────────────────────────────────────────────

export interface MapFilter {
  villageId?: number;
  townshipId?: number;
}

function filterWhere(f: MapFilter): Prisma.OrchardPlotWhereInput {
  return { ...(f.villageId ? { villageId: f.villageId } : {}), ...(f.townshipId ? { townshipId: f.townshipId } : {}) };
}

/** The extent of the plots a map shows, to open it there; null when there are none yet. */
export async function plotExtent(scope: Scope, f: MapFilter): Promise<BBox | null> {
  return plotExtentOf(scope, f);
}

/**
 * The plots whose boxes meet the visible area, in the compact form of
 * map-data.ts: simplified shapes below DETAIL_ZOOM, flags for overlaps and
 * area discrepancies.
 */
export async function mapPlots(scope: Scope, f: MapFilter & { bbox: BBox; zoom: number }): Promise<MapPayload> {
  const low = f.zoom < DETAIL_ZOOM;
  const labelled = f.zoom >= LABEL_ZOOM;
  // Raw SQL: for thousands of rows Prisma's typed query costs ~250 ms where this costs ~60 (see the bench).
  const rows = await plotsInBox(scope, f, f.bbox, low, MAX_MAP_PLOTS + 1, labelled);
  const truncated = rows.length > MAX_MAP_PLOTS;
  if (truncated) rows.length = MAX_MAP_PLOTS;
  const overlaps = await overlapsOf([...new Set(rows.map((r) => r.townshipId))]);
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const coopIds: number[] = [];
  const coopIndex = new Map<number, number>();
  const scale = low ? LOW_SCALE : FULL_SCALE;
  const plots: MapPlotRow[] = rows.map((r) => {
    const id = r.id;
    const key = colourKey(r.crop, r.variety);
    if (!keyIndex.has(key)) keyIndex.set(key, keys.push(key) - 1);
    let ci = -1;
    if (r.cooperativeId != null) {
      const coop = r.cooperativeId;
      if (!coopIndex.has(coop)) coopIndex.set(coop, coopIds.push(coop) - 1);
      ci = coopIndex.get(coop)!;
    }
    const flags = (overlaps.has(id) ? FLAG_OVERLAP : 0) | (areaDiscrepancy(r.areaMu, r.declaredMu)?.flagged ? FLAG_DISCREPANCY : 0);
    return [id, keyIndex.get(key)!, ci, statusIndex(r.status), flags, encodeGeometry(JSON.parse(r.shape) as PlotGeometry, scale)];
  });
  const coops = coopIds.length ? await prisma.cooperative.findMany({ where: { id: { in: coopIds } }, select: { id: true, name: true } }) : [];
  const coopName = new Map(coops.map((c) => [c.id, c.name]));
  const colours = await coloursForKeys(keys);
  return {
    scale,
    keys,
    colours,
    ...(labelled ? { labels: rows.map((r) => plotLabel(r.code ?? "", r.name ?? "")) } : {}),
    cooperatives: coopIds.map((id) => ({ id, name: coopName.get(id) ?? "" })),
    plots,
    truncated,
  };
}

/** Facts for a plot's popup on the map. */
export async function plotPopup(user: CurrentUser, id: number): Promise<PlotFacts | null> {
  const p = await getPlot(user, id);
  if (!p) return null;
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    crop: p.crop,
    variety: p.variety,
    status: p.status,
    plantingYear: p.plantingYear,
    trees: p.trees,
    areaMu: p.areaMu,
    declaredMu: p.declaredMu,
    villageName: p.villageName,
    household: p.household,
    cooperative: p.cooperative,
    contract: p.contract,
    discrepancy: p.discrepancy,
    overlaps: p.overlaps,
    canWrite: p.canWrite,
  };
}

/** Plots by code, name or the household head's name, for the map's search box. */
export async function searchPlots(scope: Scope, q: string, f: MapFilter) {
  const text = q.trim().slice(0, 40);
  if (!text) return [];
  // "%" and "_" are matched literally: search by the pieces between them, then check exactly.
  const literal = hasLikeWildcards(text);
  const pieces = literal ? literalPieces(text) : [text];
  if (pieces.length === 0) return [];
  const containsAll = (field: "code" | "name" | "headName") => ({ AND: pieces.map((p) => ({ [field]: containsText(p) })) });
  // OrchardPlot keeps the household as a plain id: find the heads first. The
  // plots found are filtered by the scope, so a head outside it finds nothing.
  const heads = (
    await prisma.household.findMany({
      where: { ...containsAll("headName"), ...(f.villageId ? { villageId: f.villageId } : {}), ...(f.townshipId ? { townshipId: f.townshipId } : {}) },
      select: { id: true, headName: true },
      take: 200,
    })
  ).filter((h) => h.headName.includes(text));
  const rows = (
    await prisma.orchardPlot.findMany({
      where: {
        AND: [
          plotScopeWhere(scope),
          filterWhere(f),
          { OR: [literal ? containsAll("code") : { code: startsWithText(text) }, containsAll("name"), { householdId: { in: heads.map((h) => h.id) } }] },
        ],
      },
      orderBy: { code: "asc" },
      take: literal ? 200 : 10,
      select: { id: true, code: true, name: true, minLon: true, minLat: true, maxLon: true, maxLat: true, householdId: true },
    })
  )
    .filter((r) => !literal || r.code.startsWith(text) || r.name.includes(text) || heads.some((h) => h.id === r.householdId))
    .slice(0, 10);
  const names = await prisma.household.findMany({ where: { id: { in: rows.flatMap((r) => (r.householdId ? [r.householdId] : [])) } }, select: { id: true, headName: true } });
  const headOf = new Map(names.map((h) => [h.id, h.headName]));
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, headName: r.householdId ? headOf.get(r.householdId) ?? "" : "", bbox: [r.minLon, r.minLat, r.maxLon, r.maxLat] as BBox }));
}

/** Contracted plots (承包地块) of a village that carry a geometry, drawn as outlines under the orchards. */
export async function contractedPlotOutlines(villageId: number) {
  const rows = await prisma.contractedPlot.findMany({ where: { villageId, geometry: { not: null } }, select: { id: true, parcelCode: true, geometry: true } });
  return rows.flatMap((r) => {
    try {
      return [{ id: r.id, parcelCode: r.parcelCode, geometry: JSON.parse(r.geometry!) as PlotGeometry }];
    } catch {
      return [];
    }
  });
}

// ─── Base layers ───────────────────────────────────────────────────────────

/**
 * Base layers from the environment (app/lib/env.server.ts mapEnv): none
 * unless configured. With TIANDITU_KEY, Tianditu's vector map (the default)
 * and imagery; a tile server of one's own (MAP_OSM_URL) and AMap (MAP_AMAP=1)
 * only as further choices. MAP_BASE_LAYER picks the opening one among those
 * offered. The map works with none of them reachable.
 */
export function mapSettings(source: Record<string, string | undefined> = process.env): MapSettings {
  const e = mapEnv(source);
  const available: BaseLayer[] = [
    "none",
    ...(e.tiandituKey ? (["tianditu", "tianditu-img"] as const) : []),
    ...(e.osmUrl ? (["osm"] as const) : []),
    ...(e.amap ? (["amap"] as const) : []),
  ];
  const wanted = e.baseLayer as BaseLayer;
  return {
    defaultBase: available.includes(wanted) ? wanted : e.tiandituKey ? "tianditu" : "none",
    available,
    osmUrl: e.osmUrl,
    tiandituKey: e.tiandituKey,
    // The approval number (审图号) a published map must show; Tianditu's own as printed on tianditu.gov.cn.
    tiandituApprovalNo: e.tiandituApprovalNo || "GS(2024)0568号",
  };
}

// ─── Import ────────────────────────────────────────────────────────────────

export interface ImportPreview {
  fileName: string;
  format: ImportFormat;
  crs: Problem;
  features: ImportedFeature[];
  /** the village's saved plots' extent, for the preview map */
  villageExtent: BBox | null;
}

/**
 * Reads an uploaded file and adds the checks that need the database: codes
 * already used in the village and parcel codes that are not the village's
 * contracted plots (errors, as in the plot form), overlaps with any plot of
 * the district, and plots far from the village or outside the township
 * (warnings). Nothing is written.
 */
export async function previewImport(user: CurrentUser, villageId: number, fileName: string, bytes: Uint8Array): Promise<{ ok: true; preview: ImportPreview } | { ok: false; error: Problem }> {
  const village = await villageInScope(user.scope, villageId);
  if (!village) notFound();
  requireCan(user, "write:plot", { townshipId: village.townshipId, villageId });
  const parsed = await parsePlotFile(fileName, bytes, { currentYear: currentYear() });
  if (!parsed.ok) return parsed;
  const villageExtent = await checkAgainstVillage(user, village, parsed.features);
  return { ok: true, preview: { fileName, format: parsed.format, crs: parsed.crs, features: parsed.features, villageExtent } };
}

type Placeable = ImportedFeature & { bbox: BBox; geometry: PlotGeometry };

async function checkAgainstVillage(user: CurrentUser, village: { id: number; townshipId: number }, features: ImportedFeature[]): Promise<BBox | null> {
  const codes = features.map((f) => f.fields.code).filter(Boolean);
  const taken = new Set(
    (await prisma.orchardPlot.findMany({ where: { villageId: village.id, code: { in: codes } }, select: { code: true } })).map((p) => p.code),
  );
  for (const f of features) if (taken.has(f.fields.code)) f.errors.push({ key: "plots.field.code.duplicate" });
  for (const f of features) {
    if (!f.parcelCodes.length) continue;
    const parcels = await checkParcels(prisma, village.id, f.parcelCodes);
    if (parcels.error) f.errors.push(parcels.error);
  }
  const villagePlots = await prisma.orchardPlot.findMany({
    where: { villageId: village.id },
    select: { geometry: true, minLon: true, minLat: true, maxLon: true, maxLat: true },
  });
  const placedVillage = villagePlots.map((p) => ({ geometry: JSON.parse(p.geometry) as PlotGeometry, bbox: [p.minLon, p.minLat, p.maxLon, p.maxLat] as BBox }));
  const villageExtent = extentOf(placedVillage.map((p) => p.bbox));
  const boxes = features.filter((f) => f.bbox && f.geometry) as Placeable[];
  if (!boxes.length) return villageExtent;
  await checkOverlapsWithDistrict(user, village, boxes);
  const [boundary, township] = await Promise.all([
    townshipBoundary(village.townshipId),
    prisma.orchardPlot.aggregate({ where: { townshipId: village.townshipId }, _min: { minLon: true, minLat: true }, _max: { maxLon: true, maxLat: true } }),
  ]);
  const townshipExtent: BBox | null =
    township._min.minLon == null ? null : [township._min.minLon, township._min.minLat!, township._max.maxLon!, township._max.maxLat!];
  const warnings = placeWarnings(boxes, { villagePlots: placedVillage, townshipBoundary: boundary, townshipExtent });
  boxes.forEach((f, i) => f.warnings.push(...warnings[i]!));
  return villageExtent;
}

function extentOf(boxes: readonly BBox[]): BBox | null {
  if (!boxes.length) return null;
  return boxes.reduce<BBox>((b, x) => [Math.min(b[0], x[0]), Math.min(b[1], x[1]), Math.max(b[2], x[2]), Math.max(b[3], x[3])], [180, 90, -180, -90]);
}

/**
 * Overlaps of the file's plots with saved plots anywhere in the district,
 * across township borders (the box columns find the candidates, with no
 * township filter). The other plot is named only when the user may see it;
 * otherwise the warning says only where it lies.
 */
async function checkOverlapsWithDistrict(user: CurrentUser, village: { id: number; townshipId: number }, boxes: Placeable[]) {
  const all = extentOf(boxes.map((f) => f.bbox))!;
  const existing = await prisma.orchardPlot.findMany({
    where: { status: { not: "REMOVED" }, minLon: { lte: all[2] }, maxLon: { gte: all[0] }, minLat: { lte: all[3] }, maxLat: { gte: all[1] } },
    select: { id: true, code: true, townshipId: true, villageId: true, geometry: true, minLon: true, minLat: true, maxLon: true, maxLat: true },
  });
  if (!existing.length) return;
  const visible = new Set(
    (await prisma.orchardPlot.findMany({ where: { AND: [{ id: { in: existing.map((p) => p.id) } }, plotScopeWhere(user.scope)] }, select: { id: true } })).map((p) => p.id),
  );
  const shapes = new Map<number, PlotGeometry>();
  for (const f of boxes) {
    for (const p of existing) {
      if (!bboxesIntersect(f.bbox, [p.minLon, p.minLat, p.maxLon, p.maxLat])) continue;
      let g = shapes.get(p.id);
      if (!g) shapes.set(p.id, (g = JSON.parse(p.geometry) as PlotGeometry));
      const m2 = Math.round(overlapM2(f.geometry, g));
      if (m2 <= OVERLAP_TOLERANCE_M2) continue;
      if (visible.has(p.id)) f.warnings.push({ key: "plots.warn.overlapExisting", params: { other: p.code, m2 } });
      else if (p.townshipId === village.townshipId) f.warnings.push({ key: "plots.warn.overlapHidden", params: { m2 } });
      else f.warnings.push({ key: "plots.warn.overlapOtherTownship", params: { m2 } });
    }
  }
}

/** The polygons of a township's boundary reference layers (none when no boundary is loaded). */
async function townshipBoundary(townshipId: number): Promise<PlotGeometry[]> {
  const layers = await prisma.referenceLayer.findMany({ where: { townshipId, kind: "BOUNDARY" }, select: { geometry: true } });
  return layers.flatMap((l) => polygonsOfLayer(l.geometry));
}

export type ImportMode = "all" | "valid";

/**
 * Saves the features of a preview: every one or none ("all"), or only
 * those without errors ("valid"). Each feature is checked again here, as the
 * browser could have sent anything. One transaction: a failure saves nothing.
 */
export async function saveImport(
  user: CurrentUser,
  villageId: number,
  features: unknown,
  mode: ImportMode,
  fileName: string,
): Promise<{ ok: true; saved: number; skipped: number } | { ok: false; error: Problem; invalid: number }> {
  const village = await villageInScope(user.scope, villageId);
  if (!village) notFound();
  requireCan(user, "write:plot", { townshipId: village.townshipId, villageId });
  if (!Array.isArray(features) || features.length === 0 || features.length > 5000) return { ok: false, error: { key: "plots.import.nothingToSave" }, invalid: 0 };
  const year = currentYear();
  const inputs: PlotInput[] = [];
  let invalid = 0;
  const seen = new Set<string>();
  for (const raw of features as Partial<ImportedFeature>[]) {
    const fields = (raw?.fields ?? {}) as Partial<ImportedFeature["fields"]>;
    const form = {
      code: String(fields.code ?? ""),
      name: String(fields.name ?? ""),
      crop: String(fields.crop ?? ""),
      variety: String(fields.variety ?? ""),
      status: String(fields.status ?? "PLANTED"),
      plantingYear: fields.plantingYear == null ? "" : String(fields.plantingYear),
      trees: fields.trees == null ? "" : String(fields.trees),
      declaredMu: fields.declaredMu == null ? "" : String(fields.declaredMu),
      geometry: raw?.geometry ? JSON.stringify(raw.geometry) : "",
      parcelCodes: Array.isArray(raw?.parcelCodes) ? raw.parcelCodes.map(String).join(",") : "",
    };
    const parsed = parsePlotForm(form, year);
    if (!parsed.ok || seen.has(parsed.value.code) || (raw?.errors?.length ?? 0) > 0) {
      invalid++;
      continue;
    }
    seen.add(parsed.value.code);
    inputs.push(parsed.value);
  }
  if (mode === "all" && invalid > 0) return { ok: false, error: { key: "plots.import.someInvalid", params: { count: invalid } }, invalid };
  if (inputs.length === 0) return { ok: false, error: { key: "plots.import.nothingValid" }, invalid };
  return prisma.$transaction(async (tx) => {
    const taken = await tx.orchardPlot.findMany({ where: { villageId, code: { in: inputs.map((i) => i.code) } }, select: { code: true } });
    if (taken.length) return { ok: false as const, error: { key: "plots.import.codesTaken", params: { codes: taken.map((t) => t.code).slice(0, 5).join("、") } }, invalid };
    // The parcel codes as the plot form checks them: each must be one of the village's contracted plots.
    const parcelsOf = new Map<string, number[]>();
    for (const i of inputs) {
      if (!i.parcelCodes.length) continue;
      const parcels = await checkParcels(tx, villageId, i.parcelCodes);
      if (parcels.error) return { ok: false as const, error: parcels.error, invalid };
      parcelsOf.set(i.code, parcels.ids);
    }
    await ensureVarieties(tx, inputs);
    await tx.orchardPlot.createMany({ data: inputs.map((i) => ({ ...columns(i, i.declaredMu), townshipId: village.townshipId, villageId })) });
    if (parcelsOf.size) {
      const made = await tx.orchardPlot.findMany({ where: { villageId, code: { in: [...parcelsOf.keys()] } }, select: { id: true, code: true } });
      await tx.orchardPlotParcel.createMany({ data: made.flatMap((m) => (parcelsOf.get(m.code) ?? []).map((plotId) => ({ orchardPlotId: m.id, plotId }))) });
    }
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "create",
        entity: "OrchardPlotImport",
        entityId: fileName.slice(0, 100),
        townshipId: village.townshipId,
        villageId,
        after: { file: fileName, mode, saved: inputs.length, skipped: invalid, codes: inputs.map((i) => i.code) },
      },
      tx,
    );
    overlapCache.clear();
    return { ok: true as const, saved: inputs.length, skipped: invalid };
  });
}

// ─── Export ────────────────────────────────────────────────────────────────

export async function exportPlots(scope: Scope, villageId: number): Promise<ExportPlot[]> {
  const rows = await prisma.orchardPlot.findMany({
    where: { AND: [{ villageId }, plotScopeWhere(scope)] },
    orderBy: { code: "asc" },
    select: { code: true, name: true, crop: true, variety: true, plantingYear: true, trees: true, status: true, areaMu: true, declaredMu: true, householdId: true, cooperativeId: true, geometry: true },
  });
  const [households, coops] = await Promise.all([
    prisma.household.findMany({ where: { id: { in: rows.flatMap((r) => (r.householdId ? [r.householdId] : [])) } }, select: { id: true, headName: true } }),
    prisma.cooperative.findMany({ where: { id: { in: rows.flatMap((r) => (r.cooperativeId ? [r.cooperativeId] : [])) } }, select: { id: true, name: true } }),
  ]);
  const head = new Map(households.map((h) => [h.id, h.headName]));
  const coop = new Map(coops.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    crop: r.crop as ExportPlot["crop"],
    variety: r.variety,
    plantingYear: r.plantingYear,
    trees: r.trees,
    status: r.status,
    areaMu: r.areaMu,
    declaredMu: r.declaredMu,
    household: r.householdId ? head.get(r.householdId) ?? "" : "",
    cooperative: r.cooperativeId ? coop.get(r.cooperativeId) ?? "" : "",
    geometry: JSON.parse(r.geometry) as PlotGeometry,
  }));
}

/** The plots of one village for the list under its map. */
export async function listVillagePlots(scope: Scope, villageId: number) {
  const rows = await prisma.orchardPlot.findMany({
    where: { AND: [{ villageId }, plotScopeWhere(scope)] },
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, crop: true, variety: true, status: true, areaMu: true, declaredMu: true, householdId: true, cooperativeId: true },
  });
  const [heads, coops] = await Promise.all([
    prisma.household.findMany({ where: { id: { in: rows.flatMap((r) => (r.householdId ? [r.householdId] : [])) } }, select: { id: true, headName: true } }),
    prisma.cooperative.findMany({ where: { id: { in: rows.flatMap((r) => (r.cooperativeId ? [r.cooperativeId] : [])) } }, select: { id: true, name: true } }),
  ]);
  const head = new Map(heads.map((h) => [h.id, h.headName]));
  const coop = new Map(coops.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    ...r,
    manager: (r.householdId ? head.get(r.householdId) : undefined) ?? (r.cooperativeId ? coop.get(r.cooperativeId) : undefined) ?? "",
    discrepancy: areaDiscrepancy(r.areaMu, r.declaredMu),
  }));
}

/** The village a new plot or an import goes to: the one asked for, or the only one the user keeps. */
export async function targetVillage(user: CurrentUser, asked: number | null) {
  const villages = await writableVillages(user);
  if (villages.length === 0) forbidden();
  if (asked !== null) {
    const v = villages.find((x) => x.id === asked);
    if (!v) notFound();
    return { villages, village: v };
  }
  return { villages, village: villages.length === 1 ? villages[0]! : null };
}
