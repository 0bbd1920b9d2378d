/**
 * AMap (高德) tiles are drawn in GCJ-02, shifted by tens to hundreds of
 * metres from WGS-84 (DOMAIN.md §4). Plots are shifted only to be shown or
 * drawn over those tiles; what is stored is always WGS-84.
 */
import gcoord from "gcoord";
import type { MultiPolygon, Polygon } from "geojson";

type Shape = Polygon | MultiPolygon;
type GcoordInput = Parameters<typeof gcoord.transform>[0];

/** A copy shifted into GCJ-02 for drawing over AMap tiles; the stored geometry stays WGS-84. */
export function wgsToGcj<T extends Shape>(g: T): T {
  // gcoord.transform changes GeoJSON in place: give it a copy.
  return gcoord.transform(structuredClone(g) as unknown as GcoordInput, gcoord.WGS84, gcoord.GCJ02) as unknown as T;
}

/** A copy of a geometry drawn over AMap tiles, brought back to WGS-84 for storing. */
export function gcjToWgs<T extends Shape>(g: T): T {
  return gcoord.transform(structuredClone(g) as unknown as GcoordInput, gcoord.GCJ02, gcoord.WGS84) as unknown as T;
}

export function wgsToGcjPoint(lon: number, lat: number): [number, number] {
  return gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
}

export function gcjToWgsPoint(lon: number, lat: number): [number, number] {
  return gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
}
