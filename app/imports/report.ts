/**
 * Row errors and planned changes as text, for the dry-run report and the
 * error file. Pure; the translator comes from the caller.
 */
import type { Translate } from "~/lib/i18n";
import type { Change, RowError } from "./check-common";

/** All messages of one row, joined with "；", each after its column's heading. */
export function rowErrorText(errors: readonly RowError[], t: Translate): string {
  return errors.map((e) => (e.column ? `${e.column}：${t(e.key, e.params)}` : t(e.key, e.params))).join("；");
}

const CODE_PREFIX: Record<string, string> = {
  status: "status.",
  "member.relation": "relation.",
  category: "pcat.",
  monitoringCategory: "monitoring.category.",
};

function valueText(field: string, v: string, t: Translate): string {
  if (v === "") return t("import.change.empty");
  if (v === "true") return t("common.yes");
  if (v === "false") return t("common.no");
  // several risk types in one value: each by its name
  if (field === "riskTypes") return v.split(",").map((r) => t(`monitoring.risk.${r}`)).join("、");
  const prefix = CODE_PREFIX[field];
  return prefix ? t(prefix + v) : v;
}

/** "户类型：一般户 → 脱贫户", "谢雨轩：与户主关系：子 → 女婿", "新增成员 → 谢小红". */
export function changeText(change: Change, t: Translate): string {
  const text = t("import.change.text", {
    field: t(`import.field.${change.field}`),
    before: valueText(change.field, change.before, t),
    after: valueText(change.field, change.after, t),
  });
  return change.member && change.field !== "member.added" ? t("import.change.member", { name: change.member.name, change: text }) : text;
}
