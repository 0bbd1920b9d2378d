import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordAudit } from "~/auth/audit.server";
import { clearSessionCookie, getUser, signOut } from "~/auth/session.server";

// Sign-out is a POST: nothing changes on GET.
export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request);
  await signOut(request);
  if (user) await recordAudit({ actor: { id: user.id, name: user.username }, action: "sign-out", entity: "User", entityId: user.id });
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export async function loader() {
  return redirect("/home");
}
