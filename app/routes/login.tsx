import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { CHANGE_PASSWORD_PATH, commitSessionCookie, getUser, signIn } from "~/auth/session.server";
import { LanguageSwitch } from "~/components/language-switch";
import { useT } from "~/i18n/use-t";
import { safeRedirect } from "~/lib/safe-redirect";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect("/home");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirect(form.get("redirectTo"), "/home");
  if (!username || !password) return data({ error: "auth.required", seconds: 0 }, { status: 400 });
  const result = await signIn(username, password, {
    ip: context?.clientAddress ?? "unknown",
    userAgent: request.headers.get("user-agent") ?? "",
  });
  if (!result.ok) {
    if (result.error === "auth.slowDown") {
      const seconds = result.retryAfterSeconds;
      return data({ error: result.error, seconds }, { status: 429, headers: { "Retry-After": String(seconds) } });
    }
    return data({ error: result.error, seconds: 0 }, { status: result.error === "auth.invalid" ? 401 : 403 });
  }
  const cookie = { "Set-Cookie": await commitSessionCookie(result.sessionId) };
  if (result.mustChangePassword) return redirect(CHANGE_PASSWORD_PATH, { headers: cookie });
  return redirect(redirectTo, { headers: cookie });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <main className="login">
      <div className="login-box">
        <h1>{t("app.name")}</h1>
        <p className="muted">{t("app.tagline")}</p>
        <Form method="post" className="form">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/home"} />
          <label>
            {t("login.username")}
            <input name="username" autoComplete="username" autoCapitalize="none" required />
          </label>
          <label>
            {t("login.password")}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {actionData?.error ? (
            <p className="error" role="alert" id="login-error">
              {t(actionData.error, { seconds: actionData.seconds })}
            </p>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? t("login.submitting") : t("login.submit")}
          </button>
        </Form>
        <LanguageSwitch />
      </div>
    </main>
  );
}
