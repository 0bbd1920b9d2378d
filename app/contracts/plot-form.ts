import { parseArea } from "~/lib/money";

/**
 * A household's contracted plot is a few mu; 10,000 mu bounds any typing
 * slip and keeps area × rent inside the amounts the books can hold.
 */
export const MAX_PLOT_AREA_MU = 10_000;
import { isValidDate } from "~/lib/dates";
import type { FieldErrors, RawForm } from "~/lib/forms";

export const PLOT_CATEGORIES = ["CONTRACTED", "PRIVATE", "RESERVE", "RECLAIMED", "OTHER"] as const;

export interface PlotInput {
  parcelCode: string;
  groupId: number;
  name: string;
  category: (typeof PLOT_CATEGORIES)[number];
  contractArea: string;
  measuredArea: string | null;
  landClass: string;
  grade: string;
  basicFarmland: boolean;
  east: string;
  south: string;
  west: string;
  north: string;
  contractEnd: string;
}

/** Validates a contracted plot (承包地块) apart from its parcel code's fit to the village, which needs the database. */
export function parsePlotForm(raw: RawForm): { ok: true; value: PlotInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const s = (k: string, max = 40) => {
    const v = (raw[k] ?? "").trim();
    if (v.length > max) errors[k] = { key: "text.tooLong", params: { max } };
    return v;
  };
  const parcelCode = s("parcelCode", 19);
  if (!parcelCode) errors.parcelCode = { key: "parcel.required" };
  else if (!/^\d{19}$/.test(parcelCode)) errors.parcelCode = { key: "parcel.format" };
  const groupId = Number(raw.groupId);
  if (!Number.isInteger(groupId) || groupId <= 0) errors.groupId = { key: "group.required" };
  const name = s("name");
  if (!name) errors.name = { key: "name.required" };
  const category = raw.category as PlotInput["category"];
  if (!PLOT_CATEGORIES.includes(category)) errors.category = { key: "plot.categoryRequired" };
  const area = parseArea(raw.contractArea ?? "");
  if (!area.ok) errors.contractArea = { key: area.error };
  else if (area.value.gt(MAX_PLOT_AREA_MU)) errors.contractArea = { key: "area.tooLarge", params: { max: MAX_PLOT_AREA_MU } };
  let measuredArea: string | null = null;
  if ((raw.measuredArea ?? "").trim()) {
    const m = parseArea(raw.measuredArea ?? "");
    if (!m.ok) errors.measuredArea = { key: m.error };
    else if (m.value.gt(MAX_PLOT_AREA_MU)) errors.measuredArea = { key: "area.tooLarge", params: { max: MAX_PLOT_AREA_MU } };
    else measuredArea = m.value.toFixed(2);
  }
  const contractEnd = s("contractEnd", 10);
  if (!contractEnd) errors.contractEnd = { key: "plot.contractEndRequired" };
  else if (!isValidDate(contractEnd)) errors.contractEnd = { key: "date.format" };
  if (Object.keys(errors).length || !area.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      parcelCode,
      groupId,
      name,
      category,
      contractArea: area.value.toFixed(2),
      measuredArea,
      landClass: s("landClass"),
      grade: s("grade"),
      basicFarmland: raw.basicFarmland === "on" || raw.basicFarmland === "true",
      east: s("east"),
      south: s("south"),
      west: s("west"),
      north: s("north"),
      contractEnd,
    },
  };
}
