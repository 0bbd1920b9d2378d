/**
 * Where a map goes on a page. Leaflet cannot run on the server, so the map
 * modules are loaded with React.lazy once the page has hydrated; until then
 * a placeholder of the same size keeps the page from jumping.
 */
import { lazy, Suspense, useSyncExternalStore } from "react";
import { useT } from "~/lib/i18n/use-t";
import type { DrawPlotMapProps } from "./plot-draw.client";
import type { PlotMapProps } from "./plot-map.client";

const PlotMap = lazy(() => import("./plot-map.client"));
const DrawPlotMap = lazy(() => import("./plot-draw.client"));

const noop = () => () => {};
/** false while rendering on the server and hydrating, true after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

function Placeholder({ height }: { height?: string }) {
  const t = useT();
  return (
    <div className="plot-map-placeholder" style={{ height: height ?? "70vh" }} aria-busy="true">
      {t("plots.map.loadingMap")}
    </div>
  );
}

export function MapSlot(props: PlotMapProps) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={props.height} />;
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <PlotMap {...props} />
    </Suspense>
  );
}

export function DrawMapSlot(props: DrawPlotMapProps) {
  const hydrated = useHydrated();
  if (!hydrated) return <Placeholder height={props.height} />;
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <DrawPlotMap {...props} />
    </Suspense>
  );
}
