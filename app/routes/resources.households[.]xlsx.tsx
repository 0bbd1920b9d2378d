import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "~/exports/exports.server";
import { requirePermission } from "~/auth/permissions.server";

/** The household list (with its filters) and the members of each household as an Excel workbook; a large one by a background job. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:household");
  // a large list is written by a background job (ADR 016): the link then opens the job's page
  return exportResponse(request, user, "households");
}
