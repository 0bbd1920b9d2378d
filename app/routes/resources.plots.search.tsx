import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { optionalId } from "~/plots/params";
import { searchPlots } from "~/plots/plots.server";

/** The map's search box: plots by code, name or household head, with their boxes to fly to. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const url = new URL(request.url);
  const results = await searchPlots(user.scope, url.searchParams.get("q") ?? "", {
    villageId: optionalId(url.searchParams.get("village")) ?? undefined,
    townshipId: optionalId(url.searchParams.get("township")) ?? undefined,
  });
  return Response.json({ results }, { headers: { "Cache-Control": "private, no-store" } });
}
