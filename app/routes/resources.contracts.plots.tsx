import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { searchPlotOffers } from "~/contracts/plot-picker.server";

/**
 * The contract form's plot search as JSON (?q=&start=&end=&contract=): plots
 * of the secretary's own village with their free area for the period. The
 * form works without it (its search button reloads the form with results).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:contract");
  const u = new URL(request.url).searchParams;
  const contract = Number(u.get("contract"));
  const result = await searchPlotOffers(user, { q: u.get("q") ?? "", start: u.get("start"), end: u.get("end"), contractId: Number.isInteger(contract) && contract > 0 ? contract : null });
  return Response.json(result, { headers: { "Cache-Control": "no-store" } });
}
