import { Link, useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { useCurrentUser } from "~/components/use-current-user";
import { useT } from "~/i18n/use-t";

/**
 * The vouchers a source record was booked as (a run, a payment, a rent
 * payment), linked, for users who read the books. Loaded after the page
 * (resources.books.vouchers), so a source page needs one line to show them.
 */
export function VoucherLinks({ source, sourceId }: { source: string | readonly string[]; sourceId: number | string }) {
  const t = useT();
  const user = useCurrentUser();
  const fetcher = useFetcher<{ vouchers: { id: number; year: number; month: number; number: number; redInk: boolean; status: string; summary: string }[] }>();
  const allowed = user.permissions.includes("read:books");
  const q = `/resources/books/vouchers?source=${encodeURIComponent(typeof source === "string" ? source : source.join(","))}&id=${encodeURIComponent(String(sourceId))}`;
  useEffect(() => {
    if (allowed && fetcher.state === "idle" && !fetcher.data) fetcher.load(q);
  }, [allowed, q, fetcher]);
  const vs = fetcher.data?.vouchers ?? [];
  if (!allowed || vs.length === 0) return null;
  return (
    <p className="muted" data-testid="voucher-links">
      {t("booksVoucher.bookedAs")}{" "}
      {vs.map((v, i) => (
        <span key={v.id}>
          {i > 0 ? "、" : ""}
          <Link to={`/books/vouchers/${v.id}`} className={v.redInk ? "red-ink" : undefined} title={v.summary}>
            {v.year}-{String(v.month).padStart(2, "0")} {t("booksVouchers.number", { number: v.number })}
          </Link>
        </span>
      ))}
    </p>
  );
}
