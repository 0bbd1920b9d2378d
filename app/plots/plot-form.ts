/**
 * The facts of an orchard plot as typed in the form or read from a file,
 * checked the same way for both. Pure: shared by the browser form, the
 * server action and the importer. Errors are message keys of
 * app/plots/messages.ts, tied to the field they belong to.
 */
import { checkParcelCode } from "~/contracts/parcel-code";
import type { FieldErrors } from "~/lib/forms";
import { parseArea, Decimal } from "~/lib/money";
import { normalizeGeometry, type BBox, type PlotGeometry, type Problem } from "./geometry";

import { CROPS, PLOT_STATUSES, type Crop, type PlotStatus } from "./vocabulary";

export { CROPS, PLOT_STATUSES, type Crop, type PlotStatus };

export const MAX_CODE = 30;
export const MAX_NAME = 60;
export const MAX_VARIETY = 30;
export const EARLIEST_PLANTING_YEAR = 1950;
// A plot of 5,000 mu at most, at a few hundred trees per mu for nursery stock.
export const MAX_TREES = 2_000_000;

/** The fields of a plot apart from its geometry and links. */
export interface PlotFields {
  code: string;
  name: string;
  crop: Crop;
  variety: string;
  plantingYear: number | null;
  trees: number | null;
  status: PlotStatus;
  declaredMu: string | null;
}

export interface PlotInput extends PlotFields {
  householdId: number | null;
  cooperativeId: number | null;
  contractId: number | null;
  /** 19-digit codes of the contracted plots (承包地块) the orchard lies on */
  parcelCodes: string[];
  geometry: PlotGeometry;
  areaMu: string;
  bbox: BBox;
}

// Words people write for the crops. Walnut, cherry, kiwi and carambola
// (核桃, 樱桃, 猕猴桃, 杨桃) contain 桃 but are not peaches.
const CROP_WORDS: [RegExp, Crop][] = [
  [/^peach$|^(?!.*(核桃|樱桃|猕猴桃|杨桃)).*桃/i, "PEACH"],
  [/^pear$|梨/i, "PEAR"],
  [/^hawthorn$|山楂|山里红/i, "HAWTHORN"],
  [/^crab ?apple$|海棠/i, "CRABAPPLE"],
  [/^grapes?$|葡萄/i, "GRAPE"],
  [/^nursery( stock)?$|苗木|苗圃/i, "NURSERY"],
];
const GENERIC_NAMES = new Set(["桃", "桃树", "梨", "梨树", "山楂", "山楂树", "海棠", "葡萄", "苗木", "苗圃"]);

/**
 * Reads a crop from a code (PEACH), a Chinese word (桃, 黄桃, 酥梨) or an
 * English one. A specific word such as 黄桃 also becomes the variety.
 */
export function cropFromText(text: string): { crop: Crop; variety: string } | null {
  const s = text.trim();
  if (!s) return null;
  const upper = s.toUpperCase();
  if ((CROPS as readonly string[]).includes(upper)) return { crop: upper as Crop, variety: "" };
  for (const [re, crop] of CROP_WORDS) {
    if (re.test(s)) return { crop, variety: GENERIC_NAMES.has(s) || /^[a-z ]+$/i.test(s) ? "" : s.slice(0, MAX_VARIETY) };
  }
  return null;
}

const isIntText = (s: string) => /^\d{1,9}$/.test(s);

export function checkCode(code: string): Problem | null {
  if (!code) return { key: "plots.field.code.required" };
  if (code.length > MAX_CODE) return { key: "plots.field.code.tooLong", params: { max: MAX_CODE } };
  if (/[\s\u0000-\u001f]/.test(code)) return { key: "plots.field.code.spaces" };
  return null;
}

export function checkPlantingYear(text: string, currentYear: number): { value: number | null; error: Problem | null } {
  if (!text) return { value: null, error: null };
  if (!isIntText(text) || Number(text) < EARLIEST_PLANTING_YEAR || Number(text) > currentYear) {
    return { value: null, error: { key: "plots.field.plantingYear.invalid", params: { min: EARLIEST_PLANTING_YEAR, max: currentYear } } };
  }
  return { value: Number(text), error: null };
}

export function checkTrees(text: string): { value: number | null; error: Problem | null } {
  if (!text) return { value: null, error: null };
  if (!isIntText(text) || Number(text) > MAX_TREES) return { value: null, error: { key: "plots.field.trees.invalid" } };
  return { value: Number(text), error: null };
}

/** An area in mu with at most 2 decimals; numbers from files with float noise (14.970000001) are rounded. */
export function checkDeclaredMu(input: string | number): { value: string | null; error: Problem | null } {
  let text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "x") : input.trim();
  if (text === "") return { value: null, error: null };
  if (typeof input === "number" && /^\d+\.\d{3,}$/.test(text)) {
    const d = new Decimal(text);
    if (d.minus(d.toDecimalPlaces(2)).abs().lessThan("0.000001")) text = d.toDecimalPlaces(2).toFixed(2);
  }
  const parsed = parseArea(text);
  if (!parsed.ok) return { value: null, error: { key: `plots.field.declaredMu.${parsed.error.slice("area.".length)}` } };
  return { value: parsed.value.toFixed(2), error: null };
}

export const PARCEL_CODE = /^\d{19}$/;

/**
 * The parcel codes (地块编码) of the contracted plots an orchard lies on, as
 * typed in the form or read from a file's column: 19 digits each
 * (app/contracts/parcel-code.ts), separated by spaces, commas or 、. The one
 * check of both the plot form and the plot import; whether each code is a
 * contracted plot of the village is checked against the database after it
 * (plots.server.ts checkParcels), for both as well.
 */
export function parseParcelCodes(text: string): { codes: string[]; error: Problem | null } {
  const codes = [...new Set(text.split(/[\s,，、;；]+/).filter(Boolean))];
  for (const code of codes) {
    // The group part is the code's own: which group a plot lies in is not the form's to know.
    const checked = checkParcelCode(code, { villagePrefix: code.slice(0, 12), groupNumber: code.slice(12, 14) });
    if (!checked.ok || !PARCEL_CODE.test(code)) return { codes, error: { key: "plots.field.parcelCodes.invalid", params: { code: code.slice(0, 40) } } };
  }
  return { codes, error: null };
}

export type RawPlotForm = Record<string, string>;

function optionalId(text: string | undefined): number | null | "bad" {
  if (!text) return null;
  return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : "bad";
}

/**
 * Parses the plot form: the fields, the links by id, the contracted plots
 * by parcel code and the geometry as GeoJSON (WGS-84). Every problem is
 * reported at once, each under its field's name.
 */
export function parsePlotForm(raw: RawPlotForm, currentYear: number): { ok: true; value: PlotInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const s = (k: string) => (raw[k] ?? "").trim();
  const code = s("code");
  const codeError = checkCode(code);
  if (codeError) errors.code = codeError;
  const name = s("name");
  if (name.length > MAX_NAME) errors.name = { key: "plots.field.name.tooLong", params: { max: MAX_NAME } };
  const crop = s("crop") as Crop;
  if (!(CROPS as readonly string[]).includes(crop)) errors.crop = { key: "plots.field.crop.required" };
  const variety = s("variety");
  if (variety.length > MAX_VARIETY) errors.variety = { key: "plots.field.variety.tooLong", params: { max: MAX_VARIETY } };
  const status = (s("status") || "PLANTED") as PlotStatus;
  if (!(PLOT_STATUSES as readonly string[]).includes(status)) errors.status = { key: "plots.field.status.invalid" };
  const year = checkPlantingYear(s("plantingYear"), currentYear);
  if (year.error) errors.plantingYear = year.error;
  const trees = checkTrees(s("trees"));
  if (trees.error) errors.trees = trees.error;
  const declared = checkDeclaredMu(s("declaredMu"));
  if (declared.error) errors.declaredMu = declared.error;
  const ids = { householdId: optionalId(s("householdId")), cooperativeId: optionalId(s("cooperativeId")), contractId: optionalId(s("contractId")) };
  for (const [k, v] of Object.entries(ids)) if (v === "bad") errors[k] = { key: "plots.field.link.invalid" };
  const { codes: parcelCodes, error: parcelError } = parseParcelCodes(s("parcelCodes"));
  if (parcelError) errors.parcelCodes = parcelError;

  let geometry: PlotGeometry | null = null;
  let area = "";
  let bbox: BBox = [0, 0, 0, 0];
  const geometryText = s("geometry");
  if (!geometryText) errors.geometry = { key: "plots.field.geometry.required" };
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(geometryText);
    } catch {
      parsed = null;
    }
    const n = normalizeGeometry(parsed);
    if (n.ok) {
      geometry = n.geometry;
      area = n.areaMu;
      bbox = n.bbox;
    } else errors.geometry = n.problems[0]!;
  }
  if (Object.keys(errors).length || !geometry) return { ok: false, errors };
  return {
    ok: true,
    value: {
      code,
      name,
      crop,
      variety,
      status,
      plantingYear: year.value,
      trees: trees.value,
      declaredMu: declared.value,
      householdId: ids.householdId as number | null,
      cooperativeId: ids.cooperativeId as number | null,
      contractId: ids.contractId as number | null,
      parcelCodes,
      geometry,
      areaMu: area,
      bbox,
    },
  };
}
