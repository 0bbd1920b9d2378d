/**
 * Where imported plots lie compared with what the village and the township
 * already have: a plot more than 2 km from every other plot of its village,
 * or outside its township, is most likely in the wrong coordinate system or
 * the wrong village's file, and the preview says so before anything is saved.
 *
 * Pure. Distances are geodesic in effect: each pair is measured in a local
 * plane tangent at the pair's latitude (metres on the WGS-84 ellipsoid's
 * radii of curvature), which differs from the ellipsoidal distance by well
 * under 0.1 % at the few tens of kilometres that matter here.
 */
import type { Position } from "geojson";
import type { BBox, PlotGeometry, Problem } from "./geometry";

/** Farther than this from every other plot of the village is suspicious. */
export const FAR_FROM_VILLAGE_M = 2000;
/** How far beyond the township's existing plots a plot may lie when no boundary is loaded. */
export const TOWNSHIP_MARGIN_M = 2000;

const A = 6378137;
const E2 = 0.00669437999014;
const RAD = Math.PI / 180;

/** Metres per degree of longitude and latitude at a latitude (WGS-84 ellipsoid). */
export function metresPerDegree(lat: number): [number, number] {
  const s = Math.sin(lat * RAD);
  const w = Math.sqrt(1 - E2 * s * s);
  const n = A / w; // prime vertical radius
  const m = (A * (1 - E2)) / (w * w * w); // meridian radius
  return [n * Math.cos(lat * RAD) * RAD, m * RAD];
}

const polygons = (g: PlotGeometry): Position[][][] => (g.type === "Polygon" ? [g.coordinates] : g.coordinates);

type P = [number, number];

function segmentDistance(p: P, a: P, b: P): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function segmentsCross(a: P, b: P, c: P, d: P): boolean {
  const o = (p: P, q: P, r: P) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) !== o(a, b, d) && o(c, d, a) !== o(c, d, b);
}

function inRing(p: P, ring: P[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Inside a polygon (outer ring, not in a hole) of the geometry; points as [lon, lat]. */
export function pointInGeometry(p: readonly [number, number], g: PlotGeometry): boolean {
  return polygons(g).some((rings) => inRing(p as P, rings[0] as P[]) && !rings.slice(1).some((h) => inRing(p as P, h as P[])));
}

/** The shortest distance between two plots in metres; 0 when they touch, cross or one holds the other. */
export function plotDistanceM(a: PlotGeometry, b: PlotGeometry): number {
  const ringsA = polygons(a).flat();
  const ringsB = polygons(b).flat();
  const lat0 = (ringsA[0]![0]![1]! + ringsB[0]![0]![1]!) / 2;
  const lon0 = ringsA[0]![0]![0]!;
  const [kx, ky] = metresPerDegree(lat0);
  const local = (rings: Position[][]): P[][] => rings.map((r) => r.map((q) => [(q[0]! - lon0) * kx, (q[1]! - lat0) * ky] as P));
  const la = local(ringsA);
  const lb = local(ringsB);
  const inside = (p: P, rings: P[][]) => inRing(p, rings[0]!);
  if (inside(la[0]![0]!, lb) || inside(lb[0]![0]!, la)) return 0;
  let best = Infinity;
  for (const ra of la) {
    for (const rb of lb) {
      for (let i = 0; i + 1 < ra.length; i++) {
        for (let j = 0; j + 1 < rb.length; j++) {
          if (segmentsCross(ra[i]!, ra[i + 1]!, rb[j]!, rb[j + 1]!)) return 0;
          best = Math.min(best, segmentDistance(ra[i]!, rb[j]!, rb[j + 1]!), segmentDistance(rb[j]!, ra[i]!, ra[i + 1]!));
        }
      }
    }
  }
  return best;
}

/** A lower bound of the distance between two boxes in metres (0 when they meet). */
export function bboxDistanceM(a: BBox, b: BBox): number {
  const [kx, ky] = metresPerDegree(Math.max(Math.abs(a[1]), Math.abs(b[1]), Math.abs(a[3]), Math.abs(b[3])));
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]) * kx;
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]) * ky;
  return Math.hypot(dx, dy);
}

/** A box grown by `m` metres on every side. */
export function growBBox(b: BBox, m: number): BBox {
  const [kx, ky] = metresPerDegree(Math.max(Math.abs(b[1]), Math.abs(b[3])));
  return [b[0] - m / kx, b[1] - m / ky, b[2] + m / kx, b[3] + m / ky];
}

export interface Placed {
  geometry: PlotGeometry;
  bbox: BBox;
}

/** The distance from a plot to the nearest of `others` in metres, or null when there are none. */
export function nearestDistanceM(plot: Placed, others: readonly Placed[]): number | null {
  if (others.length === 0) return null;
  // Exact distances only for plots whose boxes could beat the best so far.
  const order = others.map((o) => ({ o, bound: bboxDistanceM(plot.bbox, o.bbox) })).sort((x, y) => x.bound - y.bound);
  let best = Infinity;
  for (const { o, bound } of order) {
    if (bound >= best) break;
    best = Math.min(best, plotDistanceM(plot.geometry, o.geometry));
    if (best === 0) break;
  }
  return best;
}

/** The middle of a plot's outer rings' vertices: inside for any plot shaped like a field. */
export function centreOf(g: PlotGeometry): [number, number] {
  let x = 0;
  let y = 0;
  let n = 0;
  for (const rings of polygons(g)) {
    const ring = rings[0]!;
    for (let i = 0; i + 1 < ring.length; i++) {
      x += ring[i]![0]!;
      y += ring[i]![1]!;
      n++;
    }
  }
  return [x / n, y / n];
}

export interface PlaceContext {
  /** the village's plots already saved (removed orchards included: they still mark where the village is) */
  villagePlots: readonly Placed[];
  /** polygons of the township's boundary reference layers; empty when none is loaded */
  townshipBoundary: readonly PlotGeometry[];
  /** the extent of the township's saved plots, used when no boundary is loaded */
  townshipExtent: BBox | null;
}

/**
 * The place warnings of each plot: far from the village's other plots, and
 * outside the township (its boundary when loaded, else its plots' extent
 * grown by 2 km). Nothing to compare with, nothing to say.
 */
export function placeWarnings(plots: readonly Placed[], ctx: PlaceContext): Problem[][] {
  const grown = ctx.townshipExtent ? growBBox(ctx.townshipExtent, TOWNSHIP_MARGIN_M) : null;
  return plots.map((p) => {
    const out: Problem[] = [];
    const d = nearestDistanceM(p, ctx.villagePlots);
    if (d !== null && d > FAR_FROM_VILLAGE_M) out.push({ key: "plots.warn.farFromVillage", params: { km: (d / 1000).toFixed(1) } });
    const c = centreOf(p.geometry);
    if (ctx.townshipBoundary.length) {
      if (!ctx.townshipBoundary.some((b) => pointInGeometry(c, b))) out.push({ key: "plots.warn.outsideTownshipBoundary" });
    } else if (grown && !(c[0] >= grown[0] && c[0] <= grown[2] && c[1] >= grown[1] && c[1] <= grown[3])) {
      out.push({ key: "plots.warn.outsideTownshipExtent" });
    }
    return out;
  });
}
