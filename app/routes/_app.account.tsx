import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { changeOwnPassword, ownSessions, revokeOwnSession } from "~/auth/account.server";
import { requireUser, sessionIdFrom } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";

/** Every signed-in user's own account: password and sessions. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await ownSessions(user, await sessionIdFrom(request));
  return { sessions, mustChange: !!user.mustChangePassword };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  const intent = get("intent");
  if (intent === "password") {
    const errors = await changeOwnPassword(user, { current: get("current"), next: get("next"), repeat: get("repeat") }, await sessionIdFrom(request));
    if (errors) return data({ errors }, { status: 400 });
    throw await redirectWithMessage("/account", "myAccount.changed");
  }
  if (intent === "revoke") {
    if (!(await revokeOwnSession(user, get("tag")))) throw new Response("Not Found", { status: 404 });
    throw await redirectWithMessage("/account", "myAccount.revoked");
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function MyAccount() {
  const t = useT();
  const { sessions, mustChange } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = (n: string) => actionData?.errors?.[n];
  return (
    <>
      <h1>{t("myAccount.title")}</h1>
      <h2>{t("myAccount.password")}</h2>
      {mustChange ? (
        <p className="notice" role="alert">
          {t("myAccount.mustChange")}
        </p>
      ) : null}
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="intent" value="password" />
        <Field label={t("myAccount.current")} name="current" error={e("current")}>
          {(p) => <input {...p} type="password" autoComplete="current-password" />}
        </Field>
        <Field label={t("myAccount.next")} name="next" error={e("next")}>
          {(p) => <input {...p} type="password" autoComplete="new-password" />}
        </Field>
        <p className="muted">{t("myAccount.nextHint")}</p>
        <Field label={t("myAccount.repeat")} name="repeat" error={e("repeat")}>
          {(p) => <input {...p} type="password" autoComplete="new-password" />}
        </Field>
        <button disabled={busy}>{t("myAccount.save")}</button>
      </Form>
      <h2>{t("myAccount.sessions")}</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("myAccount.sessionStarted")}</th>
              <th>{t("myAccount.sessionExpires")}</th>
              <th>{t("myAccount.sessionAddress")}</th>
              <th>{t("myAccount.sessionDevice")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.tag} data-session={s.tag}>
                <td className="nowrap">{s.createdAt}</td>
                <td className="nowrap">{s.expiresAt}</td>
                <td className="mono">{s.address}</td>
                <td>{s.userAgent}</td>
                <td>
                  {s.current ? (
                    t("myAccount.thisSession")
                  ) : (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="tag" value={s.tag} />
                      <button className="link-button" disabled={busy}>
                        {t("myAccount.revoke")}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
