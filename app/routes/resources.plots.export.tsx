import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { notFound } from "~/lib/http";
import { plotsToGeoJson, plotsToKml } from "~/plots/export";
import { optionalId } from "~/plots/params";
import { exportPlots, villageInScope } from "~/plots/plots.server";

/** A village's plots as a GeoJSON or KML download (WGS-84). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const url = new URL(request.url);
  const villageId = optionalId(url.searchParams.get("village"));
  const village = villageId ? await villageInScope(user.scope, villageId) : null;
  if (!village) notFound();
  const format = url.searchParams.get("format") === "kml" ? "kml" : "geojson";
  const plots = await exportPlots(user.scope, village.id);
  const name = `${village.township.name}${village.name}`;
  const body = format === "kml" ? plotsToKml(plots, { name }) : plotsToGeoJson(plots, { name });
  const file = `${name}-果园地块.${format}`;
  return new Response(body, {
    headers: {
      "Content-Type": format === "kml" ? "application/vnd.google-earth.kml+xml; charset=utf-8" : "application/geo+json; charset=utf-8",
      // An ASCII fallback name for old browsers, the Chinese one for the rest (RFC 6266).
      "Content-Disposition": `attachment; filename="plots-${village.id}.${format}"; filename*=UTF-8''${encodeURIComponent(file)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
