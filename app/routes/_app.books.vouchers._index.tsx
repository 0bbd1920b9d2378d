import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import booksCss from "~/books/books.css";
import { BooksHead, voucherNo } from "~/books/books-ui";
import { booksPage, voucherPage } from "~/books/pages.server";
import { booksQuery, VOUCHER_STATUSES } from "~/books/query";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, url, year, cooperatives, coop } = await booksPage(request);
  const m = Number(url.searchParams.get("month"));
  const month = Number.isInteger(m) && m >= 1 && m <= 12 ? m : 0;
  const s = url.searchParams.get("status");
  const status = s && (VOUCHER_STATUSES as readonly string[]).includes(s) ? s : null;
  const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
  const base = { year, cooperatives, coop, month, status, page, canWrite: hasPermission(user.role, "write:voucher") };
  if (!coop) return { ...base, total: 0, pages: 1, rows: [] };
  const list = await voucherPage(coop.id, year, month, status, page);
  return { ...base, total: list.total, pages: list.pages, rows: list.rows.map((r) => ({ ...r, total: formatYuan(r.totalFen), totalFen: undefined })) };
}

export default function VoucherList() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const q = (page: number) => booksQuery(d.coop, d.year, { month: d.month || undefined, status: d.status ?? undefined, page });
  return (
    <>
      <BooksHead title={t("booksVouchers.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year}>
        {d.coop && d.canWrite ? (
          <p>
            <Link to={`/books/vouchers/new${booksQuery(d.coop, d.year)}`}>{t("booksPage.newVoucher")}</Link>
          </p>
        ) : null}
      </BooksHead>
      {d.coop ? (
        <>
          <Form method="get" className="filters">
            <input type="hidden" name="coop" value={d.coop.id} />
            <input type="hidden" name="year" value={d.year} />
            <select name="month" defaultValue={d.month || ""} aria-label={t("booksPage.monthCol")}>
              <option value="">{t("booksVouchers.allMonths")}</option>
              {Array.from({ length: 12 }, (_, i) => (
                <option key={i + 1} value={i + 1}>
                  {t("booksPage.month", { month: i + 1 })}
                </option>
              ))}
            </select>
            <select name="status" defaultValue={d.status ?? ""} aria-label={t("booksVouchers.status")}>
              <option value="">{t("booksVouchers.allStatus")}</option>
              {VOUCHER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`booksVouchers.status.${s}`)}
                </option>
              ))}
            </select>
            <button type="submit">{t("booksPage.show")}</button>
          </Form>
          <p className="muted">{t("booksVouchers.count", { count: d.total })}</p>
          {d.rows.length === 0 ? (
            <p className="empty">{t("booksVouchers.none")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data" data-testid="voucher-list">
                <thead>
                  <tr>
                    <th>{t("booksVouchers.no")}</th>
                    <th>{t("booksVouchers.date")}</th>
                    <th>{t("booksVouchers.summary")}</th>
                    <th className="num">{t("booksVouchers.amount")}</th>
                    <th className="hide-narrow">{t("booksVouchers.source")}</th>
                    <th>{t("booksVouchers.status")}</th>
                    <th className="hide-narrow">{t("booksVouchers.maker")}</th>
                    <th className="hide-narrow">{t("booksVouchers.checker")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => (
                    <tr key={r.id} className={r.redInk ? "red-ink" : undefined}>
                      <td style={{ whiteSpace: "nowrap" }}>
                        <Link to={`/books/vouchers/${r.id}`}>{voucherNo(t, r, true)}</Link>
                      </td>
                      <td style={{ whiteSpace: "nowrap" }}>{r.date}</td>
                      <td>
                        {r.redInk ? `【${t("booksVouchers.redInk")}】` : ""}
                        {r.summary}
                      </td>
                      <td className="num">{r.total}</td>
                      <td className="hide-narrow">{t(`booksVouchers.source.${r.source}`)}</td>
                      <td>{t(`booksVouchers.status.${r.status}`)}</td>
                      <td className="hide-narrow">{r.makerName}</td>
                      <td className="hide-narrow">{r.checkerName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {d.pages > 1 ? (
            <p className="pager">
              {d.page > 1 ? <Link to={`/books/vouchers${q(d.page - 1)}`}>{t("booksVouchers.prev")}</Link> : null} {t("booksVouchers.page", { page: d.page, pages: d.pages })}{" "}
              {d.page < d.pages ? <Link to={`/books/vouchers${q(d.page + 1)}`}>{t("booksVouchers.next")}</Link> : null}
            </p>
          ) : null}
        </>
      ) : (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
