import type { Translate } from "~/lib/i18n";
import { parseRateNote } from "./schedule";

/** A schedule rate note ("CASH 800.00 +5%×1", "IN_KIND WHEAT 950 jin × 1.18 @2027") in the user's language. */
export function formatRateNote(note: string, t: Translate): string {
  return note
    .split("; ")
    .map((part) => {
      const r = parseRateNote(part);
      if (!r) return part;
      const step = r.steps ? ` (+${r.stepPercent}% × ${r.steps})` : "";
      if (r.kind === "CASH") return `${r.baseYuanPerMu} ${t("unit.yuanPerMu")}${step}`;
      const price = r.price ? `${r.price} ${t("unit.yuanPerJin")}` : t("contract.priceMissing", { year: r.priceYear });
      return `${t(`crop.${r.crop}`)} ${r.jinPerMu} ${t("unit.jinPerMu")} × ${price}${step}`;
    })
    .join("; ");
}
