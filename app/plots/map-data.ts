/**
 * The compact form in which the map resource route sends plots to the
 * browser. A township of 5,000 plots as plain GeoJSON with facts is a few
 * megabytes; here each plot is a short row and its rings are integer steps
 * from the previous vertex, so the same view is a few hundred kilobytes.
 * Facts for a popup are fetched when a plot is clicked.
 */
import type { Position } from "geojson";
import type { BBox, PlotGeometry } from "./geometry";
import { PLOT_STATUSES, type PlotStatus } from "./vocabulary";

/** Below this zoom the map asks for the simplified shapes. */
export const DETAIL_ZOOM = 16;
/**
 * From this zoom on (a village fills the screen) plots carry labels; below it
 * (a township) they have none, which keeps the township map's data small and
 * its picture readable.
 */
export const LABEL_ZOOM = 15;

/** A plot's label on the map: its name when short, else its code (a 19-digit parcel code shortened to group and parcel, 01-00012). */
export function plotLabel(code: string, name: string): string {
  if (name && name.length <= 8) return name;
  if (/^\d{19}$/.test(code)) return `${code.slice(12, 14)}-${code.slice(14)}`;
  return code.length <= 12 ? code : name || code;
}
/** 1e-5° (about 1 m) steps for the simplified shapes, 1e-6° (about 10 cm) otherwise. */
export const LOW_SCALE = 1e5;
export const FULL_SCALE = 1e6;
/** The most plots one answer carries; a wider view asks the user to zoom in. */
export const MAX_MAP_PLOTS = 20_000;

export const FLAG_OVERLAP = 1;
export const FLAG_DISCREPANCY = 2;

/** [id, colour key index, cooperative index or -1, status index, flags, polygons of rings of delta-coded integers] */
export type MapPlotRow = [number, number, number, number, number, number[][][]];

export interface MapPayload {
  scale: number;
  /** "CROP" or "CROP|variety": what the map colours by variety */
  keys: string[];
  /** the stored colour of each key (CropVariety, or the crop's base colour) */
  colours: string[];
  /** each plot's label, in row order, from LABEL_ZOOM on */
  labels?: string[];
  cooperatives: { id: number; name: string }[];
  plots: MapPlotRow[];
  truncated: boolean;
}

export function encodeGeometry(g: PlotGeometry, scale: number): number[][][] {
  // Not geometry.ts's polygonsOf: the view-only map would then load turf with it.
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  return polys.map((rings) =>
    rings.map((ring) => {
      const out: number[] = [];
      let px = 0;
      let py = 0;
      // The closing vertex repeats the first: the decoder adds it back.
      for (let i = 0; i < ring.length - 1; i++) {
        const x = Math.round(ring[i]![0]! * scale);
        const y = Math.round(ring[i]![1]! * scale);
        out.push(x - px, y - py);
        px = x;
        py = y;
      }
      return out;
    }),
  );
}

/** Polygons of closed rings of [lon, lat]. */
export function decodeGeometry(polys: number[][][], scale: number): Position[][][] {
  return polys.map((rings) =>
    rings.map((flat) => {
      const ring: Position[] = [];
      let x = 0;
      let y = 0;
      for (let i = 0; i < flat.length; i += 2) {
        x += flat[i]!;
        y += flat[i + 1]!;
        ring.push([x / scale, y / scale]);
      }
      if (ring.length) ring.push([ring[0]![0]!, ring[0]![1]!]);
      return ring;
    }),
  );
}

export function statusIndex(status: string): number {
  const i = (PLOT_STATUSES as readonly string[]).indexOf(status);
  return i < 0 ? 0 : i;
}

export function statusAt(index: number): PlotStatus {
  return PLOT_STATUSES[index] ?? "PLANTED";
}

export function colourKey(crop: string, variety: string): string {
  return variety ? `${crop}|${variety}` : crop;
}

/** Parses "west,south,east,north"; null unless four finite numbers in order. */
export function parseBBox(text: string | null): BBox | null {
  if (!text) return null;
  const parts = text.split(",").map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [w, s, e, n] = parts as BBox;
  if (w > e || s > n || w < -180 || e > 180 || s < -90 || n > 90) return null;
  return [w, s, e, n];
}

export const BASE_LAYERS = ["none", "tianditu", "tianditu-img", "osm", "amap"] as const;
export type BaseLayer = (typeof BASE_LAYERS)[number];

/** Base layers the server offers (from the environment, see plots.server.ts mapSettings). */
export interface MapSettings {
  defaultBase: BaseLayer;
  available: BaseLayer[];
  osmUrl: string;
  tiandituKey: string;
  /** 审图号 shown with Tianditu's tiles */
  tiandituApprovalNo: string;
}

/** What a plot's popup shows, as /resources/plots/$id answers it. */
export interface PlotFacts {
  id: number;
  code: string;
  name: string;
  crop: string;
  variety: string;
  status: string;
  plantingYear: number | null;
  trees: number | null;
  areaMu: string;
  declaredMu: string | null;
  villageName: string;
  household: { id: number; code: string; headName: string } | null;
  cooperative: { id: number; name: string } | null;
  contract: { id: number; draftNo: string; contractNo: string | null; transfereeName: string } | null;
  discrepancy: { percent: string; flagged: boolean } | null;
  overlaps: { id: number | null; code: string; m2: number; otherTownship?: boolean }[];
  canWrite: boolean;
}

/**
 * What an overlap says: the other plot's code when the user may see it,
 * otherwise only that it lies in another township or outside their area
 * (never whose it is).
 */
export function overlapMessage(o: { code: string; m2: number; otherTownship?: boolean }): { key: string; params: Record<string, string | number> } {
  if (o.code) return { key: "plots.flag.overlap", params: { other: o.code, m2: o.m2 } };
  return { key: o.otherTownship ? "plots.flag.overlapOtherTownship" : "plots.flag.overlapHidden", params: { m2: o.m2 } };
}

/**
 * The map data a page can ask for before Leaflet has even loaded: the whole
 * extent of its plots with a margin, at the zoom class the opening view will
 * most likely have (a township-wide extent opens below DETAIL_ZOOM). The map
 * uses it when its first view agrees, and asks again otherwise.
 */
export function openingRequest(filter: { villageId?: number; townshipId?: number }, extent: BBox | null): { url: string; bbox: BBox; low: boolean; labelled: boolean } | null {
  if (!extent) return null;
  const [w, s, e, n] = extent;
  const padLon = Math.max((e - w) * 0.3, 0.002);
  const padLat = Math.max((n - s) * 0.3, 0.002);
  const bbox: BBox = [w - padLon, s - padLat, e + padLon, n + padLat];
  // Zoom 16 shows about 0.025° of longitude and 0.01° of latitude on a desktop screen.
  const low = e - w > 0.02 || n - s > 0.008;
  // Zoom 15 (labels) shows about twice that: a village, not a township.
  const labelled = !low || (e - w <= 0.045 && n - s <= 0.018);
  const q = new URLSearchParams({ bbox: bbox.map((x) => x.toFixed(6)).join(","), zoom: !low ? "17" : labelled ? String(LABEL_ZOOM) : "14" });
  if (filter.villageId) q.set("village", String(filter.villageId));
  if (filter.townshipId) q.set("township", String(filter.townshipId));
  return { url: `/resources/plots/map?${q}`, bbox, low, labelled };
}
