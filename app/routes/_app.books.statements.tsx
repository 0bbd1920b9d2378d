import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { booksPage, monthParam, statementsFor } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { statementTables } from "~/books/statement-document";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT } from "~/i18n/use-t";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { url, year, cooperatives, coop } = await booksPage(request);
  const toMonth = monthParam(url, "to", 12);
  if (!coop) return { year, cooperatives, coop: null, toMonth, s: null };
  return { year, cooperatives, coop, toMonth, s: await statementsFor(coop, year, toMonth) };
}

export default function StatementsPage() {
  const t = useT();
  const locale = useLocale();
  const d = useLoaderData<typeof loader>();
  const tables = d.s ? statementTables(d.s, t, locale) : [];
  const q = d.coop ? booksQuery(d.coop, d.year, { to: d.toMonth }) : "";
  return (
    <>
      <BooksHead title={t("booksStatements.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year}>
        {d.coop ? (
          <p className="no-print">
            <a href={`/resources/books/statements.pdf${q}`} data-testid="statements-pdf">
              {t("booksPage.downloadPdf")}
            </a>{" "}
            · <a href={`/resources/books/statements.xlsx${q}`}>{t("booksPage.downloadXlsx")}</a>
          </p>
        ) : null}
      </BooksHead>
      {!d.coop || !d.s ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          <Form method="get" className="filters">
            <input type="hidden" name="coop" value={d.coop.id} />
            <input type="hidden" name="year" value={d.year} />
            <label>
              {t("booksStatements.throughMonth")}{" "}
              <select name="to" defaultValue={d.toMonth}>
                {Array.from({ length: 12 }, (_, i) => (
                  <option key={i} value={i + 1}>
                    {i + 1}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t("booksPage.show")}</button>
          </Form>
          <p className={d.s.balance.balances.closing ? "notice" : "field-error"} data-testid="statements-balanced">
            {d.s.balance.balances.closing && d.s.balance.balances.opening ? t("booksStatements.balances") : t("booksStatements.notBalanced")}
          </p>
          {d.s.unchecked > 0 ? <p className="notice">{t("booksStatements.unchecked", { count: d.s.unchecked })}</p> : null}
          {!d.s.yearClosed ? <p className="muted">{t("booksStatements.notClosed")}</p> : null}
          {tables.map((table) => (
            <section key={table.key} data-testid={`statement-${table.key}`}>
              <h2>
                {table.title} <small className="muted">{table.form}</small>
              </h2>
              <p className="muted">
                {table.period} · {t("booksStatements.unit", { name: d.coop!.name })} · {t("booksStatements.yuan")}
              </p>
              <div className="table-wrap">
                <table className="statement">
                  <thead>
                    <tr>
                      {table.columns.map((c, i) => (
                        <th key={i} className={table.numeric[i] ? "num" : undefined}>
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((r, i) => (
                      <tr key={i} className={r.kind}>
                        {r.cells.map((cell, c) => (
                          <td key={c} className={c === 0 ? `indent-${r.indent}` : table.numeric[c] ? "num" : undefined}>
                            {cell}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
