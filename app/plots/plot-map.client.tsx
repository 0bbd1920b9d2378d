/**
 * The orchard plot map (Leaflet via react-leaflet), browser only: Leaflet
 * touches `window` when imported, so routes load this module lazily after
 * hydration (see map-slot.tsx).
 *
 * Plots come from /resources/plots/map for the visible area (simplified
 * shapes at low zoom) and are painted on one canvas (plot-canvas.client.ts),
 * which keeps a township of thousands of plots fast. The map needs no tiles:
 * the base layer is a setting and may be none. Over AMap tiles (GCJ-02)
 * every shape is shifted for display only.
 */
import L from "leaflet";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "@remix-run/react";
import { MapContainer, ScaleControl, TileLayer, useMap } from "react-leaflet";
import { useT } from "~/i18n/use-t";
import type { Translate } from "~/lib/i18n";
import { cooperativeColour, cropColour, DISCREPANCY_OUTLINE, NO_COOP_COLOUR, OUTLINE, OVERLAP_OUTLINE, STATUS_COLOURS } from "./colours";
import { LAYER_STYLE, type LayerKind } from "./reference-layers";
import { gcjToWgsPoint, wgsToGcjPoint } from "./gcj";
import { decodePayload } from "./map-decode";
import { PlotCanvas, type CanvasPlot, type CanvasStyle } from "./plot-canvas.client";
import type { BBox, PlotGeometry } from "./geometry";
import {
  DETAIL_ZOOM,
  LABEL_ZOOM,
  FLAG_DISCREPANCY,
  FLAG_OVERLAP,
  overlapMessage,
  statusAt,
  type BaseLayer,
  type MapPayload,
  type MapPlotRow,
  type MapSettings,
  type PlotFacts,
} from "./map-data";
import { PLOT_STATUSES } from "./vocabulary";

export type ColourBy = "variety" | "cooperative" | "status";
const COLOUR_BY: ColourBy[] = ["variety", "cooperative", "status"];

// Mudan District, for a map that has no plots to open on yet.
const DISTRICT_CENTRE: [number, number] = [35.25, 115.45];

export interface PlotMapProps {
  settings: MapSettings;
  filter: { villageId?: number; townshipId?: number };
  extent: BBox | null;
  /** a plot to highlight and open when the map has loaded */
  focusId?: number | null;
  /** contracted plots (承包地块) drawn as dashed outlines */
  outlines?: { parcelCode: string; geometry: PlotGeometry }[];
  height?: string;
  /** tools drawn inside the map; told whether shapes are shown in GCJ-02 */
  children?: (ctx: { gcj: boolean }) => ReactNode;
  toolbar?: ReactNode;
  /** context plots may be snapped to but never edited by the drawing tools */
  context?: boolean;
  /** a plot left out of the context layer: the one being edited */
  hideId?: number;
  /** the data request the page started for the opening view (map-data.ts openingRequest), with its answer when already asked */
  opening?: { url: string; bbox: BBox; low: boolean; labelled: boolean; data?: Promise<MapPayload | null> } | null;
  /** open the focused plot's popup (default) or only outline it */
  focusPopup?: boolean;
  legendOpen?: boolean;
  /** the plots of a file being imported, drawn over the saved ones */
  preview?: PreviewPlot[];
}

function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const v = window.localStorage.getItem(key) as T | null;
    return v && allowed.includes(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function remember(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // private windows refuse storage; the choice then lasts for the page only
  }
}

type Pt = (lon: number, lat: number) => L.LatLngTuple;
const toView = (gcj: boolean): Pt => (gcj ? (lon, lat) => { const [x, y] = wgsToGcjPoint(lon, lat); return [y, x]; } : (lon, lat) => [lat, lon]);

export function boundsOf(b: BBox, gcj: boolean): L.LatLngBounds {
  const pt = toView(gcj);
  return L.latLngBounds([pt(b[0], b[1]), pt(b[2], b[3])]);
}

function fillOf(row: MapPlotRow, by: ColourBy, keyColours: string[]): string {
  if (by === "cooperative") return cooperativeColour(row[2]);
  if (by === "status") return STATUS_COLOURS[statusAt(row[3])];
  return keyColours[row[1]] ?? NO_COOP_COLOUR;
}

function styleOf(row: MapPlotRow, by: ColourBy, keyColours: string[]): L.PathOptions {
  const flags = row[4];
  const outline = flags & FLAG_OVERLAP ? OVERLAP_OUTLINE : flags & FLAG_DISCREPANCY ? DISCREPANCY_OUTLINE : OUTLINE;
  return { fillColor: fillOf(row, by, keyColours), fillOpacity: statusAt(row[3]) === "REMOVED" ? 0.2 : 0.65, ...outline };
}

// ─── Base layers ───────────────────────────────────────────────────────────

function BaseTiles({ base, settings }: { base: BaseLayer; settings: MapSettings }) {
  if (base === "osm" && settings.osmUrl) return <TileLayer url={settings.osmUrl} maxZoom={19} />;
  if (base === "tianditu" || base === "tianditu-img") {
    // Tianditu (天地图) is the approved base map of China; its attribution carries the map approval number (审图号).
    const wmts = (layer: string) =>
      `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(settings.tiandituKey)}`;
    const attribution = `© 天地图 审图号：${settings.tiandituApprovalNo}`;
    // Imagery shows orchard rows, so boundaries can be traced; the vector map reads better for finding one's way.
    const [ground, labels] = base === "tianditu-img" ? ["img", "cia"] : ["vec", "cva"];
    return (
      <>
        <TileLayer key={ground} url={wmts(ground)} subdomains="01234567" maxZoom={18} attribution={attribution} />
        <TileLayer key={labels} url={wmts(labels)} subdomains="01234567" maxZoom={18} />
      </>
    );
  }
  if (base === "amap") {
    return <TileLayer url="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}" subdomains="1234" maxZoom={18} attribution="© 高德地图" />;
  }
  return null;
}

/** Keeps the same ground in view when the display switches between WGS-84 and GCJ-02. */
function Recentre({ gcj }: { gcj: boolean }) {
  const map = useMap();
  const previous = useRef(gcj);
  useEffect(() => {
    if (previous.current === gcj) return;
    previous.current = gcj;
    const c = map.getCenter();
    const [lon, lat] = gcj ? wgsToGcjPoint(c.lng, c.lat) : gcjToWgsPoint(c.lng, c.lat);
    map.setView([lat, lon], map.getZoom(), { animate: false });
  }, [gcj, map]);
  return null;
}

// ─── Plots ─────────────────────────────────────────────────────────────────

type LoadState = { kind: "loading" } | { kind: "ready"; count: number; truncated: boolean } | { kind: "error" };

async function getJson(url: string, signal?: AbortSignal): Promise<MapPayload> {
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return (await r.json()) as MapPayload;
}

/** Fetches the plots of the visible area (with a margin) whenever the view leaves what was loaded. */
function PlotLoader({
  filter,
  gcj,
  opening,
  onPayload,
  onState,
}: {
  filter: PlotMapProps["filter"];
  gcj: boolean;
  opening: PlotMapProps["opening"];
  onPayload: (p: MapPayload) => void;
  onState: (s: LoadState) => void;
}) {
  const map = useMap();
  const preloaded = useRef(opening);
  useEffect(() => {
    let loaded: { box: L.LatLngBounds; low: boolean; labelled: boolean; truncated: boolean } | null = null;
    let ctrl: AbortController | null = null;
    let timer: number | undefined;
    const load = () => {
      const zoom = Math.round(map.getZoom());
      const low = zoom < DETAIL_ZOOM;
      const labelled = zoom >= LABEL_ZOOM;
      const view = map.getBounds();
      if (loaded && !loaded.truncated && loaded.low === low && loaded.labelled === labelled && loaded.box.contains(view)) return;
      let box = view.pad(0.3);
      let request: (signal: AbortSignal) => Promise<MapPayload | null>;
      // The page asked for the opening view's data early: use it if the view agrees.
      const first = preloaded.current;
      preloaded.current = null;
      if (first && first.low === low && first.labelled === labelled && !gcj) {
        box = L.latLngBounds([first.bbox[1], first.bbox[0]], [first.bbox[3], first.bbox[2]]);
        request = (signal) => (first.data ?? Promise.resolve(null)).then((p) => p ?? getJson(first.url, signal));
      } else {
        const sw = gcj ? gcjToWgsPoint(box.getWest(), box.getSouth()) : [box.getWest(), box.getSouth()];
        const ne = gcj ? gcjToWgsPoint(box.getEast(), box.getNorth()) : [box.getEast(), box.getNorth()];
        const q = new URLSearchParams({ bbox: [sw[0], sw[1], ne[0], ne[1]].map((x) => x!.toFixed(6)).join(","), zoom: String(zoom) });
        if (filter.villageId) q.set("village", String(filter.villageId));
        if (filter.townshipId) q.set("township", String(filter.townshipId));
        request = (signal) => getJson(`/resources/plots/map?${q}`, signal);
      }
      ctrl?.abort();
      const mine = (ctrl = new AbortController());
      onState({ kind: "loading" });
      request(mine.signal)
        .then((p) => {
          if (!p) throw new Error("no data");
          if (mine.signal.aborted) return;
          performance.mark("plots-data");
          loaded = { box, low, labelled, truncated: p.truncated };
          onPayload(p);
        })
        .catch((e: unknown) => {
          if (!mine.signal.aborted) {
            console.warn("plots: loading failed", e);
            onState({ kind: "error" });
          }
        });
    };
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 120);
    };
    map.on("moveend", schedule);
    load();
    return () => {
      map.off("moveend", schedule);
      window.clearTimeout(timer);
      ctrl?.abort();
    };
  }, [map, filter.villageId, filter.townshipId, gcj, onPayload, onState]);
  return null;
}

/** Where a plot is: its row and its box in lat/lng (for flying to it and its popup). */
interface Shape {
  row: MapPlotRow;
  box: [number, number, number, number];
}
type ShapeIndex = Map<number, Shape>;

/** The stored colour of each variety key; an older answer without colours falls back to the crops' base colours. */
function keyColoursOf(payload: MapPayload | null): string[] {
  if (!payload) return [];
  return payload.keys.map((k, i) => payload.colours?.[i] ?? cropColour(k.split("|")[0]!));
}

function canvasStyle(row: MapPlotRow, by: ColourBy, keyColours: string[]): CanvasStyle {
  const o = styleOf(row, by, keyColours);
  const dash = o.dashArray ? String(o.dashArray).split(/[ ,]+/).map(Number) : [];
  return { key: `${o.fillColor}|${o.color}|${o.fillOpacity}`, fill: o.fillColor!, fillOpacity: o.fillOpacity!, stroke: o.color!, weight: o.weight!, dash };
}

/**
 * The plots. A viewing map paints them with PlotCanvas (one canvas, fast for
 * a whole township); a drawing map gives them to Leaflet as a few
 * multi-polygons, one per style, so that the drawing tools can snap to them.
 */
function PlotsLayer({
  payload,
  colourBy,
  gcj,
  context,
  hideId,
  shapes,
  canvasRef,
  onOpen,
  onDrawn,
  onLabels,
}: {
  payload: MapPayload | null;
  colourBy: ColourBy;
  gcj: boolean;
  context: boolean;
  hideId?: number;
  shapes: React.MutableRefObject<ShapeIndex>;
  canvasRef: React.MutableRefObject<PlotCanvas | null>;
  onOpen: (id: number, at: L.LatLng) => void;
  onDrawn: (count: number, truncated: boolean) => void;
  onLabels: (count: number) => void;
}) {
  const map = useMap();
  const renderer = useMemo(() => L.canvas({ padding: 0.3, tolerance: 3 }), []);
  const keyColours = useMemo(() => keyColoursOf(payload), [payload]);

  // One pass from the answer to the canvas, with no React render in between:
  // on a slow office PC every extra commit shows in the time to the first picture.
  useEffect(() => {
    if (!payload) return;
    const index: ShapeIndex = new Map();
    const shift = gcj ? wgsToGcjPoint : (lon: number, lat: number): [number, number] => [lon, lat];
    let painted = false;
    let frame = 0;
    const done = () => {
      if (painted) return;
      painted = true;
      // The second frame comes after the canvas is on the screen.
      frame = requestAnimationFrame(() => {
        performance.mark("plots-drawn");
        onDrawn(index.size, payload.truncated);
      });
    };

    if (!context) {
      const plots: CanvasPlot[] = [];
      const decoded = decodePayload(payload, gcj);
      payload.plots.forEach((row, i) => {
        if (row[0] === hideId) return;
        const d = decoded[i]!;
        plots.push({ id: row[0], style: canvasStyle(row, colourBy, keyColours), rings: d.rings, box: d.box, label: payload.labels?.[i] });
        index.set(row[0], { row, box: d.latLngBox });
      });
      shapes.current = index;
      performance.mark("plots-decoded");
      const layer = new PlotCanvas(onOpen, done, onLabels);
      layer.setPlots(plots);
      layer.addTo(map);
      canvasRef.current = layer;
      performance.mark("plots-layers");
      return () => {
        cancelAnimationFrame(frame);
        canvasRef.current = null;
        layer.remove();
      };
    }

    const groups = new Map<string, { style: L.PathOptions; polys: L.LatLng[][][] }>();
    for (const row of payload.plots) {
      if (row[0] === hideId) continue;
      let s0 = 90;
      let w0 = 180;
      let n0 = -90;
      let e0 = -180;
      const polys = row[5].map((rings) =>
        rings.map((flat, r) => {
          const out: L.LatLng[] = [];
          let x = 0;
          let y = 0;
          for (let i = 0; i < flat.length; i += 2) {
            x += flat[i]!;
            y += flat[i + 1]!;
            const [lon, lat] = shift(x / payload.scale, y / payload.scale);
            if (r === 0) [s0, n0, w0, e0] = [Math.min(s0, lat), Math.max(n0, lat), Math.min(w0, lon), Math.max(e0, lon)];
            out.push(new L.LatLng(lat, lon));
          }
          return out;
        }),
      );
      index.set(row[0], { row, box: [s0, w0, n0, e0] });
      const style = styleOf(row, colourBy, keyColours);
      const key = `${style.fillColor}|${style.color}|${style.fillOpacity}`;
      const g = groups.get(key);
      if (g) g.polys.push(...polys);
      else groups.set(key, { style, polys: [...polys] });
    }
    shapes.current = index;
    const group = L.layerGroup();
    for (const { style, polys } of groups.values()) {
      // Drawing tools may snap to neighbours but must never edit them; clicks belong to the drawing.
      group.addLayer(L.polygon(polys, { renderer, ...style, interactive: false, pmIgnore: true, snapIgnore: false } as L.PolylineOptions));
    }
    group.addTo(map);
    frame = requestAnimationFrame(done);
    return () => {
      cancelAnimationFrame(frame);
      group.remove();
    };
  }, [payload, gcj, hideId, colourBy, keyColours, map, renderer, context, shapes, canvasRef, onOpen, onDrawn, onLabels]);
  return null;
}

function Outlines({ outlines, gcj }: { outlines: NonNullable<PlotMapProps["outlines"]>; gcj: boolean }) {
  const map = useMap();
  useEffect(() => {
    const pt = toView(gcj);
    const group = L.layerGroup();
    for (const o of outlines) {
      const polys = (o.geometry.type === "Polygon" ? [o.geometry.coordinates] : o.geometry.coordinates).map((rings) => rings.map((r) => r.map((p) => pt(p[0]!, p[1]!))));
      L.polygon(polys, { color: "#546e7a", weight: 1, dashArray: "4 3", fill: false, interactive: false, pmIgnore: true } as L.PolylineOptions).addTo(group);
    }
    group.addTo(map);
    return () => {
      group.remove();
    };
  }, [outlines, gcj, map]);
  return null;
}

// ─── Popup ─────────────────────────────────────────────────────────────────

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** The popup's facts, built as DOM nodes so that names from the database are never parsed as HTML. */
function fillPopup(box: HTMLElement, f: PlotFacts, t: Translate) {
  box.replaceChildren();
  box.append(el("strong", `${f.code}${f.name ? ` · ${f.name}` : ""}`));
  const dl = el("dl");
  const fact = (label: string, value: string | Node) => {
    dl.append(el("dt", label));
    const dd = el("dd");
    dd.append(value);
    dl.append(dd);
  };
  fact(t("plots.col.crop"), `${t(`plots.crop.${f.crop}`)}${f.variety ? ` · ${f.variety}` : ""}`);
  fact(t("plots.col.status"), t(`plots.status.${f.status}`));
  fact(t("plots.col.area"), f.areaMu);
  if (f.declaredMu) fact(t("plots.col.declared"), f.declaredMu);
  if (f.plantingYear) fact(t("plots.col.planted"), String(f.plantingYear));
  if (f.trees != null) fact(t("plots.col.trees"), String(f.trees));
  if (f.household) fact(t("plots.col.household"), el("a", f.household.headName, { href: `/households/${f.household.id}` }));
  if (f.cooperative) fact(t("plots.col.cooperative"), f.cooperative.name);
  if (f.contract) fact(t("plots.popup.contract"), el("a", f.contract.contractNo ?? f.contract.draftNo, { href: `/contracts/${f.contract.id}` }));
  box.append(dl);
  const flags: string[] = [];
  for (const o of f.overlaps) {
    const m = overlapMessage(o);
    flags.push(t(m.key, m.params));
  }
  if (f.discrepancy?.flagged) flags.push(t("plots.flag.discrepancy", { percent: f.discrepancy.percent }));
  if (flags.length) {
    const ul = el("ul", undefined, { class: "plot-popup-flags" });
    for (const x of flags) ul.append(el("li", x));
    box.append(ul);
  }
  const links = el("p", undefined, { class: "plot-popup-links" });
  links.append(el("a", t("plots.popup.details"), { href: `/plots/${f.id}` }), " · ", el("a", t("plots.popup.harvests"), { href: `/plots/${f.id}#harvests` }));
  if (f.canWrite) links.append(" · ", el("a", t("plots.popup.edit"), { href: `/plots/${f.id}/edit` }));
  box.append(links);
}

// ─── Legend and search ─────────────────────────────────────────────────────

interface LegendItem {
  label: string;
  fill: string;
  /** a variety under its crop's heading */
  indent?: boolean;
}

/** Crop → its varieties, each with its stored colour; plots of a crop with no variety show under the crop itself. */
function varietyLegend(payload: MapPayload | null, t: Translate): LegendItem[] {
  const keys = payload?.keys ?? [];
  const colours = keyColoursOf(payload);
  const byCrop = new Map<string, { own: string | null; varieties: { name: string; fill: string }[] }>();
  keys.forEach((k, i) => {
    const [crop, variety] = k.split("|") as [string, string | undefined];
    const entry = byCrop.get(crop) ?? { own: null, varieties: [] };
    if (variety) entry.varieties.push({ name: variety, fill: colours[i]! });
    else entry.own = colours[i]!;
    byCrop.set(crop, entry);
  });
  const crops = [...byCrop.keys()].sort((a, b) => PLOT_CROP_ORDER.indexOf(a) - PLOT_CROP_ORDER.indexOf(b));
  return crops.flatMap((crop) => {
    const e = byCrop.get(crop)!;
    const varieties = e.varieties.sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    return [
      { label: t(`plots.crop.${crop}`), fill: e.own ?? cropColour(crop) },
      ...(e.own && varieties.length ? [{ label: t("plots.map.legend.noVariety"), fill: e.own, indent: true }] : []),
      ...varieties.map((v) => ({ label: v.name, fill: v.fill, indent: true })),
    ];
  });
}

const PLOT_CROP_ORDER = ["PEACH", "PEAR", "HAWTHORN", "CRABAPPLE", "GRAPE", "NURSERY", "OTHER"];

function Legend({ payload, colourBy, open, layers }: { payload: MapPayload | null; colourBy: ColourBy; open: boolean; layers: MapLayer[] }) {
  const t = useT();
  const items = useMemo((): LegendItem[] => {
    if (colourBy === "status") return PLOT_STATUSES.map((s) => ({ label: t(`plots.status.${s}`), fill: STATUS_COLOURS[s] }));
    if (colourBy === "cooperative") {
      return [
        ...(payload?.cooperatives ?? []).map((c, i) => ({ label: c.name, fill: cooperativeColour(i) })),
        { label: t("plots.map.legend.noCoop"), fill: NO_COOP_COLOUR },
      ];
    }
    return varietyLegend(payload, t);
  }, [payload, colourBy, t]);
  return (
    <details className="plot-map-legend" open={open}>
      <summary>{t("plots.map.legend")}</summary>
      <ul data-testid="map-legend">
        {items.slice(0, 40).map((i) => (
          <li key={`${i.indent ? "v" : "c"}:${i.label}:${i.fill}`} className={i.indent ? "legend-variety" : undefined}>
            <span className="swatch" style={{ background: i.fill }} />
            {i.label}
          </li>
        ))}
        <li>
          <span className="swatch outline-overlap" />
          {t("plots.map.legend.overlap")}
        </li>
        <li>
          <span className="swatch outline-discrepancy" />
          {t("plots.map.legend.discrepancy")}
        </li>
        {layers.map((l) => (
          <li key={`layer${l.id}`}>
            <span className="swatch" style={{ background: "transparent", border: `2px ${LAYER_STYLE[l.kind].dashArray ? "dashed" : "solid"} ${LAYER_STYLE[l.kind].color}` }} />
            {l.name}
          </li>
        ))}
      </ul>
    </details>
  );
}

// ─── Reference layers and the import preview ───────────────────────────────

interface MapLayer {
  id: number;
  name: string;
  kind: LayerKind;
  collection: GeoJSON.FeatureCollection;
}

/** Panes under and over the plots' canvas (overlayPane, z-index 400). */
const REFERENCE_PANE = "referencePane";
const PREVIEW_PANE = "previewPane";

function usePane(name: string, zIndex: number) {
  const map = useMap();
  return useMemo(() => {
    const pane = map.getPane(name) ?? map.createPane(name);
    pane.style.zIndex = String(zIndex);
    return name;
  }, [map, name, zIndex]);
}

/** The township's and the district's reference layers (boundaries, roads), drawn under the plots: no tiles needed. */
function ReferenceLayers({ filter, gcj, onLayers }: { filter: PlotMapProps["filter"]; gcj: boolean; onLayers: (layers: MapLayer[]) => void }) {
  const map = useMap();
  const pane = usePane(REFERENCE_PANE, 350);
  const [layers, setLayers] = useState<MapLayer[]>([]);
  useEffect(() => {
    const q = new URLSearchParams();
    if (filter.villageId) q.set("village", String(filter.villageId));
    if (filter.townshipId) q.set("township", String(filter.townshipId));
    const ctrl = new AbortController();
    fetch(`/resources/plots/layers?${q}`, { signal: ctrl.signal, headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? (r.json() as Promise<{ layers: MapLayer[] }>) : { layers: [] }))
      .then((d) => {
        setLayers(d.layers);
        onLayers(d.layers);
      })
      .catch(() => {
        // A map without its reference layers is still a map.
      });
    return () => ctrl.abort();
  }, [filter.villageId, filter.townshipId, onLayers]);
  useEffect(() => {
    if (!layers.length) return;
    const renderer = L.canvas({ pane, padding: 0.3 });
    const shift = gcj ? (c: number[]) => { const [x, y] = wgsToGcjPoint(c[0]!, c[1]!); return L.latLng(y, x); } : (c: number[]) => L.latLng(c[1]!, c[0]!);
    const group = L.layerGroup();
    for (const layer of layers) {
      const style = LAYER_STYLE[layer.kind] ?? LAYER_STYLE.OTHER;
      L.geoJSON(layer.collection, {
        pane,
        coordsToLatLng: shift as (c: [number, number]) => L.LatLng,
        style: () => ({ ...style, fill: style.fillOpacity > 0, fillColor: style.color, renderer, interactive: false, pmIgnore: true }) as L.PathOptions,
        pointToLayer: (_f, at) => L.circleMarker(at, { pane, renderer, radius: 3, color: style.color, weight: 1, fillOpacity: 0.8, interactive: false }),
      }).addTo(group);
    }
    group.addTo(map);
    map.getContainer().setAttribute("data-layers-drawn", String(layers.length));
    return () => {
      group.remove();
    };
  }, [layers, gcj, map, pane]);
  return null;
}

export interface PreviewPlot {
  index: number;
  label: string;
  geometry: PlotGeometry;
  state: "ok" | "warned" | "invalid";
}

export const PREVIEW_COLOURS: Record<PreviewPlot["state"], string> = { ok: "#2e7d32", warned: "#ef6c00", invalid: "#c62828" };

/** The plots of a file being imported, over the saved ones: green, orange when flagged, red when refused; numbered as in the table. */
function PreviewLayer({ plots, gcj }: { plots: PreviewPlot[]; gcj: boolean }) {
  const map = useMap();
  const pane = usePane(PREVIEW_PANE, 450);
  useEffect(() => {
    const pt = toView(gcj);
    const group = L.layerGroup();
    // Permanent labels only while they stay readable; larger files keep the colours and the table.
    const labelled = plots.length <= 300;
    for (const p of plots) {
      const polys = (p.geometry.type === "Polygon" ? [p.geometry.coordinates] : p.geometry.coordinates).map((rings) => rings.map((r) => r.map((c) => pt(c[0]!, c[1]!))));
      const colour = PREVIEW_COLOURS[p.state];
      const poly = L.polygon(polys, { pane, color: colour, weight: p.state === "ok" ? 2 : 3, dashArray: p.state === "invalid" ? "5 4" : undefined, fillColor: colour, fillOpacity: 0.35, pmIgnore: true } as L.PolylineOptions);
      if (labelled) poly.bindTooltip(`${p.index} ${p.label}`, { permanent: true, direction: "center", className: `preview-label preview-${p.state}`, pane: "tooltipPane" });
      poly.addTo(group);
    }
    group.addTo(map);
    map.getContainer().setAttribute("data-preview-drawn", String(plots.length));
    return () => {
      // Permanent tooltips live in their own pane: take them down with their shapes.
      group.eachLayer((l) => l.unbindTooltip());
      group.remove();
    };
  }, [plots, gcj, map, pane]);
  return null;
}

interface Found {
  id: number;
  code: string;
  name: string;
  headName: string;
  bbox: BBox;
}

function SearchBox({ filter, onFound }: { filter: PlotMapProps["filter"]; onFound: (f: Found) => void }) {
  const t = useT();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<Found[] | null>(null);
  const [asked, setAsked] = useState("");
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    const params = new URLSearchParams({ q: text });
    if (filter.villageId) params.set("village", String(filter.villageId));
    if (filter.townshipId) params.set("township", String(filter.townshipId));
    const r = await fetch(`/resources/plots/search?${params}`, { headers: { Accept: "application/json" } });
    const found = r.ok ? ((await r.json()) as { results: Found[] }).results : [];
    setAsked(text);
    setResults(found);
    if (found.length === 1) onFound(found[0]!);
  };
  return (
    <form className="plot-map-search" role="search" onSubmit={submit}>
      <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("plots.map.search")} aria-label={t("plots.map.search")} />
      <button type="submit" className="secondary">
        {t("plots.map.searchButton")}
      </button>
      {results && results.length === 0 ? (
        <p className="plot-map-search-results muted" role="status">
          {t("plots.map.searchNone", { q: asked })}
        </p>
      ) : null}
      {results && results.length > 1 ? (
        <ul className="plot-map-search-results">
          {results.map((f) => (
            <li key={f.id}>
              <button type="button" className="link-button" onClick={() => onFound(f)}>
                {f.code}
                {f.name ? ` · ${f.name}` : ""}
                {f.headName ? ` · ${f.headName}` : ""}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

// ─── The map ───────────────────────────────────────────────────────────────

export default function PlotMap(props: PlotMapProps) {
  const t = useT();
  const navigate = useNavigate();
  const { settings, filter, extent } = props;
  const [base, setBase] = useState<BaseLayer>(() => stored("cunshe.map.base", settings.available, settings.defaultBase));
  const [colourBy, setColourBy] = useState<ColourBy>(() => stored("cunshe.map.colour", COLOUR_BY, "variety"));
  const [payload, setPayload] = useState<MapPayload | null>(null);
  const [state, setState] = useState<LoadState>({ kind: "loading" });
  const [map, setMap] = useState<L.Map | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const focus = useRef<number | null>(props.focusId ?? null);
  const shapes = useRef<ShapeIndex>(new Map());
  const canvasRef = useRef<PlotCanvas | null>(null);
  const gcj = base === "amap";
  // The first view only: later base changes recentre instead (see Recentre).
  const [initial] = useState(() => (extent ? { bounds: boundsOf(extent, gcj) } : { center: DISTRICT_CENTRE, zoom: 12 }));

  const [layers, setLayers] = useState<MapLayer[]>([]);
  const onLayers = useMemo(() => (l: MapLayer[]) => setLayers(l), []);
  // For the browser tests: how many labels the canvas drew (0 at township zoom).
  const onLabels = useMemo(() => (n: number) => frame.current?.setAttribute("data-labels-drawn", String(n)), []);
  const onPayload = useMemo(() => (p: MapPayload) => setPayload(p), []);
  const onState = useMemo(() => (s: LoadState) => setState(s), []);
  /** Outlines the plot asked for (search, ?focus=) once it is on the map, and opens its popup on a viewing map. */
  const showFocus = () => {
    const id = focus.current;
    const hit = id != null ? shapes.current.get(id) : undefined;
    if (!hit || id == null || !map) return;
    focus.current = null;
    canvasRef.current?.highlight(id);
    const [s0, w0, n0, e0] = hit.box;
    if (!props.context && props.focusPopup !== false) openRef.current(id, L.latLng((s0 + n0) / 2, (w0 + e0) / 2));
  };
  const focusRef = useRef(showFocus);
  focusRef.current = showFocus;
  const onDrawn = useMemo(
    () => (count: number, truncated: boolean) => {
      setState({ kind: "ready", count, truncated });
      // For the browser tests and the bench: how many plots are on the canvas.
      frame.current?.setAttribute("data-plots-drawn", String(count));
      focusRef.current();
    },
    [],
  );
  const openPopup = (id: number, at: L.LatLng) => {
      if (!map) return;
      const box = el("div", t("plots.popup.loading"), { class: "plot-popup", "data-plot-id": String(id) });
      // Links inside the popup navigate within the app instead of reloading the page.
      box.addEventListener("click", (e) => {
        const a = (e.target as HTMLElement).closest("a");
        if (a && a.origin === window.location.origin) {
          e.preventDefault();
          navigate(a.pathname + a.search + a.hash);
        }
      });
      const popup = L.popup({ maxWidth: 340, autoPanPadding: [24, 24] }).setLatLng(at).setContent(box).openOn(map);
      fetch(`/resources/plots/${id}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<PlotFacts>) : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((f) => {
          fillPopup(box, f, t);
          popup.update();
        })
        .catch(() => {
          box.textContent = t("plots.map.error");
        });
  };
  // A stable handler, so that a new render never rebuilds thousands of layers.
  const openRef = useRef(openPopup);
  openRef.current = openPopup;
  const onOpen = useMemo(() => (id: number, at: L.LatLng) => openRef.current(id, at), []);

  // The frame's size follows the page's layout (fonts, a table above that grows): keep Leaflet's idea of it current.
  useEffect(() => {
    const el = frame.current;
    if (!map || !el || typeof ResizeObserver === "undefined") return;
    const watch = new ResizeObserver(() => map.invalidateSize({ pan: false }));
    watch.observe(el);
    return () => watch.disconnect();
  }, [map]);

  const flyTo = (f: Found) => {
    if (!map) return;
    focus.current = f.id;
    // When the plot is already loaded no new data arrives: focus it once the flight ends.
    map.once("moveend", () => window.setTimeout(() => focusRef.current(), 50));
    map.flyToBounds(boundsOf(f.bbox, gcj), { maxZoom: 18, padding: [40, 40], duration: 0.6 });
  };

  const chooseBase = (b: BaseLayer) => {
    setBase(b);
    remember("cunshe.map.base", b);
  };
  const chooseColour = (c: ColourBy) => {
    setColourBy(c);
    remember("cunshe.map.colour", c);
  };

  return (
    <div className="plot-map">
      <div className="plot-map-toolbar">
        {props.toolbar}
        <label className="inline-field">
          {t("plots.map.colourBy")}
          <select value={colourBy} onChange={(e) => chooseColour(e.target.value as ColourBy)}>
            {COLOUR_BY.map((c) => (
              <option key={c} value={c}>
                {t(`plots.map.colourBy.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          {t("plots.map.base")}
          <select value={base} onChange={(e) => chooseBase(e.target.value as BaseLayer)}>
            {settings.available.map((b) => (
              <option key={b} value={b}>
                {t(`plots.map.base.${b}`)}
              </option>
            ))}
          </select>
        </label>
        <SearchBox filter={filter} onFound={flyTo} />
      </div>
      <div
        ref={frame}
        className="plot-map-frame"
        style={{ height: props.height ?? "70vh" }}
        data-testid="plot-map"
        data-plots-state={state.kind}
        role="region"
        aria-label={t("plots.map.label")}
      >
        <MapContainer {...initial} boundsOptions={{ padding: [20, 20] }} ref={setMap} preferCanvas zoomSnap={0.5} style={{ height: "100%" }} attributionControl>
          <BaseTiles base={base} settings={settings} />
          <Recentre gcj={gcj} />
          <PlotLoader filter={filter} gcj={gcj} opening={props.opening} onPayload={onPayload} onState={onState} />
          <ReferenceLayers filter={filter} gcj={gcj} onLayers={onLayers} />
          {props.outlines?.length ? <Outlines outlines={props.outlines} gcj={gcj} /> : null}
          <PlotsLayer payload={payload} colourBy={colourBy} gcj={gcj} context={!!props.context} hideId={props.hideId} shapes={shapes} canvasRef={canvasRef} onOpen={onOpen} onDrawn={onDrawn} onLabels={onLabels} />
          {props.preview ? <PreviewLayer plots={props.preview} gcj={gcj} /> : null}
          <ScaleControl imperial={false} position="bottomleft" />
          {props.children?.({ gcj })}
        </MapContainer>
        <Legend payload={payload} colourBy={colourBy} open={props.legendOpen ?? !props.context} layers={layers} />
      </div>
      <p className="plot-map-status muted" aria-live="polite">
        {state.kind === "loading"
          ? t("plots.map.loading")
          : state.kind === "error"
            ? t("plots.map.error")
            : state.truncated
              ? t("plots.map.truncated", { count: state.count })
              : t("plots.map.count", { count: state.count })}
        {gcj ? ` ${t("plots.map.amapNote")}` : ""}
      </p>
    </div>
  );
}
