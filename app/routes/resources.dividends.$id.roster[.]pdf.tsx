import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { documentName, rosterOf, runForDocuments } from "~/dividends/documents.server";
import { renderRosterPdf } from "~/dividends/roster-pdf.server";
import { idParam, notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** The payout roster (发放花名册) of an issued run, to be signed or thumbprinted per household. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await runForDocuments(user.scope, idParam(params.id));
  // Only an issued run is paid out: before that the amounts may still change.
  if (!run || run.status !== "ISSUED") notFound();
  const stream = renderRosterPdf(await rosterOf(user.scope, run));
  return new Response(createReadableStreamFromReadable(stream), { headers: pdfHeaders(documentName("分红发放花名册", run)) });
}
