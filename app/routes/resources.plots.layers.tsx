import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { optionalId } from "~/plots/params";
import { layersForMap } from "~/plots/reference-layers.server";

/** The reference layers a map of this township or village draws under its plots (its own and the district's). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const url = new URL(request.url);
  const villageId = optionalId(url.searchParams.get("village")) ?? undefined;
  const townshipId = optionalId(url.searchParams.get("township")) ?? undefined;
  const layers = await layersForMap(user.scope, { villageId, townshipId });
  return Response.json({ layers }, { headers: { "Cache-Control": "private, no-store" } });
}
