import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import booksCss from "~/books/books.css";
import { voucherNo } from "~/books/books-ui";
import { accountLedger, requireBooksReader } from "~/books/books.server";
import { yearParam } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

const side = (fen: bigint, normal: string) => (fen === 0n ? "FLAT" : (fen > 0n) === (normal === "DEBIT") ? "DEBIT" : "CREDIT");
const abs = (fen: bigint) => formatYuan(fen < 0n ? -fen : fen);

/** 明细账: one account's year line by line with its running balance (a parent: all its sub-accounts, each member's among them). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:books");
  const id = Number(params.accountId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const account = await prisma.ledgerAccount.findUnique({ where: { id }, select: { id: true, cooperativeId: true, code: true, name: true, normalSide: true, parentId: true } });
  if (!account) notFound();
  const coop = await requireBooksReader(user, account.cooperativeId);
  const year = yearParam(new URL(request.url));
  const [ledger, children, parent] = await Promise.all([
    accountLedger(coop.id, id, year),
    prisma.ledgerAccount.findMany({ where: { parentId: id }, orderBy: { code: "asc" }, select: { id: true, code: true, name: true } }),
    account.parentId ? prisma.ledgerAccount.findUnique({ where: { id: account.parentId }, select: { id: true, code: true, name: true } }) : null,
  ]);
  return {
    coop: { id: coop.id, name: coop.name },
    year,
    account: { id: account.id, code: account.code, name: account.name },
    parent,
    children,
    opening: abs(ledger.openingFen),
    openingSide: side(ledger.openingFen, account.normalSide),
    closing: abs(ledger.closingFen),
    closingSide: side(ledger.closingFen, account.normalSide),
    entries: ledger.entries.map((e) => ({
      key: e.lineId,
      voucherId: e.voucherId,
      date: e.date,
      month: e.month,
      number: e.number,
      summary: e.summary,
      redInk: e.redInk,
      debit: e.debitFen === 0n ? "" : formatYuan(e.debitFen),
      credit: e.creditFen === 0n ? "" : formatYuan(e.creditFen),
      side: side(e.balanceFen, account.normalSide),
      balance: abs(e.balanceFen),
    })),
  };
}

export default function SubsidiaryLedger() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const q = booksQuery(d.coop, d.year);
  return (
    <>
      <div className="page-head">
        <h1>
          {t("booksLedger.subTitle", { code: d.account.code, name: d.account.name })} · {d.year}
        </h1>
        <p>
          <Link to={`/books/ledger${q}`}>{t("booksLedger.title")}</Link>
          {d.parent ? (
            <>
              {" · "}
              <Link to={`/books/ledger/${d.parent.id}${q}`}>
                {d.parent.code} {d.parent.name}
              </Link>
            </>
          ) : null}
        </p>
      </div>
      {d.children.length > 0 ? (
        <details>
          <summary>
            {t("booksLedger.subAccounts")} ({d.children.length})
          </summary>
          <ul>
            {d.children.map((c) => (
              <li key={c.id}>
                <Link to={`/books/ledger/${c.id}${q}`}>
                  {c.code} {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="table-wrap">
        <table className="data" data-testid="subsidiary-ledger">
          <thead>
            <tr>
              <th>{t("booksLedger.date")}</th>
              <th>{t("booksLedger.voucher")}</th>
              <th>{t("booksLedger.summary")}</th>
              <th className="num">{t("booksLedger.debit")}</th>
              <th className="num">{t("booksLedger.credit")}</th>
              <th>{t("booksLedger.side")}</th>
              <th className="num">{t("booksLedger.balance")}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td />
              <td />
              <td>{t("booksLedger.yearOpening")}</td>
              <td />
              <td />
              <td>{t(`booksAccounts.side.${d.openingSide}`)}</td>
              <td className="num">{d.opening}</td>
            </tr>
            {d.entries.map((e) => (
              <tr key={e.key} className={e.redInk ? "red-ink" : undefined}>
                <td style={{ whiteSpace: "nowrap" }}>{e.date}</td>
                <td style={{ whiteSpace: "nowrap" }}>
                  <Link to={`/books/vouchers/${e.voucherId}`}>{voucherNo(t, e, true)}</Link>
                </td>
                <td>{e.summary}</td>
                <td className="num">{e.debit}</td>
                <td className="num">{e.credit}</td>
                <td>{t(`booksAccounts.side.${e.side}`)}</td>
                <td className="num">{e.balance}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th colSpan={5}>{t("booksLedger.yearTotal")}</th>
              <th>{t(`booksAccounts.side.${d.closingSide}`)}</th>
              <th className="num" data-testid="ledger-closing">
                {d.closing}
              </th>
            </tr>
          </tfoot>
        </table>
      </div>
      {d.entries.length === 0 ? <p className="empty">{t("booksLedger.none")}</p> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
