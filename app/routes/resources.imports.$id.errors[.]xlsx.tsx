import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { errorFileXlsx } from "~/imports/error-file.server";
import { batchFileAndReport } from "~/imports/imports.server";
import { idParam, notFound } from "~/lib/http";
import { localeFromCookieHeader, translator } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The user's own rows again, each with what is wrong with it, ready to fix and upload. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const f = await batchFileAndReport(user, idParam(params.id));
  if (!f) notFound();
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const book = await errorFileXlsx(f.table, f.rowErrors, t);
  const base = f.fileName.replace(/\.(xlsx|csv)$/i, "");
  return new Response(new Uint8Array(book), { headers: xlsxHeaders(`${base}-错误说明.xlsx`) });
}
