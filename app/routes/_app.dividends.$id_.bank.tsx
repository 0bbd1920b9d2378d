import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { applyBankReturn, bankReturnsOf, checkBankReturn, discardBankReturn, MAX_RESULT_FILE_BYTES, payoutPlan } from "~/dividends/bank.server";
import { today } from "~/lib/dates";
import { requiredReason, type FieldErrors } from "~/lib/forms";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { idParam } from "~/lib/http";
import { formatYuan } from "~/lib/money";
import { FORM_OVERHEAD_BYTES, readLimitedForm } from "~/lib/upload-limits.server";
import { useT } from "~/i18n/use-t";

/** The bank side of an issued run (ADR 020): the payment file, the members to pay in cash, the bank's result files. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const id = idParam(params.id);
  const plan = await payoutPlan(user, id, "unpaid");
  const returns = await bankReturnsOf(user, id);
  const error = new URL(request.url).searchParams.get("error");
  return {
    asOf: today(),
    error: error && /^[\w.]+$/.test(error) ? error : null,
    run: { id: plan.run.id, year: plan.run.year, title: plan.run.title, status: plan.run.status, cooperative: plan.coop.name },
    template: plan.template ? { name: plan.template.spec.name, format: plan.template.spec.format } : null,
    count: plan.payees.length,
    total: formatYuan(plan.payees.reduce((s, p) => s + p.amountFen, 0n)),
    cash: plan.cash.map((c) => ({ lineId: c.lineId, statementNo: c.statementNo, name: c.name, village: c.village, amount: formatYuan(c.amountFen), problem: c.problem })),
    returns: returns.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      status: r.status,
      paidOn: r.paidOn,
      rows: r.report.rows,
      paid: formatYuan(BigInt(r.report.paidFen)),
      entries: r.report.entries.map((e) => ({ row: e.row, statementNo: e.statementNo, status: e.status, amount: formatYuan(BigInt(e.amountFen)), reason: e.reason })),
      problems: r.report.problems,
    })),
  };
}

type Result = { ok: boolean; intent: string; errors: FieldErrors | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const id = idParam(params.id);
  const read = await readLimitedForm(request, { maxBodyBytes: MAX_RESULT_FILE_BYTES + FORM_OVERHEAD_BYTES, maxFileBytes: MAX_RESULT_FILE_BYTES });
  if (!read.ok) {
    const errors: FieldErrors = { file: read.reason === "tooLarge" ? { key: "bank.result.tooLarge", params: { mb: MAX_RESULT_FILE_BYTES / 1048576 } } : { key: "bank.result.noFile" } };
    return data<Result>({ ok: false, intent: "check", errors }, { status: read.reason === "tooLarge" ? 413 : 400 });
  }
  const form = read.form;
  const intent = String(form.get("intent") ?? "");
  let errors: FieldErrors | null;
  const here = `/dividends/${id}/bank`;
  const fileOf = async (returnId: number) => (await bankReturnsOf(user, id)).find((r) => r.id === returnId);
  switch (intent) {
    case "check": {
      const file = form.get("file");
      const paidOn = String(form.get("paidOn") ?? "").trim();
      const upload = file && typeof file !== "string" ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name } : { bytes: new Uint8Array(), name: "" };
      const r = await checkBankReturn(user, id, upload, paidOn);
      errors = r.ok ? null : r.errors;
      if (r.ok) return redirectWithMessage(here, "bank.saved.checked", { file: upload.name });
      break;
    }
    case "apply": {
      // Irreversible: asks for a note, kept in the trail.
      const returnId = idParam(String(form.get("returnId") ?? ""));
      // Access before the reason is looked at: another cooperative's run is 404 whatever the form says.
      await bankReturnsOf(user, id);
      const reason = requiredReason(form);
      if (!reason.ok) return data<Result>({ ok: false, intent, errors: reason.errors }, { status: 400 });
      errors = await applyBankReturn(user, id, returnId, reason.reason);
      if (!errors) {
        const r = await fileOf(returnId);
        return redirectWithMessage(here, "bank.saved.applied", { file: r?.fileName ?? `#${returnId}`, paid: r ? formatYuan(BigInt(r.report.paidFen)) : "—" });
      }
      break;
    }
    case "discard": {
      const returnId = idParam(String(form.get("returnId") ?? ""));
      errors = await discardBankReturn(user, id, returnId);
      if (!errors) return redirectWithMessage(here, "bank.saved.discarded", { file: (await fileOf(returnId))?.fileName ?? `#${returnId}` });
      break;
    }
    default:
      throw new Response("Bad Request", { status: 400 });
  }
  return data<Result>({ ok: !errors, intent, errors }, { status: errors ? 400 : 200 });
}

export default function RunBank() {
  const t = useT();
  const { run, template, count, total, cash, returns, asOf, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errs = result && !result.ok ? result.errors : null;
  return (
    <>
      <div className="page-head">
        <h1>
          {t("bank.title")} · {run.cooperative} · {run.year} {run.title}
        </h1>
        <Link to={`/dividends/${run.id}`}>#{run.id}</Link>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {t(error)}
        </p>
      ) : null}
      {errs?.form ? (
        <p className="form-error" role="alert">
          {t(errs.form.key, errs.form.params)}
        </p>
      ) : null}
      {run.status !== "ISSUED" ? (
        <p className="form-error">{t("dividend.notIssued")}</p>
      ) : (
        <>
          <p>
            {template ? t("bank.currentTemplate", { name: template.name }) : t("bank.noTemplate")} <Link to="/dividends/templates">{t("bank.chooseTemplate")}</Link>
          </p>
          <p data-testid="bank-plan">{t("bank.planSummary", { count, total })}</p>
          {template ? (
            <div className="actions">
              <a className="button" href={`/resources/dividends/${run.id}/bank-file`} data-testid="bank-file">
                {t("bank.fileUnpaid")}
              </a>
              <a className="button secondary" href={`/resources/dividends/${run.id}/bank-file?mode=all`}>
                {t("bank.fileAll")}
              </a>
            </div>
          ) : null}
          <h2>{t("bank.cashTitle", { count: cash.length })}</h2>
          {cash.length === 0 ? (
            <p className="muted">{t("bank.cashNone")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data" data-testid="bank-cash">
                <thead>
                  <tr>
                    <th>{t("bank.village")}</th>
                    <th>{t("bank.name")}</th>
                    <th>{t("bank.statementNo")}</th>
                    <th className="num">{t("bank.amount")}</th>
                    <th>{t("bank.accountProblem")}</th>
                  </tr>
                </thead>
                <tbody>
                  {cash.map((c) => (
                    <tr key={c.lineId}>
                      <td>{c.village}</td>
                      <td>{c.name}</td>
                      <td className="mono small">{c.statementNo}</td>
                      <td className="num">{c.amount}</td>
                      <td>{t(`bank.account.${c.problem}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h2>{t("bank.resultTitle")}</h2>
          <p className="muted">{t("bank.resultIntro")}</p>
          <Form method="post" encType="multipart/form-data" className="inline-form">
            <input type="hidden" name="intent" value="check" />
            <Field label={t("bank.resultFile")} name="file" error={errs?.file}>
              {(p) => <input {...p} type="file" accept=".xlsx,.csv" />}
            </Field>
            <Field label={t("bank.paidOn")} name="paidOn" error={errs?.paidOn}>
              {(p) => <input {...p} type="date" defaultValue={asOf} max={asOf} />}
            </Field>
            <button type="submit" disabled={busy}>
              {t("bank.check")}
            </button>
          </Form>
        </>
      )}

      {returns.length ? <h2>{t("bank.returns")}</h2> : null}
      {returns.map((r) => (
        <div key={r.id} className="card" data-testid={`bank-return-${r.id}`}>
          <p>
            <strong>{r.fileName}</strong> · {t(`bank.rStatus.${r.status}`)} · {t("bank.paidOn")} {r.paidOn}
          </p>
          <p>{t("bank.reportSummary", { rows: r.rows, entries: r.entries.length, paid: r.paid, problems: r.problems.length })}</p>
          {r.problems.length ? (
            <div className="table-wrap">
              <table className="data" data-testid="bank-problems">
                <caption>{t("bank.problems")}</caption>
                <thead>
                  <tr>
                    <th className="num">{t("bank.row")}</th>
                    <th>{t("bank.statementNo")}</th>
                    <th>{t("bank.problem")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.problems.map((p) => (
                    <tr key={p.row}>
                      <td className="num">{p.row}</td>
                      <td className="mono small">{p.statementNo}</td>
                      <td>{t(`bank.problem.${p.kind}`, p.params)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {r.entries.length ? (
            <details>
              <summary>
                {t("bank.entries")} ({r.entries.length})
              </summary>
              <table className="data">
                <thead>
                  <tr>
                    <th className="num">{t("bank.row")}</th>
                    <th>{t("bank.statementNo")}</th>
                    <th>{t("bank.status")}</th>
                    <th className="num">{t("bank.amount")}</th>
                    <th>{t("bank.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.entries.map((e) => (
                    <tr key={e.row}>
                      <td className="num">{e.row}</td>
                      <td className="mono small">{e.statementNo}</td>
                      <td>{t(`pstatus.${e.status}`)}</td>
                      <td className="num">{e.amount}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
          {r.status === "CHECKED" ? (
            <div className="actions">
              <ConfirmStep
                intent="apply"
                id={`apply-${r.id}`}
                label={t("bank.apply")}
                warning={t("bank.applyWarning")}
                reasonLabel={t("bank.applyReason")}
                confirmLabel={t("bank.applyConfirmButton")}
                error={result && !result.ok && result.intent === "apply" ? result.errors?.reason : undefined}
              >
                <input type="hidden" name="returnId" value={r.id} />
              </ConfirmStep>
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="discard" />
                <input type="hidden" name="returnId" value={r.id} />
                <button type="submit" className="secondary" disabled={busy}>
                  {t("bank.discard")}
                </button>
              </Form>
            </div>
          ) : null}
        </div>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
