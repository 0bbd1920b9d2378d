import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { arrears, type ArrearsSum } from "~/contracts/rent.server";
import { yuan } from "~/lib/money";
import { today } from "~/lib/dates";
import { useT } from "~/i18n/use-t";

const BUCKETS = ["DUE", "D1_30", "D31_90", "D90_PLUS"] as const;
/** The penalty shows accrued, paid, waived and outstanding apart (outstanding = accrued − paid − waived). */
const show = (s: ArrearsSum) => ({
  outstanding: yuan(s.outstandingFen),
  penalty: yuan(s.penaltyFen),
  penaltyPaid: yuan(s.penaltyPaidFen),
  penaltyWaived: yuan(s.penaltyWaivedFen),
  penaltyOutstanding: yuan(s.penaltyOutstandingFen),
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, yuan(s.buckets[b])])),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const a = await arrears(user.scope, today());
  return {
    asOf: a.asOf,
    total: show(a.total),
    byVillage: a.byVillage.map((v) => ({ villageId: v.villageId as number, villageName: v.villageName as string, ...show(v) })),
    byHousehold: a.byHousehold.slice(0, 200).map((h) => ({ householdId: h.householdId as number, headName: h.headName as string, villageName: h.villageName as string, ...show(h) })),
    byContract: a.byContract.slice(0, 200).map((c) => ({ contractId: c.contractId as number, contractLabel: c.contractLabel as string, villageName: c.villageName as string, ...show(c) })),
    households: a.byHousehold.length,
    contracts: a.byContract.length,
  };
}

export default function Arrears() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        {BUCKETS.map((b) => (
          <th key={b} className="num">
            {t(`aging.${b}`)}
          </th>
        ))}
        <th className="num">{t("arrears.total")}</th>
        <th className="num">{t("penalty.accrued")}</th>
        <th className="num">{t("penalty.paid")}</th>
        <th className="num">{t("penalty.waived")}</th>
        <th className="num">{t("penalty.outstanding")}</th>
      </tr>
    </thead>
  );
  const cells = (r: ReturnType<typeof show>) => (
    <>
      {BUCKETS.map((b) => (
        <td key={b} className="num">
          {r.buckets[b] === "0.00" ? "" : r.buckets[b]}
        </td>
      ))}
      <td className="num">
        <strong>{r.outstanding}</strong>
      </td>
      <td className="num">{r.penalty}</td>
      <td className="num">{r.penaltyPaid}</td>
      <td className="num">{r.penaltyWaived}</td>
      <td className="num">
        <strong>{r.penaltyOutstanding}</strong>
      </td>
    </>
  );
  return (
    <>
      <h1>{t("arrears.title")}</h1>
      <p className="muted">
        {t("arrears.asOf", { date: d.asOf })}
        {d.byVillage.length > 0 ? (
          <>
            {" · "}
            <a href="/resources/contracts/arrears.xlsx">
              {t("export.arrears.link")}
            </a>
          </>
        ) : null}
      </p>
      {d.byVillage.length === 0 ? (
        <p className="empty">{t("arrears.none")}</p>
      ) : (
        <>
          <h2>{t("arrears.byVillage")}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="arrears-villages">
              {head(t("contracts.village"))}
              <tbody>
                {d.byVillage.map((v) => (
                  <tr key={v.villageId}>
                    <td>{v.villageName}</td>
                    {cells(v)}
                  </tr>
                ))}
                <tr>
                  <th>{t("common.total")}</th>
                  {cells(d.total)}
                </tr>
              </tbody>
            </table>
          </div>
          <h2>
            {t("arrears.byHousehold")} ({d.households})
          </h2>
          <div className="table-wrap">
            <table className="data" data-testid="arrears-households">
              {head(t("contract.household"))}
              <tbody>
                {d.byHousehold.map((h) => (
                  <tr key={h.householdId}>
                    <td>
                      <Link to={`/households/${h.householdId}`}>{h.headName}</Link> <span className="muted small">{h.villageName}</span>
                    </td>
                    {cells(h)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>
            {t("arrears.byContract")} ({d.contracts})
          </h2>
          <div className="table-wrap">
            <table className="data" data-testid="arrears-contracts">
              {head(t("contracts.no"))}
              <tbody>
                {d.byContract.map((c) => (
                  <tr key={c.contractId}>
                    <td className="mono">
                      <Link to={`/contracts/${c.contractId}`}>{c.contractLabel}</Link> <span className="muted small">{c.villageName}</span>
                    </td>
                    {cells(c)}
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
