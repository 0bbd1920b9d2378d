/**
 * The plot map with drawing tools (leaflet-geoman), for the new and edit
 * pages. Geoman hooks into every map created after it loads, so it is
 * imported here, before the map, and only on the pages that draw.
 *
 * The shape the user draws is reported in WGS-84 whatever the base layer:
 * over AMap tiles it is drawn in GCJ-02 and converted back before it leaves
 * this module. The area is shown live while drawing.
 */
import L from "leaflet";
import "@geoman-io/leaflet-geoman-free";
import type { Polygon, Position } from "geojson";
import { useEffect, useRef } from "react";
import { useMap } from "react-leaflet";
import { useLocale, useT } from "~/i18n/use-t";
import { gcjToWgs, wgsToGcj } from "./gcj";
import { areaM2, mToMu, normalizeGeometry, polygonsOf, type NormalizeResult, type PlotGeometry } from "./geometry";
import PlotMap, { type PlotMapProps } from "./plot-map.client";

interface DrawApi {
  draw(): void;
  rectangle(): void;
  toggleEdit(): void;
  clear(): void;
}

export interface DrawPlotMapProps extends Omit<PlotMapProps, "children" | "toolbar" | "context"> {
  initial: PlotGeometry | null;
  /** the drawn shape (WGS-84) and its check, or nulls when nothing is drawn */
  onChange: (result: NormalizeResult | null, parts: number, drawn: PlotGeometry | null) => void;
  /** the area while a shape is being drawn, in mu; null when not drawing */
  onLive: (areaMu: string | null) => void;
}

const PATH = { color: "#0b5c3a", weight: 3, fillColor: "#4caf50", fillOpacity: 0.25 };

function DrawLayer({ gcj, initial, onChange, onLive, api }: { gcj: boolean; initial: PlotGeometry | null; onChange: DrawPlotMapProps["onChange"]; onLive: DrawPlotMapProps["onLive"]; api: React.MutableRefObject<DrawApi | null> }) {
  const map = useMap();
  const locale = useLocale();
  // What is drawn, in WGS-84: survives a switch of base layer, which redraws the parts.
  const current = useRef<PlotGeometry | null>(initial);
  const handlers = useRef({ onChange, onLive });
  handlers.current = { onChange, onLive };

  useEffect(() => {
    const pm = map.pm;
    pm.setLang(locale === "en" ? "en" : "zh");
    pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true, snapDistance: 12, pathOptions: PATH, templineStyle: { color: PATH.color }, hintlineStyle: { color: PATH.color, dashArray: [5, 5] } });
    pm.addControls({
      position: "topleft",
      drawMarker: false,
      drawCircleMarker: false,
      drawPolyline: false,
      drawCircle: false,
      drawText: false,
      drawRectangle: true,
      drawPolygon: true,
      editMode: true,
      dragMode: false,
      cutPolygon: false,
      rotateMode: false,
      removalMode: true,
    });

    const parts = L.featureGroup().addTo(map);
    const toView = (g: PlotGeometry) => (gcj ? wgsToGcj(g) : g);
    const fromView = (g: PlotGeometry) => (gcj ? gcjToWgs(g) : g);

    const report = () => {
      const polys: Position[][][] = [];
      parts.eachLayer((layer) => {
        const g = (layer as L.Polygon).toGeoJSON().geometry as PlotGeometry;
        polys.push(...polygonsOf(g));
      });
      if (polys.length === 0) {
        current.current = null;
        handlers.current.onChange(null, 0, null);
        return;
      }
      const shown: PlotGeometry = polys.length === 1 ? { type: "Polygon", coordinates: polys[0]! } : { type: "MultiPolygon", coordinates: polys };
      const wgs = fromView(shown);
      current.current = wgs;
      handlers.current.onChange(normalizeGeometry(wgs), polys.length, wgs);
    };
    const watch = (layer: L.Layer) => {
      layer.on("pm:edit pm:markerdragend pm:vertexadded pm:vertexremoved pm:change", report);
    };
    const addPart = (rings: Position[][]) => {
      const layer = L.polygon(rings.map((r) => r.slice(0, -1).map((p) => [p[1]!, p[0]!] as L.LatLngTuple)), PATH);
      parts.addLayer(layer);
      watch(layer);
    };
    if (current.current) for (const rings of polygonsOf(toView(current.current))) addPart(rings);
    if (current.current) report();

    // Live area: the vertices placed so far plus the cursor.
    let working: L.Polyline | null = null;
    const live = (cursor?: L.LatLng) => {
      if (!working) return;
      const pts = (working.getLatLngs() as L.LatLng[]).concat(cursor ? [cursor] : []);
      if (pts.length < 3) {
        handlers.current.onLive("0.00");
        return;
      }
      const ring = pts.map((p) => [p.lng, p.lat]);
      ring.push(ring[0]!);
      const shape = fromView({ type: "Polygon", coordinates: [ring] } as Polygon);
      handlers.current.onLive(mToMu(areaM2(shape)).toFixed(2));
    };
    const onMove = (e: L.LeafletMouseEvent) => live(e.latlng);
    const onDrawStart = (e: { workingLayer: L.Layer; shape: string }) => {
      if (e.shape !== "Polygon") return;
      working = e.workingLayer as L.Polyline;
      working.on("pm:vertexadded", () => live());
      map.on("mousemove", onMove);
      handlers.current.onLive("0.00");
    };
    const onDrawEnd = () => {
      working = null;
      map.off("mousemove", onMove);
      handlers.current.onLive(null);
    };
    const onCreate = (e: { layer: L.Layer }) => {
      // Geoman adds the new shape to the map; it becomes one part of this plot.
      map.removeLayer(e.layer);
      parts.addLayer(e.layer);
      watch(e.layer);
      report();
    };
    const onRemove = (e: { layer: L.Layer }) => {
      if (parts.hasLayer(e.layer)) {
        parts.removeLayer(e.layer);
        report();
      }
    };
    map.on("pm:drawstart", onDrawStart as unknown as L.LeafletEventHandlerFn);
    map.on("pm:drawend", onDrawEnd);
    map.on("pm:create", onCreate as unknown as L.LeafletEventHandlerFn);
    map.on("pm:remove", onRemove as unknown as L.LeafletEventHandlerFn);

    api.current = {
      draw: () => pm.enableDraw("Polygon"),
      rectangle: () => pm.enableDraw("Rectangle"),
      toggleEdit: () => pm.toggleGlobalEditMode(),
      clear: () => {
        pm.disableDraw();
        if (pm.globalEditModeEnabled()) pm.disableGlobalEditMode();
        parts.clearLayers();
        report();
      },
    };
    return () => {
      api.current = null;
      map.off("pm:drawstart", onDrawStart as unknown as L.LeafletEventHandlerFn);
      map.off("pm:drawend", onDrawEnd);
      map.off("pm:create", onCreate as unknown as L.LeafletEventHandlerFn);
      map.off("pm:remove", onRemove as unknown as L.LeafletEventHandlerFn);
      map.off("mousemove", onMove);
      pm.disableDraw();
      pm.removeControls();
      parts.remove();
    };
  }, [map, gcj, locale, api]);
  return null;
}

function DrawButtons({ api }: { api: React.MutableRefObject<DrawApi | null> }) {
  const t = useT();
  return (
    <span className="plot-draw-buttons">
      <button type="button" onClick={() => api.current?.draw()}>
        {t("plots.draw.start")}
      </button>
      <button type="button" className="secondary" onClick={() => api.current?.rectangle()}>
        {t("plots.draw.rectangle")}
      </button>
      <button type="button" className="secondary" onClick={() => api.current?.toggleEdit()}>
        {t("plots.draw.edit")}
      </button>
      <button type="button" className="secondary" onClick={() => api.current?.clear()}>
        {t("plots.draw.clear")}
      </button>
    </span>
  );
}

export default function DrawPlotMap({ initial, onChange, onLive, ...rest }: DrawPlotMapProps) {
  const api = useRef<DrawApi | null>(null);
  return (
    <PlotMap {...rest} context toolbar={<DrawButtons api={api} />}>
      {({ gcj }) => <DrawLayer gcj={gcj} initial={initial} onChange={onChange} onLive={onLive} api={api} />}
    </PlotMap>
  );
}
