import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CooperativeYearPicker } from "~/dividends/cooperative-year-picker";
import { accountForYear } from "~/dividends/register";
import { accountsOf, pickCooperative, yearParam } from "~/dividends/register.server";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const url = new URL(request.url);
  const year = yearParam(url);
  const { cooperative, list } = await pickCooperative(user, url.searchParams.get("coop"));
  const cooperatives = list.map((c) => ({ id: c.id, name: c.name }));
  if (!cooperative) return { year, cooperatives, coop: null, rows: [], totals: null };
  const a = await accountsOf(user.scope, cooperative.id);
  const accounts = a.households.map((h) => ({ h, y: accountForYear(a.accounts.get(h.id), year) }));
  const sum = (k: "capitalBalanceFen" | "reserveFen" | "reserveBalanceFen" | "dueFen" | "paidFen" | "transactionFen") => accounts.reduce((s, x) => s + x.y[k], 0n);
  return {
    year,
    cooperatives,
    coop: { id: a.coop.id, name: a.coop.name },
    rows: accounts.map(({ h, y }) => ({
      id: h.id,
      village: h.village.name,
      household: `${h.code} ${h.headName}`,
      capitalBalance: formatYuan(y.capitalBalanceFen),
      reserve: formatYuan(y.reserveFen),
      reserveBalance: formatYuan(y.reserveBalanceFen),
      due: formatYuan(y.dueFen),
      paid: formatYuan(y.paidFen),
      unpaid: formatYuan(y.dueFen - y.paidFen),
      transactions: formatYuan(y.transactionFen),
    })),
    totals: {
      capitalBalance: formatYuan(sum("capitalBalanceFen")),
      reserve: formatYuan(sum("reserveFen")),
      reserveBalance: formatYuan(sum("reserveBalanceFen")),
      due: formatYuan(sum("dueFen")),
      paid: formatYuan(sum("paidFen")),
      unpaid: formatYuan(sum("dueFen") - sum("paidFen")),
      transactions: formatYuan(sum("transactionFen")),
    },
  };
}

export default function MemberAccounts() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>
          {t("maccount.title")}
          {d.coop ? ` · ${d.coop.name}` : ""}
        </h1>
        {d.coop ? (
          <p>
            <a href={`/resources/dividends/accounts.xlsx?coop=${d.coop.id}&year=${d.year}`}>{t("register.xlsx")}</a> ·{" "}
            <Link to={`/dividends/register?coop=${d.coop.id}&year=${d.year}`}>{t("dividends.register")}</Link>
          </p>
        ) : null}
      </div>
      <p className="muted">{t("maccount.hint")}</p>
      <CooperativeYearPicker cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("register.noCooperative")}</p>
      ) : d.rows.length === 0 ? (
        <p className="empty">{t("maccount.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="member-accounts">
            <thead>
              <tr>
                <th className="hide-narrow">{t("register.village")}</th>
                <th>{t("register.household")}</th>
                <th className="num hide-narrow">{t("maccount.capitalBalance")}</th>
                <th className="num">{t("maccount.reserve")}</th>
                <th className="num hide-narrow">{t("maccount.reserveBalance")}</th>
                <th className="num">{t("maccount.due")}</th>
                <th className="num">{t("maccount.paid")}</th>
                <th className="num hide-narrow">{t("maccount.unpaid")}</th>
                <th className="num hide-narrow">{t("maccount.transactions")}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id}>
                  <td className="hide-narrow" style={{ whiteSpace: "nowrap" }}>
                    {r.village}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <Link to={`/dividends/accounts/${r.id}?coop=${d.coop!.id}`}>{r.household}</Link>
                  </td>
                  <td className="num hide-narrow">{r.capitalBalance}</td>
                  <td className="num">{r.reserve}</td>
                  <td className="num hide-narrow">{r.reserveBalance}</td>
                  <td className="num">{r.due}</td>
                  <td className="num">{r.paid}</td>
                  <td className="num hide-narrow">{r.unpaid}</td>
                  <td className="num hide-narrow">{r.transactions}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th className="hide-narrow" />
                <th>{t("register.total", { count: d.rows.length })}</th>
                <th className="num hide-narrow">{d.totals!.capitalBalance}</th>
                <th className="num">{d.totals!.reserve}</th>
                <th className="num hide-narrow">{d.totals!.reserveBalance}</th>
                <th className="num">{d.totals!.due}</th>
                <th className="num">{d.totals!.paid}</th>
                <th className="num hide-narrow">{d.totals!.unpaid}</th>
                <th className="num hide-narrow">{d.totals!.transactions}</th>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
