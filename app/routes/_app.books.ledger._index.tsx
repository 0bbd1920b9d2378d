import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { accountLedger, trialBalance } from "~/books/books.server";
import { booksPage } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

const side = (fen: bigint, normal: string) => (fen === 0n ? "FLAT" : (fen > 0n) === (normal === "DEBIT") ? "DEBIT" : "CREDIT");
const abs = (fen: bigint) => formatYuan(fen < 0n ? -fen : fen);

/** 总账: every top-level account's year, and the chosen one month by month (opening, debit, credit, balance). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { url, year, cooperatives, coop } = await booksPage(request);
  if (!coop) return { year, cooperatives, coop: null, accounts: [], chosen: null, months: [] };
  const rows = (await trialBalance(coop.id, year, 1, 12)).filter((r) => r.parentId === null);
  const accounts = rows.map((r) => ({ id: r.accountId, code: r.code, name: r.name, opening: abs(r.openingFen), openingSide: side(r.openingFen, r.normalSide), debit: formatYuan(r.debitFen), credit: formatYuan(r.creditFen), closing: abs(r.closingFen), closingSide: side(r.closingFen, r.normalSide), active: r.openingFen !== 0n || r.debitFen !== 0n || r.creditFen !== 0n }));
  const want = Number(url.searchParams.get("account"));
  const chosenRow = rows.find((r) => r.accountId === want) ?? null;
  if (!chosenRow) return { year, cooperatives, coop, accounts, chosen: null, months: [] };
  const ledger = await accountLedger(coop.id, chosenRow.accountId, year);
  const sign = chosenRow.normalSide === "DEBIT" ? 1n : -1n;
  let balance = ledger.openingFen;
  let yd = 0n;
  let yc = 0n;
  const months = [];
  for (let m = 1; m <= 12; m++) {
    const es = ledger.entries.filter((e) => e.month === m);
    if (es.length === 0) continue;
    const d = es.reduce((s, e) => s + e.debitFen, 0n);
    const c = es.reduce((s, e) => s + e.creditFen, 0n);
    balance += sign * (d - c);
    yd += d;
    yc += c;
    months.push({ month: m, debit: formatYuan(d), credit: formatYuan(c), ytdDebit: formatYuan(yd), ytdCredit: formatYuan(yc), balance: abs(balance), side: side(balance, chosenRow.normalSide) });
  }
  return { year, cooperatives, coop, accounts, chosen: { id: chosenRow.accountId, code: chosenRow.code, name: chosenRow.name, opening: abs(ledger.openingFen), openingSide: side(ledger.openingFen, chosenRow.normalSide) }, months };
}

export default function GeneralLedger() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <BooksHead title={t("booksLedger.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          {d.chosen ? (
            <section data-testid="general-ledger-account">
              <h2>
                {d.chosen.code} {d.chosen.name} · <Link to={`/books/ledger/${d.chosen.id}${booksQuery(d.coop, d.year)}`}>{t("booksAccounts.ledger")}</Link>
              </h2>
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th>{t("booksPage.monthCol")}</th>
                      <th>{t("booksLedger.summary")}</th>
                      <th className="num">{t("booksLedger.debit")}</th>
                      <th className="num">{t("booksLedger.credit")}</th>
                      <th>{t("booksLedger.side")}</th>
                      <th className="num">{t("booksLedger.balance")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>1</td>
                      <td>{t("booksLedger.yearOpening")}</td>
                      <td />
                      <td />
                      <td>{t(`booksAccounts.side.${d.chosen.openingSide}`)}</td>
                      <td className="num">{d.chosen.opening}</td>
                    </tr>
                    {d.months.flatMap((m) => [
                      <tr key={`${m.month}m`}>
                        <td>{m.month}</td>
                        <td>{t("booksLedger.monthTotal")}</td>
                        <td className="num">{m.debit}</td>
                        <td className="num">{m.credit}</td>
                        <td>{t(`booksAccounts.side.${m.side}`)}</td>
                        <td className="num">{m.balance}</td>
                      </tr>,
                      <tr key={`${m.month}y`}>
                        <td />
                        <td>{t("booksLedger.yearTotal")}</td>
                        <td className="num">{m.ytdDebit}</td>
                        <td className="num">{m.ytdCredit}</td>
                        <td>{t(`booksAccounts.side.${m.side}`)}</td>
                        <td className="num">{m.balance}</td>
                      </tr>,
                    ])}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
          <div className="table-wrap">
            <table className="data" data-testid="general-ledger">
              <thead>
                <tr>
                  <th>{t("booksAccounts.code")}</th>
                  <th>{t("booksAccounts.name")}</th>
                  <th>{t("booksLedger.side")}</th>
                  <th className="num">{t("booksLedger.opening")}</th>
                  <th className="num">{t("booksLedger.debit")}</th>
                  <th className="num">{t("booksLedger.credit")}</th>
                  <th>{t("booksLedger.side")}</th>
                  <th className="num">{t("booksLedger.balance")}</th>
                </tr>
              </thead>
              <tbody>
                {d.accounts.map((a) => (
                  <tr key={a.id} className={a.active ? undefined : "muted"}>
                    <td>
                      <Link to={`/books/ledger${booksQuery(d.coop, d.year, { account: a.id })}`}>{a.code}</Link>
                    </td>
                    <td>{a.name}</td>
                    <td>{t(`booksAccounts.side.${a.openingSide}`)}</td>
                    <td className="num">{a.opening}</td>
                    <td className="num">{a.debit}</td>
                    <td className="num">{a.credit}</td>
                    <td>{t(`booksAccounts.side.${a.closingSide}`)}</td>
                    <td className="num">{a.closing}</td>
                  </tr>
                ))}
              </tbody>
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
