import { Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** Previous / next links that keep the page's other search parameters. */
export function Pager({ page, pages }: { page: number; pages: number }) {
  const t = useT();
  const [params] = useSearchParams();
  if (pages <= 1) return null;
  const link = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <nav className="pager" aria-label="pagination">
      {page > 1 ? <Link to={link(page - 1)}>{t("households.prev")}</Link> : <span />}
      <span>{t("households.page", { page, pages })}</span>
      {page < pages ? <Link to={link(page + 1)}>{t("households.next")}</Link> : <span />}
    </nav>
  );
}
