import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CooperativeYearPicker } from "~/dividends/cooperative-year-picker";
import { registerTotals, weightShown } from "~/dividends/register";
import { pickCooperative, registerOf, yearParam } from "~/dividends/register.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const url = new URL(request.url);
  const year = yearParam(url);
  const { cooperative, list } = await pickCooperative(user, url.searchParams.get("coop"));
  const cooperatives = list.map((c) => ({ id: c.id, name: c.name }));
  if (!cooperative) return { year, cooperatives, coop: null, rows: [], totals: null, history: [] };
  const r = await registerOf(user.scope, cooperative.id, year);
  return {
    year,
    cooperatives,
    coop: { id: r.coop.id, name: r.coop.name, sharesPerMu: r.coop.sharesPerMu },
    rows: r.rows.map((x) => ({ ...x, weightShown: weightShown(x.weight) })),
    totals: registerTotals(r.rows),
    history: r.history,
  };
}

export default function ShareRegister() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const q = d.coop ? `?coop=${d.coop.id}&year=${d.year}` : "";
  return (
    <>
      <div className="page-head">
        <h1>
          {t("register.title")}
          {d.coop ? ` · ${d.coop.name}` : ""}
        </h1>
        {d.coop ? (
          <p>
            <a href={`/resources/dividends/register.xlsx${q}`}>{t("register.xlsx")}</a> ·{" "}
            <a href={`/resources/dividends/register.pdf${q}`} target="_blank" rel="noreferrer">
              {t("register.pdf")}
            </a>{" "}
            · <Link to={`/dividends/accounts${d.coop ? `?coop=${d.coop.id}&year=${d.year}` : ""}`}>{t("dividends.accounts")}</Link>
          </p>
        ) : null}
      </div>
      <p className="muted">{t("register.hint")}</p>
      <CooperativeYearPicker cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("register.noCooperative")}</p>
      ) : d.rows.length === 0 ? (
        <p className="empty">{t("register.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="share-register">
            <thead>
              <tr>
                <th className="hide-narrow">{t("register.village")}</th>
                <th>{t("register.household")}</th>
                <th className="num hide-narrow">{t("register.area")}</th>
                <th className="num">{t("register.shares")}</th>
                <th className="num">{t("register.weight")}</th>
                <th className="num hide-narrow">{t("register.days")}</th>
                <th>{t("register.contract")}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.householdId}>
                  <td className="hide-narrow" style={{ whiteSpace: "nowrap" }}>
                    {r.village}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <Link to={`/dividends/accounts/${r.householdId}?coop=${d.coop!.id}`}>
                      {r.code} {r.headName}
                    </Link>
                  </td>
                  <td className="num hide-narrow">{r.areaMu}</td>
                  <td className="num">{r.shares}</td>
                  <td className="num" title={r.weight}>
                    {r.weightShown}
                  </td>
                  <td className="num hide-narrow">{r.days}</td>
                  {/* the contracts wrap on a phone, so the figures stay in view */}
                  <td style={{ whiteSpace: "normal", minWidth: "14rem" }}>
                    {r.contracts.map((c) => (
                      <div key={`${c.id}-${c.parcelCode}`}>
                        {c.label} · {c.plot} {c.areaMu} 亩 · {c.startDate}～{c.terminatedOn && c.terminatedOn < c.endDate ? `${c.terminatedOn}（${t("register.kind.terminated")}）` : c.endDate}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th className="hide-narrow" />
                <th>{t("register.total", { count: d.rows.length })}</th>
                <th className="num hide-narrow">{d.totals!.areaMu}</th>
                <th className="num">{d.totals!.shares}</th>
                <th className="num" title={d.totals!.weight}>
                  {weightShown(d.totals!.weight)}
                </th>
                <th className="hide-narrow" />
                <th />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {d.coop ? (
        <>
          <h2>{t("register.history")}</h2>
          {d.history.length === 0 ? (
            <p className="empty">{t("register.noHistory")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data" data-testid="register-history">
                <thead>
                  <tr>
                    <th>{t("register.date")}</th>
                    <th>{t("register.household")}</th>
                    <th>{t("register.change")}</th>
                    <th>{t("register.contract")}</th>
                    <th className="num">{t("register.area")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.history.map((e, i) => (
                    <tr key={i}>
                      <td>{e.date}</td>
                      <td>
                        {e.household.code} {e.household.headName}
                      </td>
                      <td>{t(`register.kind.${e.kind}`)}</td>
                      <td>{e.label}</td>
                      <td className="num">{e.areaMu}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
