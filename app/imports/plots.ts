/**
 * Checks a list of contracted plots (承包地块, from the land registration) with
 * the rules of the plot form and the parcel code, and plans the import. Pure.
 *
 * A plot is matched to an existing one by its 19-digit parcel code (unique in
 * the whole system). Its household is found by 户编号 or by the contractor's
 * (head's) ID number; its villager group by 村民小组 or, when the file has no
 * such column, by the group digits of the parcel code.
 */
import { checkParcelCode, villageParcelPrefix } from "~/contracts/parcel-code";
import { parsePlotForm, type PlotInput } from "~/contracts/plot-form";
import type { RawForm } from "~/lib/forms";
import { Cells, ErrorCollector, headingProblems, missingRequired, sameText, type Change, type Note, type RowErrors } from "./check-common";
import { parseImportDate } from "./columns";
import type { RawTable } from "./table";
import { BOOL_WORDS, CATEGORY_WORDS, cleanNumber, findGroup, groupNumber2, looksLikeLostDigits, lookupWord, normalizeCode, type GroupRef } from "./values";

export interface PlotImportContext {
  villageId: number;
  /** 12-digit division code of the township */
  townshipCode: string;
  /** the village's 3-digit part of parcel codes */
  villageParcelCode: string;
  groups: GroupRef[];
  households: { id: number; code: string; headIdNumber: string; headName: string }[];
  /** the village's plots */
  plots: {
    id: number;
    parcelCode: string;
    householdId: number;
    groupId: number;
    name: string;
    category: string;
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
  }[];
  /** parcel codes of this file already registered in other villages (parcel codes are unique system-wide) */
  otherVillagePlots?: { parcelCode: string; villageName: string }[];
}

export interface PlannedPlot {
  rowNumbers: number[];
  existingId: number | null;
  action: "create" | "update" | "unchanged";
  householdId: number;
  input: PlotInput;
  changes: Change[];
}

export interface PlotCheck {
  rowErrors: RowErrors;
  fileErrors: Note[];
  plots: PlannedPlot[];
  counts: { rows: number; plots: number; create: number; update: number; unchanged: number };
}

type Existing = PlotImportContext["plots"][number];
type Row = RawTable["rows"][number];

/** Plot form field → import column. */
const FIELD_COLUMN: Record<string, string> = {
  parcelCode: "parcelCode",
  groupId: "group",
  name: "name",
  category: "category",
  contractArea: "contractArea",
  measuredArea: "measuredArea",
  landClass: "landClass",
  grade: "grade",
  east: "east",
  south: "south",
  west: "west",
  north: "north",
  contractEnd: "contractEnd",
};

const TEXT_FIELDS = ["name", "landClass", "grade", "east", "south", "west", "north"] as const;

export function checkPlotRows(table: RawTable, index: Record<string, number>, ctx: PlotImportContext): PlotCheck {
  const cells = new Cells(table, index, "PLOTS");
  const errors = new ErrorCollector();
  const fileErrors = headingProblems("PLOTS", table, index, [["householdCode", "headIdNumber"]]);
  for (const e of fileErrors) errors.add(table.headerRowNumber, null, e.key, e.params);
  const col = (key: string) => cells.heading(key);
  const get = (row: Row, key: string) => cells.get(row, key);

  const prefix = villageParcelPrefix(ctx.townshipCode, ctx.villageParcelCode);
  const groupByNumber = new Map(ctx.groups.map((g) => [groupNumber2(g), g]));
  const householdByCode = new Map(ctx.households.map((h) => [h.code, h]));
  const householdById = new Map(ctx.households.map((h) => [h.id, h]));
  const householdByHeadId = new Map(ctx.households.map((h) => [h.headIdNumber, h]));
  const codeWidth = mostCommonLength(ctx.households.map((h) => h.code).filter((c) => /^\d+$/.test(c)));
  const plotByCode = new Map(ctx.plots.map((p) => [p.parcelCode, p]));
  const elsewhere = new Map((ctx.otherVillagePlots ?? []).map((p) => [p.parcelCode, p]));
  const firstRowOf = new Map<string, number>();

  const planned: PlannedPlot[] = [];
  for (const row of table.rows) {
    const rn = row.rowNumber;
    const code = normalizeCode(get(row, "parcelCode"));

    // Parcel code: lost digits, twice in the file, the village and group digits
    if (code && cells.lostDigits(row, "parcelCode")) errors.add(rn, col("parcelCode"), "import.lostDigits");
    if (code) {
      const firstRow = firstRowOf.get(code);
      if (firstRow !== undefined) errors.add(rn, col("parcelCode"), "import.plot.duplicateInFile", { row: firstRow, code });
      else firstRowOf.set(code, rn);
    }
    const existing = code ? (plotByCode.get(code) ?? null) : null;

    // Group: the 村民小组 column, or the parcel code's group digits
    let group: GroupRef | null = null;
    const groupText = get(row, "group");
    if (groupText) {
      group = findGroup(groupText, ctx.groups);
      if (!group) errors.add(rn, col("group"), "import.group.notFound", { value: groupText, groups: ctx.groups.map((g) => g.name).join("、") });
    } else if (/^\d{19}$/.test(code)) {
      group = groupByNumber.get(code.slice(12, 14)) ?? null;
      if (!group && code.startsWith(prefix)) errors.add(rn, col("parcelCode"), "import.plot.groupNotInVillage", { group: code.slice(12, 14) });
    }
    if (code && group) {
      const c = checkParcelCode(code, { villagePrefix: prefix, groupNumber: groupNumber2(group) });
      if (!c.ok) errors.add(rn, col("parcelCode"), c.error, { prefix, group: groupNumber2(group) });
    } else if (code && !code.startsWith(prefix) && /^\d{19}$/.test(code)) {
      errors.add(rn, col("parcelCode"), "parcel.village", { prefix });
    }
    const other = elsewhere.get(code);
    if (other) errors.add(rn, col("parcelCode"), "import.plot.otherVillage", { village: other.villageName });

    // Household: 户编号 or the contractor's ID number, which must agree
    const hCodeRaw = normalizeCode(get(row, "householdCode"));
    const hCode = /^\d+$/.test(hCodeRaw) && hCodeRaw.length < codeWidth ? hCodeRaw.padStart(codeWidth, "0") : hCodeRaw;
    const headId = normalizeCode(get(row, "headIdNumber"));
    const byCode = hCode ? householdByCode.get(hCode) : undefined;
    const byHead = headId ? householdByHeadId.get(headId) : undefined;
    let household = byCode ?? byHead ?? null;
    if (hCode && !byCode) {
      errors.add(rn, col("householdCode"), "import.household.notFound", { value: hCode });
      household = null;
    } else if (!hCode && headId && !byHead) {
      errors.add(rn, col("headIdNumber"), cells.lostDigits(row, "headIdNumber") || looksLikeLostDigits(headId) ? "import.lostDigits" : "import.household.headNotFound", { value: headId });
    } else if (byCode && headId && byCode.headIdNumber !== headId) {
      errors.add(rn, col("headIdNumber"), "import.plot.householdMismatch", { code: byCode.code, name: byCode.headName });
    }
    const headName = get(row, "headName");
    if (household && headName && !sameText(headName, household.headName)) {
      errors.add(rn, col("headName"), "import.head.nameMismatchPlot", { given: headName, name: household.headName, code: household.code });
    }
    if (existing && household && existing.householdId !== household.id) {
      const owner = householdById.get(existing.householdId);
      errors.add(rn, col("parcelCode"), "import.plot.otherHousehold", { household: owner ? `${owner.code} ${owner.headName}` : String(existing.householdId) });
    }

    // Values as the form takes them, with the database's where the file says nothing
    const raw: RawForm = { parcelCode: code, groupId: group ? String(group.id) : existing ? String(existing.groupId) : "" };
    for (const f of TEXT_FIELDS) raw[f] = get(row, f) || existing?.[f] || "";
    const categoryText = get(row, "category");
    if (categoryText) {
      const c = lookupWord(CATEGORY_WORDS, categoryText);
      if (!c) errors.add(rn, col("category"), "import.value.unknown", { value: categoryText, accepted: CATEGORY_WORDS.shown.join("、") });
      raw.category = c ?? "CONTRACTED";
    } else raw.category = existing?.category ?? "CONTRACTED";
    raw.contractArea = cleanNumber(get(row, "contractArea")) || existing?.contractArea || "";
    raw.measuredArea = cleanNumber(get(row, "measuredArea")) || existing?.measuredArea || "";
    const bf = get(row, "basicFarmland");
    if (bf) {
      const b = lookupWord(BOOL_WORDS, bf);
      if (b === null) errors.add(rn, col("basicFarmland"), "import.value.unknown", { value: bf, accepted: "是、否" });
      raw.basicFarmland = b === "true" ? "true" : "";
    } else raw.basicFarmland = existing?.basicFarmland ? "true" : "";
    const endText = get(row, "contractEnd");
    if (endText) {
      const d = parseImportDate(endText);
      if (!d) errors.add(rn, col("contractEnd"), "import.date.invalid", { value: endText });
      raw.contractEnd = d ?? "";
    } else raw.contractEnd = existing?.contractEnd ?? "";

    const parsed = parsePlotForm(raw);
    if (!parsed.ok) {
      for (const [field, e] of Object.entries(parsed.errors)) {
        let key = FIELD_COLUMN[field];
        if (!key) {
          errors.add(rn, null, e.key, e.params);
          continue;
        }
        if (key === "group" && !cells.has("group")) key = "parcelCode";
        if (missingRequired("PLOTS", index, key)) continue;
        errors.add(rn, col(key), e.key, e.params);
      }
    }
    if (!hCode && !headId && (cells.has("householdCode") || cells.has("headIdNumber"))) {
      errors.add(rn, null, "import.household.keyMissingPlot");
    }
    if (!parsed.ok || errors.has(rn) || !household) continue;

    const input = parsed.value;
    const changes = existing ? diffPlot(existing, input, ctx.groups) : [];
    planned.push({
      rowNumbers: [rn],
      existingId: existing?.id ?? null,
      action: !existing ? "create" : changes.length ? "update" : "unchanged",
      householdId: household.id,
      input,
      changes,
    });
  }

  return {
    rowErrors: errors.sorted(),
    fileErrors,
    plots: planned,
    counts: {
      rows: table.rows.length,
      plots: firstRowOf.size,
      create: planned.filter((p) => p.action === "create").length,
      update: planned.filter((p) => p.action === "update").length,
      unchanged: planned.filter((p) => p.action === "unchanged").length,
    },
  };
}

function mostCommonLength(codes: string[]): number {
  const counts = new Map<number, number>();
  for (const c of codes) counts.set(c.length, (counts.get(c.length) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function diffPlot(p: Existing, input: PlotInput, groups: GroupRef[]): Change[] {
  const changes: Change[] = [];
  const field = (name: string, before: string, after: string) => {
    if (before !== after) changes.push({ field: name, before, after });
  };
  const groupName = (id: number) => groups.find((g) => g.id === id)?.name ?? String(id);
  field("group", groupName(p.groupId), groupName(input.groupId));
  field("name", p.name, input.name);
  field("category", p.category, input.category);
  field("contractArea", p.contractArea, input.contractArea);
  field("measuredArea", p.measuredArea ?? "", input.measuredArea ?? "");
  field("landClass", p.landClass, input.landClass);
  field("grade", p.grade, input.grade);
  field("basicFarmland", String(p.basicFarmland), String(input.basicFarmland));
  field("east", p.east, input.east);
  field("south", p.south, input.south);
  field("west", p.west, input.west);
  field("north", p.north, input.north);
  field("contractEnd", p.contractEnd, input.contractEnd);
  return changes;
}
