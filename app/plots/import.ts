/**
 * Reading orchard plots from files people already have: GeoJSON, KML (or
 * KMZ) and zipped ESRI Shapefiles with their .prj. Everything ends up as
 * WGS-84 GeoJSON plus the plot fields, with each feature's problems listed,
 * so that the user sees a preview before anything is saved.
 *
 * Coordinate systems: WGS-84 and CGCS2000 (geographic) are taken as they
 * are, the two differ by centimetres. Projected CGCS2000/WGS-84 systems
 * (Gauss-Krüger, UTM) are converted with proj4. Beijing 1954 and Xi'an
 * 1980 are refused: converting them needs seven local parameters that a
 * file does not carry, and a guess would move every plot by tens of metres.
 *
 * Pure apart from unzipping: zips (KMZ, Shapefiles) are opened by the
 * bounded reader of upload-limits.server.ts, which counts the bytes actually
 * inflated (node:zlib) instead of trusting the sizes the zip declares.
 * fast-xml-parser, shpjs and proj4 run anywhere.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { hasDoctype, InflateLimitExceeded, MiB, openZip, ZipFormatError, type ZipArchive } from "~/lib/upload-limits.server";
import proj4 from "proj4";
import { parseDbf, parseShp } from "shpjs";
import { areaDiscrepancy, findOverlaps, normalizeGeometry, type BBox, type PlotGeometry, type Problem } from "./geometry";
import {
  checkCode,
  checkDeclaredMu,
  checkPlantingYear,
  checkTrees,
  cropFromText,
  MAX_NAME,
  MAX_VARIETY,
  parseParcelCodes,
  type PlotFields,
  type PlotStatus,
} from "./plot-form";

/** The largest plot file (GeoJSON, KML, KMZ or zipped Shapefile) an upload may carry. */
export const MAX_IMPORT_BYTES = 20 * MiB;
export const MAX_IMPORT_FEATURES = 5000;
/** What a KMZ or zipped Shapefile may unpack to, counted while inflating. */
export const MAX_UNZIPPED_BYTES = 50 * MiB;

export type ImportFormat = "geojson" | "kml" | "kmz" | "shapefile";

export interface ImportedFeature {
  /** 1-based position in the file */
  index: number;
  fields: PlotFields;
  /** contracted plots (承包地块) the orchard lies on, from a parcels column */
  parcelCodes: string[];
  geometry: PlotGeometry | null;
  areaMu: string | null;
  bbox: BBox | null;
  /** what keeps the feature from being saved */
  errors: Problem[];
  /** what is saved but flagged: overlaps, area discrepancies, guessed values */
  warnings: Problem[];
}

export type ImportResult =
  | { ok: false; error: Problem }
  | { ok: true; format: ImportFormat; crs: Problem; features: ImportedFeature[] };

export interface RawFeature {
  geometry: unknown;
  properties: Record<string, unknown>;
}

type Transform = (x: number, y: number) => [number, number];

// ─── Coordinate systems ────────────────────────────────────────────────────

const ACCEPTED_DATUM = /WGS[ _]?(19)?84|China[ _]?2000|China[ _]Geodetic[ _]Coordinate[ _]System[ _]2000|CGCS[ _]?2000/i;
const LOCAL_DATUM = /Beijing|Xian|Xi'an|Krassowsky|Krasovsky|IAG[ _]?1975/i;

/** proj4 definitions for the EPSG codes a GeoJSON `crs` member may name. */
function epsgDefinition(code: number): string | "identity" | null {
  if (code === 4326 || code === 4490 || code === 4479 || code === 4480) return "identity";
  const tm = (lon0: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  // CGCS2000 Gauss-Krüger: 6° zones 13–23 (with and without the zone in the easting), 3° zones 25–45.
  if (code >= 4491 && code <= 4501) return tm(75 + 6 * (code - 4491), (13 + code - 4491) * 1e6 + 5e5);
  if (code >= 4502 && code <= 4512) return tm(75 + 6 * (code - 4502), 5e5);
  if (code >= 4513 && code <= 4533) return tm(75 + 3 * (code - 4513), (25 + code - 4513) * 1e6 + 5e5);
  if (code >= 4534 && code <= 4554) return tm(75 + 3 * (code - 4534), 5e5);
  if (code >= 32643 && code <= 32653) return `+proj=utm +zone=${code - 32600} +datum=WGS84 +units=m +no_defs`;
  return null;
}

function transformOf(def: string): Transform {
  const conv = proj4(def, "WGS84");
  return (x, y) => conv.forward([x, y]) as [number, number];
}

/** How to bring a shapefile's coordinates to WGS-84, from its .prj text. */
export function transformFromPrj(wkt: string): { ok: true; transform: Transform | null; crs: Problem } | { ok: false; error: Problem } {
  const text = wkt.replace(/^\uFEFF/, "").trim();
  const name = /^\s*\w+\s*\[\s*"([^"]*)"/.exec(text)?.[1] ?? text.slice(0, 40);
  const projected = /^(PROJCS|PROJCRS|PROJECTEDCRS)\b/i.test(text);
  const geographic = /^(GEOGCS|GEOGCRS|GEODCRS|GEOGRAPHICCRS)\b/i.test(text);
  if (!projected && !geographic) return { ok: false, error: { key: "plots.import.projectionUnsupported", params: { name } } };
  if (LOCAL_DATUM.test(text) || !ACCEPTED_DATUM.test(text)) return { ok: false, error: { key: "plots.import.datumUnsupported", params: { name } } };
  if (geographic) return { ok: true, transform: null, crs: { key: "plots.import.crs.geographic", params: { name } } };
  try {
    // Coordinates that the projection cannot place come out non-finite or
    // outside China, and the geometry check then refuses that feature.
    const transform = transformOf(text);
    return { ok: true, transform, crs: { key: "plots.import.crs.projected", params: { name } } };
  } catch {
    return { ok: false, error: { key: "plots.import.projectionUnsupported", params: { name } } };
  }
}

function transformFromGeoJsonCrs(crs: unknown): { ok: true; transform: Transform | null; crs: Problem } | { ok: false; error: Problem } {
  const wgs = { ok: true as const, transform: null, crs: { key: "plots.import.crs.wgs84" } };
  if (crs == null) return wgs;
  const name = String((crs as { properties?: { name?: unknown } }).properties?.name ?? "");
  if (/CRS84$/i.test(name)) return wgs;
  const code = /EPSG:{1,2}(\d+)$/i.exec(name)?.[1];
  const def = code ? epsgDefinition(Number(code)) : null;
  if (!def) return { ok: false, error: { key: "plots.import.crsUnsupported", params: { name: name || "?" } } };
  if (def === "identity") return { ok: true, transform: null, crs: { key: "plots.import.crs.geographic", params: { name } } };
  return { ok: true, transform: transformOf(def), crs: { key: "plots.import.crs.projected", params: { name } } };
}

function transformCoordinates(value: unknown, t: Transform): unknown {
  if (!Array.isArray(value)) return value;
  if (typeof value[0] === "number" && typeof value[1] === "number") return t(value[0], value[1]);
  return value.map((v) => transformCoordinates(v, t));
}

// ─── Text ──────────────────────────────────────────────────────────────────

function decodeText(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  // KML written by older Chinese tools declares a GB encoding in its prolog.
  const declared = /encoding=["']([\w-]+)["']/i.exec(head)?.[1];
  const label = declared && /^(gbk|gb2312|gb18030)$/i.test(declared) ? "gb18030" : "utf-8";
  return new TextDecoder(label).decode(bytes).replace(/^\uFEFF/, "");
}

// ─── GeoJSON ───────────────────────────────────────────────────────────────

/**
 * Why a text is not JSON, in the user's words: a file that ends before its
 * brackets close was cut off (an interrupted upload or export), anything
 * else is malformed near a line. Never the parser's English message.
 */
export function jsonError(text: string, parserMessage = ""): Problem {
  let depth = 0;
  let inString = false;
  let line = 1;
  let badLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth < 0 && !badLine) badLine = line;
    }
  }
  if ((depth > 0 || inString) && !badLine) return { key: "plots.import.truncatedJson" };
  const at = /position (\d+)/.exec(parserMessage)?.[1];
  const lineAt = at ? text.slice(0, Number(at)).split("\n").length : 0;
  return { key: "plots.import.badJson", params: { line: badLine || lineAt || line } };
}

function readGeoJson(text: string): { ok: true; features: RawFeature[]; crs: Problem } | { ok: false; error: Problem } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: jsonError(text, e instanceof Error ? e.message : "") };
  }
  const d = doc as { type?: string; features?: unknown; crs?: unknown; geometry?: unknown; properties?: unknown };
  let raw: RawFeature[];
  if (d?.type === "FeatureCollection" && Array.isArray(d.features)) {
    raw = (d.features as { geometry?: unknown; properties?: unknown }[]).map((f) => ({
      geometry: f?.geometry ?? null,
      properties: (f?.properties && typeof f.properties === "object" ? f.properties : {}) as Record<string, unknown>,
    }));
  } else if (d?.type === "Feature") {
    raw = [{ geometry: d.geometry ?? null, properties: (d.properties ?? {}) as Record<string, unknown> }];
  } else if (d?.type === "Polygon" || d?.type === "MultiPolygon") {
    raw = [{ geometry: d, properties: {} }];
  } else {
    return { ok: false, error: { key: "plots.import.notGeoJson" } };
  }
  const crs = transformFromGeoJsonCrs(d.crs);
  if (!crs.ok) return crs;
  if (crs.transform) for (const f of raw) f.geometry = reproject(f.geometry, crs.transform);
  return { ok: true, features: raw, crs: crs.crs };
}

function reproject(geometry: unknown, t: Transform): unknown {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== "object") return g;
  return { ...g, coordinates: transformCoordinates(g.coordinates, t) };
}

// ─── KML ───────────────────────────────────────────────────────────────────

const asArray = <T>(x: T | T[] | undefined | null): T[] => (x == null ? [] : Array.isArray(x) ? x : [x]);
const textOf = (x: unknown): string =>
  x == null ? "" : typeof x === "object" ? textOf((x as Record<string, unknown>)["#text"]) : decodeXmlEntities(String(x)).trim();

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * The five predefined XML entities and character references, decoded once
 * ("&lt;子&gt;" is the name <子>, never the literal text). The parser leaves
 * entities alone so that no DOCTYPE-defined entity is ever expanded (and a
 * DOCTYPE is refused before parsing anyway); "&amp;lt;" decodes to "&lt;".
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name]!;
    const cp = dec ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}

function kmlRing(node: unknown): number[][] {
  const coords = textOf((node as { LinearRing?: { coordinates?: unknown } })?.LinearRing?.coordinates);
  return coords
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.split(",").map(Number));
}

function kmlPolygons(node: Record<string, unknown>): number[][][][] {
  const out: number[][][][] = [];
  for (const poly of asArray(node.Polygon as Record<string, unknown>[])) {
    const outer = kmlRing(poly.outerBoundaryIs);
    const inner = asArray(poly.innerBoundaryIs).map(kmlRing);
    out.push([outer, ...inner]);
  }
  for (const multi of asArray(node.MultiGeometry as Record<string, unknown>[])) out.push(...kmlPolygons(multi));
  return out;
}

function collectPlacemarks(node: unknown, out: Record<string, unknown>[]) {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) collectPlacemarks(n, out);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "Placemark") out.push(...asArray(value as Record<string, unknown>[]));
    else if (key !== "ExtendedData" && key !== "Style" && key !== "Schema") collectPlacemarks(value, out);
  }
}

function readKml(text: string): { ok: true; features: RawFeature[] } | { ok: false; error: Problem } {
  // No KML needs a DOCTYPE; its entities are how XML bombs and file leaks work (the parser used to throw on them: a 500).
  if (hasDoctype(text)) return { ok: false, error: { key: "plots.import.doctype" } };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: { key: "plots.import.badXml" } };
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    // Guard against entity expansion tricks in uploaded files.
    processEntities: false,
  });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, error: { key: "plots.import.badXml" } };
  }
  if (!doc.kml) return { ok: false, error: { key: "plots.import.notKml" } };
  const placemarks: Record<string, unknown>[] = [];
  collectPlacemarks(doc.kml, placemarks);
  const features = placemarks.map((pm): RawFeature => {
    const properties: Record<string, unknown> = {};
    const name = textOf(pm.name);
    if (name) properties.name = name;
    const ext = pm.ExtendedData as Record<string, unknown> | undefined;
    for (const sd of asArray(ext?.SchemaData as Record<string, unknown>[])) {
      for (const d of asArray(sd.SimpleData as Record<string, unknown>[])) properties[String(d["@_name"])] = textOf(d);
    }
    for (const d of asArray(ext?.Data as Record<string, unknown>[])) properties[String(d["@_name"])] = textOf(d.value);
    const polys = kmlPolygons(pm);
    const geometry =
      polys.length === 0 ? { type: pm.Point ? "Point" : pm.LineString ? "LineString" : "-" }
      : polys.length === 1 ? { type: "Polygon", coordinates: polys[0] }
      : { type: "MultiPolygon", coordinates: polys };
    return { geometry, properties };
  });
  return { ok: true, features };
}

// ─── Shapefile (and KMZ) ───────────────────────────────────────────────────

type ZipRead = { ok: true; format: ImportFormat; features: RawFeature[]; crs: Problem } | { ok: false; error: Problem };

/**
 * A KMZ or a zipped Shapefile. A small zip can unpack to gigabytes, and the
 * sizes in its directory are whatever its maker wrote: the bytes inflated are
 * counted, and reading stops at maxUnzipped.
 */
async function readZip(bytes: Uint8Array, maxUnzipped: number): Promise<ZipRead> {
  let zip: ZipArchive;
  try {
    zip = openZip(bytes, { maxInflatedBytes: maxUnzipped });
  } catch {
    return { ok: false, error: { key: "plots.import.corruptZip" } };
  }
  try {
    return await readZipEntries(zip);
  } catch (e) {
    if (e instanceof InflateLimitExceeded) return { ok: false, error: { key: "plots.import.unzippedTooLarge", params: { max: Math.round(maxUnzipped / MiB) } } };
    if (e instanceof ZipFormatError) return { ok: false, error: { key: "plots.import.corruptZip" } };
    throw e;
  }
}

async function readZipEntries(zip: ZipArchive): Promise<ZipRead> {
  const files = zip.names.filter((name) => !name.includes("__MACOSX")).map((name) => ({ name }));
  const bytesOf = (f: { name: string }) => zip.read(f.name);
  const entryText = (f: { name: string }) => zip.read(f.name).toString("utf8");
  const byExt = (ext: string) => files.filter((f) => f.name.toLowerCase().endsWith(ext));
  const shps = byExt(".shp");
  if (shps.length === 0) {
    const kml = byExt(".kml")[0];
    if (!kml) return { ok: false, error: { key: "plots.import.noShp" } };
    const read = readKml(decodeText(bytesOf(kml)));
    return read.ok ? { ok: true, format: "kmz", features: read.features, crs: { key: "plots.import.crs.wgs84" } } : read;
  }
  const features: RawFeature[] = [];
  let crs: Problem = { key: "plots.import.crs.wgs84" };
  try {
    for (const shp of shps) {
      const base = shp.name.slice(0, -4);
      const sibling = (ext: string) => files.find((f) => f.name.slice(0, -4) === base && f.name.toLowerCase().endsWith(ext));
      const prjFile = sibling(".prj");
      if (!prjFile) return { ok: false, error: { key: "plots.import.noPrj", params: { file: shp.name } } };
      const prj = transformFromPrj(entryText(prjFile));
      if (!prj.ok) return prj;
      crs = prj.crs;
      const shapes = parseShp(bytesOf(shp));
      const dbfFile = sibling(".dbf");
      const cpgFile = sibling(".cpg");
      let rows: Record<string, unknown>[] = [];
      if (dbfFile) {
        const dbf = bytesOf(dbfFile);
        const cpg = cpgFile ? entryText(cpgFile).trim() : undefined;
        rows = parseDbf(dbf, cpg ? normalizeCodePage(cpg) : undefined);
        // Chinese GIS tools often write GBK without a .cpg; UTF-8 decoding then shows replacement marks.
        if (!cpg && rows.some((r) => Object.values(r).some((v) => typeof v === "string" && v.includes("\uFFFD")))) rows = parseDbf(dbf, "gb18030");
      }
      shapes.forEach((geometry, i) => {
        features.push({ geometry: geometry && prj.transform ? reproject(geometry, prj.transform) : geometry, properties: rows[i] ?? {} });
      });
    }
  } catch (e) {
    if (e instanceof InflateLimitExceeded || e instanceof ZipFormatError) throw e;
    return { ok: false, error: { key: "plots.import.badShp", params: { detail: e instanceof Error ? e.message.slice(0, 80) : "" } } };
  }
  return { ok: true, format: "shapefile", features, crs };
}

function normalizeCodePage(cpg: string): string {
  if (/^(936|cp936|gbk|gb2312)$/i.test(cpg)) return "gb18030";
  if (/^65001$/.test(cpg)) return "utf-8";
  return cpg;
}

// ─── Fields ────────────────────────────────────────────────────────────────

// Attribute names seen in files from GIS tools, land-registration exports
// (DKBM = 地块编码, DKMC = 地块名称, HTMJ = 合同面积) and our own export.
// DBF truncates names to 10 characters, hence declared_m.
const ALIASES = {
  code: ["code", "plot_code", "dkbm", "编码", "地块编码", "地块代码"],
  name: ["name", "dkmc", "名称", "地块名称"],
  crop: ["crop", "作物", "果树", "树种"],
  variety: ["variety", "品种"],
  plantingYear: ["planted", "planting_year", "planting_y", "plantingyear", "种植年份", "栽植年份"],
  trees: ["trees", "tree_count", "株数", "棵数"],
  declaredMu: ["declared_mu", "declared_m", "contract_mu", "contract_m", "htmj", "合同面积", "承包面积"],
  parcelCodes: ["parcels", "parcel_codes", "parcel_cod", "cbdkbm", "承包地块", "承包地块编码"],
  status: ["status", "状态"],
} as const;

function pick(props: Record<string, unknown>, names: readonly string[]): unknown {
  for (const [k, v] of Object.entries(props)) {
    if (names.includes(k.trim().toLowerCase()) && v != null && String(v).trim() !== "") return v;
  }
  return undefined;
}

const STATUS_WORDS: [RegExp, PlotStatus][] = [
  [/^(planted|已种植|种植|新植|定植)$/i, "PLANTED"],
  [/^(young|幼树|未挂果|未结果)$/i, "YOUNG"],
  [/^(bearing|挂果|结果|盛果|盛果期|初果期)$/i, "BEARING"],
  [/^(removed|已清除|已拔除|清除|毁园)$/i, "REMOVED"],
];

const intText = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? String(v) : String(v ?? "").trim().replace(/\.0+$/, ""));

function readFields(props: Record<string, unknown>, currentYear: number): { fields: PlotFields; parcelCodes: string[]; errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const str = (v: unknown) => (v == null ? "" : String(v).trim());
  const name = str(pick(props, ALIASES.name)).slice(0, MAX_NAME);
  let code = str(pick(props, ALIASES.code));
  if (!code && name) {
    code = name;
    warnings.push({ key: "plots.warn.codeFromName" });
  }
  const codeError = checkCode(code);
  if (codeError) errors.push(codeError);

  const cropText = str(pick(props, ALIASES.crop));
  const varietyText = str(pick(props, ALIASES.variety));
  const fromCrop = cropFromText(cropText);
  const fromVariety = cropFromText(varietyText);
  let crop: PlotFields["crop"] = "OTHER";
  let variety = "";
  if (fromCrop) {
    crop = fromCrop.crop;
    variety = (fromVariety && fromVariety.crop === crop ? fromVariety.variety : varietyText) || fromCrop.variety;
  } else if (fromVariety) {
    crop = fromVariety.crop;
    variety = fromVariety.variety;
  } else {
    variety = varietyText || cropText;
    warnings.push(cropText || varietyText ? { key: "plots.warn.cropUnknown", params: { text: cropText || varietyText } } : { key: "plots.warn.cropMissing" });
  }

  const year = checkPlantingYear(intText(pick(props, ALIASES.plantingYear)), currentYear);
  if (year.error) errors.push(year.error);
  const trees = checkTrees(intText(pick(props, ALIASES.trees)));
  if (trees.error) errors.push(trees.error);
  const declaredRaw = pick(props, ALIASES.declaredMu);
  const declared = checkDeclaredMu(typeof declaredRaw === "number" ? declaredRaw : str(declaredRaw));
  if (declared.error) errors.push(declared.error);

  // The plot form's own check (plot-form.ts parseParcelCodes): the import refuses what the form refuses.
  const parcels = parseParcelCodes(str(pick(props, ALIASES.parcelCodes)));
  if (parcels.error) errors.push(parcels.error);

  let status: PlotStatus = "PLANTED";
  const statusText = str(pick(props, ALIASES.status));
  if (statusText) {
    const found = STATUS_WORDS.find(([re]) => re.test(statusText));
    if (found) status = found[1];
    else warnings.push({ key: "plots.warn.statusUnknown", params: { text: statusText } });
  }
  return {
    fields: { code, name, crop, variety: variety.slice(0, MAX_VARIETY), plantingYear: year.value, trees: trees.value, status, declaredMu: declared.value },
    parcelCodes: parcels.error ? [] : parcels.codes,
    errors,
    warnings,
  };
}

// ─── Entry point ───────────────────────────────────────────────────────────

function detect(fileName: string, bytes: Uint8Array): ImportFormat | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return "shapefile"; // "PK": a zip, shapefile or KMZ
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === "zip" || ext === "kmz") return "shapefile";
  const start = new TextDecoder("latin1").decode(bytes.subarray(0, 64)).replace(/^(\xEF\xBB\xBF|\s)+/, "");
  if (start.startsWith("<")) return "kml";
  if (start.startsWith("{") || start.startsWith("[")) return "geojson";
  if (ext === "kml") return "kml";
  if (ext === "geojson" || ext === "json") return "geojson";
  return null;
}

/**
 * The features of a GeoJSON, KML/KMZ or zipped Shapefile in WGS-84, with
 * their attributes, whatever their geometry: the plot import and the
 * reference layers (reference-layers.server.ts) both read files this way.
 */
export async function readFeatures(
  fileName: string,
  bytes: Uint8Array,
  opts: { maxUnzippedBytes?: number } = {},
): Promise<{ ok: true; format: ImportFormat; features: RawFeature[]; crs: Problem } | { ok: false; error: Problem }> {
  const format = detect(fileName, bytes);
  if (!format) return { ok: false, error: { key: "plots.import.unknownFormat" } };
  if (format === "shapefile") return readZip(bytes, opts.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES);
  if (format === "kml") {
    const kml = readKml(decodeText(bytes));
    return kml.ok ? { ...kml, format, crs: { key: "plots.import.crs.wgs84" } } : kml;
  }
  const gj = readGeoJson(decodeText(bytes));
  return gj.ok ? { ...gj, format } : gj;
}

/**
 * Reads a file into plots with their problems. A file-level error (empty,
 * corrupt, unknown projection) means nothing in it can be trusted; feature
 * errors concern one plot each. Overlaps inside the file and area
 * discrepancies are warnings.
 */
export async function parsePlotFile(fileName: string, bytes: Uint8Array, opts: { currentYear: number; maxUnzippedBytes?: number }): Promise<ImportResult> {
  const blank = bytes.length === 0 || (bytes.length < 1024 && new TextDecoder("latin1").decode(bytes).trim() === "");
  if (blank) {
    return { ok: false, error: { key: "plots.import.empty" } };
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    return { ok: false, error: { key: "plots.import.tooLarge", params: { size: (bytes.length / 1048576).toFixed(1), max: MAX_IMPORT_BYTES / 1048576 } } };
  }
  const read = await readFeatures(fileName, bytes, opts);
  if (!read.ok) return read;
  if (read.features.length === 0) return { ok: false, error: { key: "plots.import.noFeatures" } };
  if (read.features.length > MAX_IMPORT_FEATURES) {
    return { ok: false, error: { key: "plots.import.tooManyFeatures", params: { count: read.features.length, max: MAX_IMPORT_FEATURES } } };
  }

  const seen = new Map<string, number>();
  const features: ImportedFeature[] = read.features.map((raw, i) => {
    const { fields, parcelCodes, errors, warnings } = readFields(raw.properties, opts.currentYear);
    if (fields.code) {
      const first = seen.get(fields.code);
      if (first !== undefined) errors.push({ key: "plots.import.duplicateCode", params: { code: fields.code, index: first } });
      else seen.set(fields.code, i + 1);
    }
    let geometry: PlotGeometry | null = null;
    let areaMu: string | null = null;
    let bbox: BBox | null = null;
    if (raw.geometry == null) errors.push({ key: "plots.import.noGeometry" });
    else {
      const n = normalizeGeometry(raw.geometry);
      if (n.ok) {
        geometry = n.geometry;
        areaMu = n.areaMu;
        bbox = n.bbox;
        const d = areaDiscrepancy(n.areaMu, fields.declaredMu);
        if (d?.flagged) warnings.push({ key: "plots.warn.discrepancy", params: { percent: d.percent, declared: fields.declaredMu!, measured: n.areaMu } });
      } else errors.push(...n.problems);
    }
    return { index: i + 1, fields, parcelCodes, geometry, areaMu, bbox, errors, warnings };
  });

  const valid = features.filter((f) => f.geometry && f.bbox) as (ImportedFeature & { geometry: PlotGeometry; bbox: BBox })[];
  for (const pair of findOverlaps(valid.map((f) => ({ id: f.index, geometry: f.geometry, bbox: f.bbox })))) {
    const [a, b] = [features[pair.a - 1]!, features[pair.b - 1]!];
    const m2 = Math.round(pair.m2);
    a.warnings.push({ key: "plots.warn.overlap", params: { other: b.fields.code || `#${b.index}`, m2 } });
    b.warnings.push({ key: "plots.warn.overlap", params: { other: a.fields.code || `#${a.index}`, m2 } });
  }
  return { ok: true, format: read.format, crs: read.crs, features };
}
