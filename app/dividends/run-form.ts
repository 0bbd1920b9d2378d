import { parseYuan, toFen } from "~/lib/money";
import type { FieldErrors, RawForm } from "~/lib/forms";

export interface RunFormInput {
  year: number;
  title: string;
  resolution: string;
  incomeFen: bigint;
  costFen: bigint;
  providentPercent: string;
  riskPercent: string;
  guaranteePerShare: string | null;
  transactionPercent: string | null;
  noticeDays: number;
  contactPhone: string;
}

const percent = (raw: string | undefined, field: string, errors: FieldErrors, max = "100"): string => {
  const v = (raw ?? "").trim() || "0";
  const p = parseYuan(v);
  if (!p.ok || p.value.gt(max)) {
    errors[field] = { key: "dividend.percentInvalid" };
    return "0";
  }
  return p.value.toString();
};

/** The inputs of a dividend run as the accountant types them (yuan and percents as text). */
export function parseRunForm(raw: RawForm, method: "LAND_SHARE" | "PROFESSIONAL", currentYear: number): { ok: true; value: RunFormInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const year = Number(raw.year);
  if (!Number.isInteger(year) || year < 2000 || year > currentYear) errors.year = { key: "dividend.yearInvalid", params: { year: currentYear } };
  const money = (k: string) => {
    const r = parseYuan(raw[k] ?? "");
    if (!r.ok) {
      errors[k] = { key: r.error };
      return 0n;
    }
    return toFen(r.value);
  };
  const incomeFen = money("income");
  const costFen = money("cost");
  const providentPercent = percent(raw.providentPercent, "providentPercent", errors, "50");
  const riskPercent = percent(raw.riskPercent, "riskPercent", errors, "50");
  let guaranteePerShare: string | null = null;
  let transactionPercent: string | null = null;
  if (method === "LAND_SHARE") {
    const g = parseYuan(raw.guaranteePerShare ?? "");
    if (!g.ok) errors.guaranteePerShare = { key: g.error };
    else guaranteePerShare = g.value.toFixed(2);
  } else {
    transactionPercent = percent(raw.transactionPercent || "60", "transactionPercent", errors);
    if (!errors.transactionPercent && Number(transactionPercent) < 60) errors.transactionPercent = { key: "dividend.transactionPercentTooLow" };
  }
  const noticeDays = Number(raw.noticeDays || "7");
  if (!Number.isInteger(noticeDays) || noticeDays < 1 || noticeDays > 60) errors.noticeDays = { key: "dividend.noticeDaysInvalid" };
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      year,
      title: (raw.title ?? "").trim().slice(0, 80),
      resolution: (raw.resolution ?? "").trim().slice(0, 200),
      incomeFen,
      costFen,
      providentPercent,
      riskPercent,
      guaranteePerShare,
      transactionPercent,
      noticeDays,
      contactPhone: (raw.contactPhone ?? "").trim().slice(0, 20),
    },
  };
}
