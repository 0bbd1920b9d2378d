/**
 * Reference layers (参考图层): village boundaries, roads and the like that an
 * administrator loads from a GeoJSON or zipped Shapefile, drawn under the
 * plots with no tiles at all, so that a map without a base layer still
 * shows where things are.
 *
 * Pure: turns a file's features (already in WGS-84, see import.ts
 * readFeatures) into the stored FeatureCollection — polygons, lines and
 * points only, coordinates to 6 decimals (about 10 cm), one short name per
 * feature and nothing else of the file's attributes.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from "geojson";
import type { BBox, PlotGeometry, Problem } from "./geometry";

export const LAYER_KINDS = ["BOUNDARY", "ROAD", "OTHER"] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];
export const MAX_LAYER_FEATURES = 20_000;
export const MAX_LAYER_VERTICES = 1_000_000;
export const MAX_LAYER_NAME = 40;

const NAME_KEYS = ["name", "名称", "mc", "cunming", "村名", "xzqmc", "dlmc", "label"];

const TYPES = new Set(["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]);

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function clean(coords: unknown, depth: number, count: { n: number; bad: boolean }, box: BBox): unknown {
  if (!Array.isArray(coords)) {
    count.bad = true;
    return [];
  }
  if (depth === 0) {
    const [x, y] = coords as number[];
    if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y) || x < 73 || x > 136 || y < 3 || y > 54) {
      count.bad = true;
      return [0, 0];
    }
    count.n++;
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
    return [round6(x), round6(y)];
  }
  return coords.map((c) => clean(c, depth - 1, count, box));
}

const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

export type LayerResult = { ok: true; collection: FeatureCollection; bbox: BBox; featureCount: number } | { ok: false; error: Problem };

/** The stored form of a layer from a file's features; refuses files with nothing usable, coordinates outside China, or too much. */
export function layerFromFeatures(raw: readonly { geometry: unknown; properties: Record<string, unknown> }[]): LayerResult {
  if (raw.length === 0) return { ok: false, error: { key: "plots.layers.empty" } };
  if (raw.length > MAX_LAYER_FEATURES) return { ok: false, error: { key: "plots.layers.tooManyFeatures", params: { count: raw.length, max: MAX_LAYER_FEATURES } } };
  const box: BBox = [180, 90, -180, -90];
  const count = { n: 0, bad: false };
  const features: Feature[] = [];
  for (const f of raw) {
    const g = f.geometry as { type?: string; coordinates?: unknown } | null;
    if (!g || !g.type || !TYPES.has(g.type)) continue;
    const coordinates = clean(g.coordinates, DEPTH[g.type]!, count, box);
    if (count.bad) return { ok: false, error: { key: "plots.layers.outsideChina" } };
    const nameKey = Object.keys(f.properties).find((k) => NAME_KEYS.includes(k.trim().toLowerCase()));
    const name = nameKey ? String(f.properties[nameKey] ?? "").trim().slice(0, MAX_LAYER_NAME) : "";
    features.push({ type: "Feature", geometry: { type: g.type, coordinates } as Geometry, properties: name ? { name } : {} });
  }
  if (count.n > MAX_LAYER_VERTICES) return { ok: false, error: { key: "plots.layers.tooLarge", params: { max: MAX_LAYER_VERTICES } } };
  if (features.length === 0) return { ok: false, error: { key: "plots.layers.noGeometry" } };
  return { ok: true, collection: { type: "FeatureCollection", features }, bbox: box, featureCount: features.length };
}

/** The polygons of a stored layer (a FeatureCollection as JSON text), for "inside the township" checks. */
export function polygonsOfLayer(json: string): PlotGeometry[] {
  let fc: FeatureCollection;
  try {
    fc = JSON.parse(json) as FeatureCollection;
  } catch {
    return [];
  }
  return (fc.features ?? []).flatMap((f): PlotGeometry[] => {
    const g = f.geometry;
    if (g?.type === "Polygon") return [g as Polygon];
    if (g?.type === "MultiPolygon") return [g as MultiPolygon];
    // A boundary drawn as a closed line is an area too.
    if (g?.type === "LineString" && closed(g.coordinates)) return [{ type: "Polygon", coordinates: [g.coordinates] } as Polygon];
    return [];
  });
}

function closed(ring: Position[]): boolean {
  const a = ring[0];
  const b = ring[ring.length - 1];
  return ring.length >= 4 && !!a && !!b && a[0] === b[0] && a[1] === b[1];
}

/** Line colour and width of each kind, the same on every map. */
export const LAYER_STYLE: Record<LayerKind, { color: string; weight: number; dashArray?: string; fillOpacity: number }> = {
  BOUNDARY: { color: "#6d4c41", weight: 2, dashArray: "8 4 2 4", fillOpacity: 0 },
  ROAD: { color: "#9e9e9e", weight: 3, fillOpacity: 0 },
  OTHER: { color: "#5c6bc0", weight: 1.5, fillOpacity: 0.08 },
};
