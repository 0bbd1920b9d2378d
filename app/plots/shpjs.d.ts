// shpjs ships no types; these are the two parsers we call (shpjs 6).
declare module "shpjs" {
  import type { Geometry } from "geojson";
  /** Shapes of a .shp in file order (null for empty shapes); projected with the .prj text when given. */
  export function parseShp(shp: ArrayBuffer | Uint8Array | DataView, prj?: string | false): (Geometry | null)[];
  /** Rows of a .dbf, decoded with the .cpg encoding label when given. */
  export function parseDbf(dbf: ArrayBuffer | Uint8Array | DataView, cpg?: string): Record<string, unknown>[];
}
