import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { createAccount, listAccounts, requireManaged, resetPassword, revokeSessions, scopeChoices, setAccountDisabled } from "~/auth/accounts.server";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { requiredReason } from "~/lib/forms";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
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
  // every save goes back to the list with a message naming the account
  if (intent === "revoke") {
    const target = await requireManaged(user, idParam(get("userId")));
    const n = await revokeSessions(user, target.id);
    return redirectWithMessage("/accounts", "accounts.saved.revoked", { username: target.username, name: target.displayName, n });
  }
  if (intent === "reset") {
    // irreversible for the user (the old password is gone): confirmed with a reason, after access to the account
    const target = await requireManaged(user, idParam(get("userId")));
    const reason = requiredReason(form);
    const errors = await (reason.ok ? resetPassword(user, target.id, get("temporaryPassword"), reason.reason) : Promise.resolve(reason.errors));
    if (errors) return data({ errors, resetUserId: target.id }, { status: 400 });
    return redirectWithMessage("/accounts", "accounts.saved.reset", { username: target.username, name: target.displayName, reason: reason.ok ? reason.reason : "" });
  }
  if (intent === "disable") {
    const target = await requireManaged(user, idParam(get("userId")));
    const reason = requiredReason(form);
    const errors = reason.ok ? await setAccountDisabled(user, target.id, true, reason.reason) : reason.errors;
    if (errors) return data({ errors, disableUserId: target.id }, { status: 400 });
    return redirectWithMessage("/accounts", "accounts.saved.disabled", { username: target.username, name: target.displayName, reason: reason.ok ? reason.reason : "" });
  }
  if (intent === "enable") {
    const target = await requireManaged(user, idParam(get("userId")));
    await setAccountDisabled(user, target.id, false, "");
    return redirectWithMessage("/accounts", "accounts.saved.enabled", { username: target.username, name: target.displayName });
  }
  if (intent === "create") {
    const result = await createAccount(user, {
      username: get("username"),
      displayName: get("displayName"),
      password: get("password"),
      role: get("role"),
      scopeId: get("scopeId"),
    });
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    // the role in the words of the page the administrator reads
    const role = translator(localeFromCookieHeader(request.headers.get("Cookie")))(`role.${get("role")}`);
    return redirectWithMessage("/accounts", "accounts.saved.created", { username: get("username").trim(), name: get("displayName").trim(), role });
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
  const e = (n: string) => (actionData?.errors as Record<string, { key: string; params?: Record<string, string | number> }> | undefined)?.[n];
  const resetOf = actionData && "resetUserId" in actionData ? actionData.resetUserId : null;
  const disableOf = actionData && "disableUserId" in actionData ? actionData.disableUserId : null;
  return (
    <>
      <h1>{t("accounts.title")}</h1>
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
                <td className="mono">
                  {a.username}
                  {a.disabled ? <span className="badge"> {t("accounts.disabledBadge")}</span> : null}
                </td>
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
                  <ConfirmStep
                    intent="reset"
                    id={`reset-${a.id}`}
                    label={t("accounts.resetPassword")}
                    warning={t("accounts.resetWarning")}
                    reasonLabel={t("accounts.resetReason")}
                    confirmLabel={t("accounts.confirmReset")}
                    open={resetOf === a.id}
                    error={resetOf === a.id ? e("reason") : undefined}
                  >
                    <input type="hidden" name="userId" value={a.id} />
                    <Field label={t("accounts.temporaryPassword")} name="temporaryPassword" id={`temporaryPassword-${a.id}`} error={resetOf === a.id ? e("temporaryPassword") : undefined}>
                      {(p) => <input {...p} type="text" autoComplete="off" />}
                    </Field>
                  </ConfirmStep>
                  {a.disabled ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="userId" value={a.id} />
                      <button name="intent" value="enable" className="link-button" disabled={busy}>
                        {t("accounts.enable")}
                      </button>
                    </Form>
                  ) : (
                    <ConfirmStep
                      intent="disable"
                      id={`disable-${a.id}`}
                      label={t("accounts.disable")}
                      warning={t("accounts.disableWarning")}
                      reasonLabel={t("accounts.disableReason")}
                      confirmLabel={t("accounts.confirmDisable")}
                      error={disableOf === a.id ? e("reason") : undefined}
                    >
                      <input type="hidden" name="userId" value={a.id} />
                    </ConfirmStep>
                  )}
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
