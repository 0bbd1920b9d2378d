import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { auditWorkbook } from "~/income/audit-xlsx.server";
import { auditDocumentInput, auditYear, villageAudit } from "~/income/audit.server";
import { idParam, notFound } from "~/lib/http";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The audit tables of one village and year as a workbook. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-view");
  const year = auditYear(new URL(request.url).searchParams.get("year"));
  const v = await villageAudit(user, idParam(params.villageId), year);
  if (!v) notFound();
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const book = await auditWorkbook(auditDocumentInput(v, user), t);
  return new Response(new Uint8Array(book), { headers: xlsxHeaders(`${v.village.name}-${year}-收入核查.xlsx`) });
}
