import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ledgerRows } from "~/contracts/rent.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  return { rows: await ledgerRows(user.scope), scopeName: user.scopeName };
}

export default function Ledger() {
  const t = useT();
  const { rows, scopeName } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>
          {t("ledger.title")} · {scopeName}
        </h1>
        <p>
          <a className="button secondary" href="/resources/contracts/ledger.xlsx" download>
            {t("contracts.xlsx")}
          </a>{" "}
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t("contracts.print")}
          </button>
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="empty">{t("contracts.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data ledger" data-testid="ledger">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("contracts.no")}</th>
                <th>{t("contracts.village")}</th>
                <th>{t("households.head")}</th>
                <th>{t("household.idNumber")}</th>
                <th>{t("plots.parcelCode")}</th>
                <th className="num">{t("contracts.area")}</th>
                <th>{t("contracts.transferee")}</th>
                <th>{t("contracts.form")}</th>
                <th>{t("contracts.use")}</th>
                <th>{t("contract.startDate")}</th>
                <th>{t("contract.endDate")}</th>
                <th>{t("ledger.rentStandard")}</th>
                <th className="num">{t("contracts.annualRent")}</th>
                <th>{t("contract.filedDate")}</th>
                <th>{t("contracts.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.no}>
                  <td>{r.no}</td>
                  <td className="mono">{r.contractNo}</td>
                  <td>{r.villageGroup}</td>
                  <td>{r.householdHead}</td>
                  <td className="mono">{r.idNumberMasked}</td>
                  <td className="mono small">{r.parcelCodes.join(" ")}</td>
                  <td className="num">{r.areaMu}</td>
                  <td>{r.transferee}</td>
                  <td>{t(`cform.${r.form}`)}</td>
                  <td>{t(`cuse.${r.use}`)}</td>
                  <td className="nowrap">{r.startDate}</td>
                  <td className="nowrap">{r.endDate}</td>
                  <td>
                    {r.rentStandard.kind === "EQUITY"
                      ? t("contract.equityRent")
                      : r.rentStandard.kind === "CASH"
                        ? `${r.rentStandard.yuanPerMu} ${t("unit.yuanPerMu")}`
                        : `${t(`crop.${r.rentStandard.crop}`)} ${r.rentStandard.jinPerMu} ${t("unit.jinPerMu")}`}
                  </td>
                  <td className="num">{r.annualRentYuan ?? ""}</td>
                  <td className="nowrap">{r.filedDate ?? ""}</td>
                  <td>{t(`cstatus.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
