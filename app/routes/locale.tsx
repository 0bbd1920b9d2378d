import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale } from "~/lib/i18n";
import { safeRedirect } from "~/lib/safe-redirect";

// Anyone may switch the language, signed in or not; it only sets a cookie.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const to = safeRedirect(form.get("redirectTo"), "/");
  if (!isLocale(locale)) return redirect(to);
  return redirect(to, {
    headers: { "Set-Cookie": `lang=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}

export async function loader() {
  return redirect("/");
}
