import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportArrears } from "~/admin/exports.server";
import { requirePermission } from "~/auth/permissions.server";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** Rent arrears as of today (by household, by contract, every overdue installment) as an Excel workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportArrears({ user, t });
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
