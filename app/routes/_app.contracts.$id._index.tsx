import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { PAYMENT_METHODS, TERMINATION_REASONS, sumAreas } from "~/contracts/contract-form";
import { canFileContract, canWriteContract, fileContract, getContract, signContract, terminateContract, today } from "~/contracts/contracts.server";
import { formatRateNote } from "~/contracts/format";
import { recordPayment, reversePayment, yuan } from "~/contracts/rent.server";
import { agingBucket, daysBetween, latePenaltyFen } from "~/contracts/schedule";
import { effectiveStatus } from "~/contracts/status";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/lib/i18n/use-t";
import type { FieldErrors } from "~/registry/household-form";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const c = await getContract(user, idParam(params.id));
  if (!c) notFound();
  const asOf = today();
  const heads = new Map(c.parties.map((p) => [p.householdId, p.household.headName]));
  return {
    asOf,
    canWrite: canWriteContract(user, c),
    canFile: canFileContract(user, c),
    contract: {
      ...c,
      riskDepositFen: undefined,
      // A grower's ID number is personal data: shown whole only to the secretary who keeps the contract.
      transfereeCode: /^\d{17}[\dX]$/.test(c.transfereeCode) && !canWriteContract(user, c) ? maskIdNumber(c.transfereeCode) : c.transfereeCode,
      riskDeposit: yuan(c.riskDepositFen),
      status: effectiveStatus(c, asOf),
      storedStatus: c.status,
      totalArea: sumAreas(c.plots.map((p) => p.area)).toFixed(2),
      parties: c.parties.map((p) => ({
        householdId: p.householdId,
        headName: p.household.headName,
        code: p.household.code,
        idMasked: maskIdNumber(p.household.members[0]?.idNumber ?? ""),
        accountMasked: maskBankAccount(p.receivingAccount),
        entrustmentNo: p.entrustmentNo,
        entrustmentDate: p.entrustmentDate,
      })),
      installments: c.installments.map((i) => {
        const outstanding = i.amountFen === null ? null : i.amountFen - i.paidFen;
        const late = daysBetween(i.dueDate, asOf);
        return {
          id: i.id,
          headName: heads.get(i.householdId) ?? "",
          periodStart: i.periodStart,
          periodEnd: i.periodEnd,
          dueDate: i.dueDate,
          area: i.area,
          rateNote: i.rateNote,
          cancelled: !!i.cancelledAt,
          amount: yuan(i.amountFen),
          paid: yuan(i.paidFen),
          outstanding: yuan(outstanding),
          bucket: outstanding === null || i.cancelledAt ? null : agingBucket(i.dueDate, outstanding, asOf),
          penalty: outstanding !== null && outstanding > 0n && late > 0 && !i.cancelledAt ? yuan(latePenaltyFen(outstanding, c.penaltyPerTenThousand, late)) : "",
          payments: i.payments.map((p) => ({ ...p, amount: yuan(p.amountFen), amountFen: undefined, reversed: i.payments.some((q) => q.reversesId === p.id) })),
        };
      }),
    },
  };
}

type ActionResult = { ok: true; intent: string } | { ok: false; intent: string; errors: FieldErrors; installmentId?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const id = idParam(params.id);
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const intent = get("intent");
  let errors: FieldErrors | null;
  switch (intent) {
    case "sign":
      errors = await signContract(user, id, get("signedDate") || today());
      break;
    case "file":
      errors = await fileContract(user, id, get("contractNo"), get("filedDate") || today());
      break;
    case "terminate":
      errors = await terminateContract(user, id, get("terminatedOn"), TERMINATION_REASONS.includes(get("terminationReason") as never) ? get("terminationReason") : "");
      break;
    case "pay": {
      // The installment must belong to this contract as well as to the user's scope.
      const installmentId = idParam(get("installmentId"));
      const c = await getContract(user, id);
      if (!c || !c.installments.some((i) => i.id === installmentId)) notFound();
      errors = await recordPayment(user, installmentId, { paidOn: get("paidOn"), amount: get("amount"), method: get("method"), receiptNo: get("receiptNo") });
      if (errors) return data<ActionResult>({ ok: false, intent, errors, installmentId }, { status: 400 });
      break;
    }
    case "reverse": {
      const c = await getContract(user, id);
      const paymentId = idParam(get("paymentId"));
      if (!c || !c.installments.some((i) => i.payments.some((p) => p.id === paymentId))) notFound();
      errors = await reversePayment(user, paymentId);
      break;
    }
    default:
      throw new Response("Bad Request", { status: 400 });
  }
  if (errors) return data<ActionResult>({ ok: false, intent, errors }, { status: 400 });
  return data<ActionResult>({ ok: true, intent });
}

export default function ContractDetail() {
  const t = useT();
  const { contract: c, canWrite, canFile, asOf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const err = (intent: string) => (result && !result.ok && result.intent === intent ? result.errors : null);
  const label = c.contractNo ?? c.draftNo;
  const transferee = c.cooperative?.name ?? c.transfereeName;
  const live = c.installments.filter((i) => !i.cancelled);
  return (
    <>
      <div className="page-head">
        <h1>{t("contract.title", { no: label })}</h1>
        <span className={`badge cstatus-${c.status}`} data-testid="contract-status">
          {t(`cstatus.${c.status}`)}
        </span>
      </div>
      <p>
        <a href={`/resources/contracts/${c.id}/pdf`} className="button secondary" download>
          {t("contract.pdf")}
        </a>{" "}
        {canWrite && c.storedStatus === "DRAFT" ? (
          <Link to="edit" className="button secondary">
            {t("contract.edit")}
          </Link>
        ) : null}{" "}
        {canWrite && ["SIGNED", "FILED"].includes(c.storedStatus) ? (
          <>
            <Link to="edit?mode=amend" className="button secondary">
              {t("contract.amend")}
            </Link>{" "}
            <Link to="edit?mode=renew" className="button secondary">
              {t("contract.renew")}
            </Link>
          </>
        ) : null}
      </p>
      {result?.ok ? <p role="status">{t("contract.done")}</p> : null}
      <dl className="facts">
        <dt>{t("contracts.draftNo")}</dt>
        <dd className="mono">
          {c.draftNo} · {t("contract.version", { version: c.version })}
        </dd>
        <dt>{t("contracts.no")}</dt>
        <dd className="mono">{c.contractNo ?? t("contract.notFiledYet")}</dd>
        {c.amendsId ? (
          <>
            <dt>{t("contract.amends")}</dt>
            <dd>
              <Link to={`/contracts/${c.amendsId}`}>#{c.amendsId}</Link> · {c.changeNote}
            </dd>
          </>
        ) : null}
        {c.renewsId ? (
          <>
            <dt>{t("contract.renews")}</dt>
            <dd>
              <Link to={`/contracts/${c.renewsId}`}>#{c.renewsId}</Link>
            </dd>
          </>
        ) : null}
        <dt>{t("contracts.village")}</dt>
        <dd>
          {c.village.township.name} {c.village.name}
        </dd>
        <dt>{t("contracts.transferee")}</dt>
        <dd>
          {transferee}（{t(`tkind.${c.transfereeKind}`)}）{c.cooperative ? ` ${c.cooperative.creditCode}` : c.transfereeCode ? ` ${c.transfereeCode}` : ""}
          {c.reviewApprovalNo ? ` · ${t("contract.reviewApprovalNo")} ${c.reviewApprovalNo} ${c.reviewDate ?? ""}` : ""}
        </dd>
        <dt>{t("contracts.form")}</dt>
        <dd>{t(`cform.${c.form}`)}</dd>
        <dt>{t("contracts.use")}</dt>
        <dd>
          {t(`cuse.${c.use}`)} {c.useNote}
        </dd>
        <dt>{t("contracts.term")}</dt>
        <dd>
          {c.startDate} – {c.endDate}
          {c.terminatedOn ? ` · ${t("cstatus.TERMINATED")} ${c.terminatedOn} ${t(`reason.${c.terminationReason}`)}` : ""}
        </dd>
        <dt>{t("contracts.rent")}</dt>
        <dd>
          {c.rentKind === "CASH" ? `${c.rentPerMu} ${t("unit.yuanPerMu")}` : `${t(`crop.${c.inKindCrop}`)} ${c.inKindJinPerMu} ${t("unit.jinPerMu")} · ${t(`basis.${c.priceBasis}`)}`}
          {c.stepPercent ? ` · +${c.stepPercent}% / ${c.stepEveryYears}` : ""} · {t(`timing.${c.paymentTiming}`)}
          {c.paymentMonthDay ? ` ${c.paymentMonthDay}` : ""}
          {c.instalmentsPerYear ? ` × ${c.instalmentsPerYear}` : ""}
        </dd>
        <dt>{t("contract.riskDeposit")}</dt>
        <dd>{c.riskDeposit || "—"}</dd>
        <dt>{t("contract.penalty")}</dt>
        <dd>{c.penaltyPerTenThousand}</dd>
        <dt>{t("contract.signedDate")}</dt>
        <dd>{c.signedDate ?? "—"}</dd>
        <dt>{t("contract.filedDate")}</dt>
        <dd>{c.filedDate ?? "—"}</dd>
      </dl>

      <h2>{t("contracts.transferors")}</h2>
      <table className="data">
        <thead>
          <tr>
            <th>{t("contract.household")}</th>
            <th>{t("household.idNumber")}</th>
            <th>{t("contract.receivingAccount")}</th>
            <th>{t("contract.entrustment")}</th>
          </tr>
        </thead>
        <tbody>
          {c.parties.map((p) => (
            <tr key={p.householdId}>
              <td>
                <Link to={`/households/${p.householdId}`}>
                  {p.code} {p.headName}
                </Link>
              </td>
              <td className="mono">{p.idMasked}</td>
              <td className="mono">{p.accountMasked}</td>
              <td>{p.entrustmentNo ? `${p.entrustmentNo} ${p.entrustmentDate ?? ""}` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>
        {t("contract.sectionPlots")} · {t("contract.totalArea")} {t("contracts.areaMu", { area: c.totalArea })}
      </h2>
      <div className="table-wrap">
        <table className="data" data-testid="contract-plots">
          <thead>
            <tr>
              <th>{t("plots.parcelCode")}</th>
              <th>{t("plots.name")}</th>
              <th>{t("plots.east")}</th>
              <th>{t("plots.south")}</th>
              <th>{t("plots.west")}</th>
              <th>{t("plots.north")}</th>
              <th>{t("plots.basicFarmland")}</th>
              <th className="num">{t("contract.lineArea")}</th>
            </tr>
          </thead>
          <tbody>
            {c.plots.map((p) => (
              <tr key={p.plotId}>
                <td className="mono">{p.plot.parcelCode}</td>
                <td>{p.plot.name}</td>
                <td>{p.plot.east}</td>
                <td>{p.plot.south}</td>
                <td>{p.plot.west}</td>
                <td>{p.plot.north}</td>
                <td>{p.plot.basicFarmland ? t("common.yes") : t("common.no")}</td>
                <td className="num">{p.area}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {canWrite && c.storedStatus === "DRAFT" ? (
        <Form method="post" className="form inline-form">
          <input type="hidden" name="intent" value="sign" />
          <Field label={t("contract.signedDate")} name="signedDate" error={err("sign")?.signedDate}>
            {(p) => <input {...p} type="date" defaultValue={asOf} />}
          </Field>
          <button type="submit" disabled={busy}>
            {t("contract.sign")}
          </button>
        </Form>
      ) : null}
      {canFile && c.storedStatus === "SIGNED" ? (
        <Form method="post" className="form inline-form">
          <input type="hidden" name="intent" value="file" />
          <Field label={t("contract.contractNo")} name="contractNo" error={err("file")?.contractNo}>
            {(p) => <input {...p} />}
          </Field>
          <Field label={t("contract.filedDate")} name="filedDate" error={err("file")?.filedDate}>
            {(p) => <input {...p} type="date" defaultValue={asOf} />}
          </Field>
          <button type="submit" disabled={busy}>
            {t("contract.file")}
          </button>
        </Form>
      ) : null}

      <h2>{t("contract.schedule")}</h2>
      {live.length === 0 ? (
        <p className="empty">—</p>
      ) : (
        <div className="table-wrap">
          <table className="data schedule" data-testid="schedule">
            <thead>
              <tr>
                <th>{t("contract.household")}</th>
                <th>{t("contract.period")}</th>
                <th>{t("contract.dueDate")}</th>
                <th className="num">{t("contracts.area")}</th>
                <th>{t("contracts.rent")}</th>
                <th className="num">{t("contract.amount")}</th>
                <th className="num">{t("contract.paid")}</th>
                <th className="num">{t("contract.outstanding")}</th>
                <th>{t("contract.aging")}</th>
                <th className="num">{t("contract.penaltyAccrued")}</th>
                {canWrite ? <th>{t("contract.recordPayment")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {c.installments.map((i) => (
                <tr key={i.id} id={`installment-${i.id}`} className={i.cancelled ? "muted" : undefined} data-testid={`installment-${i.id}`}>
                  <td>{i.headName}</td>
                  <td>
                    {i.periodStart} – {i.periodEnd}
                  </td>
                  <td>{i.dueDate}</td>
                  <td className="num">{i.area}</td>
                  <td className="small">{formatRateNote(i.rateNote, t)}</td>
                  <td className="num">{i.cancelled ? t("contract.cancelled") : i.amount || "—"}</td>
                  <td className="num">
                    {i.paid}
                    {i.payments.map((p) => (
                      <div key={p.id} id={`payment-${p.id}`} data-testid={`payment-${p.id}`} className="small muted">
                        {p.paidOn} {p.amount} {t(`pmethod.${p.method}`)} {p.receiptNo}
                        {p.reversesId ? ` ${t("contract.reversal", { id: p.reversesId })}` : ""}
                        {canWrite && !p.reversesId && !p.reversed ? (
                          <Form method="post" className="inline">
                            <input type="hidden" name="intent" value="reverse" />
                            <input type="hidden" name="paymentId" value={p.id} />{" "}
                            <button className="link-button" disabled={busy}>
                              {t("contract.reverse")}
                            </button>
                          </Form>
                        ) : null}
                      </div>
                    ))}
                  </td>
                  <td className="num">{i.cancelled ? "" : i.outstanding}</td>
                  <td>{i.bucket ? t(`aging.${i.bucket}`) : ""}</td>
                  <td className="num">{i.penalty}</td>
                  {canWrite ? (
                    <td>
                      {!i.cancelled && i.bucket && i.bucket !== "PAID" ? (
                        <PaymentForm key={i.paid} installmentId={i.id} outstanding={i.outstanding} errors={result && !result.ok && result.intent === "pay" && "installmentId" in result && result.installmentId === i.id ? result.errors : null} asOf={asOf} />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canWrite && ["SIGNED", "FILED"].includes(c.storedStatus) ? (
        <details open={!!err("terminate")}>
          <summary>{t("contract.terminate")}</summary>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="terminate" />
            <fieldset className="grid">
              <Field label={t("contract.terminatedOn")} name="terminatedOn" error={err("terminate")?.terminatedOn}>
                {(p) => <input {...p} type="date" />}
              </Field>
              <Field label={t("contract.terminationReason")} name="terminationReason" error={err("terminate")?.terminationReason}>
                {(p) => (
                  <select {...p} defaultValue="">
                    <option value="">—</option>
                    {TERMINATION_REASONS.map((r) => (
                      <option key={r} value={r}>
                        {t(`reason.${r}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </fieldset>
            <button type="submit" disabled={busy}>
              {t("contract.terminate")}
            </button>
          </Form>
        </details>
      ) : null}
    </>
  );
}

function PaymentForm({ installmentId, outstanding, errors, asOf }: { installmentId: number; outstanding: string; errors: FieldErrors | null; asOf: string }) {
  const t = useT();
  const busy = useNavigation().state !== "idle";
  return (
    <details open={!!errors} data-testid={`pay-${installmentId}`}>
      <summary>{t("contract.recordPayment")}</summary>
    <Form method="post" className="pay-form">
      <input type="hidden" name="intent" value="pay" />
      <input type="hidden" name="installmentId" value={installmentId} />
      <Field label={t("contract.paidOn")} name="paidOn" id={`paidOn-${installmentId}`} error={errors?.paidOn}>
        {(p) => <input {...p} type="date" defaultValue={asOf} />}
      </Field>
      <Field label={t("contract.paymentAmount")} name="amount" id={`amount-${installmentId}`} error={errors?.amount}>
        {(p) => <input {...p} inputMode="decimal" defaultValue={outstanding} />}
      </Field>
      <Field label={t("contract.paymentMethod")} name="method" id={`method-${installmentId}`} error={errors?.method}>
        {(p) => (
          <select {...p} defaultValue="BANK">
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`pmethod.${m}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("contract.receiptNo")} name="receiptNo" id={`receipt-${installmentId}`} error={errors?.receiptNo}>
        {(p) => <input {...p} />}
      </Field>
      <button type="submit" disabled={busy}>
        {t("contract.recordPayment")}
      </button>
    </Form>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
