import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { householdPlots } from "~/contracts/plots.server";
import { getHouseholdPage } from "~/registry/households.server";
import { categoryKey, parseRiskTypes } from "~/registry/monitoring";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:household");
  // Dates come printed in China time (ADR 014): nothing is formatted in the browser.
  const household = await getHouseholdPage(user, idParam(params.id));
  if (!household) notFound();
  return { household, plots: await householdPlots(household.id) };
}

export default function HouseholdDetail() {
  const t = useT();
  const { household: h, plots } = useLoaderData<typeof loader>();
  const current = h.members.filter((m) => !m.leftOn);
  const former = h.members.filter((m) => m.leftOn);
  return (
    <>
      <div className="page-head">
        <h1>{t("household.title", { name: h.headName })}</h1>
        {h.manages ? (
          <Link to="edit" className="button">
            {t("household.edit")}
          </Link>
        ) : null}
      </div>
      <dl className="facts">
        <dt>{t("household.village")}</dt>
        <dd>
          {h.village.township.name} {h.village.name} · {h.group.name}
        </dd>
        <dt>{t("household.code")}</dt>
        <dd>{h.code}</dd>
        <dt>{t("household.currentStatus")}</dt>
        <dd>
          <span className={`badge status-${h.status}`}>{t(`status.${h.status}`)}</span>
          {h.statusYear ? ` ${h.statusYear}` : ""}
          {h.status === "MONITORED" && categoryKey(h.monitoringCategory) ? (
            <span data-testid="monitoring-category"> · {t(categoryKey(h.monitoringCategory)!)}</span>
          ) : null}
          {h.status === "MONITORED" && h.riskTypes ? (
            <span data-testid="risk-types"> · {t("monitoring.riskTypes")}：{parseRiskTypes(h.riskTypes).map((r) => t(`monitoring.risk.${r}`)).join("、")}</span>
          ) : null}
          {h.statusReason ? ` · ${h.statusReason}` : ""}
          {h.statusDate ? <span className="muted"> {t("household.statusSince", { date: h.statusDate })}</span> : null}
        </dd>
        <dt>{t("household.address")}</dt>
        <dd>{h.address}</dd>
        <dt>{t("household.phone")}</dt>
        <dd className="mono">{h.phone}</dd>
        <dt>{t("household.bank")}</dt>
        <dd className="mono" data-testid="bank-account">
          {h.bankName} {h.bankAccount}
        </dd>
        <dt>{t("household.createdAt")}</dt>
        <dd data-testid="created-at">{h.createdAt}</dd>
      </dl>
      <h2>{t("household.members")}</h2>
      {h.personalFull ? null : <p className="muted small">{t("household.maskedNote")}</p>}
      <div className="table-wrap">
        <table className="data" data-testid="members-table">
          <thead>
            <tr>
              <th>{t("household.name")}</th>
              <th>{t("household.relation")}</th>
              <th>{t("household.idNumber")}</th>
              <th>{t("household.sex")}</th>
              <th>{t(h.personalFull ? "household.birthDate" : "household.birthYear")}</th>
              <th>{t("household.ableToWork")}</th>
              <th>{t("household.phone")}</th>
              <th>{t("household.joinedOn")}</th>
              <th>{t("household.leftOnColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {current.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{t(`relation.${m.relation}`)}</td>
                <td className="mono">{m.idNumber}</td>
                <td>{t(`sex.${m.sex}`)}</td>
                <td>{m.birthDate}</td>
                <td>{m.ableToWork ? t("common.yes") : t("common.no")}</td>
                <td className="mono">{m.phone}</td>
                <td>{m.joinedOn ?? <span className="muted">{t("household.joinedOnUnknown")}</span>}</td>
                <td></td>
              </tr>
            ))}
            {former.map((m) => (
              <tr key={m.id} className="muted">
                <td>
                  <s>{m.name}</s>
                </td>
                <td>{t(`relation.${m.relation}`)}</td>
                <td className="mono">{m.idNumber}</td>
                <td>{t(`sex.${m.sex}`)}</td>
                <td>{m.birthDate}</td>
                <td colSpan={2}>{t("household.leftOn", { date: m.leftOn ?? "" })}</td>
                <td>{m.joinedOn ?? <span className="muted">{t("household.joinedOnUnknown")}</span>}</td>
                <td>{m.leftOn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="page-head" id="plots">
        <h2>{t("plots.title")}</h2>
        {h.manages ? (
          <Link to="plots/new" className="button secondary">
            {t("plots.add")}
          </Link>
        ) : null}
      </div>
      {plots.length === 0 ? (
        <p className="empty">{t("plots.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="plots-table">
            <thead>
              <tr>
                <th>{t("plots.parcelCode")}</th>
                <th>{t("plots.name")}</th>
                <th>{t("plots.category")}</th>
                <th className="num">{t("plots.contractArea")}</th>
                <th>{t("plots.basicFarmland")}</th>
                <th>{t("plots.contractEnd")}</th>
                <th>{t("plots.transferred")}</th>
              </tr>
            </thead>
            <tbody>
              {plots.map((p) => (
                <tr key={p.id}>
                  <td className="mono">{p.parcelCode}</td>
                  <td>
                    {p.name}
                    <div className="muted small">
                      {t("plots.east")} {p.east} · {t("plots.south")} {p.south} · {t("plots.west")} {p.west} · {t("plots.north")} {p.north}
                    </div>
                  </td>
                  <td>{t(`pcat.${p.category}`)}</td>
                  <td className="num">{p.contractArea}</td>
                  <td>{p.basicFarmland ? t("common.yes") : t("common.no")}</td>
                  <td>{p.contractEnd}</td>
                  <td>
                    {p.contractLines.map((l) => (
                      <div key={l.contract.id}>
                        <Link to={`/contracts/${l.contract.id}`}>{l.contract.contractNo ?? l.contract.draftNo}</Link> {t("contracts.areaMu", { area: l.area })}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("household.statusHistory")}</h2>
      <table className="data" data-testid="status-history">
        <thead>
          <tr>
            <th>{t("household.effectiveOn")}</th>
            <th>{t("households.status")}</th>
            <th>{t("household.statusYear")}</th>
            <th>{t("monitoring.category")}</th>
            <th>{t("monitoring.riskTypes")}</th>
            <th>{t("household.statusReason")}</th>
            <th>{t("household.recordedAt")}</th>
          </tr>
        </thead>
        <tbody>
          {h.statusChanges.map((c) => (
            <tr key={c.id}>
              <td>{c.effectiveOn}</td>
              <td>{t(`status.${c.status}`)}</td>
              <td>{c.year ?? ""}</td>
              <td>{categoryKey(c.monitoringCategory) ? t(categoryKey(c.monitoringCategory)!) : ""}</td>
              <td>{parseRiskTypes(c.riskTypes).map((r) => t(`monitoring.risk.${r}`)).join("、")}</td>
              <td>{c.reason}</td>
              <td>{c.recordedAt}</td>
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
