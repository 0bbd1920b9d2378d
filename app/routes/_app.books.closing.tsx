import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import { requireCan, requireIntent } from "~/auth/permissions.server";
import { recordAudit } from "~/auth/audit.server";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { checkMonth, closePeriod, requireBooksReader } from "~/books/books.server";
import { backTo, coopField, intField, yearField } from "~/books/forms.server";
import { booksPage, monthsOf } from "~/books/pages.server";
import { ConfirmStep } from "~/components/confirm-step";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { formatInstant } from "~/lib/dates";
import { redirectWithMessage } from "~/lib/flash.server";
import { requiredReason } from "~/lib/forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, year, cooperatives, coop } = await booksPage(request);
  if (!coop) return { year, cooperatives, coop: null, months: [], yearClosed: false, closedAt: {} as Record<number, string>, canClose: false, canCheck: false };
  const { months, yearClosed, closedAt } = await monthsOf(coop.id, year);
  return { year, cooperatives, coop, months, yearClosed, closedAt: Object.fromEntries(Object.entries(closedAt).map(([k, v]) => [k, formatInstant(v)])), canClose: hasPermission(user.role, "close:books"), canCheck: hasPermission(user.role, "check:voucher") };
}

/** Closes the first open month, or the year once every month is: the core refuses what may not be closed yet, and the page says why. */
export async function action({ request }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, { close: "close:books", checkMonth: "check:voucher" });
  const coopId = coopField(form);
  const year = yearField(form);
  if (intent === "checkMonth") {
    const m = intField(form, "month", 1, 12);
    const r = await checkMonth(user, coopId, year, m);
    if (!r.ok) return data({ errors: r.errors, month: m }, { status: 400 });
    return redirectWithMessage(backTo("/books/closing", coopId, year), "booksClosing.monthChecked", { year, month: m, count: r.checked, own: r.ownSkipped });
  }
  const month = intField(form, "month", 0, 12);
  const target = await requireBooksReader(user, coopId);
  requireCan(user, "close:books", { townshipId: target.townshipId, cooperativeId: target.id });
  const reason = requiredReason(form);
  if (!reason.ok) return data({ errors: reason.errors, month }, { status: 400 });
  const r = await closePeriod(user, coopId, year, month);
  if (!r.ok) return data({ errors: r.errors, month }, { status: 400 });
  const coop = await requireBooksReader(user, coopId);
  // the core's audit event says what was closed; this one keeps why (ConfirmStep's reason)
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "AccountingPeriod", entityId: `${coopId}:${year}-${month}`, townshipId: coop.townshipId, after: { reason: reason.reason } });
  return month === 0
    ? redirectWithMessage(backTo("/books/closing", coopId, year), "booksClosing.yearClosedSaved", { year })
    : redirectWithMessage(backTo("/books/closing", coopId, year), "booksClosing.monthClosed", { year, month });
}

export default function Closing() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors = (a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>;
  const firstOpen = d.months.find((m) => !m.closed);
  const refused = errors.period;
  return (
    <>
      <BooksHead title={t("booksClosing.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          <p className="muted">{t("booksClosing.hint")}</p>
          {refused ? (
            <p className="field-error" role="alert" data-testid="closing-refused">
              {t("booksClosing.refused", { reason: t(refused.key, refused.params) })}
            </p>
          ) : null}
          {d.yearClosed ? <p className="notice">{t("booksPage.yearClosed", { year: d.year })}</p> : null}
          <div className="table-wrap">
            <table className="data" data-testid="closing-months">
              <thead>
                <tr>
                  <th>{t("booksPage.monthCol")}</th>
                  <th>{t("booksPage.periodStatus")}</th>
                  <th className="num">{t("booksPage.vouchers")}</th>
                  <th className="num">{t("booksPage.unchecked")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.months.map((m) => (
                  <tr key={m.month}>
                    <td>{t("booksPage.month", { month: m.month })}</td>
                    <td>
                      {m.closed ? t("booksPage.closed") : t("booksPage.open")}
                      {m.closed && d.closedAt[m.month] ? <span className="muted"> · {t("booksClosing.closedAt", { at: d.closedAt[m.month]! })}</span> : null}
                    </td>
                    <td className="num">{m.vouchers}</td>
                    <td className="num">{m.unchecked}</td>
                    <td>
                      {d.canCheck && m.unchecked > 0 && !m.closed ? (
                        <Form method="post">
                          <input type="hidden" name="coop" value={d.coop!.id} />
                          <input type="hidden" name="year" value={d.year} />
                          <input type="hidden" name="month" value={m.month} />
                          <button type="submit" name="intent" value="checkMonth" data-testid={`check-month-${m.month}`}>
                            {t("booksClosing.checkMonth")}
                          </button>
                        </Form>
                      ) : null}
                      {d.canClose && firstOpen?.month === m.month ? (
                        <ConfirmStep
                          id={`close-${m.month}`}
                          intent="close"
                          label={t("booksClosing.closeMonth", { month: m.month })}
                          warning={t("booksClosing.closeMonthWarning", { year: d.year, month: m.month })}
                          reasonLabel={t("booksClosing.reason")}
                          confirmLabel={t("booksClosing.confirm")}
                          error={a?.month === m.month ? errors.reason : undefined}
                        >
                          <input type="hidden" name="coop" value={d.coop!.id} />
                          <input type="hidden" name="year" value={d.year} />
                          <input type="hidden" name="month" value={m.month} />
                        </ConfirmStep>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.canClose && !d.yearClosed && !firstOpen ? (
            <ConfirmStep
              id="close-year"
              intent="close"
              label={t("booksClosing.closeYear")}
              warning={t("booksClosing.closeYearWarning", { year: d.year })}
              reasonLabel={t("booksClosing.reason")}
              confirmLabel={t("booksClosing.confirm")}
              error={a?.month === 0 ? errors.reason : undefined}
            >
              <input type="hidden" name="coop" value={d.coop.id} />
              <input type="hidden" name="year" value={d.year} />
              <input type="hidden" name="month" value={0} />
            </ConfirmStep>
          ) : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
