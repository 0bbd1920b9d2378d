/**
 * Where a map goes on a page. Leaflet cannot run on the server, so the map
 * module is loaded with React.lazy and shown once the page has hydrated;
 * until then a placeholder of the same size keeps the page from jumping.
 *
 * Two things start before hydration, because the township map's time to
 * draw is mostly waiting: the map's code is requested as soon as this module
 * runs in the browser, and the plot data through a preload link in the
 * server-rendered page (see openingRequest).
 */
import { lazy, Suspense, useState, useSyncExternalStore } from "react";
import { useT } from "~/i18n/use-t";
import { decodePayload } from "./map-decode";
import { openingRequest, type MapPayload } from "./map-data";
import type { PlotMapProps } from "./plot-map.client";

const loadPlotMap = () => import("./plot-map.client");
if (typeof document !== "undefined") {
  void loadPlotMap();
  // Leaflet sits in a chunk the map module imports: ask for it now rather than after the map module arrives.
  void import("leaflet");
}
const PlotMap = lazy(loadPlotMap);

const noop = () => () => {};
/** false while rendering on the server and hydrating, true after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

export function Placeholder({ height }: { height?: string }) {
  const t = useT();
  return (
    <div className="plot-map-placeholder" style={{ height: height ?? "70vh" }} aria-busy="true">
      {t("plots.map.loadingMap")}
    </div>
  );
}

export function MapSlot(props: Omit<PlotMapProps, "opening">) {
  const hydrated = useHydrated();
  const opening = props.context ? null : openingRequest(props.filter, props.extent);
  // In the browser the answer is read while the map's code still loads; the preload link above made it arrive early.
  // Routes key this slot by village or township, so one slot never serves two places.
  const [data] = useState(() =>
    opening && typeof document !== "undefined"
      ? fetch(opening.url)
          .then((r) => (r.ok ? (r.json() as Promise<MapPayload>) : null))
          .then((p) => {
            // Decoding now, while the map's code still loads, takes it off the path to the first picture.
            if (p) decodePayload(p, false);
            return p;
          })
          .catch(() => null)
      : undefined,
  );
  return (
    <>
      {opening ? <link rel="preload" as="fetch" href={opening.url} crossOrigin="anonymous" /> : null}
      {hydrated ? (
        <Suspense fallback={<Placeholder height={props.height} />}>
          <PlotMap {...props} opening={opening && { ...opening, data }} />
        </Suspense>
      ) : (
        <Placeholder height={props.height} />
      )}
    </>
  );
}
