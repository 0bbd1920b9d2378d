/**
 * Turns the map resource's compact rows into what the canvas paints: rings
 * in zoom-0 Web Mercator pixels and boxes. No Leaflet here, so the page can
 * decode the opening data while the map's code is still loading.
 */
import { wgsToGcjPoint } from "./gcj";
import type { MapPayload } from "./map-data";

export interface DecodedPlot {
  /** rings of x, y pairs in zoom-0 pixels (EPSG:3857), open */
  rings: Float64Array[];
  /** [minX, minY, maxX, maxY] of the outer rings, zoom-0 pixels */
  box: [number, number, number, number];
  /** [south, west, north, east] of the outer rings, in the displayed datum */
  latLngBox: [number, number, number, number];
}

const MAX_LAT = 85.0511287798;

/**
 * Zoom-0 pixel coordinates of a point in Leaflet's Web Mercator (EPSG:3857):
 * the numbers of L.CRS.EPSG3857.latLngToPoint(…, 0), without two objects per vertex.
 */
export function project0(lng: number, lat: number): [number, number] {
  const s = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180);
  return [256 * (0.5 + lng / 360), 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))];
}

const cache = new WeakMap<MapPayload, { gcj: boolean; plots: DecodedPlot[] }>();

/** The payload's plots decoded, in row order; shifted into GCJ-02 for AMap tiles. Remembered per payload. */
export function decodePayload(payload: MapPayload, gcj: boolean): DecodedPlot[] {
  const hit = cache.get(payload);
  if (hit && hit.gcj === gcj) return hit.plots;
  const scale = payload.scale;
  const plots = payload.plots.map((row): DecodedPlot => {
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    let s0 = 90;
    let w0 = 180;
    let n0 = -90;
    let e0 = -180;
    const rings: Float64Array[] = [];
    for (const poly of row[5]) {
      poly.forEach((flat, r) => {
        const out = new Float64Array(flat.length);
        let x = 0;
        let y = 0;
        for (let i = 0; i < flat.length; i += 2) {
          x += flat[i]!;
          y += flat[i + 1]!;
          let lon = x / scale;
          let lat = y / scale;
          if (gcj) [lon, lat] = wgsToGcjPoint(lon, lat);
          const [px, py] = project0(lon, lat);
          out[i] = px;
          out[i + 1] = py;
          if (r === 0) {
            if (px < bx0) bx0 = px;
            if (px > bx1) bx1 = px;
            if (py < by0) by0 = py;
            if (py > by1) by1 = py;
            if (lat < s0) s0 = lat;
            if (lat > n0) n0 = lat;
            if (lon < w0) w0 = lon;
            if (lon > e0) e0 = lon;
          }
        }
        rings.push(out);
      });
    }
    return { rings, box: [bx0, by0, bx1, by1], latLngBox: [s0, w0, n0, e0] };
  });
  cache.set(payload, { gcj, plots });
  return plots;
}
