/**
 * Reference layers in the database: an administrator loads, lists and
 * deletes them (manage:reference-layer); every map user reads those of the
 * township they look at, plus the district's own (townshipId null).
 */
import type { FeatureCollection } from "geojson";
import { recordAudit } from "~/auth/audit.server";
import { hasPermission, type Scope } from "~/auth/permissions";
import { requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/http";
import type { Problem } from "./geometry";
import { readFeatures } from "./import";
import { LAYER_KINDS, layerFromFeatures, MAX_LAYER_NAME, type LayerKind } from "./reference-layers";

/** A district-wide layer needs a district-wide administrator; a township's, one whose scope holds it. */
function requireLayerAccess(user: CurrentUser, townshipId: number | null) {
  if (townshipId === null) {
    if (!hasPermission(user.role, "manage:reference-layer") || user.scope.kind !== "all") forbidden();
  } else requireCan(user, "manage:reference-layer", { townshipId });
}

/** The townships whose layers an administrator may manage: all of them, or their own. */
export async function layerTownships(scope: Scope) {
  return prisma.township.findMany({
    where: scope.kind === "all" ? {} : { id: scope.townshipId },
    orderBy: { code: "asc" },
    select: { id: true, name: true },
  });
}

export async function listLayers(scope: Scope) {
  const rows = await prisma.referenceLayer.findMany({
    where: scope.kind === "all" ? {} : { townshipId: scope.townshipId },
    orderBy: [{ townshipId: "asc" }, { id: "asc" }],
    select: { id: true, townshipId: true, name: true, kind: true, featureCount: true, createdAt: true },
  });
  const townships = await prisma.township.findMany({ where: { id: { in: rows.flatMap((r) => (r.townshipId ? [r.townshipId] : [])) } }, select: { id: true, name: true } });
  const nameOf = new Map(townships.map((t) => [t.id, t.name]));
  return rows.map((r) => ({ ...r, townshipName: r.townshipId ? (nameOf.get(r.townshipId) ?? "") : null }));
}

export interface LayerUpload {
  name: string;
  kind: string;
  /** null: the whole district */
  townshipId: number | null;
  fileName: string;
  bytes: Uint8Array;
}

export type LayerFieldErrors = Partial<Record<"name" | "kind" | "townshipId" | "file", Problem>>;

/** Reads the file and stores the layer; field errors for the form otherwise. */
export async function createLayer(user: CurrentUser, upload: LayerUpload): Promise<{ ok: true; id: number; name: string; featureCount: number } | { ok: false; errors: LayerFieldErrors }> {
  requireLayerAccess(user, upload.townshipId);
  const errors: LayerFieldErrors = {};
  const name = upload.name.trim();
  if (!name) errors.name = { key: "plots.layers.nameRequired" };
  else if (name.length > MAX_LAYER_NAME) errors.name = { key: "plots.layers.nameTooLong", params: { max: MAX_LAYER_NAME } };
  if (!(LAYER_KINDS as readonly string[]).includes(upload.kind)) errors.kind = { key: "plots.layers.kindRequired" };
  if (upload.townshipId !== null && !(await prisma.township.findUnique({ where: { id: upload.townshipId }, select: { id: true } }))) {
    errors.townshipId = { key: "plots.layers.townshipUnknown" };
  }
  if (upload.bytes.length === 0) errors.file = { key: "plots.import.noFile" };
  if (Object.keys(errors).length) return { ok: false, errors };
  const read = await readFeatures(upload.fileName, upload.bytes);
  if (!read.ok) return { ok: false, errors: { file: read.error } };
  const layer = layerFromFeatures(read.features);
  if (!layer.ok) return { ok: false, errors: { file: layer.error } };
  const [w, s, e, n] = layer.bbox;
  return prisma.$transaction(async (tx) => {
    const row = await tx.referenceLayer.create({
      data: {
        townshipId: upload.townshipId,
        name,
        kind: upload.kind as LayerKind,
        geometry: JSON.stringify(layer.collection),
        featureCount: layer.featureCount,
        minLon: w,
        minLat: s,
        maxLon: e,
        maxLat: n,
        createdById: user.id,
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "create",
        entity: "ReferenceLayer",
        entityId: row.id,
        townshipId: upload.townshipId,
        after: { name, kind: upload.kind, townshipId: upload.townshipId, file: upload.fileName.slice(0, 100), featureCount: layer.featureCount },
      },
      tx,
    );
    return { ok: true as const, id: row.id, name, featureCount: layer.featureCount };
  });
}

/** Deletes a layer, keeping the reason in the audit trail. */
export async function deleteLayer(user: CurrentUser, id: number, reason: string): Promise<{ name: string }> {
  return prisma.$transaction(async (tx) => {
    const layer = await tx.referenceLayer.findUnique({ where: { id }, select: { id: true, townshipId: true, name: true, kind: true, featureCount: true } });
    if (!layer) notFound();
    if (layer.townshipId !== null && user.scope.kind !== "all" && user.scope.townshipId !== layer.townshipId) notFound();
    requireLayerAccess(user, layer.townshipId);
    await tx.referenceLayer.delete({ where: { id } });
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "delete",
        entity: "ReferenceLayer",
        entityId: id,
        townshipId: layer.townshipId,
        before: { name: layer.name, kind: layer.kind, townshipId: layer.townshipId, featureCount: layer.featureCount },
        after: { reason },
      },
      tx,
    );
    return { name: layer.name };
  });
}

export interface MapLayer {
  id: number;
  name: string;
  kind: LayerKind;
  collection: FeatureCollection;
}

/**
 * The layers a map of this township (or village) draws: the township's own
 * and the district's. A township outside the user's scope has none for them.
 */
export async function layersForMap(scope: Scope, filter: { townshipId?: number; villageId?: number }): Promise<MapLayer[]> {
  let townshipId = filter.townshipId ?? null;
  if (filter.villageId) townshipId = (await prisma.village.findUnique({ where: { id: filter.villageId }, select: { townshipId: true } }))?.townshipId ?? null;
  if (townshipId === null && scope.kind !== "all") townshipId = scope.townshipId;
  if (townshipId !== null && scope.kind !== "all" && scope.townshipId !== townshipId) return [];
  const rows = await prisma.referenceLayer.findMany({
    where: townshipId === null ? {} : { OR: [{ townshipId }, { townshipId: null }] },
    orderBy: { id: "asc" },
    select: { id: true, name: true, kind: true, geometry: true },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as LayerKind, collection: JSON.parse(r.geometry) as FeatureCollection }));
}
