/**
 * What the import preview's map draws: each feature with a shape, coloured
 * by what the checks said (ok, warned, refused) and numbered as in the
 * table, and the extent that shows them with the village's saved plots.
 */
import type { BBox, PlotGeometry } from "./geometry";
import { plotLabel } from "./map-data";

export interface PreviewFeature {
  index: number;
  fields: { code: string; name: string };
  geometry: PlotGeometry | null;
  bbox: BBox | null;
  errors: unknown[];
  warnings: unknown[];
}

export function importPreviewMap(features: readonly PreviewFeature[], villageExtent: BBox | null) {
  const plots = features.flatMap((f) =>
    f.geometry
      ? [{ index: f.index, label: plotLabel(f.fields.code, f.fields.name), geometry: f.geometry, state: f.errors.length ? ("invalid" as const) : f.warnings.length ? ("warned" as const) : ("ok" as const) }]
      : [],
  );
  const boxes = [...features.flatMap((f) => (f.bbox ? [f.bbox] : [])), ...(villageExtent ? [villageExtent] : [])];
  const extent: BBox | null = boxes.length
    ? boxes.reduce<BBox>((b, x) => [Math.min(b[0], x[0]), Math.min(b[1], x[1]), Math.max(b[2], x[2]), Math.max(b[3], x[3])], [180, 90, -180, -90])
    : null;
  return { plots, extent };
}
