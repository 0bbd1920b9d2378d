import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { createAccount, listAccounts, resetPassword, revokeSessions, scopeChoices } from "~/auth/accounts.server";
import { COOPERATIVE_ROLES, ROLES } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "manage:account");
  const [accounts, choices] = await Promise.all([listAccounts(user.scope), scopeChoices(user.scope)]);
  return { accounts, choices };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manage:account");
  const form = await request.formData();
  const intent = form.get("intent");
  const get = (k: string) => String(form.get(k) ?? "");
  if (intent === "revoke") {
    await revokeSessions(user, idParam(get("userId")));
    return { done: true as const, errors: null };
  }
  if (intent === "reset") {
    const userId = idParam(get("userId"));
    const errors = await resetPassword(user, userId, get("temporaryPassword"));
    if (errors) return data({ done: false as const, errors, resetUserId: userId }, { status: 400 });
    return { done: true as const, errors: null };
  }
  if (intent === "create") {
    const result = await createAccount(user, {
      username: get("username"),
      displayName: get("displayName"),
      password: get("password"),
      role: get("role"),
      scopeId: get("scopeId"),
    });
    if (!result.ok) return data({ done: false as const, errors: result.errors }, { status: 400 });
    return { done: true as const, errors: null };
  }
  throw new Response("Bad Request", { status: 400 });
}

export default function Accounts() {
  const t = useT();
  const { accounts, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [role, setRole] = useState("SECRETARY");
  const options =
    role === "SECRETARY" ? choices.villages : (COOPERATIVE_ROLES as readonly string[]).includes(role) ? choices.cooperatives : choices.townships;
  const e = (n: string) => actionData?.errors?.[n];
  return (
    <>
      <h1>{t("accounts.title")}</h1>
      {actionData?.done ? <p role="status">{t("accounts.done")}</p> : null}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("accounts.username")}</th>
              <th>{t("accounts.displayName")}</th>
              <th>{t("accounts.role")}</th>
              <th>{t("accounts.scope")}</th>
              <th className="num">{t("accounts.sessions")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td className="mono">{a.username}</td>
                <td>{a.displayName}</td>
                <td>{t(`role.${a.role}`)}</td>
                <td>{a.scope || t("accounts.none")}</td>
                <td className="num">{a.sessions}</td>
                <td>
                  <Form method="post" className="inline">
                    <input type="hidden" name="userId" value={a.id} />
                    {a.sessions > 0 ? (
                      <button name="intent" value="revoke" className="link-button" disabled={busy}>
                        {t("accounts.revoke")}
                      </button>
                    ) : null}
                    {a.recentFailures > 0 ? <span className="muted"> {t("accounts.failures", { n: a.recentFailures })}</span> : null}
                    {a.mustChangePassword ? <span className="muted"> {t("accounts.mustChange")}</span> : null}
                  </Form>
                  <details open={actionData && "resetUserId" in actionData && actionData.resetUserId === a.id}>
                    <summary>{t("accounts.resetPassword")}</summary>
                    <Form method="post" className="form" noValidate>
                      <input type="hidden" name="intent" value="reset" />
                      <input type="hidden" name="userId" value={a.id} />
                      <p className="muted">{t("accounts.resetHint")}</p>
                      <Field
                        label={t("accounts.temporaryPassword")}
                        name="temporaryPassword"
                        id={`temporaryPassword-${a.id}`}
                        error={actionData && "resetUserId" in actionData && actionData.resetUserId === a.id ? e("temporaryPassword") : undefined}
                      >
                        {(p) => <input {...p} type="text" autoComplete="off" />}
                      </Field>
                      <button disabled={busy}>{t("accounts.resetPassword")}</button>
                    </Form>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("accounts.new")}</h2>
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="intent" value="create" />
        <fieldset className="grid">
          <Field label={t("accounts.username")} name="username" error={e("username")}>
            {(p) => <input {...p} autoCapitalize="none" />}
          </Field>
          <Field label={t("accounts.displayName")} name="displayName" error={e("displayName")}>
            {(p) => <input {...p} />}
          </Field>
          <Field label={t("accounts.password")} name="password" error={e("password")}>
            {(p) => <input {...p} type="password" autoComplete="new-password" />}
          </Field>
          <Field label={t("accounts.role")} name="role" error={e("role")}>
            {(p) => (
              <select {...p} value={role} onChange={(ev) => setRole(ev.target.value)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("accounts.scope")} name="scopeId" error={e("scopeId")}>
            {(p) => (
              <select {...p} key={role}>
                {role === "ADMIN" ? <option value="">{t("accounts.none")}</option> : null}
                {options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t("accounts.create")}
          </button>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
