/**
 * The standard categories of monitored households (防止返贫监测对象) and the
 * risk types that put them under monitoring, as the national monitoring
 * system lists them. One module for the household form, the import, the
 * household pages and the income pages, so the codes and their Chinese
 * names cannot drift apart.
 *
 * Stored on Household and HouseholdStatusChange: `monitoringCategory` one
 * code (null unless MONITORED); `riskTypes` codes joined by "," in the
 * order of RISK_TYPES; `statusReason` the free-text note, required with OTHER.
 *
 * Pure: no database, no framework.
 */
export const MONITORING_CATEGORIES = ["UNSTABLE", "MARGINAL", "SUDDEN"] as const;
export type MonitoringCategory = (typeof MONITORING_CATEGORIES)[number];

export const RISK_TYPES = ["ILLNESS", "DISABILITY", "EDUCATION", "DISASTER", "ACCIDENT", "INDUSTRY", "EMPLOYMENT", "OTHER"] as const;
export type RiskType = (typeof RISK_TYPES)[number];

/** The Chinese names, as printed on the national forms (the catalogs carry the same text under monitoring.category.* / monitoring.risk.*). */
export const CATEGORY_NAMES: Record<MonitoringCategory, string> = {
  UNSTABLE: "脱贫不稳定户",
  MARGINAL: "边缘易致贫户",
  SUDDEN: "突发严重困难户",
};

export const RISK_NAMES: Record<RiskType, string> = {
  ILLNESS: "因病",
  DISABILITY: "因残",
  EDUCATION: "因学",
  DISASTER: "因灾",
  ACCIDENT: "因意外事故",
  INDUSTRY: "因产业项目失败",
  EMPLOYMENT: "因务工就业不稳",
  OTHER: "其他",
};

export function isMonitoringCategory(v: unknown): v is MonitoringCategory {
  return typeof v === "string" && (MONITORING_CATEGORIES as readonly string[]).includes(v);
}

export function isRiskType(v: unknown): v is RiskType {
  return typeof v === "string" && (RISK_TYPES as readonly string[]).includes(v);
}

/** Stored text → known codes, in the standard order, each once; unknown codes are dropped. */
export function parseRiskTypes(stored: string | null | undefined): RiskType[] {
  const given = new Set((stored ?? "").split(",").map((s) => s.trim()));
  return RISK_TYPES.filter((r) => given.has(r));
}

/** Codes → stored text, in the standard order, each once. */
export function formatRiskTypes(types: readonly string[]): string {
  const given = new Set(types);
  return RISK_TYPES.filter((r) => given.has(r)).join(",");
}

/** The category's catalog key ("monitoring.category.UNSTABLE"), or null for none or an unknown code. */
export function categoryKey(category: string | null | undefined): string | null {
  return isMonitoringCategory(category) ? `monitoring.category.${category}` : null;
}

/** The Chinese name of a category, "" for none: for income pages, papers and workbooks that print Chinese only. */
export function categoryName(category: string | null | undefined): string {
  return isMonitoringCategory(category) ? CATEGORY_NAMES[category] : "";
}

/** "因病、因学" for stored risk types. */
export function riskNames(stored: string | null | undefined): string {
  return parseRiskTypes(stored).map((r) => RISK_NAMES[r]).join("、");
}

export type MonitoringError = { field: "monitoringCategory" | "riskTypes" | "statusReason"; key: string };

/**
 * What a MONITORED household needs: one category, at least one risk type,
 * and a note when OTHER is among them. Other statuses carry none of them
 * (the caller clears them).
 */
export function checkMonitoring(input: { category: string | null; riskTypes: readonly string[]; note: string }): MonitoringError[] {
  const errors: MonitoringError[] = [];
  if (!input.category) errors.push({ field: "monitoringCategory", key: "monitoring.categoryRequired" });
  else if (!isMonitoringCategory(input.category)) errors.push({ field: "monitoringCategory", key: "monitoring.categoryUnknown" });
  if (input.riskTypes.length === 0) errors.push({ field: "riskTypes", key: "monitoring.riskRequired" });
  else if (input.riskTypes.some((r) => !isRiskType(r))) errors.push({ field: "riskTypes", key: "monitoring.riskUnknown" });
  if (input.riskTypes.includes("OTHER") && !input.note.trim()) errors.push({ field: "statusReason", key: "monitoring.noteRequiredForOther" });
  return errors;
}

function normaliseWord(s: string): string {
  return s.trim().replace(/\s+/g, "");
}

/**
 * A category typed in an import: the Chinese name (with or without 户, e.g.
 * 边缘易致贫户 / 边缘易致贫), or the code. Null when unknown.
 */
export function categoryFromText(text: string): MonitoringCategory | null {
  const w = normaliseWord(text);
  if (!w) return null;
  const upper = w.toUpperCase();
  if (isMonitoringCategory(upper)) return upper;
  for (const c of MONITORING_CATEGORIES) {
    const name = CATEGORY_NAMES[c];
    if (w === name || w === name.replace(/户$/, "") || w === name.replace(/户$/, "") + "对象") return c;
  }
  // common short forms on village rosters
  const short: Record<string, MonitoringCategory> = { 脱贫不稳定: "UNSTABLE", 边缘易致贫: "MARGINAL", 边缘户: "MARGINAL", 突发严重困难: "SUDDEN", 突发困难户: "SUDDEN" };
  return short[w] ?? null;
}

/**
 * Risk types typed in an import: names separated by 、，, or ; (因病、因学),
 * with or without the leading 因 (病、学), or codes. Unknown words are
 * returned so the row message can name them.
 */
export function riskTypesFromText(text: string): { types: RiskType[]; unknown: string[] } {
  const words = text.split(/[、，,；;\/\s]+/).map(normaliseWord).filter(Boolean);
  const found = new Set<RiskType>();
  const unknown: string[] = [];
  for (const w of words) {
    const upper = w.toUpperCase();
    let hit: RiskType | undefined = isRiskType(upper) ? upper : undefined;
    if (!hit) hit = RISK_TYPES.find((r) => RISK_NAMES[r] === w || RISK_NAMES[r] === "因" + w || (r === "OTHER" && w === "其它"));
    if (hit) found.add(hit);
    else unknown.push(w);
  }
  return { types: RISK_TYPES.filter((r) => found.has(r)), unknown };
}
