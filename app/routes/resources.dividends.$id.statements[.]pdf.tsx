import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { baseUrlOf, coverOf, documentName, runForDocuments, statementsOf } from "~/dividends/documents.server";
import { renderStatementBatch } from "~/dividends/statement-pdf.server";
import { idParam, notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** Every household's statement of a run behind a cover summary, streamed page by page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await runForDocuments(user.scope, idParam(params.id));
  if (!run) notFound();
  const stream = renderStatementBatch(await coverOf(user.scope, run), statementsOf(user.scope, run, baseUrlOf(request)));
  return new Response(createReadableStreamFromReadable(stream), { headers: pdfHeaders(documentName("分红明细单", run)) });
}
