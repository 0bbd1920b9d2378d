import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ledgerRows } from "~/contracts/rent.server";
import { useT } from "~/i18n/use-t";
import { Pager } from "~/components/pager";
import { positiveInt } from "~/lib/list-params";

/** Rows per screen: a township's ledger runs to hundreds of households (the Excel download has them all). */
const LEDGER_PAGE_SIZE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const all = await ledgerRows(user.scope);
  const pages = Math.max(1, Math.ceil(all.length / LEDGER_PAGE_SIZE));
  const page = Math.min(positiveInt(new URL(request.url).searchParams.get("page")) ?? 1, pages);
  return { rows: all.slice((page - 1) * LEDGER_PAGE_SIZE, page * LEDGER_PAGE_SIZE), page, pages, scopeName: user.scopeName };
}

export default function Ledger() {
  const t = useT();
  const { rows, page, pages, scopeName } = useLoaderData<typeof loader>();
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
                  <td className="mono wrap">{r.contractNo}</td>
                  <td className="wrap">{r.villageGroup}</td>
                  <td>{r.householdHead}</td>
                  <td className="mono">{r.idNumberMasked}</td>
                  <td className="mono small codes">{r.parcelCodes.join(" ")}</td>
                  <td className="num">{r.areaMu}</td>
                  <td className="name">{r.transferee}</td>
                  <td>{t(`cform.${r.form}`)}</td>
                  <td>{t(`cuse.${r.use}`)}</td>
                  <td className="nowrap">{r.startDate}</td>
                  <td className="nowrap">{r.endDate}</td>
                  <td className="wrap">
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
      <Pager page={page} pages={pages} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
