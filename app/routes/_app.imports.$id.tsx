import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { requiredReason, type FieldErrors } from "~/lib/forms";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import type { Change, Note, RowError } from "~/imports/check-common";
import { APPLICABLE_KINDS, discardBatch, getBatch, progressOf, startImport } from "~/imports/imports.server";
import { pageCount, parseReport, REPORT_PAGE, rowErrorPage } from "~/imports/report-store.server";
import { changeText, rowErrorText } from "~/imports/report";
import { idParam, notFound } from "~/lib/http";
import { formatInstant } from "~/lib/dates";
import { localeFromCookieHeader } from "~/lib/i18n";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const b = await getBatch(user, idParam(params.id));
  if (!b) notFound();
  // The report column holds a summary; rows with errors are read a page at a time (report-store.server.ts).
  const report = parseReport(b.report);
  const pages = pageCount(report);
  const page = Math.min(Math.max(1, Math.floor(Number(new URL(request.url).searchParams.get("page")) || 1)), pages);
  const rowErrors = rowErrorPage(report, page);
  return {
    batch: { id: b.id, kind: b.kind, fileName: b.fileName, status: b.status, updateExisting: b.updateExisting, rowCount: b.rowCount, errorCount: b.errorCount, createCount: b.createCount, updateCount: b.updateCount, unchangedCount: b.unchangedCount, failure: b.failure, createdAt: formatInstant(b.createdAt), importedAt: formatInstant(b.importedAt) || null },
    progress: await progressOf(b.id),
    fileErrors: report.fileErrors,
    unknownHeadings: report.unknownHeadings,
    errorRows: report.errorRows,
    rowErrors: rowErrors ?? [],
    /** false: the page's rows are no longer kept (the error file still has them) */
    pageKept: rowErrors !== null,
    page,
    pages,
    pageSize: REPORT_PAGE,
    itemsTotal: report.itemsTotal,
    items: report.items,
    applicable: (APPLICABLE_KINDS as readonly string[]).includes(b.kind),
  };
}

type Result = { error: Note | null; errors: FieldErrors | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "import:records");
  const id = idParam(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  // access first: another village's batch is 404 whatever the form says
  const b = await getBatch(user, id);
  if (!b) notFound();
  const here = `/imports/${id}`;
  if (intent === "discard") {
    const r = await discardBatch(user, id);
    if (r === null) notFound();
    if (!r) return data<Result>({ error: { key: "importPage.notReady" }, errors: null }, { status: 400 });
    return redirectWithMessage(here, "importPage.saved.discarded", { file: b.fileName });
  }
  // irreversible (rows go into the records, no batch undo): confirmed with a reason, kept in the import's audit event
  const reason = requiredReason(form);
  if (!reason.ok) return data<Result>({ error: null, errors: reason.errors }, { status: 400 });
  const r = await startImport(user, id, { locale: localeFromCookieHeader(request.headers.get("Cookie")), reason: reason.reason });
  if (r === null) notFound();
  if (!r.ok) return data<Result>({ error: r.error, errors: null }, { status: 400 });
  return redirectWithMessage(here, "importPage.saved.started", { file: b.fileName, n: b.rowCount, reason: reason.reason });
}

export default function ImportBatch() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const revalidator = useRevalidator();
  const b = d.batch;
  const running = b.status === "CHECKING" || b.status === "IMPORTING";
  // While a dry run or an import runs, ask again every second.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = d.progress && d.progress.total > 0 ? Math.round((d.progress.done / d.progress.total) * 100) : null;
  const failure = b.failure ? (b.failure.startsWith("{") ? (JSON.parse(b.failure) as Note) : { key: `importPage.failure.${b.failure}`, fallback: b.failure }) : null;
  return (
    <>
      <p>
        <Link to="/imports">{t("importPage.back")}</Link>
      </p>
      <h1>
        {t(`importPage.kind.${b.kind}`)} · {b.fileName}
      </h1>
      <p data-testid="batch-status">
        <strong>{t(`importPage.status.${b.status}`)}</strong>
        {b.updateExisting ? ` · ${t("importPage.updateExisting")}` : ""}
        <span className="muted" data-testid="batch-times">
          {" · "}
          {t("importPage.uploadedAt", { time: b.createdAt })}
          {b.importedAt ? ` · ${t("importPage.importedAt", { time: b.importedAt })}` : ""}
        </span>
      </p>
      {running ? (
        <div className={`meter${percent === null ? " indeterminate" : ""}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined} data-testid="batch-progress">
          <span style={{ width: `${percent ?? 0}%` }} />
          <small>{percent === null ? t(`importPage.phase.${d.progress?.phase ?? "reading"}`) : t("importPage.importedOf", { done: d.progress!.done, total: d.progress!.total })}</small>
        </div>
      ) : null}
      {failure ? (
        <p className="form-error" role="alert">
          {"key" in failure && t(failure.key, (failure as Note).params) !== failure.key ? t(failure.key, (failure as Note).params) : t("importPage.failure.other", { reason: b.failure })}
        </p>
      ) : null}
      {a?.error ? (
        <p className="form-error" role="alert">
          {t(a.error.key, "params" in a.error ? a.error.params : undefined)}
        </p>
      ) : null}

      {!running && b.status !== "FAILED" ? (
        <section className="cards" data-testid="batch-counts">
          <div className="card">
            <span>{t("importPage.rows")}</span>
            <strong>{b.rowCount}</strong>
          </div>
          <div className="card">
            <span>{t("importPage.errorRows")}</span>
            <strong data-testid="error-count">{b.errorCount}</strong>
          </div>
          <div className="card">
            <span>{b.status === "IMPORTED" ? t("importPage.created") : t("importPage.willCreate")}</span>
            <strong data-testid="create-count">{b.createCount}</strong>
          </div>
          <div className="card">
            <span>{b.status === "IMPORTED" ? t("importPage.updated") : t("importPage.willUpdate")}</span>
            <strong>{b.updateCount}</strong>
            {!b.updateExisting && b.status !== "IMPORTED" && b.updateCount > 0 ? <small>{t("importPage.updatesSkipped")}</small> : null}
          </div>
          <div className="card">
            <span>{t("importPage.unchanged")}</span>
            <strong>{b.unchangedCount}</strong>
          </div>
        </section>
      ) : null}

      {b.status === "CHECKED" ? (
        <div className="actions">
          {b.errorCount > 0 ? (
            <>
              <p>{t("importPage.fixAndUpload")}</p>
              <a className="button" href={`/resources/imports/${b.id}/errors.xlsx`} data-testid="error-file">
                {t("importPage.errorFile")}
              </a>
            </>
          ) : d.applicable ? (
            <ConfirmStep
              intent="import"
              label={t("importPage.importAll", { n: b.rowCount })}
              warning={t("importPage.importWarning")}
              reasonLabel={t("importPage.importReason")}
              confirmLabel={t("importPage.confirmImport")}
              error={a?.errors?.reason}
            />
          ) : (
            <p>{t("importPage.kindNotYet")}</p>
          )}
          <Form method="post" className="inline">
            <input type="hidden" name="intent" value="discard" />
            <button type="submit" className="secondary" disabled={nav.state !== "idle"}>
              {t("importPage.discard")}
            </button>
          </Form>
        </div>
      ) : null}

      {d.fileErrors.length > 0 ? (
        <>
          <h2>{t("importPage.fileProblems")}</h2>
          <ul data-testid="file-errors">
            {d.fileErrors.map((e, i) => (
              <li key={i} className="field-error">
                {t(e.key, e.params)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.unknownHeadings.length > 0 ? <p className="muted small">{t("importPage.unknownHeadings", { list: d.unknownHeadings.join("、") })}</p> : null}

      {d.errorRows > 0 ? (
        <>
          <h2>{t("importPage.rowProblems", { n: d.errorRows })}</h2>
          {d.pages > 1 ? <ErrorPager page={d.page} pages={d.pages} from={(d.page - 1) * d.pageSize + 1} to={Math.min(d.page * d.pageSize, d.errorRows)} total={d.errorRows} /> : null}
          {d.pageKept ? null : <p className="muted">{t("importPage.pageGone")}</p>}
          <div className="table-wrap">
            <table className="data" data-testid="row-errors">
              <thead>
                <tr>
                  <th className="num">{t("importPage.row")}</th>
                  <th>{t("importPage.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rowErrors.map(([row, errors]: [number, RowError[]]) => (
                  <tr key={row}>
                    <td className="num">{row}</td>
                    <td>{rowErrorText(errors, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {d.items.length > 0 ? (
        <>
          <h2>{b.status === "IMPORTED" ? t("importPage.whatChanged") : t("importPage.whatWouldChange")}</h2>
          {d.itemsTotal > d.items.length ? <p className="muted">{t("importPage.firstShown", { n: d.items.length })}</p> : null}
          <div className="table-wrap">
            <table className="data" data-testid="planned">
              <thead>
                <tr>
                  <th>{t("importPage.rowsOf")}</th>
                  <th>{t("importPage.record")}</th>
                  <th>{t("importPage.action")}</th>
                  <th>{t("importPage.changes")}</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i) => (
                  <tr key={i.rowNumbers.join(",")}>
                    <td className="small">{i.rowNumbers.length > 3 ? `${i.rowNumbers[0]}–${i.rowNumbers[i.rowNumbers.length - 1]}` : i.rowNumbers.join("、")}</td>
                    <td>{i.label}</td>
                    <td>{t(`importPage.action.${i.action}`)}</td>
                    <td className="small">
                      {i.changes.map((c: Change, k: number) => (
                        <div key={k}>{changeText(c, t)}</div>
                      ))}
                      {i.notes.map((n: Note, k: number) => (
                        <div key={`n${k}`} className="muted">
                          {t(n.key, n.params)}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

/** Pages of the rows with errors: ?page=N, REPORT_PAGE rows each. */
function ErrorPager({ page, pages, from, to, total }: { page: number; pages: number; from: number; to: number; total: number }) {
  const t = useT();
  return (
    <nav className="pager" aria-label={t("importPage.errorPages")} data-testid="error-pager">
      {page > 1 ? (
        <Link to={`?page=${page - 1}`} preventScrollReset>
          {t("importPage.previousPage")}
        </Link>
      ) : null}
      <span>{t("importPage.pageOf", { from, to, total, page, pages })}</span>
      {page < pages ? (
        <Link to={`?page=${page + 1}`} preventScrollReset>
          {t("importPage.nextPage")}
        </Link>
      ) : null}
    </nav>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
