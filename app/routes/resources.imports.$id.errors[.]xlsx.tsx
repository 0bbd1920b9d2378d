import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { errorFileFor } from "~/imports/imports.server";
import { idParam, notFound } from "~/lib/http";
import { localeFromCookieHeader } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/**
 * The user's own rows again, each with what is wrong with it, ready to fix
 * and upload: the workbook the dry run wrote, streamed from disk; for a
 * batch without one (checked by an older version, or its file expired) made
 * here when small, else by a background job whose page the user is sent to.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const f = await errorFileFor(user, idParam(params.id), localeFromCookieHeader(request.headers.get("Cookie")));
  if (!f) notFound();
  if (f.kind === "job") return redirect(`/jobs/${f.jobId}`);
  if (f.kind === "made") return new Response(new Uint8Array(f.body), { headers: xlsxHeaders(f.name) });
  const headers = new Headers(xlsxHeaders(f.name));
  headers.set("Content-Length", String(fs.statSync(f.path).size));
  return new Response(Readable.toWeb(fs.createReadStream(f.path)) as ReadableStream<Uint8Array>, { headers });
}
