/** The words of this capability, in a module of their own so the map can use them without the checks. */
export const CROPS = ["PEACH", "PEAR", "HAWTHORN", "CRABAPPLE", "GRAPE", "NURSERY", "OTHER"] as const;
export type Crop = (typeof CROPS)[number];

/** planted, young trees not yet bearing, bearing, removed */
export const PLOT_STATUSES = ["PLANTED", "YOUNG", "BEARING", "REMOVED"] as const;
export type PlotStatus = (typeof PLOT_STATUSES)[number];
