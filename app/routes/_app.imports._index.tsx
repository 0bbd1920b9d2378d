import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { IMPORT_KINDS } from "~/imports/columns";
import { importVillages, listBatches } from "~/imports/imports.server";
import { uploadFromRequest, uploadedMessage } from "~/imports/upload.server";
import { UploadForm } from "~/imports/upload-form";
import { formatInstant } from "~/lib/dates";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const [villages, batches] = await Promise.all([importVillages(user), listBatches(user)]);
  const names = new Map(villages.map((v) => [v.id, v.name]));
  return {
    villages: villages.map((v) => ({ id: v.id, name: v.name, township: v.township.name })),
    // Times printed in China time on the server (ADR 014), whatever the server's or the browser's zone.
    batches: batches.map((b) => ({ ...b, village: b.villageId ? (names.get(b.villageId) ?? "") : "", createdAt: formatInstant(b.createdAt), importedAt: formatInstant(b.importedAt) })),
  };
}

/** Without JavaScript the form posts here; with it, to /resources/imports/upload (same checks). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const r = await uploadFromRequest(user, request);
  if (!r.ok) return data({ errors: { [r.field]: r.error } }, { status: r.status ?? 400 });
  return redirectWithMessage(...(await uploadedMessage(user, request, r.id)));
}

export default function Imports() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <>
      <h1>{t("importPage.title")}</h1>
      <p className="muted">{t("importPage.explain")}</p>
      <h2>{t("importPage.templates")}</h2>
      <ul className="plain" data-testid="templates">
        {IMPORT_KINDS.map((k) => (
          <li key={k}>
            <a href={`/resources/imports/template/${k}.xlsx`} download>
              {t("importPage.template", { kind: t(`importPage.kind.${k}`) })}
            </a>
          </li>
        ))}
      </ul>
      <h2>{t("importPage.upload")}</h2>
      <UploadForm villages={d.villages} errors={(a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>} kinds={IMPORT_KINDS} />
      <h2>{t("importPage.history")}</h2>
      <div className="table-wrap">
        <table className="data" data-testid="batches">
          <thead>
            <tr>
              <th>{t("importPage.when")}</th>
              <th>{t("importPage.kind")}</th>
              <th>{t("importPage.village")}</th>
              <th>{t("importPage.fileName")}</th>
              <th>{t("importPage.status")}</th>
              <th className="num">{t("importPage.rows")}</th>
              <th className="num">{t("importPage.errors")}</th>
              <th className="num">{t("importPage.created")}</th>
              <th className="num">{t("importPage.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {d.batches.length === 0 ? (
              <tr>
                <td colSpan={9} className="empty">
                  {t("importPage.noBatches")}
                </td>
              </tr>
            ) : (
              d.batches.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/imports/${b.id}`}>{b.createdAt}</Link>
                  </td>
                  <td>{t(`importPage.kind.${b.kind}`)}</td>
                  <td>{b.village}</td>
                  <td>{b.fileName}</td>
                  <td>{t(`importPage.status.${b.status}`)}</td>
                  <td className="num">{b.rowCount}</td>
                  <td className="num">{b.errorCount}</td>
                  <td className="num">{b.createCount}</td>
                  <td className="num">{b.updateCount}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
