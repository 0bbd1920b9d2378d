import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { paymentFile } from "~/dividends/bank.server";
import { idParam } from "~/lib/http";

/** The bank payment file of an issued run in the cooperative's template (ADR 020): unpaid lines by default, `?mode=all` for every line. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const id = idParam(params.id);
  const mode = new URL(request.url).searchParams.get("mode") === "all" ? "all" : "unpaid";
  const file = await paymentFile(user, id, mode);
  if (!file.ok) return redirect(`/dividends/${id}/bank?error=${encodeURIComponent(file.error.key)}`);
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, "_");
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
