import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { accountOf, pickCooperative } from "~/dividends/register.server";
import { useT } from "~/i18n/use-t";
import { idParam, notFound } from "~/lib/http";
import { formatYuan } from "~/lib/money";

/** One member's account (成员账户): what each statement promised, credited and paid, by year and run. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const householdId = idParam(params.householdId);
  const { cooperative } = await pickCooperative(user, new URL(request.url).searchParams.get("coop"));
  if (!cooperative) notFound();
  const a = await accountOf(user.scope, cooperative.id, householdId);
  const years = [...(a.accounts.get(householdId) ?? [])].reverse();
  return {
    coop: { id: a.coop.id, name: a.coop.name },
    household: { code: a.household.code, headName: a.household.headName, village: a.household.village.name },
    years: years.map((y) => ({
      year: y.year,
      capital: formatYuan(y.capitalFen),
      capitalBalance: formatYuan(y.capitalBalanceFen),
      reserve: formatYuan(y.reserveFen),
      reserveBalance: formatYuan(y.reserveBalanceFen),
      due: formatYuan(y.dueFen),
      paid: formatYuan(y.paidFen),
      transactions: formatYuan(y.transactionFen),
    })),
    runs: [...a.lines].reverse().map((l) => ({
      lineId: l.id,
      runId: l.runId,
      year: l.run.year,
      title: l.run.title,
      correction: l.run.correctsId !== null,
      statementNo: l.statementNo ?? "",
      reserve: formatYuan(l.providentShareFen),
      due: formatYuan(l.netFen),
      paid: formatYuan(l.payments.filter((p) => p.status === "PAID").reduce((s, p) => s + p.amountFen, 0n)),
      payments: l.payments.map((p) => ({ id: p.id, status: p.status, paidOn: p.paidOn, amount: formatYuan(p.amountFen), reference: p.reference, failureReason: p.failureReason })),
    })),
    capital: [...a.capital].reverse().map((c) => ({ id: c.id, date: c.date, amount: formatYuan(c.amountFen), note: c.note })),
    transactions: [...a.transactions].reverse().map((x) => ({ id: x.id, date: x.date, amount: formatYuan(x.amountFen), description: x.description, quantityKg: x.quantityKg })),
  };
}

export default function MemberAccount() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>
        {t("maccount.title")} · {d.household.code} {d.household.headName}
      </h1>
      <p className="muted">
        {d.coop.name} · {d.household.village} · <Link to={`/dividends/accounts?coop=${d.coop.id}`}>{t("maccount.back")}</Link>
      </p>
      <p className="muted">{t("maccount.hint")}</p>
      <h2>{t("maccount.byYear")}</h2>
      <div className="table-wrap">
        <table className="data" data-testid="account-years">
          <thead>
            <tr>
              <th>{t("register.year")}</th>
              <th className="num">{t("maccount.capital")}</th>
              <th className="num hide-narrow">{t("maccount.capitalBalance")}</th>
              <th className="num">{t("maccount.reserve")}</th>
              <th className="num hide-narrow">{t("maccount.reserveBalance")}</th>
              <th className="num">{t("maccount.due")}</th>
              <th className="num">{t("maccount.paid")}</th>
              <th className="num hide-narrow">{t("maccount.transactions")}</th>
            </tr>
          </thead>
          <tbody>
            {d.years.map((y) => (
              <tr key={y.year}>
                <td>{y.year}</td>
                <td className="num">{y.capital}</td>
                <td className="num hide-narrow">{y.capitalBalance}</td>
                <td className="num">{y.reserve}</td>
                <td className="num hide-narrow">{y.reserveBalance}</td>
                <td className="num">{y.due}</td>
                <td className="num">{y.paid}</td>
                <td className="num hide-narrow">{y.transactions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("maccount.byRun")}</h2>
      {d.runs.length === 0 ? (
        <p className="empty">{t("maccount.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="account-runs">
            <thead>
              <tr>
                <th>{t("maccount.run")}</th>
                <th className="hide-narrow">{t("maccount.statementNo")}</th>
                <th className="num">{t("maccount.reserve")}</th>
                <th className="num">{t("maccount.due")}</th>
                <th className="num">{t("maccount.paid")}</th>
                <th>{t("maccount.payments")}</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r) => (
                <tr key={r.lineId}>
                  <td>
                    <Link to={`/dividends/${r.runId}`}>
                      {r.year} {r.title || `#${r.runId}`}
                    </Link>
                    {r.correction ? ` · ${t("dividends.correction")}` : ""}
                  </td>
                  <td className="hide-narrow">{r.statementNo}</td>
                  <td className="num">{r.reserve}</td>
                  <td className="num">{r.due}</td>
                  <td className="num">{r.paid}</td>
                  <td>
                    {r.payments.map((p) => (
                      <div key={p.id}>
                        {p.paidOn} {p.amount} {t(`pstatus.${p.status}`)}
                        {p.reference ? ` · ${p.reference}` : ""}
                        {p.failureReason ? ` · ${p.failureReason}` : ""}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.capital.length ? (
        <>
          <h2>{t("maccount.capitalRecords")}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="account-capital">
              <tbody>
                {d.capital.map((c) => (
                  <tr key={c.id}>
                    <td>{c.date}</td>
                    <td>{c.note}</td>
                    <td className="num">{c.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {d.transactions.length ? (
        <>
          <h2>{t("maccount.transactionRecords")}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="account-transactions">
              <tbody>
                {d.transactions.map((x) => (
                  <tr key={x.id}>
                    <td>{x.date}</td>
                    <td>{x.description}</td>
                    <td className="num">{x.quantityKg ?? ""}</td>
                    <td className="num">{x.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
