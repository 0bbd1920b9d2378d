/**
 * The orchard plots' raw SQL (docs/decisions/018-data-access-layer.md): the
 * hot reads of the map and the flagged list, where Prisma's typed queries
 * cost several times as much for thousands of rows (see the bench). Each runs
 * as written on SQLite and PostgreSQL.
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { placeColumns, scopeSql } from "~/auth/scope-sql.server";
import { prisma } from "~/lib/db.server";
import type { BBox } from "./geometry";

type Num = number | bigint;

export interface PlotFilter {
  villageId?: number;
  townshipId?: number;
}

/** The scope and the page's filters as one condition on OrchardPlot `p`. */
function plotWhere(scope: Scope, f: PlotFilter): Prisma.Sql {
  return Prisma.sql`${scopeSql(scope, placeColumns("p"))}${f.villageId ? Prisma.sql` AND p."villageId" = ${f.villageId}` : Prisma.empty}${
    f.townshipId ? Prisma.sql` AND p."townshipId" = ${f.townshipId}` : Prisma.empty
  }`;
}

/**
 * What changes whenever a township's plots change (their count, the last
 * change, the last id), as one text, or the whole district's with null: the
 * overlap index is kept while it stays the same.
 */
export async function plotStamp(townshipId: number | null): Promise<string> {
  const [s] = await prisma.$queryRaw<{ n: Num; u: string | Date | null; m: Num | null }[]>(
    Prisma.sql`SELECT COUNT(*) AS n, MAX(p."updatedAt") AS u, MAX(p."id") AS m FROM "OrchardPlot" p WHERE ${townshipId === null ? Prisma.sql`TRUE` : Prisma.sql`p."townshipId" = ${townshipId}`}`,
  );
  // updatedAt: Prisma's own text on SQLite, a timestamp (a Date) on PostgreSQL
  const u = s?.u instanceof Date ? s.u.toISOString() : (s?.u ?? null);
  return `${Number(s?.n ?? 0)}|${u}|${s?.m == null ? null : Number(s.m)}`;
}

export interface FlagCandidate {
  id: number;
  code: string;
  name: string;
  areaMu: string;
  declaredMu: string | null;
  villageId: number;
}

/**
 * Plots inside the scope that may be flagged: those in `overlapIds`, and
 * those whose measured area is off their contract area by more than a loose
 * float bound (4.9 %), in no particular order. Callers apply the exact 5 %
 * rule in Decimal (areas are never judged in floats) and sort.
 */
export async function flagCandidates(scope: Scope, f: PlotFilter, overlapIds: readonly number[]): Promise<FlagCandidate[]> {
  const rows = await prisma.$queryRaw<(Omit<FlagCandidate, "id" | "villageId"> & { id: Num; villageId: Num })[]>(
    Prisma.sql`SELECT p."id", p."code", p."name", p."areaMu", p."declaredMu", p."villageId" FROM "OrchardPlot" p
      WHERE p."status" <> 'REMOVED' AND ${plotWhere(scope, f)}
        AND ((p."declaredMu" IS NOT NULL
          AND ABS(CAST(p."areaMu" AS DOUBLE PRECISION) - CAST(p."declaredMu" AS DOUBLE PRECISION)) > 0.049 * CAST(p."declaredMu" AS DOUBLE PRECISION))${
            overlapIds.length ? Prisma.sql` OR p."id" IN (${Prisma.join(overlapIds)})` : Prisma.empty
          })`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), villageId: Number(r.villageId) }));
}

/** The extent of the plots inside the scope and filters; null when there are none. */
export async function plotExtentOf(scope: Scope, f: PlotFilter): Promise<BBox | null> {
  const [r] = await prisma.$queryRaw<{ w: number | null; s: number | null; e: number | null; n: number | null }[]>(
    Prisma.sql`SELECT MIN(p."minLon") AS w, MIN(p."minLat") AS s, MAX(p."maxLon") AS e, MAX(p."maxLat") AS n FROM "OrchardPlot" p WHERE ${plotWhere(scope, f)}`,
  );
  if (r?.w == null || r.s == null || r.e == null || r.n == null) return null;
  return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)];
}

export interface BoxPlot {
  id: number;
  townshipId: number;
  crop: string;
  variety: string;
  cooperativeId: number | null;
  status: string;
  areaMu: string;
  declaredMu: string | null;
  /** the GeoJSON geometry, simplified when asked for and stored */
  shape: string;
  /** code and name, only when asked for (labels) */
  code?: string;
  name?: string;
}

/**
 * Plots inside the scope and filters whose boxes meet `bbox`, at most
 * `limit`, in no particular order: the map draws them all, and ordering
 * them would cost the planner its box index on a large township.
 */
export async function plotsInBox(scope: Scope, f: PlotFilter, bbox: BBox, low: boolean, limit: number, labels = false): Promise<BoxPlot[]> {
  const [w, s, e, n] = bbox;
  const rows = await prisma.$queryRaw<(Omit<BoxPlot, "id" | "townshipId" | "cooperativeId"> & { id: Num; townshipId: Num; cooperativeId: Num | null })[]>(
    Prisma.sql`SELECT p."id", p."townshipId", p."crop", p."variety", p."cooperativeId", p."status", p."areaMu", p."declaredMu",${labels ? Prisma.sql` p."code", p."name",` : Prisma.empty}
        ${low ? Prisma.sql`COALESCE(p."geometryLow", p."geometry")` : Prisma.sql`p."geometry"`} AS shape
      FROM "OrchardPlot" p
      WHERE p."minLon" <= ${e} AND p."maxLon" >= ${w} AND p."minLat" <= ${n} AND p."maxLat" >= ${s} AND ${plotWhere(scope, f)}
      LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), townshipId: Number(r.townshipId), cooperativeId: r.cooperativeId == null ? null : Number(r.cooperativeId) }));
}
