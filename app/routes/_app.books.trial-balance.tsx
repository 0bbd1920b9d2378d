import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { trialBalance } from "~/books/books.server";
import { booksPage, monthParam } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

const split = (normalSide: string, fen: bigint) => {
  const debit = normalSide === "DEBIT" ? fen : -fen;
  return debit >= 0n ? { dr: debit, cr: 0n } : { dr: 0n, cr: -debit };
};
const show = (fen: bigint) => (fen === 0n ? "" : formatYuan(fen));

export async function loader({ request }: LoaderFunctionArgs) {
  const { url, year, cooperatives, coop } = await booksPage(request);
  const fromMonth = monthParam(url, "from", 1);
  const toMonth = Math.max(fromMonth, monthParam(url, "to", 12));
  const lv = Number(url.searchParams.get("level"));
  const level = Number.isInteger(lv) && lv >= 1 && lv <= 4 ? lv : 0;
  if (!coop) return { year, cooperatives, coop: null, fromMonth, toMonth, level, rows: [], totals: null, balanced: true };
  const rows = await trialBalance(coop.id, year, fromMonth, toMonth);
  const tot = { od: 0n, oc: 0n, d: 0n, c: 0n, cd: 0n, cc: 0n };
  const out = [];
  for (const r of rows) {
    const o = split(r.normalSide, r.openingFen);
    const c = split(r.normalSide, r.closingFen);
    // totals from the top-level accounts only: every leaf is under exactly one
    if (r.parentId === null) {
      tot.od += o.dr;
      tot.oc += o.cr;
      tot.d += r.debitFen;
      tot.c += r.creditFen;
      tot.cd += c.dr;
      tot.cc += c.cr;
    }
    if (level && r.level > level) continue;
    if (r.level > 1 && r.openingFen === 0n && r.debitFen === 0n && r.creditFen === 0n) continue;
    out.push({ id: r.accountId, code: r.code, name: r.name, level: r.level, od: show(o.dr), oc: show(o.cr), d: show(r.debitFen), c: show(r.creditFen), cd: show(c.dr), cc: show(c.cr) });
  }
  return {
    year,
    cooperatives,
    coop,
    fromMonth,
    toMonth,
    level,
    rows: out,
    totals: { od: formatYuan(tot.od), oc: formatYuan(tot.oc), d: formatYuan(tot.d), c: formatYuan(tot.c), cd: formatYuan(tot.cd), cc: formatYuan(tot.cc) },
    balanced: tot.od === tot.oc && tot.d === tot.c && tot.cd === tot.cc,
  };
}

export default function TrialBalance() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <BooksHead title={t("booksTrial.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          <Form method="get" className="filters">
            <input type="hidden" name="coop" value={d.coop.id} />
            <input type="hidden" name="year" value={d.year} />
            <label>
              {t("booksTrial.fromMonth")}{" "}
              <select name="from" defaultValue={d.fromMonth}>
                {Array.from({ length: 12 }, (_, i) => (
                  <option key={i} value={i + 1}>
                    {i + 1}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("booksTrial.toMonth")}{" "}
              <select name="to" defaultValue={d.toMonth}>
                {Array.from({ length: 12 }, (_, i) => (
                  <option key={i} value={i + 1}>
                    {i + 1}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("booksTrial.level")}{" "}
              <select name="level" defaultValue={d.level || ""}>
                <option value="">{t("booksTrial.allLevels")}</option>
                {[1, 2, 3].map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t("booksPage.show")}</button>
          </Form>
          <p className={d.balanced ? "notice" : "field-error"} data-testid="trial-balanced">
            {d.balanced ? t("booksTrial.balanced") : t("booksTrial.unbalanced")}
          </p>
          <div className="table-wrap">
            <table className="data tree" data-testid="trial-balance">
              <thead>
                <tr>
                  <th>{t("booksAccounts.code")}</th>
                  <th>{t("booksAccounts.name")}</th>
                  <th className="num">{t("booksTrial.openingDebit")}</th>
                  <th className="num">{t("booksTrial.openingCredit")}</th>
                  <th className="num">{t("booksTrial.debit")}</th>
                  <th className="num">{t("booksTrial.credit")}</th>
                  <th className="num">{t("booksTrial.closingDebit")}</th>
                  <th className="num">{t("booksTrial.closingCredit")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.id}>
                    <td style={{ whiteSpace: "nowrap" }}>
                      <Link to={`/books/ledger/${r.id}${booksQuery(d.coop, d.year)}`}>{r.code}</Link>
                    </td>
                    <td className={`level-${r.level}`}>{r.name}</td>
                    <td className="num">{r.od}</td>
                    <td className="num">{r.oc}</td>
                    <td className="num">{r.d}</td>
                    <td className="num">{r.c}</td>
                    <td className="num">{r.cd}</td>
                    <td className="num">{r.cc}</td>
                  </tr>
                ))}
              </tbody>
              {d.totals ? (
                <tfoot>
                  <tr>
                    <th colSpan={2}>{t("booksTrial.total")}</th>
                    <th className="num">{d.totals.od}</th>
                    <th className="num">{d.totals.oc}</th>
                    <th className="num">{d.totals.d}</th>
                    <th className="num">{d.totals.c}</th>
                    <th className="num">{d.totals.cd}</th>
                    <th className="num">{d.totals.cc}</th>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
