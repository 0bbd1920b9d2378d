import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireIntent } from "~/auth/permissions.server";
import { hasPermission } from "~/auth/permissions";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { bookPendingEvents } from "~/books/books.server";
import { booksPage, monthsOf, unbookedPayments } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { backTo, coopField, yearField } from "~/books/forms.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { redirectWithMessage } from "~/lib/flash.server";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, year, cooperatives, coop } = await booksPage(request);
  if (!coop) return { year, cooperatives, coop: null, months: [], yearClosed: false, unbooked: [], canBook: false };
  const [{ months, yearClosed }, unbooked] = await Promise.all([monthsOf(coop.id, year), unbookedPayments(coop.id)]);
  return {
    year,
    cooperatives,
    coop,
    months,
    yearClosed,
    unbooked: unbooked.map((u) => ({ ...u, amount: formatYuan(u.amountFen), amountFen: undefined })),
    canBook: hasPermission(user.role, "write:voucher"),
  };
}

/** 生成凭证: books every money event not booked yet, then says how many and what was left out. */
export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireIntent(request, { book: "write:voucher" });
  const coopId = coopField(form);
  const year = yearField(form);
  const report = await bookPendingEvents(user, coopId);
  const count = report.booked + report.reversed;
  return redirectWithMessage(backTo("/books", coopId, year), count > 0 ? "booksPage.booked" : "booksPage.bookedNone", { count, skipped: report.skipped.length });
}

export default function BooksOverview() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <BooksHead title={t("booksPage.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year}>
        {d.coop && d.canBook ? (
          <p>
            <Link to={`/books/vouchers/new${booksQuery(d.coop, d.year)}`}>{t("booksPage.newVoucher")}</Link>
          </p>
        ) : null}
      </BooksHead>
      {!d.coop ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          {d.canBook ? (
            <Form method="post" className="no-print">
              <input type="hidden" name="coop" value={d.coop.id} />
              <input type="hidden" name="year" value={d.year} />
              <p className="muted">{t("booksPage.bookHint")}</p>
              <button type="submit" name="intent" value="book" data-testid="book-events">
                {t("booksPage.book")}
              </button>
            </Form>
          ) : null}
          {d.yearClosed ? <p className="notice">{t("booksPage.yearClosed", { year: d.year })}</p> : null}
          <div className="table-wrap">
            <table className="data" data-testid="books-months">
              <thead>
                <tr>
                  <th>{t("booksPage.monthCol")}</th>
                  <th>{t("booksPage.periodStatus")}</th>
                  <th className="num">{t("booksPage.vouchers")}</th>
                  <th className="num">{t("booksPage.unchecked")}</th>
                </tr>
              </thead>
              <tbody>
                {d.months.map((m) => (
                  <tr key={m.month}>
                    <td>
                      <Link to={`/books/vouchers${booksQuery(d.coop, d.year, { month: m.month })}`}>{t("booksPage.month", { month: m.month })}</Link>
                    </td>
                    <td>{m.closed ? t("booksPage.closed") : t("booksPage.open")}</td>
                    <td className="num">{m.vouchers}</td>
                    <td className="num">
                      {m.unchecked > 0 ? <Link to={`/books/vouchers${booksQuery(d.coop, d.year, { month: m.month, status: "UNCHECKED" })}`}>{m.unchecked}</Link> : 0}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.unbooked.length > 0 ? (
            <section>
              <h2>{t("booksPage.skippedTitle")}</h2>
              <div className="table-wrap">
                <table className="data" data-testid="books-skipped">
                  <thead>
                    <tr>
                      <th>{t("booksPage.skippedSource")}</th>
                      <th className="num">{t("booksVouchers.amount")}</th>
                      <th>{t("booksPage.skippedReason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.unbooked.map((u) => (
                      <tr key={u.id}>
                        <td>
                          <Link to={`/dividends/${u.runId}`}>
                            {t("booksVouchers.source.DIVIDEND_PAYMENT")} {u.runYear} · {u.household} · {u.paidOn}
                          </Link>
                        </td>
                        <td className="num">{u.amount}</td>
                        <td>{t("booksPage.failedPayment", { reason: u.reason || "—" })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
