import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { redirectWithMessage } from "~/lib/flash.server";
import { backupFile, backupPage, checkBackupFile, createBackupNow } from "~/admin/backups.server";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatInstant } from "~/lib/dates";
import { notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:backup");
  return backupPage();
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manage:backup");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "create") {
    const created = await createBackupNow(user);
    // POST → redirect: a reload does not take a second backup; the message names the file
    return redirectWithMessage("/admin/backups", "admin.backups.created", { name: created.name, size: mb(created.bytes) });
  }
  if (intent === "check") {
    const name = String(form.get("name") ?? "");
    const file = backupFile(name);
    if (!file) notFound();
    // a check saves nothing: its answer stays on the page, next to the file it is about
    return { check: { name, ...(await checkBackupFile(file)) } };
  }
  throw new Response("Bad Request", { status: 400 });
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** "2026-01-05 14:03:07", China time, the same on the server and in the browser. */
const chinaTime = (iso: string) => formatInstant(iso, true);

export default function Backups() {
  const t = useT();
  const { rows, dir, database, keep, startCommand, engine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" ? navigation.formData : undefined;
  const creating = pending?.get("intent") === "create";
  const checking = pending?.get("intent") === "check" ? String(pending.get("name")) : null;
  return (
    <>
      <div className="page-head">
        <h1>{t("admin.backups.title")}</h1>
        <Form method="post">
          <button type="submit" name="intent" value="create" disabled={creating} aria-busy={creating}>
            {creating ? t("admin.backups.creating") : t("admin.backups.create")}
          </button>
        </Form>
      </div>
      <p>{t(engine === "postgres" ? "admin.backups.introPg" : "admin.backups.intro", { keep })}</p>
      <p className="muted small">
        {t("admin.backups.database")}: <code>{database}</code> · {t("admin.backups.dir")}: <code>{dir}</code>
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t("admin.backups.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="backup-table">
            <thead>
              <tr>
                <th>{t("admin.backups.time")}</th>
                <th>{t("admin.backups.file")}</th>
                <th className="num">{t("admin.backups.size")}</th>
                <th>{t("admin.backups.check")}</th>
                <th>{t("admin.backups.download")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const check = result?.check?.name === b.name ? result.check : null;
                return (
                  <tr key={b.name} data-backup={b.name}>
                    <td className="nowrap">{chinaTime(b.createdAt)}</td>
                    <td className="mono">{b.name}</td>
                    <td className="num">{mb(b.bytes)}</td>
                    <td>
                      <Form method="post" className="inline">
                        <input type="hidden" name="name" value={b.name} />
                        <button type="submit" name="intent" value="check" className="link-button" disabled={checking === b.name}>
                          {checking === b.name ? t("admin.backups.checking") : t("admin.backups.check")}
                        </button>
                      </Form>{" "}
                      {check ? (
                        <span role="status" data-testid="backup-check" className={check.ok ? "badge status-ALLEVIATED" : "badge status-MONITORED"}>
                          {check.ok ? t("admin.backups.checkOk", { households: check.households }) : t("admin.backups.checkFailed", { reason: check.reason })}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <a href={`/resources/admin/backups/${encodeURIComponent(b.name)}`} download>
                        {t("admin.backups.download")}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("admin.backups.restoreTitle")}</h2>
      <p>{t("admin.backups.restoreWhy")}</p>
      <ol>
        <li>{t("admin.backups.restoreStep1")}</li>
        <li>{t("admin.backups.restoreStep2")}</li>
        <li>
          {t("admin.backups.restoreStep3")} <code>{startCommand}</code>
        </li>
      </ol>
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="data" data-testid="restore-commands">
            <thead>
              <tr>
                <th>{t("admin.backups.time")}</th>
                <th>{t("admin.backups.restoreCommand")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.name}>
                  <td className="nowrap">{chinaTime(b.createdAt)}</td>
                  <td>
                    <code className="mono">{b.restoreCommand}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
