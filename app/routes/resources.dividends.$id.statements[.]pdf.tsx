import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, redirect } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { baseUrlOf, countLines, coverOf, documentName, runForDocuments, statementsOf } from "~/dividends/documents.server";
import { startStatementsPdf, STATEMENTS_INLINE_MAX } from "~/dividends/statements-job.server";
import { renderStatementBatch } from "~/dividends/statement-pdf.server";
import { idParam, notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/**
 * The run page's button: queues the batch as a background job (ADR 016) and
 * opens the job's page, which shows the progress and offers the file. A POST,
 * but a read (ADR 004): the batch holds nothing the loader below would not
 * stream, and the job checks read:dividend again when it runs.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const jobId = await startStatementsPdf(user, idParam(params.id), baseUrlOf(request));
  if (jobId === null) notFound();
  return redirect(`/jobs/${jobId}`);
}

/**
 * Every household's statement of a run behind a cover summary, streamed page
 * by page: only for small runs (a link followed directly); a larger run is
 * made by the job, from its page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await runForDocuments(user.scope, idParam(params.id));
  if (!run) notFound();
  if ((await countLines(user.scope, run.id)) > STATEMENTS_INLINE_MAX) return redirect(`/dividends/${run.id}`);
  const stream = renderStatementBatch(await coverOf(user.scope, run), statementsOf(user.scope, run, baseUrlOf(request)));
  return new Response(createReadableStreamFromReadable(stream), { headers: pdfHeaders(documentName("分红明细单", run)) });
}
