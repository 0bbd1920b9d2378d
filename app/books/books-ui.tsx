import { Link, useLocation } from "@remix-run/react";
import { CooperativeYearPicker } from "~/dividends/cooperative-year-picker";
import { useT } from "~/i18n/use-t";

const TABS = [
  ["/books", "booksPage.tab.overview"],
  ["/books/accounts", "booksPage.tab.accounts"],
  ["/books/vouchers", "booksPage.tab.vouchers"],
  ["/books/ledger", "booksPage.tab.ledger"],
  ["/books/trial-balance", "booksPage.tab.trialBalance"],
  ["/books/closing", "booksPage.tab.closing"],
  ["/books/statements", "booksPage.tab.statements"],
] as const;

/** The books' pages share one head: the title, the cooperative and year, and the tabs. */
export function BooksHead({
  title,
  cooperatives,
  coop,
  year,
  children,
}: {
  title: string;
  cooperatives: { id: number; name: string }[];
  coop: { id: number; name: string; system: string } | null;
  year: number;
  children?: React.ReactNode;
}) {
  const t = useT();
  const location = useLocation();
  const q = `?${coop ? `coop=${coop.id}&` : ""}year=${year}`;
  return (
    <>
      <div className="page-head">
        <h1>
          {title}
          {coop ? ` · ${coop.name}` : ""}
        </h1>
        {children}
      </div>
      {coop ? <p className="muted">{t(`booksPage.system.${coop.system}`)}</p> : null}
      <nav aria-label={t("booksPage.title")}>
        <ul className="books-tabs">
          {TABS.map(([to, key]) => (
            <li key={to}>
              <Link to={`${to}${q}`} aria-current={location.pathname === to ? "page" : undefined}>
                {t(key)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <CooperativeYearPicker cooperatives={cooperatives} coop={coop} year={year} />
    </>
  );
}

/** "记-5" with its month when asked. */
export function voucherNo(t: ReturnType<typeof useT>, v: { number: number; month?: number }, withMonth = false): string {
  const no = t("booksVouchers.number", { number: v.number });
  return withMonth && v.month ? `${v.month}月 ${no}` : no;
}
