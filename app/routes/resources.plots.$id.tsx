import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { idParam, notFound } from "~/lib/http";
import { plotPopup } from "~/plots/plots.server";

/** The facts a plot's popup on the map shows; 404 outside the scope. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const facts = await plotPopup(user, idParam(params.id));
  if (!facts) notFound();
  return Response.json(facts, { headers: { "Cache-Control": "private, no-store" } });
}
