import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { auditReportPdf } from "~/income/audit-pdf.server";
import { auditDocumentInput, auditYear, villageAudit } from "~/income/audit.server";
import { idParam, notFound } from "~/lib/http";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
import { pdfHeaders } from "~/lib/pdf.server";

/** The printable audit report of one village and year: the figures of the village audit page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-view");
  const year = auditYear(new URL(request.url).searchParams.get("year"));
  const v = await villageAudit(user, idParam(params.villageId), year);
  if (!v) notFound();
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const pdf = await auditReportPdf(auditDocumentInput(v, user), t);
  return new Response(new Uint8Array(pdf), { headers: pdfHeaders(`${v.village.name}-${year}-收入核查报告.pdf`) });
}
