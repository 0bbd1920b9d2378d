import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { documentName, noticeOf, runForDocuments } from "~/dividends/documents.server";
import { renderNoticeSheet } from "~/dividends/statement-pdf.server";
import { idParam, notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** The public notice sheet (公示表) for the village board. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await runForDocuments(user.scope, idParam(params.id));
  if (!run) notFound();
  const stream = renderNoticeSheet(await noticeOf(user.scope, run));
  return new Response(createReadableStreamFromReadable(stream), { headers: pdfHeaders(documentName("分红公示表", run)) });
}
