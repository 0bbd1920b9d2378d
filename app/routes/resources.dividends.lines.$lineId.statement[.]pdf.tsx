import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { baseUrlOf, statementOfLine } from "~/dividends/documents.server";
import { renderStatementPdf } from "~/dividends/statement-pdf.server";
import { idParam, notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** One household's dividend statement with its QR verification code. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const doc = await statementOfLine(user.scope, idParam(params.lineId), baseUrlOf(request));
  if (!doc) notFound();
  return new Response(createReadableStreamFromReadable(renderStatementPdf(doc)), { headers: pdfHeaders(`分红${doc.correction ? "更正" : ""}明细单-${doc.statementNo || doc.householdHead}.pdf`) });
}
