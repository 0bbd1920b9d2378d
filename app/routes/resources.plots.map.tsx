import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { parseBBox } from "~/plots/map-data";
import { optionalId } from "~/plots/params";
import { mapPlots } from "~/plots/plots.server";

/** The plots of the visible map area, in the compact form of app/plots/map-data.ts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const url = new URL(request.url);
  const bbox = parseBBox(url.searchParams.get("bbox"));
  const zoom = Number(url.searchParams.get("zoom"));
  if (!bbox || !Number.isFinite(zoom)) return new Response("bbox=west,south,east,north and zoom are required", { status: 400 });
  const villageId = optionalId(url.searchParams.get("village")) ?? undefined;
  const townshipId = optionalId(url.searchParams.get("township")) ?? undefined;
  const payload = await mapPlots(user.scope, { bbox, zoom, villageId, townshipId });
  return Response.json(payload, { headers: { "Cache-Control": "private, no-store" } });
}
