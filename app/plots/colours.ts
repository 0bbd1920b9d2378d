/**
 * Map colours: by variety (a palette per crop, one stored colour per
 * variety), by cooperative, or by status; and the outlines of flagged plots.
 *
 * Each crop has its own hue family; its palette's shades differ by at least
 * CIE76 ΔE 15 from one another (colours.test.ts checks), so that neighbouring
 * peach varieties stay apart. A variety's colour is chosen once, the first
 * time it is saved, and stored (CropVariety): adding another variety never
 * changes it.
 */
import type { Crop, PlotStatus } from "./vocabulary";

/**
 * Per crop: [0] is the crop's base colour (plots with no variety), the rest
 * go to varieties in the order they first appear. Made in CIE LCh around the
 * crop's hue (peach 355°, hawthorn 28°, crabapple 65°, pear 105°, nursery
 * 145°, other 215°, grape 300°), varying lightness, chroma and hue.
 */
export const CROP_PALETTES: Record<Crop, readonly string[]> = {
  PEACH: ["#dc759e", "#b14273", "#f7b4cc", "#cc6467", "#d99dd7", "#89364c", "#f7d4df", "#d09181"],
  PEAR: ["#9a9a46", "#6c6f0b", "#ccc994", "#5f9048", "#d5a96d", "#475918", "#e1dec3", "#7aac87"],
  HAWTHORN: ["#e07873", "#b34746", "#fbb5af", "#bc7144", "#f196b2", "#843d2d", "#f9d4d1", "#bf9a71"],
  CRABAPPLE: ["#c9884e", "#9b5b1b", "#ecbd98", "#968332", "#f19a88", "#6d4c13", "#f2d8c5", "#a1a471"],
  GRAPE: ["#988bdb", "#695fb3", "#cbc0f4", "#b16bae", "#82b3f5", "#644580", "#dfd9f4", "#ca8fae"],
  NURSERY: ["#5ca666", "#217a38", "#a4d2a8", "#15957a", "#a7b871", "#085f3b", "#cce3cd", "#58aea8"],
  OTHER: ["#0aa5b8", "#057684", "#84d3e0", "#148eb8", "#53c2b7", "#00495f", "#d9eff3", "#7aa5cc"],
};

const paletteOf = (crop: string): readonly string[] => CROP_PALETTES[crop as Crop] ?? CROP_PALETTES.OTHER;

/** The colour of plots of a crop with no variety. */
export function cropColour(crop: string): string {
  return paletteOf(crop)[0]!;
}

/**
 * The colour a new variety of `crop` gets: the first of the palette's
 * variety shades that no variety of the crop holds yet; once all are taken,
 * they are reused in turn (by how many varieties the crop already has).
 */
export function nextVarietyColour(crop: string, taken: readonly string[]): string {
  const shades = paletteOf(crop).slice(1);
  const used = new Set(taken.map((c) => c.toLowerCase()));
  return shades.find((c) => !used.has(c)) ?? shades[taken.length % shades.length]!;
}

/** CIE L*a*b* (D65) of a #rrggbb colour. */
export function hexToLab(hex: string): [number, number, number] {
  const lin = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v > 0.04045 ? ((v + 0.055) / 1.055) ** 2.4 : v / 12.92;
  };
  const [r, g, b] = [lin(1), lin(3), lin(5)];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 colour difference: about 2.3 is just noticeable, 15 clearly different shades. */
export function deltaE76(a: string, b: string): number {
  const [l1, a1, b1] = hexToLab(a);
  const [l2, a2, b2] = hexToLab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
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
