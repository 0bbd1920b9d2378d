import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportHouseholds } from "~/admin/exports.server";
import { householdFilters } from "~/admin/list-filters";
import { requirePermission } from "~/auth/permissions.server";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The household list (with its filters) and the members of each household as an Excel workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:household");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportHouseholds({ user, t }, householdFilters(new URL(request.url).searchParams));
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
