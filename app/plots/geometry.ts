/**
 * Orchard plot geometry (果园地块): checks, geodesic area in mu, overlaps,
 * simplification for low zoom, and the GCJ-02 shift of AMap tiles.
 *
 * Pure: no Prisma, Remix or Node APIs, so the browser uses the same rules
 * while drawing as the server does when it saves. Geometry is stored as
 * GeoJSON in WGS-84 (CGCS2000 is the same for our purposes); GCJ-02 exists
 * only on the screen of a map with AMap tiles.
 */
import turfArea from "@turf/area";
import { feature, featureCollection } from "@turf/helpers";
import turfIntersect from "@turf/intersect";
import kinks from "@turf/kinks";
import turfSimplify from "@turf/simplify";
import type { MultiPolygon, Polygon, Position } from "geojson";
import { Decimal } from "~/lib/money";

export type PlotGeometry = Polygon | MultiPolygon;
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

/** 1 mu = 2000/3 m², exactly (DOMAIN.md §4). */
export const M2_PER_MU = 2000 / 3;

// Sanity limits rather than rules: a fruit plot smaller than a courtyard or
// larger than a whole village's farmland is a drawing or unit mistake.
export const MIN_PLOT_MU = "0.1";
export const MAX_PLOT_MU = "5000";

/**
 * Shared area above which two plots are said to overlap. Neighbours drawn
 * by hand along a shared field path disagree by a few centimetres; 10 m² is
 * a 100 m boundary off by 10 cm, far below the 476 m² of a real double claim.
 */
export const OVERLAP_TOLERANCE_M2 = 10;

/** A plot whose measured area differs from the contract area by more than this share is flagged. */
export const DISCREPANCY_LIMIT = "0.05";

// Mainland China with Hainan; the islands further south grow no orchards
// that this ledger keeps.
const CHINA: BBox = [73.4, 18.1, 135.1, 53.6];

// 1e-7° is about 1 cm: finer digits are noise from GPS or projection.
const STORE_DIGITS = 7;
// 1e-5° is about 1 m, below a pixel at the zooms that use the simplified shape.
const LOW_DIGITS = 5;

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function mToMu(m2: number): Decimal {
  return new Decimal(m2).times(3).dividedBy(2000);
}

/** Geodesic area in m² (spherical excess on the WGS-84 mean radius; at 35°N within 0.01% of the ellipsoid). */
export function areaM2(g: PlotGeometry): number {
  return turfArea(g);
}

/** Area in mu with 2 decimals, as stored and shown. */
export function areaMu(g: PlotGeometry): string {
  return mToMu(areaM2(g)).toFixed(2);
}

export function bboxOf(g: PlotGeometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const poly of polygonsOf(g)) {
    for (const [lon, lat] of poly[0]!) {
      if (lon! < minLon) minLon = lon!;
      if (lon! > maxLon) maxLon = lon!;
      if (lat! < minLat) minLat = lat!;
      if (lat! > maxLat) maxLat = lat!;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

export function bboxesIntersect(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function polygonsOf(g: PlotGeometry): Position[][][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

function fromPolygons(polys: Position[][][]): PlotGeometry {
  return polys.length === 1 ? { type: "Polygon", coordinates: polys[0]! } : { type: "MultiPolygon", coordinates: polys };
}

/** Twice the signed planar area; positive when counter-clockwise. */
function ringOrientation(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s;
}

const inChina = (lon: number, lat: number) => lon >= CHINA[0] && lon <= CHINA[2] && lat >= CHINA[1] && lat <= CHINA[3];

export type NormalizeResult =
  | { ok: true; geometry: PlotGeometry; areaM2: number; areaMu: string; bbox: BBox }
  | { ok: false; problems: Problem[] };

/**
 * Checks a geometry from a form, a drawing or a file and returns it in the
 * stored form: Polygon or MultiPolygon, rings closed and without repeated
 * points, outer rings counter-clockwise (RFC 7946), 7 decimals. Refuses
 * what would make a wrong area: self-intersections, rings of fewer than 3
 * distinct points, coordinates outside China (with a hint when latitude and
 * longitude are swapped or the numbers are projected metres), absurd areas.
 */
export function normalizeGeometry(input: unknown): NormalizeResult {
  const g = input as { type?: unknown; coordinates?: unknown; geometry?: unknown } | null;
  if (g && typeof g === "object" && g.type === "Feature") return normalizeGeometry(g.geometry);
  if (!g || typeof g !== "object" || (g.type !== "Polygon" && g.type !== "MultiPolygon")) {
    return { ok: false, problems: [{ key: "plots.geometry.notPolygon", params: { type: typeof g?.type === "string" ? g.type : "-" } }] };
  }
  const rawPolys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(rawPolys) || rawPolys.length === 0) return { ok: false, problems: [{ key: "plots.geometry.empty" }] };

  const problems: Problem[] = [];
  const polys: Position[][][] = [];
  let outside: { lon: number; lat: number } | null = null;
  for (const rawPoly of rawPolys) {
    if (!Array.isArray(rawPoly) || rawPoly.length === 0) return { ok: false, problems: [{ key: "plots.geometry.empty" }] };
    const rings: Position[][] = [];
    for (const rawRing of rawPoly as unknown[]) {
      if (!Array.isArray(rawRing)) return { ok: false, problems: [{ key: "plots.geometry.malformed" }] };
      const ring: Position[] = [];
      for (const p of rawRing as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          return { ok: false, problems: [{ key: "plots.geometry.malformed" }] };
        }
        const pos: Position = [round(p[0] as number, STORE_DIGITS), round(p[1] as number, STORE_DIGITS)];
        if (!outside && !inChina(pos[0]!, pos[1]!)) outside = { lon: pos[0]!, lat: pos[1]! };
        const last = ring[ring.length - 1];
        if (!last || last[0] !== pos[0] || last[1] !== pos[1]) ring.push(pos);
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0]!, first[1]!]);
      const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
      if (distinct < 3) {
        problems.push({ key: "plots.geometry.tooFewPoints", params: { count: distinct } });
        continue;
      }
      rings.push(ring);
    }
    if (rings.length) polys.push(rings);
  }
  if (outside) {
    const { lon, lat } = outside;
    if (inChina(lat, lon)) problems.push({ key: "plots.geometry.swapped", params: { lon, lat } });
    else if (Math.abs(lon) > 180 || Math.abs(lat) > 90) problems.push({ key: "plots.geometry.projected", params: { lon, lat } });
    else problems.push({ key: "plots.geometry.outsideChina", params: { lon, lat } });
  }
  if (problems.length) return { ok: false, problems };
  if (polys.length === 0) return { ok: false, problems: [{ key: "plots.geometry.empty" }] };

  // RFC 7946 winding: outer rings counter-clockwise, holes clockwise.
  for (const rings of polys) {
    rings.forEach((ring, i) => {
      const ccw = ringOrientation(ring) > 0;
      if ((i === 0) !== ccw) ring.reverse();
    });
  }
  for (const rings of polys) {
    if (kinks({ type: "Polygon", coordinates: rings }).features.length > 0) {
      return { ok: false, problems: [{ key: "plots.geometry.selfIntersection" }] };
    }
  }
  // The parts of a MultiPolygon must not cover each other, or the area counts twice.
  for (let i = 0; i < polys.length; i++) {
    for (let j = i + 1; j < polys.length; j++) {
      const a: Polygon = { type: "Polygon", coordinates: polys[i]! };
      const b: Polygon = { type: "Polygon", coordinates: polys[j]! };
      if (bboxesIntersect(bboxOf(a), bboxOf(b)) && overlapM2(a, b) > OVERLAP_TOLERANCE_M2) {
        return { ok: false, problems: [{ key: "plots.geometry.partsOverlap" }] };
      }
    }
  }
  const geometry = fromPolygons(polys);
  const m2 = areaM2(geometry);
  const mu = mToMu(m2);
  if (mu.lessThan(MIN_PLOT_MU)) return { ok: false, problems: [{ key: "plots.geometry.tooSmall", params: { area: mu.toFixed(2), min: MIN_PLOT_MU } }] };
  if (mu.greaterThan(MAX_PLOT_MU)) return { ok: false, problems: [{ key: "plots.geometry.tooLarge", params: { area: mu.toFixed(0), max: MAX_PLOT_MU } }] };
  return { ok: true, geometry, areaM2: m2, areaMu: mu.toFixed(2), bbox: bboxOf(geometry) };
}

/** The area two plots share, in m²; 0 when they only touch. */
export function overlapM2(a: PlotGeometry, b: PlotGeometry): number {
  try {
    const shared = turfIntersect(featureCollection([feature(a), feature(b)]));
    return shared ? turfArea(shared) : 0;
  } catch {
    // The clipping library refuses some degenerate inputs (collinear slivers);
    // those share no area worth a flag, and one bad plot must not stop the check for all.
    return 0;
  }
}

export interface OverlapPair {
  a: number;
  b: number;
  m2: number;
}

/**
 * Every pair of plots sharing more than the tolerance. A sweep over the
 * bounding boxes keeps this near linear for thousands of plots that mostly
 * lie side by side; only pairs whose boxes meet are clipped.
 */
export function findOverlaps(plots: readonly { id: number; geometry: PlotGeometry; bbox: BBox }[], toleranceM2 = OVERLAP_TOLERANCE_M2): OverlapPair[] {
  const sorted = [...plots].sort((x, y) => x.bbox[0] - y.bbox[0]);
  const pairs: OverlapPair[] = [];
  const active: typeof sorted = [];
  for (const p of sorted) {
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.bbox[2] < p.bbox[0]) active.splice(i, 1);
    for (const q of active) {
      if (!bboxesIntersect(p.bbox, q.bbox)) continue;
      const m2 = overlapM2(p.geometry, q.geometry);
      if (m2 > toleranceM2) pairs.push(p.id < q.id ? { a: p.id, b: q.id, m2 } : { a: q.id, b: p.id, m2 });
    }
    active.push(p);
  }
  return pairs.sort((x, y) => x.a - y.a || x.b - y.b);
}

export interface Discrepancy {
  /** (measured − declared) / declared in percent, 1 decimal, signed */
  percent: string;
  flagged: boolean;
}

/** Measured against contract area: flagged beyond 5% either way; null when there is no contract area to compare. */
export function areaDiscrepancy(measuredMu: string, declaredMu: string | null | undefined): Discrepancy | null {
  if (!declaredMu) return null;
  const declared = new Decimal(declaredMu);
  if (declared.isZero()) return null;
  const share = new Decimal(measuredMu).minus(declared).dividedBy(declared);
  return { percent: share.times(100).toFixed(1), flagged: share.abs().greaterThan(DISCREPANCY_LIMIT) };
}

/**
 * The shape drawn at low zoom: Douglas–Peucker at about a metre, then 5
 * decimals. A ring that would collapse keeps its full shape, so a small
 * plot never disappears from the township map.
 */
export function simplifyForLowZoom(g: PlotGeometry): PlotGeometry {
  let simple: PlotGeometry;
  try {
    simple = turfSimplify(g, { tolerance: 0.00001, highQuality: false, mutate: false }) as PlotGeometry;
  } catch {
    simple = g;
  }
  const full = polygonsOf(g);
  const polys = polygonsOf(simple).map((rings, i) =>
    rings.map((ring, j) => {
      const out: Position[] = [];
      for (const p of ring) {
        const q: Position = [round(p[0]!, LOW_DIGITS), round(p[1]!, LOW_DIGITS)];
        const last = out[out.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      return out.length >= 4 ? out : full[i]![j]!.map((p) => [p[0]!, p[1]!]);
    }),
  );
  return fromPolygons(polys);
}

// GCJ-02 conversions live in gcj.ts so that the view-only map can load them without turf.
export { gcjToWgs, gcjToWgsPoint, wgsToGcj, wgsToGcjPoint } from "./gcj";

/** Distance in metres between two WGS-84 points (haversine; enough for checking metre-level shifts). */
export function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
