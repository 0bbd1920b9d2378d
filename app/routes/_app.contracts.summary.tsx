import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listContracts } from "~/contracts/contracts.server";
import { today } from "~/lib/dates";
import { arrears, townshipSummary } from "~/contracts/rent.server";
import { yuan } from "~/lib/money";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const asOf = today();
  const [summary, ending, owed] = await Promise.all([townshipSummary(user.scope, asOf), listContracts(user.scope, { endingWithinDays: 90 }), arrears(user.scope, asOf)]);
  return {
    asOf,
    scopeName: user.scopeName,
    summary,
    ending: ending.rows.map((r) => ({ id: r.id, label: r.contractNo ?? r.draftNo, villageName: r.villageName, transferee: r.transferee, endDate: r.endDate, area: r.area })),
    endingTotal: ending.total,
    arrearsTotal: yuan(owed.total.outstandingFen),
    arrearsPenalty: yuan(owed.total.penaltyOutstandingFen),
  };
}

export default function Summary() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const table = (title: string, rows: { label: string; area: string; contracts: number }[], label: (s: string) => string = (s) => s, testid?: string) => (
    <>
      <h2>{title}</h2>
      <table className="data" data-testid={testid}>
        <thead>
          <tr>
            <th />
            <th className="num">{t("summary.transferredArea")}</th>
            <th className="num">{t("summary.contracts")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{label(r.label)}</td>
              <td className="num">{r.area}</td>
              <td className="num">{r.contracts}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
  return (
    <>
      <h1>
        {t("summary.title")} · {d.scopeName}
      </h1>
      <p className="muted">{t("arrears.asOf", { date: d.asOf })}</p>
      <section className="cards">
        <div className="card">
          <span>{t("summary.transferredArea")}</span>
          <strong>{d.summary.totalArea}</strong>
        </div>
        <div className="card">
          <span>{t("summary.activeContracts")}</span>
          <strong>{d.summary.activeContracts}</strong>
        </div>
        <div className="card">
          <span>{t("contracts.endingSoon")}</span>
          <strong>
            <Link to="/contracts?ending=90">{d.endingTotal}</Link>
          </strong>
        </div>
        <div className="card">
          <span>{t("arrears.total")}</span>
          <strong>
            <Link to="/contracts/arrears">{d.arrearsTotal}</Link>
          </strong>
        </div>
      </section>
      {table(t("summary.byVillage"), d.summary.byVillage, undefined, "summary-villages")}
      {table(t("summary.byForm"), d.summary.byForm, (f) => t(`cform.${f}`))}
      {table(t("summary.byTransferee"), d.summary.byTransferee)}
      <h2>{t("contracts.endingSoon")}</h2>
      <table className="data">
        <tbody>
          {d.ending.map((e) => (
            <tr key={e.id}>
              <td className="mono">
                <Link to={`/contracts/${e.id}`}>{e.label}</Link>
              </td>
              <td>{e.villageName}</td>
              <td>{e.transferee}</td>
              <td className="num">{e.area}</td>
              <td>{e.endDate}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
