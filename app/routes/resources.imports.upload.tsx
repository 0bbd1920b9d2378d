import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { uploadFromRequest, uploadedMessage } from "~/imports/upload.server";
import { messageCookie } from "~/lib/flash.server";

/** The upload as JSON for the page's XMLHttpRequest, which shows how much of the file has been sent. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  // The body is read within the file limit, never buffered whole.
  const r = await uploadFromRequest(user, request);
  if (!r.ok) return Response.json({ errors: { [r.field]: r.error } }, { status: r.status ?? 400 });
  // the page navigates to the batch next: the message waits there (a same-origin XHR response sets the cookie)
  return Response.json({ id: r.id }, { headers: { "Set-Cookie": await messageCookie(...(await uploadedMessage(user, request, r.id))) } });
}
