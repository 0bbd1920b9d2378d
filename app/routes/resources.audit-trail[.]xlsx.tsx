import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditFilters } from "~/auth/audit-filters";
import { AUDIT_EXPORT_MAX, exportAuditTrail } from "~/auth/audit-trail.server";
import { requirePermission } from "~/auth/permissions.server";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The audit trail's events with the page's filters, as a workbook: scope and masking as on the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-trail");
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const file = await exportAuditTrail(user, auditFilters(new URL(request.url).searchParams), t);
  if (!file) return new Response(t("audit.export.tooMany", { max: AUDIT_EXPORT_MAX }), { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}
