/**
 * Map colours: by variety (a hue per crop, lighter and darker shades per
 * variety), by cooperative, or by status; and the outlines of flagged plots.
 * The hues match the KML export's styles.
 */
import type { Crop, PlotStatus } from "./vocabulary";

const CROP_HSL: Record<Crop, [number, number, number]> = {
  PEACH: [330, 75, 67],
  PEAR: [68, 55, 45],
  HAWTHORN: [0, 67, 45],
  CRABAPPLE: [300, 50, 70],
  GRAPE: [270, 45, 45],
  NURSERY: [125, 55, 35],
  OTHER: [0, 0, 60],
};

const hsl = ([h, s, l]: [number, number, number]) => `hsl(${h} ${s}% ${Math.max(18, Math.min(85, l))}%)`;

/** One colour per key ("CROP" or "CROP|variety"); varieties of a crop alternate lighter and darker around its hue. */
export function varietyColours(keys: readonly string[]): string[] {
  const seen = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const [crop, variety] = key.split("|");
    if (!variety) continue;
    seen.set(crop!, [...(seen.get(crop!) ?? []), key]);
  }
  return keys.map((key) => {
    const [crop, variety] = key.split("|") as [Crop, string | undefined];
    const base = CROP_HSL[crop] ?? CROP_HSL.OTHER;
    if (!variety) return hsl(base);
    const i = (seen.get(crop) ?? []).indexOf(key) + 1;
    const step = Math.ceil(i / 2) * 12 * (i % 2 ? 1 : -1);
    return hsl([base[0] + (i % 3) * 6, base[1], base[2] + step]);
  });
}

export const STATUS_COLOURS: Record<PlotStatus, string> = {
  PLANTED: "#64a6e8",
  YOUNG: "#a5d66f",
  BEARING: "#2e7d32",
  REMOVED: "#a0a0a0",
};

const COOP_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728"];
export const NO_COOP_COLOUR = "#d5dde2";

export function cooperativeColour(index: number): string {
  return index < 0 ? NO_COOP_COLOUR : COOP_PALETTE[index % COOP_PALETTE.length]!;
}

export const OUTLINE = { color: "#37474f", weight: 1, dashArray: undefined as string | undefined };
export const OVERLAP_OUTLINE = { color: "#d50000", weight: 3, dashArray: "6 4" };
export const DISCREPANCY_OUTLINE = { color: "#e65100", weight: 3, dashArray: "2 5" };
