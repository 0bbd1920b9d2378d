import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { uploadFromRequest } from "~/imports/upload.server";

/** The upload as JSON for the page's XMLHttpRequest, which shows how much of the file has been sent. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  // The body is read within the file limit, never buffered whole.
  const r = await uploadFromRequest(user, request);
  if (!r.ok) return Response.json({ errors: { [r.field]: r.error } }, { status: r.status ?? 400 });
  return Response.json({ id: r.id });
}
