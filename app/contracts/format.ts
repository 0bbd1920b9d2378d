import type { Translate } from "~/lib/i18n";
import { Decimal, formatYuan } from "~/lib/money";
import { parseRateNote } from "./schedule";
import { actualRatePerMu } from "./schedule-view";

/** A schedule rate note ("CASH 800.00 +5%×1", "IN_KIND WHEAT 950 jin × 1.18 @2027") in the user's language. */
export function formatRateNote(note: string, t: Translate): string {
  return note
    .split("; ")
    .map((part) => {
      const r = parseRateNote(part);
      if (!r) return part;
      // The actual rate of a step-up year comes first (1,102.50); the formula is only a note.
      const actual = actualRatePerMu(part);
      if (r.kind === "CASH") {
        const step = r.steps ? t("contract.rateStepNote", { base: formatYuan(new Decimal(r.baseYuanPerMu)), percent: r.stepPercent ?? "", steps: r.steps }) : "";
        return `${formatYuan(actual!)} ${t("unit.yuanPerMu")}${step}`;
      }
      const step = r.steps ? t("contract.rateStepNoteKind", { percent: r.stepPercent ?? "", steps: r.steps }) : "";
      const price = r.price ? `${r.price} ${t("unit.yuanPerJin")}` : t("contract.priceMissing", { year: r.priceYear });
      const value = actual ? ` = ${formatYuan(actual)} ${t("unit.yuanPerMu")}` : "";
      return `${t(`crop.${r.crop}`)} ${r.jinPerMu} ${t("unit.jinPerMu")} × ${price}${value}${step}`;
    })
    .join("; ");
}
