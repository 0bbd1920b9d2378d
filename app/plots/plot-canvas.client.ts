/**
 * A Leaflet layer that paints thousands of plots on one canvas.
 *
 * Leaflet's own polygons convert, project, clip and simplify every vertex
 * through several objects each; for a township of 5,000 plots that is most
 * of the time to the first picture on an office PC. Here each plot's rings
 * are projected once, at zoom 0, into a Float64Array; drawing at any zoom is
 * then a multiply and a subtract per vertex, one path per style. Clicks and
 * hover find their plot by box, then by ring.
 */
import L from "leaflet";
import { LABEL_ZOOM } from "./map-data";
import { project0 } from "./map-decode";

export interface CanvasPlot {
  id: number;
  /** style key: plots with the same key are filled and stroked as one path */
  style: CanvasStyle;
  /** rings of x, y pairs in zoom-0 pixels (EPSG:3857), open */
  rings: Float64Array[];
  /** [minX, minY, maxX, maxY] of the outer rings, zoom-0 pixels */
  box: [number, number, number, number];
  /** drawn in the plot's middle from LABEL_ZOOM on */
  label?: string;
}

export interface CanvasStyle {
  key: string;
  fill: string;
  fillOpacity: number;
  stroke: string;
  weight: number;
  dash: number[];
}

const PAD = 0.3;
const LABEL_FONT = '12px "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
/** Past this many labels in view the map is too crowded for them to help. */
const MAX_LABELS = 1500;

function insideRings(rings: Float64Array[], x: number, y: number): boolean {
  let hit = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const xi = r[i]!;
      const yi = r[i + 1]!;
      const xj = r[j]!;
      const yj = r[j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
    }
  }
  return hit;
}

export class PlotCanvas extends L.Layer {
  private plots: CanvasPlot[] = [];
  private byStyle: { style: CanvasStyle; plots: CanvasPlot[] }[] = [];
  private highlighted: CanvasPlot | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private topLeft = L.point(0, 0);
  private drawnZoom = 0;
  private frame = 0;

  constructor(
    private readonly onClick: (id: number, at: L.LatLng) => void,
    private readonly onPainted: () => void,
    private readonly onLabels: (count: number) => void = () => {},
  ) {
    super({ pane: "overlayPane" });
  }

  setPlots(plots: CanvasPlot[]) {
    this.plots = plots;
    const groups = new Map<string, { style: CanvasStyle; plots: CanvasPlot[] }>();
    for (const p of plots) {
      const g = groups.get(p.style.key);
      if (g) g.plots.push(p);
      else groups.set(p.style.key, { style: p.style, plots: [p] });
    }
    this.byStyle = [...groups.values()];
    if (this.highlighted) this.highlighted = plots.find((p) => p.id === this.highlighted!.id) ?? null;
    if (this._map) this.schedule();
  }

  highlight(id: number | null) {
    this.highlighted = id === null ? null : this.plots.find((p) => p.id === id) ?? null;
    this.schedule();
  }

  override onAdd(map: L.Map): this {
    const canvas = (this.canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated plot-canvas"));
    map.getPane(this.options.pane!)!.appendChild(canvas);
    map.on("moveend", this.reset, this);
    map.on("zoomanim", this.animateZoom, this);
    map.on("click", this.click, this);
    map.on("mousemove", this.hover, this);
    this.reset();
    return this;
  }

  override onRemove(map: L.Map): this {
    cancelAnimationFrame(this.frame);
    map.off("moveend", this.reset, this);
    map.off("zoomanim", this.animateZoom, this);
    map.off("click", this.click, this);
    map.off("mousemove", this.hover, this);
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  /** Size and place the canvas over the view with a margin, as Leaflet's own canvas renderer does. */
  private reset() {
    const map = this._map;
    if (!map || !this.canvas) return;
    const size = map.getSize();
    this.topLeft = map.containerPointToLayerPoint(size.multiplyBy(-PAD)).round();
    const w = Math.round(size.x * (1 + 2 * PAD));
    const h = Math.round(size.y * (1 + 2 * PAD));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = w * dpr;
    this.canvas.height = h * dpr;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    L.DomUtil.setPosition(this.canvas, this.topLeft);
    this.drawnZoom = map.getZoom();
    this.draw();
  }

  private animateZoom(e: L.ZoomAnimEvent) {
    const map = this._map as L.Map & { _latLngToNewLayerPoint(ll: L.LatLng, zoom: number, center: L.LatLng): L.Point };
    if (!this.canvas) return;
    const scale = map.getZoomScale(e.zoom, this.drawnZoom);
    const offset = map._latLngToNewLayerPoint(map.layerPointToLatLng(this.topLeft), e.zoom, e.center);
    L.DomUtil.setTransform(this.canvas, offset, scale);
  }

  private schedule() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw() {
    const map = this._map;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const ctx = canvas.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const k = map.getZoomScale(map.getZoom(), 0);
    const origin = map.getPixelOrigin().add(this.topLeft);
    const ox = origin.x;
    const oy = origin.y;
    // The part of the world this canvas shows, in zoom-0 pixels, to skip plots outside it.
    const x0 = ox / k;
    const y0 = oy / k;
    const x1 = (ox + canvas.width / dpr) / k;
    const y1 = (oy + canvas.height / dpr) / k;
    const trace = (p: CanvasPlot) => {
      for (const r of p.rings) {
        ctx.moveTo(r[0]! * k - ox, r[1]! * k - oy);
        for (let i = 2; i < r.length; i += 2) ctx.lineTo(r[i]! * k - ox, r[i + 1]! * k - oy);
        ctx.closePath();
      }
    };
    for (const { style, plots } of this.byStyle) {
      ctx.beginPath();
      for (const p of plots) if (p.box[2] >= x0 && p.box[0] <= x1 && p.box[3] >= y0 && p.box[1] <= y1) trace(p);
      ctx.globalAlpha = style.fillOpacity;
      ctx.fillStyle = style.fill;
      ctx.fill("evenodd");
      ctx.globalAlpha = 1;
      ctx.lineWidth = style.weight;
      ctx.strokeStyle = style.stroke;
      ctx.setLineDash(style.dash);
      ctx.stroke();
    }
    if (this.highlighted) {
      ctx.beginPath();
      trace(this.highlighted);
      ctx.lineWidth = 5;
      ctx.strokeStyle = "#ffd600";
      ctx.setLineDash([]);
      ctx.stroke();
    }
    this.onLabels(map.getZoom() >= LABEL_ZOOM ? this.drawLabels(ctx, k, ox, oy, [x0, y0, x1, y1]) : 0);
    this.onPainted();
  }

  /**
   * Each plot's label in the middle of its box, with a white halo, skipping
   * plots too small for it and labels that would cover one already drawn
   * (largest plots first). Only at village zoom: at township zoom thousands
   * of labels would hide the plots and cost the frame.
   */
  private drawLabels(ctx: CanvasRenderingContext2D, k: number, ox: number, oy: number, view: [number, number, number, number]): number {
    const inView = this.plots.filter((p) => p.label && p.box[2] >= view[0] && p.box[0] <= view[2] && p.box[3] >= view[1] && p.box[1] <= view[3]);
    if (inView.length === 0 || inView.length > MAX_LABELS) return 0;
    inView.sort((a, b) => (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]) - (a.box[2] - a.box[0]) * (a.box[3] - a.box[1]));
    ctx.font = LABEL_FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.setLineDash([]);
    ctx.lineJoin = "round";
    const placed: [number, number, number, number][] = [];
    let drawn = 0;
    for (const p of inView) {
      const w = (p.box[2] - p.box[0]) * k;
      const h = (p.box[3] - p.box[1]) * k;
      if (w < 24 || h < 12) continue;
      const cx = ((p.box[0] + p.box[2]) / 2) * k - ox;
      const cy = ((p.box[1] + p.box[3]) / 2) * k - oy;
      const tw = ctx.measureText(p.label!).width + 4;
      // A label much wider than its plot would read as its neighbour's.
      if (tw > w * 1.25) continue;
      const r: [number, number, number, number] = [cx - tw / 2, cy - 8, cx + tw / 2, cy + 8];
      if (placed.some((q) => r[0] < q[2] && r[2] > q[0] && r[1] < q[3] && r[3] > q[1])) continue;
      placed.push(r);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(p.label!, cx, cy);
      ctx.fillStyle = "#212121";
      ctx.fillText(p.label!, cx, cy);
      drawn++;
    }
    return drawn;
  }

  /** The plot under a point of the map, if any. */
  private hit(latlng: L.LatLng): CanvasPlot | null {
    const [x, y] = project0(latlng.lng, latlng.lat);
    // A few screen pixels of slack, so thin plots at low zoom can still be clicked.
    const tol = 3 / this._map.getZoomScale(this._map.getZoom(), 0);
    let near: CanvasPlot | null = null;
    for (let i = this.plots.length - 1; i >= 0; i--) {
      const p = this.plots[i]!;
      if (x < p.box[0] - tol || x > p.box[2] + tol || y < p.box[1] - tol || y > p.box[3] + tol) continue;
      if (insideRings(p.rings, x, y)) return p;
      near ??= p;
    }
    return near && tol > 0 && near.box[2] - near.box[0] < tol * 4 ? near : null;
  }

  private click(e: L.LeafletMouseEvent) {
    const p = this.hit(e.latlng);
    if (p) this.onClick(p.id, e.latlng);
  }

  private hover(e: L.LeafletMouseEvent) {
    const container = this._map.getContainer();
    // The hand cursor tells that a plot can be clicked; skip the test while dragging.
    if ((e.originalEvent as MouseEvent).buttons) return;
    container.style.cursor = this.hit(e.latlng) ? "pointer" : "";
  }
}
