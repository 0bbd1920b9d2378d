import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasPermission, ownPlace } from "~/auth/permissions";
import { requireAnyPermission, requireCan, requireIntent } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { addIncomeEntry, addWorkDay, cooperativeChoices, correctWorkDay, deleteIncomeEntry, householdAccount, incomeEntrySummary, incomeHousehold, withdrawWorkDay, workDaySummary } from "~/income/account.server";
import { requiredReason } from "~/lib/forms";
import { auditYear } from "~/income/audit.server";
import { CompositionChart } from "~/income/charts";
import { WorkDayFields } from "~/income/work-day-fields";
import { parseIncomeEntryForm, parseWorkDayForm } from "~/income/forms";
import { LineNote, OffYearNotes, YearPicker } from "~/income/page-parts";
import { CATEGORIES, ENTRY_KINDS } from "~/income/rules";
import { currentYear, today } from "~/lib/dates";
import { forbidden, idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { formatYuan, fromFen } from "~/lib/money";

const yuanInput = (fen: bigint) => fromFen(fen).toFixed(2);

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Township officials and secretaries read the account; base accountants come here only to record work days.
  const user = await requireAnyPermission(request, ["read:audit-view", "write:work-days"]);
  const url = new URL(request.url);
  const year = auditYear(url.searchParams.get("year"));
  const account = await householdAccount(user, idParam(params.id), year, today());
  if (!account) notFound();
  // An accountant sees whom they pay, not the household's income.
  const incomeVisible = hasPermission(user.role, "read:audit-view");
  const coops = account.canWriteWorkDays ? await cooperativeChoices(user, account.household.townshipId) : [];
  // ?n= after a save (POST → redirect, so the forms remount empty); ?correct= a live work record to correct
  const correctId = Number(url.searchParams.get("correct"));
  const correcting = account.canWriteWorkDays ? (account.work.find((w) => w.id === correctId && !w.withdrawn) ?? null) : null;
  return {
    ...(incomeVisible ? account : { ...account, rent: [], dividends: [], entries: [], harvests: [], arrears: [], unpaid: [], offYear: [] }),
    incomeVisible,
    coops,
    currentYear: currentYear(),
    savedKey: url.searchParams.get("n") ?? "",
    correcting,
  };
}

/** Each intent of the action and the permission it needs: typed income is the secretary's, work days also the base accountant's. */
const INTENTS = {
  entry: "write:income",
  "delete-entry": "write:income",
  work: "write:work-days",
  "withdraw-work": "write:work-days",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, INTENTS);
  const id = idParam(params.id);
  // Access before validation: another village's household is 404 whatever the form says.
  const h = await incomeHousehold(user, id);
  if (!h) notFound();
  // (an accountant's work days are their own cooperative's; the record's own cooperative is checked again where it is read)
  requireCan(user, INTENTS[intent], { ...h, cooperativeId: ownPlace(user.scope)?.cooperativeId ?? null });
  const raw = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const asOf = today();
  const clock = { currentYear: Number(asOf.slice(0, 4)), today: asOf };
  let year = Number(raw.year) || clock.currentYear;
  const refused = (result: Exclude<Awaited<ReturnType<typeof addWorkDay>>, { ok: true }>) => {
    if (result.status === 404) notFound();
    if (result.status === 403) forbidden();
    return data({ intent, errors: "errors" in result ? result.errors : {}, raw }, { status: 400 });
  };
  // POST → redirect with a message saying what was saved: the forms start empty again and a reload cannot post twice
  const back = (n: number) => `/income/households/${id}?year=${year}&n=${n}`;
  if (intent === "entry") {
    const parsed = parseIncomeEntryForm(raw, clock);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, raw }, { status: 400 });
    const result = await addIncomeEntry(user, id, parsed.value);
    if (!result.ok) return refused(result);
    year = parsed.value.year;
    return redirectWithMessage(back(result.id), "incomeAccount.saved.entry", { amount: formatYuan(parsed.value.amountFen), name: memberName(h, parsed.value.personId), year });
  }
  if (intent === "work") {
    const parsed = parseWorkDayForm(raw, clock);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, raw }, { status: 400 });
    // a correction replaces the record named in correctsId, withdrawn in the same step
    const correctsId = Number(raw.correctsId);
    const result = correctsId ? await correctWorkDay(user, id, correctsId, parsed.value, raw.withdrawReason ?? "") : await addWorkDay(user, id, parsed.value);
    if (!result.ok) return refused(result);
    year = parsed.value.year;
    const w = parsed.value;
    return redirectWithMessage(back(result.id), correctsId ? "incomeAccount.saved.correct" : "incomeAccount.saved.work", { days: w.days, person: memberName(h, w.personId), start: w.periodStart, end: w.periodEnd });
  }
  if (intent === "delete-entry") {
    // destructive: asked for a reason (ConfirmStep), after access to the household and the entry
    const entryId = Number(raw.entryId);
    const entry = await incomeEntrySummary(id, entryId);
    if (!entry) notFound();
    const reason = requiredReason(form);
    if (!reason.ok) return data({ intent, errors: reason.errors, raw }, { status: 400 });
    const result = await deleteIncomeEntry(user, id, entryId, reason.reason);
    if (!result.ok) return refused(result);
    year = entry.year;
    return redirectWithMessage(back(result.id), "incomeAccount.saved.delete-entry", { amount: formatYuan(entry.amountFen), name: h.headName, year: entry.year, reason: reason.reason });
  }
  const workDayId = Number(raw.workDayId);
  const result = await withdrawWorkDay(user, id, workDayId, raw.withdrawReason ?? "");
  if (!result.ok) return refused(result);
  const w = await workDaySummary(id, workDayId);
  return redirectWithMessage(back(result.id), "incomeAccount.saved.withdraw", { days: w?.days ?? "", person: w?.person ?? "", start: w?.start ?? "", end: w?.end ?? "", reason: (raw.withdrawReason ?? "").trim() });
}

/** The member named on a record, or the household's head for a whole-household entry. */
function memberName(h: { headName: string; members: { id: number; name: string }[] }, personId: number | null) {
  return (personId != null ? h.members.find((m) => m.id === personId)?.name : null) ?? h.headName;
}

const CATS = ["WAGE", "OPERATING", "PROPERTY", "TRANSFER"] as const;

export default function HouseholdIncome() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const act = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const h = d.household;
  const f = d.figures;
  const errors = (intent: string) => (act && act.intent === intent && act.errors ? (act.errors as Record<string, { key: string; params?: Record<string, string | number> }>) : {});
  const values = (intent: string) => (act && act.intent === intent && act.raw ? (act.raw as Record<string, string>) : {});
  const ee = errors("entry");
  const ev = values("entry");
  const we = errors("work");
  const c = d.correcting;
  // a correction starts from the record's own values; a failed post shows what was typed
  const wv: Record<string, string> =
    act && act.intent === "work" && act.raw
      ? (act.raw as Record<string, string>)
      : c
        ? { correctsId: String(c.id), personId: String(c.personId), cooperativeId: c.cooperativeId ? String(c.cooperativeId) : "", employer: c.cooperativeId ? "" : c.employer, periodStart: c.periodStart, periodEnd: c.periodEnd, days: c.days, dailyWage: yuanInput(c.dailyWageFen), paidOn: c.paidOn ?? "" }
        : {};
  const withdrawErrors = errors("withdraw-work");
  const withdrawOf = act && act.intent === "withdraw-work" && act.raw ? Number((act.raw as Record<string, string>).workDayId) : null;
  const current = d.members.filter((m) => !m.leftOn);
  // forms remount (and so clear) after each save, and when a correction starts or ends
  const formKey = `${d.savedKey}-${c?.id ?? ""}`;
  return (
    <>
      <div className="page-head">
        <h1>{t("incomeAccount.title", { name: h.headName, year: d.year })}</h1>
        <YearPicker year={d.year} last={d.currentYear} />
      </div>
      <p className="actions">
        <Link to={`/households/${h.id}`}>{t("incomeAccount.toHousehold")}</Link>
        {d.incomeVisible ? <Link to={`/income/villages/${h.villageId}?year=${d.year}`}>{t("incomeAccount.toVillage", { village: h.villageName })}</Link> : null}
      </p>
      <dl className="facts">
        <dt>{t("household.village")}</dt>
        <dd>
          {h.townshipName} {h.villageName} · {h.code}
        </dd>
        <dt>{t("household.currentStatus")}</dt>
        <dd>
          <span className={`badge status-${h.status}`}>{t(`status.${h.status}`)}</span> {h.statusYear ?? ""}
        </dd>
      </dl>
      {d.incomeVisible ? (
        <>
          <LineNote line={d.line} year={d.year} />
          <section className="cards" data-testid="account-cards">
            {CATS.map((c) => (
              <div className="card" key={c}>
                <span>{t(`income.category.${c}`)}</span>
                <strong>
                  <a href={`#cat-${c}`} data-testid={`cat-${c}`}>
                    {formatYuan(c === "WAGE" ? d.row.wageFen : c === "OPERATING" ? d.row.operatingFen : c === "PROPERTY" ? d.row.propertyFen : d.row.transferFen)}
                  </a>
                </strong>
              </div>
            ))}
            <div className="card">
              <span>{t("incomeAccount.total")}</span>
              <strong data-testid="total-income">{formatYuan(f.totalFen)}</strong>
              <small>{d.row.previousTotalFen == null ? t("incomeAccount.noPrevious") : t("incomeAccount.previous", { amount: formatYuan(d.row.previousTotalFen), change: f.changePercent ?? "—" })}</small>
            </div>
            <div className="card">
              <span>{t("incomeAccount.perCapita")}</span>
              <strong data-testid="per-capita">{f.perCapitaFen == null ? "—" : formatYuan(f.perCapitaFen)}</strong>
              <small>
                {t("incomeAccount.divisor", { n: d.memberYears })}
                {f.flag && !d.review ? ` · ${t(`income.flag.${f.flag}`)}` : ""}
              </small>
            </div>
          </section>
          {d.review ? (
            <p className="form-error" data-testid="review-note">
              {t(`income.review.${d.review}`)}
            </p>
          ) : null}
          {d.offYear.length > 0 ? (
            <div className="notice" data-testid="off-year">
              <strong>{t("incomeAccount.offYear", { change: f.changePercent ?? "" })}</strong>
              <OffYearNotes notes={d.offYear} />
            </div>
          ) : null}
          <CompositionChart totals={{ WAGE: d.row.wageFen, OPERATING: d.row.operatingFen, PROPERTY: d.row.propertyFen, TRANSFER: d.row.transferFen, total: f.totalFen }} />
        </>
      ) : null}

      <h2>{t("incomeAccount.members")}</h2>
      <p className="muted small">{t("incomeAccount.membersExplain")}</p>
      <div className="table-wrap">
        <table className="data" data-testid="members-share">
          <thead>
            <tr>
              <th>{t("household.name")}</th>
              <th>{t("incomeAccount.joinedOn")}</th>
              <th>{t("incomeAccount.leftOn")}</th>
              <th className="num">{t("incomeAccount.share")}</th>
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.joinedOn ?? t("incomeAccount.joinedUnknown")}</td>
                <td>{m.leftOn ?? "—"}</td>
                <td className="num">{m.share}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={3}>{t("incomeAccount.memberYears")}</th>
              <td className="num">{d.memberYears}</td>
            </tr>
          </tfoot>
        </table>
      </div>

      {d.incomeVisible ? (
        <>
          <h2 id="cat-PROPERTY">{t("income.category.PROPERTY")}</h2>
          <p className="muted small">{t("incomeAccount.propertyExplain")}</p>
          <div className="table-wrap">
            <table className="data" data-testid="rent-payments">
              <caption>{t("incomeAccount.rentPayments")}</caption>
              <thead>
                <tr>
                  <th>{t("incomeAccount.paidOn")}</th>
                  <th>{t("incomeAccount.contract")}</th>
                  <th>{t("incomeAccount.installment")}</th>
                  <th>{t("incomeAccount.method")}</th>
                  <th className="num">{t("incomeAccount.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rent.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="empty">
                      {t("incomeAccount.none")}
                    </td>
                  </tr>
                ) : (
                  d.rent.map((r) => (
                    <tr key={r.id}>
                      <td>{r.paidOn}</td>
                      <td>
                        <Link to={`/contracts/${r.contractId}#payment-${r.id}`} data-testid={`rent-source-${r.id}`}>
                          {r.contractLabel}
                        </Link>{" "}
                        <span className="muted">{r.transferee}</span>
                      </td>
                      <td>
                        {t("incomeAccount.installmentOf", { seq: r.installment.seq, due: r.installment.dueDate })}
                        {r.reversesId ? ` · ${t("incomeAccount.reversal")}` : ""}
                      </td>
                      <td>{t(`pmethod.${r.method}`)}{r.receiptNo ? ` · ${r.receiptNo}` : ""}</td>
                      <td className="num">{formatYuan(r.amountFen)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
            <table className="data" data-testid="dividend-payments">
              <caption>{t("incomeAccount.dividendPayments")}</caption>
              <thead>
                <tr>
                  <th>{t("incomeAccount.paidOn")}</th>
                  <th>{t("incomeAccount.dividendRun")}</th>
                  <th>{t("incomeAccount.paymentStatus")}</th>
                  <th className="num">{t("incomeAccount.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {d.dividends.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="empty">
                      {t("incomeAccount.none")}
                    </td>
                  </tr>
                ) : (
                  d.dividends.map((p) => (
                    <tr key={p.id}>
                      <td>{p.paidOn}</td>
                      <td>
                        <Link to={`/dividends/${p.runId}#line-${p.lineId}`} data-testid={`dividend-source-${p.id}`}>
                          {p.cooperative} {p.runYear}
                        </Link>
                        {p.statementNo ? <span className="muted"> · {p.statementNo}</span> : null}
                      </td>
                      <td>{p.status === "PAID" ? t("incomeAccount.paid") : t("incomeAccount.failedNotCounted", { reason: p.failureReason })}</td>
                      <td className="num">{formatYuan(p.amountFen)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <EntriesTable title={t("incomeAccount.otherPropertyEntries")} entries={d.entries.filter((e) => e.category === "PROPERTY")} canDelete={d.canWriteEntries} busy={busy} />

          <h2 id="cat-WAGE">{t("income.category.WAGE")}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="work-days">
              <caption>{t("incomeAccount.workDays")}</caption>
              <thead>
                <tr>
                  <th>{t("incomeAccount.person")}</th>
                  <th>{t("incomeAccount.employer")}</th>
                  <th>{t("incomeAccount.period")}</th>
                  <th className="num">{t("incomeAccount.days")}</th>
                  <th className="num">{t("incomeAccount.dailyWage")}</th>
                  <th className="num">{t("incomeAccount.amount")}</th>
                  {d.canWriteWorkDays ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {d.work.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t("incomeAccount.none")}
                    </td>
                  </tr>
                ) : (
                  d.work.map((w) => (
                    <tr key={w.id} id={`work-${w.id}`} className={w.withdrawn ? "withdrawn" : undefined} data-testid={`work-${w.id}`}>
                      <td>
                        {w.person}
                        {w.correctsId ? <span className="muted small"> · {t("incomeAccount.corrects", { id: w.correctsId })}</span> : null}
                      </td>
                      <td>{w.employer}</td>
                      <td>
                        {w.withdrawn ? (
                          <s>
                            {w.periodStart} – {w.periodEnd}
                          </s>
                        ) : (
                          <>
                            {w.periodStart} – {w.periodEnd}
                          </>
                        )}
                        {w.withdrawn ? <div className="muted small">{t("incomeAccount.withdrawnNote", { at: w.withdrawnAt, reason: w.withdrawReason })}</div> : null}
                        {w.outside ? (
                          <div className="form-error small" data-testid="outside-membership">
                            {t(`incomeAccount.outside.${w.outside.key}`, { date: w.outside.date })}
                          </div>
                        ) : null}
                      </td>
                      <td className="num">{w.withdrawn ? <s>{w.days}</s> : w.days}</td>
                      <td className="num">{w.withdrawn ? <s>{formatYuan(w.dailyWageFen)}</s> : formatYuan(w.dailyWageFen)}</td>
                      <td className="num">{w.withdrawn ? <s>{formatYuan(w.amountFen)}</s> : formatYuan(w.amountFen)}</td>
                      {d.canWriteWorkDays ? (
                        <td>
                          {w.withdrawn ? null : (
                            <>
                              <Link to={`?year=${d.year}&correct=${w.id}#work-form`} className="small">
                                {t("incomeAccount.correct")}
                              </Link>
                              <ConfirmStep
                                intent="withdraw-work"
                                id={`withdraw-${w.id}`}
                                reasonName="withdrawReason"
                                label={t("incomeAccount.withdraw")}
                                warning={t("incomeAccount.withdrawWarning")}
                                reasonLabel={t("incomeAccount.withdrawReason")}
                                confirmLabel={t("incomeAccount.confirmWithdraw")}
                                error={withdrawOf === w.id ? withdrawErrors.withdrawReason : undefined}
                              >
                                <input type="hidden" name="year" value={d.year} />
                                <input type="hidden" name="workDayId" value={w.id} />
                              </ConfirmStep>
                            </>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <EntriesTable title={t("incomeAccount.otherWageEntries")} entries={d.entries.filter((e) => e.category === "WAGE")} canDelete={d.canWriteEntries} busy={busy} />

          <h2 id="cat-OPERATING">{t("income.category.OPERATING")}</h2>
          {d.harvests.length > 0 ? (
            <div className="table-wrap">
              <table className="data" data-testid="own-harvests">
                <caption>{t("incomeAccount.ownHarvests")}</caption>
                <thead>
                  <tr>
                    <th>{t("incomeAccount.harvestedOn")}</th>
                    <th>{t("incomeAccount.plot")}</th>
                    <th className="num">{t("incomeAccount.quantityKg")}</th>
                    <th>{t("incomeAccount.buyer")}</th>
                    <th className="num">{t("incomeAccount.amount")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.harvests.map((v) => (
                    <tr key={v.id}>
                      <td>{v.harvestedOn}</td>
                      <td>
                        <Link to={`/plots/${v.plotId}`}>{v.plotCode}</Link> {v.variety}
                      </td>
                      <td className="num">{v.quantityKg}</td>
                      <td>{v.buyer}</td>
                      <td className="num">{formatYuan(v.salesFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <EntriesTable title={t("incomeAccount.operatingEntries")} entries={d.entries.filter((e) => e.category === "OPERATING")} canDelete={d.canWriteEntries} busy={busy} showCost />

          <h2 id="cat-TRANSFER">{t("income.category.TRANSFER")}</h2>
          <EntriesTable title={t("incomeAccount.transferEntries")} entries={d.entries.filter((e) => e.category === "TRANSFER")} canDelete={d.canWriteEntries} busy={busy} />

          <h2>{t("incomeAccount.owedTitle")}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="owed">
              <thead>
                <tr>
                  <th>{t("incomeAccount.owedWhat")}</th>
                  <th>{t("incomeAccount.dueDate")}</th>
                  <th className="num">{t("incomeAccount.due")}</th>
                  <th className="num">{t("incomeAccount.paidSoFar")}</th>
                  <th className="num">{t("incomeAccount.outstanding")}</th>
                </tr>
              </thead>
              <tbody>
                {d.arrears.length + d.unpaid.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="empty">
                      {t("incomeAccount.nothingOwed")}
                    </td>
                  </tr>
                ) : null}
                {d.arrears.map((i) => (
                  <tr key={`i${i.id}`}>
                    <td>
                      <Link to={`/contracts/${i.contractId}#installment-${i.id}`}>{t("incomeAccount.rentOf", { contract: i.contractLabel, seq: i.seq })}</Link>
                    </td>
                    <td>{i.dueDate}</td>
                    <td className="num">{formatYuan(i.amountFen)}</td>
                    <td className="num">{formatYuan(i.paidFen)}</td>
                    <td className="num">{formatYuan(i.amountFen - i.paidFen)}</td>
                  </tr>
                ))}
                {d.unpaid.map((l) => (
                  <tr key={`l${l.lineId}`}>
                    <td>
                      <Link to={`/dividends/${l.runId}#line-${l.lineId}`}>{t("incomeAccount.dividendOf", { coop: l.cooperative, year: l.year })}</Link>
                    </td>
                    <td>—</td>
                    <td className="num">{formatYuan(l.netFen)}</td>
                    <td className="num">{formatYuan(l.paidFen)}</td>
                    <td className="num">{formatYuan(l.netFen - l.paidFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>{t("incomeAccount.statusHistory")}</h2>
          <ul className="plain" data-testid="status-history">
            {d.statusHistory.map((c) => (
              <li key={c.id}>
                {c.effectiveOn} · {t(`status.${c.status}`)} {c.year ?? ""} {c.reason ? `· ${c.reason}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {d.canWriteEntries ? (
        <section>
          <h2>{t("incomeAccount.addEntry")}</h2>
          <p className="muted small">{t("incomeAccount.addEntryExplain")}</p>
          <Form method="post" className="form" data-testid="entry-form" key={`entry-${formKey}`}>
            <input type="hidden" name="intent" value="entry" />
            <input type="hidden" name="year" value={d.year} />
            <Field label={t("incomeAccount.kind")} name="kind" id="entry-kind" error={ee.kind ?? ee.category}>
              {(p) => (
                <select {...p} defaultValue={ev.kind ?? ""} onChange={(e) => {
                  const opt = e.currentTarget.selectedOptions[0];
                  const cat = e.currentTarget.form?.elements.namedItem("category") as HTMLInputElement | null;
                  if (cat && opt) cat.value = opt.dataset.category ?? "";
                }}>
                  <option value="">{t("incomeAccount.choose")}</option>
                  {CATEGORIES.map((c) => (
                    <optgroup key={c} label={t(`income.category.${c}`)}>
                      {ENTRY_KINDS[c].map((k) => (
                        <option key={k} value={k} data-category={c}>
                          {t(`income.kind.${k}`)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              )}
            </Field>
            <input type="hidden" name="category" defaultValue={ev.category ?? ""} />
            <Field label={t("incomeAccount.person")} name="personId" id="entry-person" error={ee.personId}>
              {(p) => (
                <select {...p} defaultValue={ev.personId ?? ""}>
                  <option value="">{t("incomeAccount.wholeHousehold")}</option>
                  {current.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("incomeAccount.amountYuan")} name="amount" id="entry-amount" error={ee.amount}>
              {(p) => <input {...p} inputMode="decimal" defaultValue={ev.amount ?? ""} />}
            </Field>
            <Field label={t("incomeAccount.costYuan")} name="cost" id="entry-cost" error={ee.cost}>
              {(p) => <input {...p} inputMode="decimal" defaultValue={ev.cost ?? ""} />}
            </Field>
            <Field label={t("incomeAccount.source")} name="source" id="entry-source" error={ee.source}>
              {(p) => <input {...p} defaultValue={ev.source ?? ""} />}
            </Field>
            <Field label={t("incomeAccount.receivedOn")} name="receivedOn" id="entry-received" error={ee.receivedOn}>
              {(p) => <input {...p} type="date" defaultValue={ev.receivedOn ?? ""} />}
            </Field>
            <Field label={t("incomeAccount.note")} name="note" id="entry-note" error={ee.note}>
              {(p) => <input {...p} defaultValue={ev.note ?? ""} />}
            </Field>
            <button type="submit" disabled={busy}>
              {busy ? t("incomeAccount.saving") : t("incomeAccount.save")}
            </button>
          </Form>
        </section>
      ) : null}

      {d.canWriteWorkDays ? (
        <section>
          <h2 id="work-form">{c ? t("incomeAccount.correctWork", { id: c.id }) : t("incomeAccount.addWork")}</h2>
          {c ? (
            <p className="muted small">
              {t("incomeAccount.correcting", { start: c.periodStart, end: c.periodEnd, days: c.days })} <Link to={`?year=${d.year}`}>{t("incomeAccount.cancelCorrect")}</Link>
            </p>
          ) : null}
          <Form method="post" className="form" data-testid="work-form" key={`work-${formKey}`}>
            <input type="hidden" name="intent" value="work" />
            {wv.correctsId ? <input type="hidden" name="correctsId" value={wv.correctsId} /> : null}
            <Field label={t("incomeAccount.person")} name="personId" id="work-person" error={we.personId}>
              {(p) => (
                <select {...p} defaultValue={wv.personId ?? ""}>
                  <option value="">{t("incomeAccount.choose")}</option>
                  {current.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <WorkDayFields errors={we} values={wv} coops={d.coops} idPrefix="work" />
            {wv.correctsId ? (
              <Field label={t("incomeAccount.correctReason")} name="withdrawReason" id="work-reason" error={we.withdrawReason}>
                {(p) => <input {...p} defaultValue={wv.withdrawReason ?? ""} />}
              </Field>
            ) : null}
            <button type="submit" disabled={busy}>
              {busy ? t("incomeAccount.saving") : t("incomeAccount.save")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

function EntriesTable({
  title,
  entries,
  canDelete,
  busy,
  showCost,
}: {
  title: string;
  entries: { id: number; kind: string; person: string; amountFen: bigint; costFen: bigint; source: string; receivedOn: string | null; note: string; outside: { key: string; date: string } | null }[];
  canDelete: boolean;
  busy: boolean;
  showCost?: boolean;
}) {
  const t = useT();
  // a refused deletion (no reason) reopens its own step with the message
  const act = useActionData<typeof action>();
  const refused = act && act.intent === "delete-entry" && act.raw ? Number((act.raw as Record<string, string>).entryId) : null;
  const refusal = refused ? (act?.errors as Record<string, { key: string; params?: Record<string, string | number> }> | undefined)?.reason : undefined;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="entries">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>{t("incomeAccount.kind")}</th>
            <th>{t("incomeAccount.person")}</th>
            <th>{t("incomeAccount.source")}</th>
            <th>{t("incomeAccount.receivedOn")}</th>
            <th className="num">{t("incomeAccount.amount")}</th>
            {showCost ? <th className="num">{t("incomeAccount.cost")}</th> : null}
            {canDelete ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                {t("incomeAccount.none")}
              </td>
            </tr>
          ) : (
            entries.map((e) => (
              <tr key={e.id}>
                <td>{t(`income.kind.${e.kind}`)}</td>
                <td>{e.person || "—"}</td>
                <td>{e.source}{e.note ? <span className="muted"> · {e.note}</span> : null}</td>
                <td>
                  {e.receivedOn ?? ""}
                  {e.outside ? (
                    <div className="form-error small" data-testid="outside-membership">
                      {t(`incomeAccount.outside.${e.outside.key}`, { date: e.outside.date })}
                    </div>
                  ) : null}
                </td>
                <td className="num">{formatYuan(e.amountFen)}</td>
                {showCost ? <td className="num">{formatYuan(e.costFen)}</td> : null}
                {canDelete ? (
                  <td>
                    <ConfirmStep
                      intent="delete-entry"
                      id={`delete-entry-${e.id}`}
                      label={t("incomeAccount.delete")}
                      warning={t("incomeAccount.deleteWarning")}
                      reasonLabel={t("incomeAccount.deleteReason")}
                      confirmLabel={busy ? t("incomeAccount.saving") : t("incomeAccount.confirmDelete")}
                      error={refused === e.id ? refusal : undefined}
                    >
                      <input type="hidden" name="entryId" value={e.id} />
                    </ConfirmStep>
                  </td>
                ) : null}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
