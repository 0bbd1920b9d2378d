/**
 * A village's plots as GeoJSON (RFC 7946, WGS-84) and as KML, with the
 * attribute names the importer reads back, so that an export opened in a
 * GIS tool, edited and imported again keeps every field.
 */
import type { PlotGeometry } from "./geometry";
import { polygonsOf } from "./geometry";
import type { Crop } from "./plot-form";

export interface ExportPlot {
  code: string;
  name: string;
  crop: Crop;
  variety: string;
  plantingYear: number | null;
  trees: number | null;
  status: string;
  areaMu: string;
  declaredMu: string | null;
  household: string;
  cooperative: string;
  geometry: PlotGeometry;
}

function properties(p: ExportPlot) {
  return {
    code: p.code,
    name: p.name,
    crop: p.crop,
    variety: p.variety,
    planted: p.plantingYear,
    trees: p.trees,
    status: p.status,
    area_mu: p.areaMu,
    declared_mu: p.declaredMu,
    household: p.household,
    cooperative: p.cooperative,
  };
}

export function plotsToGeoJson(plots: readonly ExportPlot[], meta: { name: string }): string {
  return JSON.stringify({
    type: "FeatureCollection",
    name: meta.name,
    features: plots.map((p) => ({ type: "Feature", properties: properties(p), geometry: p.geometry })),
  });
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

// KML colours are aabbggrr; the same hues as the map legend.
const KML_COLOURS: Record<Crop, string> = {
  PEACH: "ffb469ec",
  PEAR: "ff3cb4a0",
  HAWTHORN: "ff2828c8",
  CRABAPPLE: "ffc882dc",
  GRAPE: "ff963c6e",
  NURSERY: "ff288c28",
  OTHER: "ff808080",
};

function kmlPolygon(rings: number[][][]): string {
  const ring = (r: number[][]) => `<LinearRing><coordinates>${r.map((p) => `${p[0]},${p[1]}`).join(" ")}</coordinates></LinearRing>`;
  const [outer, ...holes] = rings;
  return `<Polygon><outerBoundaryIs>${ring(outer!)}</outerBoundaryIs>${holes.map((h) => `<innerBoundaryIs>${ring(h)}</innerBoundaryIs>`).join("")}</Polygon>`;
}

export function plotsToKml(plots: readonly ExportPlot[], meta: { name: string }): string {
  const fields: [string, string][] = [
    ["code", "string"],
    ["crop", "string"],
    ["variety", "string"],
    ["planted", "int"],
    ["trees", "int"],
    ["status", "string"],
    ["area_mu", "float"],
    ["declared_mu", "float"],
    ["household", "string"],
    ["cooperative", "string"],
  ];
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<kml xmlns="http://www.opengis.net/kml/2.2">`,
    `<Document><name>${escapeXml(meta.name)}</name>`,
    `<Schema name="plot" id="plot">${fields.map(([n, t]) => `<SimpleField name="${n}" type="${t}"/>`).join("")}</Schema>`,
    ...Object.entries(KML_COLOURS).map(
      ([crop, colour]) => `<Style id="${crop}"><LineStyle><color>ff333333</color><width>1</width></LineStyle><PolyStyle><color>99${colour.slice(2)}</color></PolyStyle></Style>`,
    ),
  ];
  for (const p of plots) {
    const props = properties(p) as Record<string, unknown>;
    const data = fields
      .filter(([n]) => props[n] != null && props[n] !== "")
      .map(([n]) => `<SimpleData name="${n}">${escapeXml(String(props[n]))}</SimpleData>`)
      .join("");
    const polys = polygonsOf(p.geometry).map((rings) => kmlPolygon(rings as number[][][]));
    lines.push(
      `<Placemark><name>${escapeXml(p.name || p.code)}</name><styleUrl>#${p.crop}</styleUrl>` +
        `<ExtendedData><SchemaData schemaUrl="#plot">${data}</SchemaData></ExtendedData>` +
        (polys.length === 1 ? polys[0] : `<MultiGeometry>${polys.join("")}</MultiGeometry>`) +
        `</Placemark>`,
    );
  }
  lines.push(`</Document>`, `</kml>`);
  return lines.join("\n");
}
