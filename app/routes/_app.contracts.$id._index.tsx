import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { requireIntent, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { isEquity, PAYMENT_METHODS, TERMINATION_REASONS, sumAreas } from "~/contracts/contract-form";
import { contractScopeWhere, fileContract, getContract, signContract, terminateContract } from "~/contracts/contracts.server";
import { prisma } from "~/lib/db.server";
import { formatRateNote } from "~/contracts/format";
import { suggestFilingNumber } from "~/contracts/filing.server";
import { scheduleTotals, seqInYear } from "~/contracts/schedule-view";
import { ConfirmStep } from "~/components/confirm-step";
import { redirectWithMessage } from "~/lib/flash.server";
import { requiredReason } from "~/lib/forms";
import { contractPenalty, installmentPenaltyFen, recordPayment, recordPenaltySettlement, reversePayment, reversePenaltySettlement } from "~/contracts/rent.server";
import { formatYuan, parseYuan, yuan } from "~/lib/money";
import { agingBucket } from "~/contracts/schedule";
import { effectiveStatus } from "~/contracts/status";
import { formatInstant, today } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";
import { isPersonIdNumber, personalView } from "~/registry/privacy";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const c = await getContract(user, idParam(params.id));
  if (!c) notFound();
  const asOf = today();
  const heads = new Map(c.parties.map((p) => [p.householdId, p.household.headName]));
  const equity = isEquity(c.form);
  const penalty = equity ? [] : await contractPenalty(c, asOf);
  const canFile = can(user, "file:contract", c);
  // grouped by household and year, with totals: what each household gets each year, and overall
  const totals = scheduleTotals(
    c.installments.map((i) => ({ householdId: i.householdId, dueDate: i.dueDate, amountFen: i.amountFen, cancelled: !!i.cancelledAt })),
    c.parties.map((p) => p.householdId),
  );
  return {
    filingSuggestion: canFile && c.status === "SIGNED" ? await suggestFilingNumber(c.id, asOf) : "",
    totals: {
      households: totals.households.map((h) => ({ id: h, headName: heads.get(h) ?? "", total: formatYuan(totals.byHousehold.get(h) ?? 0n) })),
      years: totals.years.map((y) => ({ year: y, cells: totals.households.map((h) => { const v = totals.cell.get(`${y}:${h}`); return v === undefined ? "" : formatYuan(v); }), total: formatYuan(totals.byYear.get(y) ?? 0n) })),
      grand: formatYuan(totals.grandFen),
      incomplete: totals.incomplete,
    },
    asOf,
    equity,
    penalty: penalty.map((p) => ({
      householdId: p.householdId,
      headName: heads.get(p.householdId) ?? "",
      accrued: yuan(p.accruedFen),
      paid: yuan(p.paidFen),
      waived: yuan(p.waivedFen),
      outstanding: yuan(p.outstandingFen),
      settlements: p.settlements.map((s) => ({
        id: s.id,
        kind: s.kind,
        on: s.on,
        amount: yuan(s.amountFen),
        method: s.method,
        receiptNo: s.receiptNo,
        reason: s.reason,
        decidedBy: s.decidedBy,
        reversesId: s.reversesId,
        reversed: s.reversed,
        recordedBy: s.recordedBy,
        recordedAt: formatInstant(s.createdAt),
      })),
    })),
    canWrite: can(user, "write:contract", c),
    canFile,
    contract: {
      ...c,
      riskDepositFen: undefined,
      // A grower's ID number and phone are personal data: whole only for the secretary of the village (ADR 004).
      transfereeCode: personalView(user, c).code(c.transfereeCode),
      transfereePhone: isPersonIdNumber(c.transfereeCode) || c.transfereeEntityType === "自然人" ? personalView(user, c).phone(c.transfereePhone) : c.transfereePhone,
      riskDeposit: yuan(c.riskDepositFen),
      status: effectiveStatus(c, asOf),
      storedStatus: c.status,
      totalArea: sumAreas(c.plots.map((p) => p.area)).toFixed(2),
      parties: c.parties.map((p) => ({
        householdId: p.householdId,
        headName: p.household.headName,
        code: p.household.code,
        idNumber: personalView(user, p.household).idNumber(p.household.members[0]?.idNumber ?? ""),
        account: personalView(user, p.household).bankAccount(p.receivingAccount),
        entrustmentNo: p.entrustmentNo,
        entrustmentDate: p.entrustmentDate,
      })),
      installments: c.installments.map((i) => {
        const outstanding = i.amountFen === null ? null : i.amountFen - i.paidFen;
        const accrued = equity ? 0n : installmentPenaltyFen(i, c.penaltyPerTenThousand, asOf);
        return {
          id: i.id,
          headName: heads.get(i.householdId) ?? "",
          periodStart: i.periodStart,
          periodEnd: i.periodEnd,
          dueDate: i.dueDate,
          area: i.area,
          rateNote: i.rateNote,
          cancelled: !!i.cancelledAt,
          householdId: i.householdId,
          amount: i.amountFen === null ? "" : formatYuan(i.amountFen),
          paid: formatYuan(i.paidFen),
          outstanding: yuan(outstanding),
          outstandingText: outstanding === null ? "" : formatYuan(outstanding),
          bucket: outstanding === null || i.cancelledAt ? null : agingBucket(i.dueDate, outstanding, asOf),
          // accrued day by day on what was unpaid each overdue day: a late payment leaves what had accrued
          penalty: accrued > 0n ? yuan(accrued) : "",
          payments: i.payments.map((p) => ({ ...p, amount: formatYuan(p.amountFen), amountFen: undefined, reversed: i.payments.some((q) => q.reversesId === p.id) })),
        };
      }),
    },
  };
}

/** An amount the service already accepted, as the message prints it ("1,000.00"). */
const amountText = (raw: string) => {
  const a = parseYuan(raw);
  return a.ok ? formatYuan(a.value) : raw;
};

type ActionResult = { ok: false; intent: string; errors: FieldErrors; installmentId?: number; householdId?: number; paymentId?: number; settlementId?: number };

/** Each intent of the action and the permission it needs: filing is the township's, everything else the village secretary's. */
const INTENTS = {
  sign: "write:contract",
  file: "file:contract",
  terminate: "write:contract",
  pay: "write:contract",
  reverse: "write:contract",
  penaltyPaid: "write:contract",
  penaltyWaive: "write:contract",
  penaltyReverse: "write:contract",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, INTENTS);
  const id = idParam(params.id);
  const here = `/contracts/${id}`;
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const refuse = (errors: FieldErrors, extra: { installmentId?: number; householdId?: number; paymentId?: number; settlementId?: number } = {}) => data<ActionResult>({ ok: false, intent, errors, ...extra }, { status: 400 });
  // Irreversible steps ask for a reason before anything else is looked at.
  const needsReason = intent === "reverse" || intent === "penaltyReverse" || intent === "terminate";
  // (after the contract is found in the user's scope: another village's contract answers 404 whatever the form holds)
  if (needsReason && !(await prisma.transferContract.findFirst({ where: { AND: [{ id }, contractScopeWhere(user.scope)] }, select: { id: true } }))) notFound();
  const why = needsReason ? requiredReason(form) : null;
  const reason = why?.ok ? why.reason : "";
  let errors: FieldErrors | null;
  switch (intent) {
    case "sign": {
      const signedDate = get("signedDate") || today();
      errors = await signContract(user, id, signedDate);
      if (errors) return refuse(errors);
      const c = await getContract(user, id);
      return redirectWithMessage(here, "contract.savedSigned", { no: c?.draftNo ?? "", date: signedDate });
    }
    case "file": {
      const contractNo = get("contractNo");
      errors = await fileContract(user, id, contractNo, get("filedDate") || today());
      if (errors) return refuse(errors);
      return redirectWithMessage(here, "contract.savedFiled", { no: contractNo });
    }
    case "terminate": {
      const date = get("terminatedOn");
      const code = TERMINATION_REASONS.includes(get("terminationReason") as never) ? get("terminationReason") : "";
      if (!why!.ok) return refuse(why!.errors);
      errors = await terminateContract(user, id, date, code, reason);
      if (errors) return refuse(errors);
      return redirectWithMessage(here, "contract.savedTerminated", { date });
    }
    case "pay": {
      // The installment must belong to this contract as well as to the user's scope.
      const installmentId = idParam(get("installmentId"));
      const c = await getContract(user, id);
      if (!c || !c.installments.some((i) => i.id === installmentId)) notFound();
      errors = await recordPayment(user, installmentId, { paidOn: get("paidOn"), amount: get("amount"), method: get("method"), receiptNo: get("receiptNo") });
      if (errors) return refuse(errors, { installmentId });
      const inst = c.installments.find((i) => i.id === installmentId)!;
      const place = seqInYear(c.installments.map((i) => ({ id: i.id, householdId: i.householdId, dueDate: i.dueDate, amountFen: i.amountFen, cancelled: !!i.cancelledAt })), installmentId);
      const head = c.parties.find((p) => p.householdId === inst.householdId)?.household.headName ?? "";
      return redirectWithMessage(`${here}#installment-${installmentId}`, "contract.savedPayment", { amount: amountText(get("amount")), name: head, year: place?.year ?? "", n: place?.n ?? "" });
    }
    case "reverse": {
      const c = await getContract(user, id);
      const paymentId = idParam(get("paymentId"));
      const payment = c?.installments.flatMap((i) => i.payments.map((p) => ({ ...p, householdId: i.householdId }))).find((p) => p.id === paymentId);
      if (!c || !payment) notFound();
      if (!why!.ok) return refuse(why!.errors, { paymentId });
      errors = await reversePayment(user, paymentId, reason);
      if (errors) return refuse(errors);
      const head = c.parties.find((p) => p.householdId === payment.householdId)?.household.headName ?? "";
      return redirectWithMessage(here, "contract.savedReversal", { amount: formatYuan(payment.amountFen), name: head, paidOn: payment.paidOn });
    }
    case "penaltyPaid":
    case "penaltyWaive": {
      const householdId = idParam(get("householdId"));
      errors = await recordPenaltySettlement(user, id, householdId, {
        kind: intent === "penaltyPaid" ? "PAID" : "WAIVED",
        on: get("on"),
        amount: get("amount"),
        method: get("method"),
        receiptNo: get("receiptNo"),
        reason: get("reason"),
        decidedBy: get("decidedBy"),
      });
      if (errors) return refuse(errors, { householdId });
      const c = await getContract(user, id);
      const head = c?.parties.find((p) => p.householdId === householdId)?.household.headName ?? "";
      return redirectWithMessage(here, intent === "penaltyPaid" ? "penalty.savedPaid" : "penalty.savedWaived", { amount: amountText(get("amount")), name: head });
    }
    case "penaltyReverse": {
      const settlementId = idParam(get("settlementId"));
      if (!why!.ok) return refuse(why!.errors, { settlementId });
      errors = await reversePenaltySettlement(user, id, settlementId, reason);
      if (errors) return refuse(errors);
      return redirectWithMessage(here, "penalty.savedReversal", {});
    }
  }
}

export default function ContractDetail() {
  const t = useT();
  const { contract: c, canWrite, canFile, asOf, equity, penalty, totals, filingSuggestion } = useLoaderData<typeof loader>();
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
        {equity ? (
          <dd data-testid="contract-rent">{t("contract.equityRent")}</dd>
        ) : (
          <dd data-testid="contract-rent">
            {c.rentKind === "CASH" ? `${c.rentPerMu} ${t("unit.yuanPerMu")}` : `${t(`crop.${c.inKindCrop}`)} ${c.inKindJinPerMu} ${t("unit.jinPerMu")} · ${t(`basis.${c.priceBasis}`)}`}
            {c.stepPercent ? ` · +${c.stepPercent}% / ${c.stepEveryYears}` : ""} · {t(`timing.${c.paymentTiming}`)}
            {c.paymentMonthDay ? ` ${c.paymentMonthDay}` : ""}
            {c.instalmentsPerYear ? ` × ${c.instalmentsPerYear}` : ""}
          </dd>
        )}
        <dt>{t("contract.riskDeposit")}</dt>
        <dd>{c.riskDeposit || "—"}</dd>
        <dt>{t("contract.penalty")}</dt>
        <dd>{equity ? "—" : c.penaltyPerTenThousand}</dd>
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
              <td className="mono">{p.idNumber}</td>
              <td className="mono">{p.account}</td>
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
        // Filing gives the contract its township number for good: a second, deliberate click.
        <details className="confirm-step" open={err("file") ? true : undefined} data-testid="confirm-file">
          <summary className="button">{t("contract.file")}</summary>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="file" />
            <p className="notice" role="note">
              {t("contract.fileWarning")}
            </p>
            <fieldset className="grid">
              <Field label={t("contract.contractNo")} name="contractNo" error={err("file")?.contractNo}>
                {(p) => <input {...p} defaultValue={filingSuggestion} maxLength={40} />}
              </Field>
              <Field label={t("contract.filedDate")} name="filedDate" error={err("file")?.filedDate}>
                {(p) => <input {...p} type="date" defaultValue={asOf} />}
              </Field>
            </fieldset>
            <p className="muted small">{t("contract.fileSuggested")}</p>
            <button type="submit" disabled={busy}>
              {t("contract.fileConfirm")}
            </button>
          </Form>
        </details>
      ) : null}

      <h2>{t("contract.schedule")}</h2>
      {equity ? (
        <p className="note" data-testid="equity-note">
          {t("contract.equityNote")}
        </p>
      ) : live.length === 0 ? (
        <p className="empty">—</p>
      ) : (
        <>
        <div className="table-wrap">
          <table className="data schedule-totals" data-testid="schedule-totals">
            <caption>{t("contract.scheduleTotals")}</caption>
            <thead>
              <tr>
                <th>{t("contract.year")}</th>
                {totals.households.map((h) => (
                  <th key={h.id} className="num">
                    {h.headName}
                  </th>
                ))}
                <th className="num">{t("contract.yearTotal")}</th>
              </tr>
            </thead>
            <tbody>
              {totals.years.map((y) => (
                <tr key={y.year} data-testid={`year-${y.year}`}>
                  <th scope="row">{y.year}</th>
                  {y.cells.map((v, k) => (
                    <td key={k} className="num">
                      {v || "—"}
                    </td>
                  ))}
                  <td className="num">
                    <strong>{y.total}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="schedule-grand-total">
                <th scope="row">{t("contract.householdTotal")}</th>
                {totals.households.map((h) => (
                  <td key={h.id} className="num">
                    <strong>{h.total}</strong>
                  </td>
                ))}
                <td className="num">
                  <strong data-testid="grand-total">{totals.grand}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
          {totals.incomplete ? <p className="muted small">{t("contract.totalsIncomplete")}</p> : null}
        </div>
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
            {totals.households.map((h) => (
            <tbody key={h.id} data-testid={`schedule-household-${h.id}`}>
              <tr className="group-head">
                <th colSpan={canWrite ? 11 : 10} scope="rowgroup">
                  {h.headName} · {t("contract.householdTotal")} {h.total}
                </th>
              </tr>
              {c.installments.filter((i) => i.householdId === h.id).map((i) => (
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
                        {p.reversesId && p.reason ? ` · ${t("contract.reversalReason")}：${p.reason}` : ""}
                        {canWrite && !p.reversesId && !p.reversed ? (
                          <ConfirmStep
                            intent="reverse"
                            id={`reverse-${p.id}`}
                            label={t("contract.reverse")}
                            warning={t("contract.reverseWarning", { amount: p.amount, paidOn: p.paidOn })}
                            reasonLabel={t("contract.reversalReason")}
                            confirmLabel={t("contract.reverseConfirm")}
                            error={result && result.intent === "reverse" && result.paymentId === p.id ? result.errors.reason : undefined}
                          >
                            <input type="hidden" name="paymentId" value={p.id} />
                          </ConfirmStep>
                        ) : null}
                      </div>
                    ))}
                  </td>
                  <td className="num">{i.cancelled ? "" : i.outstandingText}</td>
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
            ))}
          </table>
        </div>
        </>
      )}

      {!equity && penalty.some((p) => p.accrued !== "0.00" || p.settlements.length > 0) ? (
        <PenaltySection penalty={penalty} canWrite={canWrite} asOf={asOf} rate={c.penaltyPerTenThousand} result={result ?? null} />
      ) : null}

      {canWrite && ["SIGNED", "FILED"].includes(c.storedStatus) ? (
        <section className="terminate">
          {err("terminate") && !err("terminate")!.reason ? (
            <p className="form-error" role="alert" data-testid="terminate-error">
              {Object.values(err("terminate") as FieldErrors).map((x) => (x ? t(x.key, x.params) : "")).join("；")}
            </p>
          ) : null}
          <ConfirmStep
            intent="terminate"
            label={t("contract.terminate")}
            warning={t("contract.terminateWarning")}
            reasonLabel={t("contract.terminationNote")}
            confirmLabel={t("contract.terminateConfirm")}
            error={err("terminate")?.reason}
          >
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
          </ConfirmStep>
        </section>
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

type PenaltyRow = ReturnType<typeof useLoaderData<typeof loader>>["penalty"][number];
type Result = { ok: boolean; intent: string; errors?: FieldErrors; householdId?: number; settlementId?: number } | null;

/**
 * The late penalty per household: accrued, paid, waived and outstanding
 * apart, the rows that settled it, and the forms to record a payment or a
 * waiver decision (the village secretary, like rent payments).
 */
function PenaltySection({ penalty, canWrite, asOf, rate, result }: { penalty: PenaltyRow[]; canWrite: boolean; asOf: string; rate: string; result: Result }) {
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const errorsFor = (intent: string, householdId: number) => (result && !result.ok && result.intent === intent && result.householdId === householdId ? (result.errors ?? null) : null);
  const settlementError = result && !result.ok && result.intent === "penaltyReverse" ? result.errors?.settlement : undefined;
  return (
    <section data-testid="penalty">
      <h2>{t("penalty.title")}</h2>
      <p className="muted small">{t("penalty.rule", { rate })}</p>
      {settlementError ? (
        <p className="form-error" role="alert">
          {t(settlementError.key, settlementError.params)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data" data-testid="penalty-accounts">
          <thead>
            <tr>
              <th>{t("contract.household")}</th>
              <th className="num">{t("penalty.accrued")}</th>
              <th className="num">{t("penalty.paid")}</th>
              <th className="num">{t("penalty.waived")}</th>
              <th className="num">{t("penalty.outstanding")}</th>
              {canWrite ? <th>{t("contract.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {penalty.map((p) => (
              <tr key={p.householdId} data-testid={`penalty-${p.householdId}`}>
                <td>{p.headName}</td>
                <td className="num">{p.accrued}</td>
                <td className="num">{p.paid}</td>
                <td className="num">{p.waived}</td>
                <td className="num">
                  <strong>{p.outstanding}</strong>
                </td>
                {canWrite ? (
                  <td>
                    <PenaltyForm intent="penaltyPaid" householdId={p.householdId} outstanding={p.outstanding} asOf={asOf} errors={errorsFor("penaltyPaid", p.householdId)} busy={busy} />
                    <PenaltyForm intent="penaltyWaive" householdId={p.householdId} outstanding={p.outstanding} asOf={asOf} errors={errorsFor("penaltyWaive", p.householdId)} busy={busy} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {penalty.some((p) => p.settlements.length > 0) ? (
        <>
          <h3>{t("penalty.settlements")}</h3>
          <ul className="plain" data-testid="penalty-settlements">
            {penalty.flatMap((p) =>
              p.settlements.map((s) => (
                <li key={s.id} id={`settlement-${s.id}`} data-testid={`settlement-${s.id}`}>
                  {s.on} {p.headName} {t(`penalty.kind.${s.kind}`)} {s.amount}
                  {s.kind === "PAID" && s.method ? ` ${t(`pmethod.${s.method}`)} ${s.receiptNo}` : ""}
                  {s.kind === "WAIVED" && !s.reversesId ? ` · ${t("penalty.reason")}：${s.reason} · ${t("penalty.decidedBy")}：${s.decidedBy}` : ""}
                  {s.reversesId ? ` · ${t("penalty.reversal", { id: s.reversesId })}${s.reason ? ` · ${t("contract.reversalReason")}：${s.reason}` : ""}` : ""}
                  <span className="muted small">
                    {" "}
                    · {t("penalty.recordedBy")} {s.recordedBy} {s.recordedAt}
                  </span>
                  {canWrite && !s.reversesId && !s.reversed ? (
                    <ConfirmStep
                      intent="penaltyReverse"
                      id={`penaltyReverse-${s.id}`}
                      label={t("penalty.reverse")}
                      warning={t("penalty.reverseWarning", { amount: s.amount })}
                      reasonLabel={t("contract.reversalReason")}
                      confirmLabel={t("contract.reverseConfirm")}
                      error={result && result.intent === "penaltyReverse" && result.settlementId === s.id ? result.errors?.reason : undefined}
                    >
                      <input type="hidden" name="settlementId" value={s.id} />
                    </ConfirmStep>
                  ) : null}
                </li>
              )),
            )}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function PenaltyForm({ intent, householdId, outstanding, asOf, errors, busy }: { intent: "penaltyPaid" | "penaltyWaive"; householdId: number; outstanding: string; asOf: string; errors: FieldErrors | null; busy: boolean }) {
  const t = useT();
  const paid = intent === "penaltyPaid";
  const id = (f: string) => `${intent}-${f}-${householdId}`;
  return (
    <details open={!!errors} data-testid={`${intent}-${householdId}`}>
      <summary>{t(paid ? "penalty.recordPaid" : "penalty.recordWaiver")}</summary>
      <Form method="post" className="pay-form">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="householdId" value={householdId} />
        <Field label={t(paid ? "penalty.paidOn" : "penalty.decidedOn")} name="on" id={id("on")} error={errors?.on}>
          {(p) => <input {...p} type="date" defaultValue={asOf} />}
        </Field>
        <Field label={t("penalty.amount")} name="amount" id={id("amount")} error={errors?.amount}>
          {(p) => <input {...p} inputMode="decimal" defaultValue={Number(outstanding) > 0 ? outstanding : ""} />}
        </Field>
        {paid ? (
          <>
            <Field label={t("contract.paymentMethod")} name="method" id={id("method")} error={errors?.method}>
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
            <Field label={t("contract.receiptNo")} name="receiptNo" id={id("receipt")} error={errors?.receiptNo}>
              {(p) => <input {...p} />}
            </Field>
          </>
        ) : (
          <>
            <Field label={t("penalty.reason")} name="reason" id={id("reason")} error={errors?.reason}>
              {(p) => <input {...p} maxLength={200} />}
            </Field>
            <Field label={t("penalty.decidedBy")} name="decidedBy" id={id("decidedBy")} error={errors?.decidedBy}>
              {(p) => <input {...p} maxLength={100} />}
            </Field>
          </>
        )}
        <button type="submit" disabled={busy}>
          {t(paid ? "penalty.recordPaid" : "penalty.recordWaiver")}
        </button>
      </Form>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
