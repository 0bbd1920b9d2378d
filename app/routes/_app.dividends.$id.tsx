import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { today } from "~/contracts/contracts.server";
import { yuan } from "~/contracts/rent.server";
import { RunTotals, shortWeight } from "~/dividends/run-view";
import { addObjection, approveRun, canIssueRun, canWriteRun, getRun, issueRun, publishRun, recordDividendPayment, resolveObjection } from "~/dividends/runs.server";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/lib/i18n/use-t";
import type { FieldErrors } from "~/registry/household-form";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await getRun(user, idParam(params.id));
  if (!run) notFound();
  return {
    asOf: today(),
    canWrite: canWriteRun(user, run),
    canIssue: canIssueRun(user, run),
    run: {
      id: run.id,
      year: run.year,
      title: run.title,
      resolution: run.resolution,
      method: run.method,
      status: run.status,
      correctsId: run.correctsId,
      cooperative: run.cooperative.name,
      guaranteePerShare: run.guaranteePerShare,
      transactionPercent: run.transactionPercent,
      noticeStartsOn: run.noticeStartsOn,
      noticeEndsOn: run.noticeEndsOn,
      approvedAt: run.approvedAt,
      issuedAt: run.issuedAt,
      totals: {
        surplus: yuan(run.surplusFen),
        provident: yuan(run.providentFen),
        risk: yuan(run.riskFen),
        distributable: yuan(run.distributableFen),
        distributed: yuan(run.distributedFen),
        shortfall: yuan(run.shortfallFen),
      },
      objections: run.objections,
      lines: run.lines.map((l) => ({
        id: l.id,
        head: l.household.headName,
        code: l.household.code,
        village: l.household.village.name,
        idMasked: maskIdNumber(l.household.members[0]?.idNumber ?? ""),
        account: maskBankAccount(l.household.bankAccount),
        areaMu: l.areaMu,
        shares: l.shares,
        weight: l.weight,
        guaranteed: yuan(l.guaranteedFen),
        surplus: yuan(l.surplusFen),
        transaction: yuan(l.transactionFen),
        capital: yuan(l.capitalFen),
        deduction: yuan(l.deductionFen),
        net: yuan(l.netFen),
        paid: yuan(l.paidFen),
        open: l.netFen > l.paidFen,
        statementNo: l.statementNo,
        payments: l.payments.map((p) => ({ id: p.id, paidOn: p.paidOn, amount: yuan(p.amountFen), status: p.status, reference: p.reference, failureReason: p.failureReason })),
      })),
    },
  };
}

type Result = { ok: boolean; intent: string; errors: FieldErrors | null; lineId?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const id = idParam(params.id);
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const intent = get("intent");
  let errors: FieldErrors | null;
  let lineId: number | undefined;
  switch (intent) {
    case "approve":
      errors = await approveRun(user, id);
      break;
    case "publish":
      errors = await publishRun(user, id);
      break;
    case "issue":
      errors = await issueRun(user, id);
      break;
    case "objection":
      errors = await addObjection(user, id, { raisedBy: get("raisedBy"), content: get("content"), raisedOn: get("raisedOn") });
      break;
    case "resolve":
      errors = await resolveObjection(user, id, idParam(get("objectionId")), get("resolution"));
      break;
    case "pay": {
      lineId = idParam(get("lineId"));
      const run = await getRun(user, id);
      if (!run || !run.lines.some((l) => l.id === lineId)) notFound();
      errors = await recordDividendPayment(user, lineId, { paidOn: get("paidOn"), amount: get("amount"), reference: get("reference"), status: get("status"), failureReason: get("failureReason") });
      break;
    }
    default:
      throw new Response("Bad Request", { status: 400 });
  }
  return data<Result>({ ok: !errors, intent, errors, lineId }, { status: errors ? 400 : 200 });
}

export default function RunDetail() {
  const t = useT();
  const { run, canWrite, canIssue, asOf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const err = (intent: string) => (result && !result.ok && result.intent === intent ? result.errors : null);
  const runError = result && !result.ok ? result.errors?.run : null;
  const button = (intent: string, label: string) => (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" disabled={busy}>
        {t(label)}
      </button>
    </Form>
  );
  return (
    <>
      <div className="page-head">
        <h1>
          {run.cooperative} · {run.year} {run.title}
        </h1>
        <span className={`badge dstatus-${run.status}`} data-testid="run-status">
          {t(`dstatus.${run.status}`)}
        </span>
      </div>
      <p className="muted">
        {t(`dmethod.${run.method}`)}
        {run.guaranteePerShare ? ` · ${t("run.guaranteePerShare")} ${run.guaranteePerShare}` : ""}
        {run.transactionPercent ? ` · ${t("run.transactionPercent")} ${run.transactionPercent}` : ""}
        {run.noticeStartsOn ? ` · ${t("run.noticePeriod", { from: run.noticeStartsOn, to: run.noticeEndsOn ?? "" })}` : ""}
      </p>
      {run.correctsId ? (
        <p className="form-error">
          {t("run.corrects", { link: "" })} <Link to={`/dividends/${run.correctsId}`}>{t("run.correctionOf")} #{run.correctsId}</Link>
        </p>
      ) : null}
      {result?.ok ? <p role="status">{t("run.done")}</p> : null}
      {runError ? (
        <p className="form-error" role="alert">
          {t(runError.key, runError.params)}
        </p>
      ) : null}
      <p className="actions">
        {canWrite && run.status === "DRAFT" ? button("approve", "run.approve") : null}
        {canWrite && run.status === "APPROVED" ? button("publish", "run.publish") : null}
        {canIssue && run.status === "PUBLISHED" ? button("issue", "run.issue") : null}
        {run.status !== "DRAFT" ? (
          <a className="button secondary" href={`/resources/dividends/${run.id}/notice.pdf`}>
            {t("run.noticePdf")}
          </a>
        ) : null}
        <a className="button secondary" href={`/resources/dividends/${run.id}/lines.xlsx`}>
          {t("run.linesXlsx")}
        </a>
        {canWrite && run.status === "ISSUED" && !run.correctsId ? (
          <Link className="button secondary" to={`/dividends/new?corrects=${run.id}`}>
            {t("run.correct")}
          </Link>
        ) : null}
        {run.status === "ISSUED" ? (
          <a className="button secondary" href={`/resources/dividends/${run.id}/statements.pdf`}>
            {t("run.statementsPdf")}
          </a>
        ) : null}
      </p>
      <RunTotals totals={run.totals} />

      {run.status === "PUBLISHED" || run.objections.length ? (
        <>
          <h2>{t("run.objections")}</h2>
          {run.objections.length === 0 ? <p className="muted">{t("run.noObjections")}</p> : null}
          {run.objections.map((o) => (
            <div key={o.id} className="card">
              <span>
                {o.raisedOn} · {o.raisedBy}
              </span>
              <p>{o.content}</p>
              {o.resolvedOn ? (
                <p>
                  {t("run.resolutionOfObjection")}：{o.resolution}（{o.resolvedOn}）
                </p>
              ) : canWrite ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="resolve" />
                  <input type="hidden" name="objectionId" value={o.id} />
                  <Field label={t("run.resolutionOfObjection")} name="resolution" id={`resolution-${o.id}`} error={err("resolve")?.resolution}>
                    {(p) => <input {...p} />}
                  </Field>
                  <button type="submit" disabled={busy}>
                    {t("run.resolve")}
                  </button>
                </Form>
              ) : null}
            </div>
          ))}
          {canWrite && run.status === "PUBLISHED" ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="objection" />
              <Field label={t("run.raisedBy")} name="raisedBy" error={err("objection")?.raisedBy}>
                {(p) => <input {...p} />}
              </Field>
              <Field label={t("run.raisedOn")} name="raisedOn" error={err("objection")?.raisedOn}>
                {(p) => <input {...p} type="date" defaultValue={asOf} />}
              </Field>
              <Field label={t("run.objection")} name="content" error={err("objection")?.content}>
                {(p) => <input {...p} />}
              </Field>
              <button type="submit" disabled={busy}>
                {t("run.addObjection")}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}

      <h2>{t("run.register", { count: run.lines.length })}</h2>
      <div className="table-wrap">
        <table className="data" data-testid="run-lines">
          <thead>
            <tr>
              <th>{t("run.village")}</th>
              <th>{t("run.head")}</th>
              <th>{t("household.idNumber")}</th>
              <th className="num">{t("run.area")}</th>
              <th className="num">{t("run.weight")}</th>
              {run.method === "LAND_SHARE" ? (
                <>
                  <th className="num">{t("run.guaranteed")}</th>
                  <th className="num">{t("run.surplusPart")}</th>
                </>
              ) : (
                <>
                  <th className="num">{t("run.transaction")}</th>
                  <th className="num">{t("run.capital")}</th>
                </>
              )}
              <th className="num">{t("run.deduction")}</th>
              <th className="num">{t("run.net")}</th>
              <th className="num">{t("run.paid")}</th>
              <th>{t("run.statement")}</th>
              {canWrite && run.status === "ISSUED" ? <th>{t("run.recordPayment")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {run.lines.map((l) => (
              <tr key={l.id} id={`line-${l.id}`} data-testid={`line-${l.id}`}>
                <td>{l.village}</td>
                <td>
                  {l.code} {l.head}
                </td>
                <td className="mono">{l.idMasked}</td>
                <td className="num">{l.areaMu}</td>
                <td className="num">{shortWeight(l.weight)}</td>
                {run.method === "LAND_SHARE" ? (
                  <>
                    <td className="num">{l.guaranteed}</td>
                    <td className="num">{l.surplus}</td>
                  </>
                ) : (
                  <>
                    <td className="num">{l.transaction}</td>
                    <td className="num">{l.capital}</td>
                  </>
                )}
                <td className="num">{l.deduction}</td>
                <td className="num">
                  <strong>{l.net}</strong>
                </td>
                <td className="num">
                  {l.paid}
                  {l.payments.map((p) => (
                    <div key={p.id} className={`small ${p.status === "FAILED" ? "error" : "muted"}`}>
                      {p.paidOn} {p.amount} {t(`pstatus.${p.status}`)} {p.reference} {p.failureReason}
                    </div>
                  ))}
                </td>
                <td>
                  {l.statementNo ? (
                    <a href={`/resources/dividends/lines/${l.id}/statement.pdf`} className="mono small">
                      {l.statementNo}
                    </a>
                  ) : null}
                </td>
                {canWrite && run.status === "ISSUED" ? (
                  <td>
                    {l.open ? (
                      <details key={l.payments.length} open={!!(result && !result.ok && result.intent === "pay" && result.lineId === l.id)}>
                        <summary>{t("run.recordPayment")}</summary>
                        <Form method="post" className="pay-form">
                          <input type="hidden" name="intent" value="pay" />
                          <input type="hidden" name="lineId" value={l.id} />
                          <Field label={t("contract.paidOn")} name="paidOn" id={`paidOn-${l.id}`} error={result?.lineId === l.id ? err("pay")?.paidOn : undefined}>
                            {(p) => <input {...p} type="date" defaultValue={asOf} />}
                          </Field>
                          <Field label={t("contract.paymentAmount")} name="amount" id={`amount-${l.id}`} error={result?.lineId === l.id ? err("pay")?.amount : undefined}>
                            {(p) => <input {...p} inputMode="decimal" defaultValue={l.net} />}
                          </Field>
                          <Field label={t("run.paymentStatus")} name="status" id={`status-${l.id}`} error={undefined}>
                            {(p) => (
                              <select {...p} defaultValue="PAID">
                                <option value="PAID">{t("pstatus.PAID")}</option>
                                <option value="FAILED">{t("pstatus.FAILED")}</option>
                              </select>
                            )}
                          </Field>
                          <Field label={t("run.reference")} name="reference" id={`reference-${l.id}`} error={undefined}>
                            {(p) => <input {...p} />}
                          </Field>
                          <Field label={t("run.failureReason")} name="failureReason" id={`failure-${l.id}`} error={result?.lineId === l.id ? err("pay")?.failureReason : undefined}>
                            {(p) => <input {...p} />}
                          </Field>
                          <button type="submit" disabled={busy}>
                            {t("run.recordPayment")}
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </td>
                ) : null}
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
