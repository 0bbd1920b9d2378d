import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportOrchardPlots } from "~/admin/exports.server";
import { orchardPlotFilters } from "~/admin/list-filters";
import { requirePermission } from "~/auth/permissions.server";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The orchard plots of the scope, or of one village (?village=), as an Excel workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportOrchardPlots({ user, t }, orchardPlotFilters(new URL(request.url).searchParams));
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
