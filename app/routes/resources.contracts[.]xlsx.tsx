import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportContracts } from "~/admin/exports.server";
import { contractFilters } from "~/admin/list-filters";
import { requirePermission } from "~/auth/permissions.server";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The contract list (with its filters) as an Excel workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportContracts({ user, t }, contractFilters(new URL(request.url).searchParams));
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
