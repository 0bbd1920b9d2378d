import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { ownJob } from "~/jobs/jobs.server";
import { idParam, notFound } from "~/lib/http";

/** The result file of one of the user's own jobs, streamed from disk. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const job = await ownJob(user.id, idParam(params.id));
  if (!job || job.status !== "DONE" || !job.resultPath || !fs.existsSync(job.resultPath)) notFound();
  const ascii = job.resultName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const body = Readable.toWeb(fs.createReadStream(job.resultPath)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": job.resultType || "application/octet-stream",
      "Content-Length": String(fs.statSync(job.resultPath).size),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(job.resultName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
