/**
 * The drawing map's place on the new and edit pages; like MapSlot, it loads
 * its module (Leaflet with geoman) early and shows it after hydration.
 */
import { lazy, Suspense } from "react";
import { Placeholder, useHydrated } from "./map-slot";
import type { DrawPlotMapProps } from "./plot-draw.client";

const loadDrawMap = () => import("./plot-draw.client");
if (typeof document !== "undefined") void loadDrawMap();
const DrawPlotMap = lazy(loadDrawMap);

export function DrawMapSlot(props: DrawPlotMapProps) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={props.height} />;
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <DrawPlotMap {...props} />
    </Suspense>
  );
}
