import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { VoucherLinks } from "~/books/voucher-links";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { requireCan, requireIntent, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { Decimal, formatYuan, fromFen, yuan } from "~/lib/money";
import { setDeduction } from "~/dividends/deductions.server";
import { guaranteeDueFen } from "~/dividends/compute";
import { correctionRow, RUN_TOTALS } from "~/dividends/correction";
import { storedNoticePeriod } from "~/dividends/notice";
import { CorrectionTotals, RunTotals, shortWeight } from "~/dividends/run-view";
import { BulkPayForm, PayFilterForm, PayTotalsRow, SelectLine, SelectPage, usePageSelection } from "~/dividends/payments-view";
import { outstandingFen, parsePayFilter, payOverview, paymentStatus } from "~/dividends/payment-overview";
import { Pager } from "~/components/pager";
import {
  addObjection,
  approveRun,
  correctionContext,
  discardDraft,
  getRun,
  issueRun,
  findOpenCorrection,
  publishRun,
  payLines,
  recordDividendPayment,
  objectionsWithRecorder,
  resolveObjection,
  runSignOff,
} from "~/dividends/runs.server";
import { today } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { requiredReason, type FieldErrors } from "~/lib/forms";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await getRun(user, idParam(params.id));
  if (!run) notFound();
  const [correction, signOff] = await Promise.all([correctionContext(run), runSignOff(run)]);
  // A run whose surplus cannot cover the guarantee shows each household's due, what it would get, and what it lacks.
  const short = run.method === "LAND_SHARE" && run.shortfallFen > 0n;
  const canWrite = can(user, "write:dividend", run);
  // Corrections start from the original; while one is open no other can start.
  const open = canWrite && run.status === "ISSUED" ? await findOpenCorrection(run.cooperativeId, run.year) : null;
  // The payments overview: filtered and paged on the server, the filter in the URL (app/dividends/payment-overview.ts).
  const payFilter = parsePayFilter(new URL(request.url).searchParams);
  const overview = payOverview(run.lines, payFilter);
  const villages = [...new Map(run.lines.map((l) => [l.villageId, l.household.village.name])).entries()].map(([id, name]) => ({ id, name }));
  const totalsOf = (t: Record<(typeof RUN_TOTALS)[number], bigint>) => Object.fromEntries(RUN_TOTALS.map((k) => [k, yuan(t[k])])) as Record<(typeof RUN_TOTALS)[number], string>;
  return {
    asOf: today(),
    canWrite,
    correctAt: canWrite && run.status === "ISSUED" && !open ? (run.correctsId ?? run.id) : null,
    openCorrectionId: open?.id ?? null,
    correction: correction
      ? {
          original: correction.original,
          totals: {
            issued: totalsOf(correction.totals),
            corrected: totalsOf(Object.fromEntries(RUN_TOTALS.map((k) => [k, correction.totals[k] + run[k]])) as Record<(typeof RUN_TOTALS)[number], bigint>),
            difference: totalsOf(run),
          },
        }
      : null,
    notice: run.noticeStartsOn && run.noticeEndsOn ? storedNoticePeriod(run.noticeStartsOn, run.noticeEndsOn) : null,
    canIssue: can(user, "issue:dividend", run),
    // Maker-checker: the chair approves, never a run they drafted themselves (approveRun refuses it too).
    canApprove: can(user, "approve:dividend", run) && run.createdById !== user.id,
    canObject: can(user, "object:dividend", run),
    signOff,
    run: {
      id: run.id,
      year: run.year,
      title: run.title,
      resolution: run.resolution,
      issueNote: run.issueNote,
      method: run.method,
      status: run.status,
      correctsId: run.correctsId,
      cooperative: run.cooperative.name,
      guaranteePerShare: run.guaranteePerShare,
      transactionPercent: run.transactionPercent,
      shortfall: short,
      totals: {
        surplus: yuan(run.surplusFen),
        provident: yuan(run.providentFen),
        risk: yuan(run.riskFen),
        distributable: yuan(run.distributableFen),
        distributed: yuan(run.distributedFen),
        shortfall: yuan(run.shortfallFen),
      },
      objections: await objectionsWithRecorder(run.objections),
      lineCount: run.lines.length,
      pay: {
        filter: payFilter,
        villages,
        page: overview.page,
        pages: overview.pages,
        totals: { lines: overview.totals.lines, net: yuan(overview.totals.netFen), paid: yuan(overview.totals.paidFen), outstanding: yuan(overview.totals.outstandingFen) },
        allUnpaid: { lines: overview.allUnpaid.lines, amount: yuan(overview.allUnpaid.fen) },
      },
      lines: overview.lines.map((l) => ({
        id: l.id,
        payStatus: paymentStatus(l),
        outstanding: yuan(outstandingFen(l)),
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
        deductionNote: l.deductionNote,
        deductionValue: l.deductionFen > 0n ? fromFen(l.deductionFen).toFixed(2) : "",
        net: yuan(l.netFen),
        due: short ? yuan(guaranteeDueFen(l.weight, run.guaranteePerShare)) : null,
        lacking: short ? yuan(guaranteeDueFen(l.weight, run.guaranteePerShare) - l.guaranteedFen) : null,
        change: correction ? { issued: yuan(correctionRow(correction.lines.get(l.householdId), l.netFen).issuedNetFen), corrected: yuan(correctionRow(correction.lines.get(l.householdId), l.netFen).correctedNetFen) } : null,
        paid: yuan(l.paidFen),
        open: l.netFen > l.paidFen,
        statementNo: l.statementNo,
        payments: l.payments.map((p) => ({ id: p.id, paidOn: p.paidOn, amount: yuan(p.amountFen), status: p.status, reference: p.reference, failureReason: p.failureReason })),
      })),
    },
  };
}

type Result = { ok: boolean; intent: string; errors: FieldErrors | null; lineId?: number };

/** Each intent of the action and the permission it needs: the accountant drafts, publishes and pays; the chair approves and issues; the supervisor or the accountant records objections. */
const INTENTS = {
  approve: "approve:dividend",
  publish: "write:dividend",
  issue: "issue:dividend",
  discard: "write:dividend",
  objection: "object:dividend",
  resolve: "write:dividend",
  pay: "write:dividend",
  payMany: "write:dividend",
  deduct: "write:dividend",
} as const;

async function requireRunAccess(user: Parameters<typeof getRun>[0], id: number, permission: (typeof INTENTS)[keyof typeof INTENTS]) {
  const run = await getRun(user, id);
  if (!run) notFound();
  requireCan(user, permission, run);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, INTENTS);
  const id = idParam(params.id);
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const url = new URL(request.url);
  // back to the page as it was (its payment filter and page), with a message saying what was saved
  const here = `${url.pathname}${url.search}`;
  const runName = async () => {
    const r = await getRun(user, id);
    return r ? `${r.year} ${r.title}`.trim() : `#${id}`;
  };
  let errors: FieldErrors | null;
  let lineId: number | undefined;
  switch (intent) {
    case "approve":
      errors = await approveRun(user, id);
      if (!errors) return redirectWithMessage(here, "run.saved.approved", { run: await runName() });
      break;
    case "publish":
      errors = await publishRun(user, id);
      if (!errors) return redirectWithMessage(here, "run.saved.published", { run: await runName() });
      break;
    case "issue": {
      // Irreversible: the chair confirms with a reason, kept on the run (issueNote) and in the trail.
      // Access before the reason is looked at: another cooperative's run is 404 whatever the form says.
      await requireRunAccess(user, id, INTENTS[intent]);
      const reason = requiredReason(form);
      if (!reason.ok) return data<Result>({ ok: false, intent, errors: reason.errors }, { status: 400 });
      errors = await issueRun(user, id, undefined, reason.reason);
      if (!errors) return redirectWithMessage(here, "run.saved.issued", { run: await runName(), reason: reason.reason });
      break;
    }
    case "discard": {
      await requireRunAccess(user, id, INTENTS[intent]);
      const reason = requiredReason(form);
      if (!reason.ok) return data<Result>({ ok: false, intent, errors: reason.errors }, { status: 400 });
      const name = await runName();
      errors = await discardDraft(user, id, reason.reason);
      if (!errors) return redirectWithMessage("/dividends", "run.saved.discarded", { run: name });
      break;
    }
    case "objection":
      errors = await addObjection(user, id, { raisedBy: get("raisedBy"), content: get("content"), raisedOn: get("raisedOn") });
      if (!errors) return redirectWithMessage(here, "run.saved.objection", { by: get("raisedBy"), run: await runName() });
      break;
    case "resolve":
      errors = await resolveObjection(user, id, idParam(get("objectionId")), get("resolution"));
      if (!errors) return redirectWithMessage(here, "run.saved.resolved", { run: await runName() });
      break;
    case "pay": {
      lineId = idParam(get("lineId"));
      const run = await getRun(user, id);
      const line = run?.lines.find((l) => l.id === lineId);
      if (!run || !line) notFound();
      errors = await recordDividendPayment(user, lineId, { paidOn: get("paidOn"), amount: get("amount"), reference: get("reference"), status: get("status"), failureReason: get("failureReason") });
      if (!errors) {
        const typed = get("amount").replace(/[,，\s]/g, "");
        const amount = !typed ? formatYuan(line.netFen - line.paidFen) : /^-?\d+(\.\d+)?$/.test(typed) ? formatYuan(new Decimal(typed)) : get("amount");
        if (get("status") === "FAILED") return redirectWithMessage(here, "run.saved.paidFailed", { head: line.household.headName, amount, reason: get("failureReason") });
        return redirectWithMessage(here, "run.saved.paid", { head: line.household.headName, amount, paidOn: get("paidOn") });
      }
      break;
    }
    case "deduct": {
      lineId = idParam(get("lineId"));
      errors = await setDeduction(user, id, lineId, { amount: get("deduction"), note: get("deductionNote") });
      if (!errors) {
        const line = (await getRun(user, id))?.lines.find((l) => l.id === lineId);
        return redirectWithMessage(here, "run.saved.deducted", { head: line?.household.headName ?? `#${lineId}`, amount: line ? formatYuan(line.deductionFen) : get("deduction") });
      }
      break;
    }
    case "payMany": {
      // "all unpaid" is every unpaid line of the village filter, not only the page; otherwise the ticked lines.
      const all = get("scope") === "ALL_UNPAID";
      const village = Number(get("village"));
      const selection = all ? { allUnpaid: true as const, villageId: Number.isSafeInteger(village) && village > 0 ? village : null } : { lineIds: form.getAll("lineId").map((v) => idParam(String(v))) };
      const r = await payLines(user, id, selection, { paidOn: get("paidOn"), reference: get("reference") });
      errors = r.ok ? null : r.errors;
      if (r.ok) {
        return redirectWithMessage(here, "run.saved.paidMany", {
          count: r.paid.length,
          amount: formatYuan(r.paid.reduce((s, p) => s + p.amountFen, 0n)),
          skipped: r.skipped.length,
          paidOn: get("paidOn"),
        });
      }
      break;
    }
  }
  return data<Result>({ ok: !errors, intent, errors, lineId }, { status: errors ? 400 : 200 });
}

export default function RunDetail() {
  const t = useT();
  const { run, canWrite, canIssue, canApprove, canObject, signOff, asOf, notice, correction, correctAt, openCorrectionId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const canPay = canWrite && run.status === "ISSUED";
  const selection = usePageSelection(canPay ? run.lines.filter((l) => l.open).map((l) => l.id) : []);
  const err = (intent: string) => (result && !result.ok && result.intent === intent ? result.errors : null);
  const runError = result && !result.ok ? result.errors?.run : null;
  const button = (intent: string, label: string, confirmText?: string) => (
    <Form
      method="post"
      className="inline"
      onSubmit={(e) => {
        if (confirmText && !window.confirm(confirmText)) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={intent === "discard" ? "secondary" : undefined} disabled={busy}>
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
      {run.status === "ISSUED" ? <VoucherLinks source={["RUN_COST", "RUN_RESERVE", "RUN_DISTRIBUTION", "RUN_DEDUCTION"]} sourceId={run.id} /> : null}
      <p className="muted">
        {t(`dmethod.${run.method}`)}
        {run.guaranteePerShare ? ` · ${t("run.guaranteePerShare")} ${run.guaranteePerShare}` : ""}
        {run.transactionPercent ? ` · ${t("run.transactionPercent")} ${run.transactionPercent}` : ""}
        {notice ? (
          <span data-testid="notice-period">
            {" · "}
            {t("run.noticePeriod", { from: notice.from, to: notice.to, days: notice.days, issueFrom: notice.issueFrom })}
          </span>
        ) : null}
      </p>
      {correction ? (
        <p className="form-error" data-testid="correction-of">
          {t("run.correctionHead", { id: correction.original.id, title: correction.original.title || `${correction.original.year}` })}{" "}
          <Link to={`/dividends/${correction.original.id}`}>
            {t("run.correctionOf")} #{correction.original.id}
          </Link>
        </p>
      ) : null}
      {run.issueNote ? (
        <p data-testid="issue-note">
          {t("run.issueNoteShown", { note: run.issueNote })}
        </p>
      ) : null}
      {runError ? (
        <p className="form-error" role="alert">
          {t(runError.key, runError.params)}
        </p>
      ) : null}
      {/* A div: a <form> inside a <p> is re-parented by the browser, and the page then fails to hydrate. */}
      <div className="actions">
        {canApprove && run.status === "DRAFT" ? button("approve", "run.approve") : null}
        {canWrite && run.status === "DRAFT" ? (
          <Link className="button secondary" to={`/dividends/new?edit=${run.id}`}>
            {t("run.edit")}
          </Link>
        ) : null}
        {canWrite && run.status === "DRAFT" ? (
          <ConfirmStep
            intent="discard"
            label={t("run.discard")}
            warning={t("run.discardConfirm")}
            reasonLabel={t("run.discardReason")}
            confirmLabel={t("run.discardConfirmButton")}
            error={err("discard")?.reason}
          />
        ) : null}
        {canWrite && run.status === "APPROVED" ? button("publish", "run.publish") : null}
        {canIssue && run.status === "PUBLISHED" ? (
          <ConfirmStep
            intent="issue"
            label={t("run.issue")}
            warning={t("run.issueWarning")}
            reasonLabel={t("run.issueReason")}
            confirmLabel={t("run.issueConfirmButton")}
            error={err("issue")?.reason}
          />
        ) : null}
        {run.status !== "DRAFT" ? (
          <a className="button secondary" href={`/resources/dividends/${run.id}/notice.pdf`}>
            {t("run.noticePdf")}
          </a>
        ) : null}
        {run.status === "ISSUED" ? (
          <a className="button secondary" href={`/resources/dividends/${run.id}/roster.pdf`} data-testid="roster-pdf">
            {t("run.rosterPdf")}
          </a>
        ) : null}
        <a className="button secondary" href={`/resources/dividends/${run.id}/lines.xlsx`}>
          {t("run.linesXlsx")}
        </a>
        {canWrite && run.status === "ISSUED" ? (
          <Link className="button secondary" to={`/dividends/${run.id}/bank`} data-testid="bank-link">
            {t("bank.link")}
          </Link>
        ) : null}
        {correctAt ? (
          <Link className="button secondary" to={`/dividends/new?corrects=${correctAt}`}>
            {t("run.correct")}
          </Link>
        ) : null}
        {openCorrectionId ? (
          <Link to={`/dividends/${openCorrectionId}`} data-testid="open-correction">
            {t("dividend.correctionOpen", { id: openCorrectionId })}
          </Link>
        ) : null}
        {run.status === "ISSUED" ? (
          // a background job (ADR 016): the button opens its page, which offers the file when it is made
          <Form method="post" action={`/resources/dividends/${run.id}/statements.pdf`} reloadDocument className="inline">
            <button type="submit" className="secondary" data-testid="statements-pdf">
              {t("run.statementsPdf")}
            </button>
          </Form>
        ) : null}
      </div>
      <dl className="sign-off" data-testid="sign-off" aria-label={t("run.signOff")}>
        <dt>{t("run.signOffMade")}</dt>
        <dd>{signOff.madeBy ?? "—"}</dd>
        <dt>{t("run.signOffApproved")}</dt>
        <dd>{signOff.approvedBy ?? "—"}</dd>
        <dt>{t("run.signOffPublished")}</dt>
        <dd>{signOff.publishedBy ?? "—"}</dd>
        <dt>{t("run.signOffIssued")}</dt>
        <dd>{signOff.issuedBy ?? "—"}</dd>
      </dl>
      {correction ? <CorrectionTotals totals={correction.totals} /> : <RunTotals totals={run.totals} />}

      {run.status === "PUBLISHED" || run.objections.length ? (
        <>
          <h2>{t("run.objections")}</h2>
          {run.objections.length === 0 ? <p className="muted">{t("run.noObjections")}</p> : null}
          {run.objections.map((o) => (
            <div key={o.id} className="card">
              <span>
                {o.raisedOn} · {o.raisedBy}
                {o.recordedBy ? ` · ${t("run.objectionRecordedBy", { name: o.recordedBy })}` : null}
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
          {canObject && run.status === "PUBLISHED" ? (
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

      <h2>{t("run.register", { count: run.lineCount })}</h2>
      <PayFilterForm filter={run.pay.filter} villages={run.pay.villages} />
      {canPay ? (
        <BulkPayForm
          asOf={asOf}
          villageId={run.pay.filter.villageId}
          selectedCount={selection.selected.size}
          allUnpaid={run.pay.allUnpaid}
          errors={err("payMany")}
          done={null}
        />
      ) : null}
      <div className="table-wrap">
        <table className="data run-lines" data-testid="run-lines">
          <thead>
            <tr>
              {canPay ? (
                <th className="select">
                  <SelectPage selection={selection} />
                </th>
              ) : null}
              <th>{t("run.village")}</th>
              <th>{t("run.head")}</th>
              <th className="num">{t("run.area")}</th>
              <th className="num">{t("run.weight")}</th>
              {correction ? (
                <>
                  <th className="num">{t("run.issuedSoFar")}</th>
                  <th className="num">{t("run.corrected")}</th>
                </>
              ) : null}
              {run.shortfall ? (
                <>
                  <th className="num">{t("run.guaranteeDue")}</th>
                  <th className="num">{t("run.guaranteeCovered")}</th>
                  <th className="num">{t("run.guaranteeLacking")}</th>
                </>
              ) : run.method === "LAND_SHARE" ? (
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
              <th className="num">{correction ? t("run.difference") : t("run.net")}</th>
              <th className="num">{t("run.paid")}</th>
              <th className="num">{t("payview.outstanding")}</th>
              <th>{t("payview.status")}</th>
              <th>{t("run.statement")}</th>
              {canWrite && run.status === "ISSUED" ? <th>{t("run.recordPayment")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {run.lines.map((l) => (
              <tr key={l.id} id={`line-${l.id}`} data-testid={`line-${l.id}`}>
                {canPay ? <td className="select">{l.open ? <SelectLine id={l.id} head={l.head} selection={selection} /> : null}</td> : null}
                <td className="village">{l.village}</td>
                <td className="head">
                  {l.code} {l.head}
                  {/* under the name rather than a column of its own: the payments table must fit 1366 px */}
                  <div className="mono small muted" title={t("household.idNumber")}>
                    {l.idMasked}
                  </div>
                </td>
                <td className="num">{l.areaMu}</td>
                <td className="num">{shortWeight(l.weight)}</td>
                {l.change ? (
                  <>
                    <td className="num">{l.change.issued}</td>
                    <td className="num">{l.change.corrected}</td>
                  </>
                ) : null}
                {run.shortfall ? (
                  <>
                    <td className="num">{l.due}</td>
                    <td className="num">{l.guaranteed}</td>
                    <td className="num">{l.lacking}</td>
                  </>
                ) : run.method === "LAND_SHARE" ? (
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
                <td className="num">
                  {l.deduction}
                  {l.deductionNote ? <div className="small muted">{l.deductionNote}</div> : null}
                  {canWrite && run.status === "DRAFT" && !correction ? (
                    <details open={!!(result && !result.ok && result.intent === "deduct" && result.lineId === l.id)}>
                      <summary>{t("run.deductionSet")}</summary>
                      <Form method="post" className="pay-form" data-testid={`deduct-${l.id}`}>
                        <input type="hidden" name="intent" value="deduct" />
                        <input type="hidden" name="lineId" value={l.id} />
                        <Field label={t("run.deductionAmount")} name="deduction" id={`deduction-${l.id}`} error={result?.lineId === l.id ? err("deduct")?.deduction : undefined}>
                          {(p) => <input {...p} inputMode="decimal" defaultValue={l.deductionValue} />}
                        </Field>
                        <Field label={t("run.deductionNote")} name="deductionNote" id={`deductionNote-${l.id}`} error={result?.lineId === l.id ? err("deduct")?.deductionNote : undefined}>
                          {(p) => <input {...p} maxLength={40} defaultValue={l.deductionNote} placeholder="代扣代缴医保" />}
                        </Field>
                        <p className="small muted">{t("run.deductionHint")}</p>
                        <button type="submit" disabled={busy}>
                          {t("run.deductionSet")}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </td>
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
                <td className="num">{l.outstanding}</td>
                <td>
                  <span className={`badge pay-${l.payStatus}`}>{t(`pay.${l.payStatus}`)}</span>
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
                            {(p) => <input {...p} inputMode="decimal" defaultValue={l.outstanding} />}
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
            {run.lines.length === 0 ? (
              <tr>
                <td colSpan={99} className="muted">
                  {t("payview.none")}
                </td>
              </tr>
            ) : null}
          </tbody>
          <PayTotalsRow
            // the columns before the net: selection, village, head (with the ID), area, weight, correction's two, the method's two or three, deduction
            lead={(canPay ? 1 : 0) + 4 + (correction ? 2 : 0) + (run.shortfall ? 3 : 2) + 1}
            trail={2 + (canPay ? 1 : 0)}
            totals={run.pay.totals}
          />
        </table>
      </div>
      <Pager page={run.pay.page} pages={run.pay.pages} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
