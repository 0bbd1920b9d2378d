import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportContractedPlots } from "~/admin/exports.server";
import { householdFilters } from "~/admin/list-filters";
import { requirePermission } from "~/auth/permissions.server";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The contracted plots (承包地块) of the households on the list, with the list's filters, as an Excel workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:household");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportContractedPlots({ user, t }, householdFilters(new URL(request.url).searchParams));
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
