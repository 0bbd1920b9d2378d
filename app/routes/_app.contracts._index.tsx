import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { can, ownPlace } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { downloadQuery } from "~/lib/list-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { FORMS } from "~/contracts/contract-form";
import { listContracts } from "~/contracts/contracts.server";
import { today } from "~/lib/dates";
import { effectiveStatus } from "~/contracts/status";
import { useT } from "~/i18n/use-t";

const STATUSES = ["DRAFT", "SIGNED", "FILED", "ACTIVE", "EXPIRED", "TERMINATED", "RENEWED", "SUPERSEDED"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const url = new URL(request.url);
  const status = url.searchParams.get("status") ?? "";
  const form = url.searchParams.get("form") ?? "";
  const list = await listContracts(user.scope, {
    status: (STATUSES as readonly string[]).includes(status) ? status : undefined,
    form: (FORMS as readonly string[]).includes(form) ? form : undefined,
    q: (url.searchParams.get("q") ?? "").trim().slice(0, 40) || undefined,
    endingWithinDays: url.searchParams.get("ending") === "90" ? 90 : undefined,
    page: Number(url.searchParams.get("page")) || 1,
  });
  const asOf = today();
  return { ...list, rows: list.rows.map((r) => ({ ...r, status: effectiveStatus(r, asOf) })), canCreate: can(user, "write:contract", ownPlace(user.scope)) };
}

export default function Contracts() {
  const t = useT();
  const { rows, total, page, pages, canCreate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>{t("contracts.title")}</h1>
        <p>
          {canCreate ? (
            <Link to="/contracts/new" className="button">
              {t("contracts.new")}
            </Link>
          ) : null}{" "}
          <Link to="/contracts/arrears">{t("contracts.arrears")}</Link> · <Link to="/contracts/ledger">{t("contracts.ledger")}</Link> ·{" "}
          <Link to="/contracts/summary">{t("contracts.summary")}</Link> · <Link to="/contracts?ending=90">{t("contracts.endingSoon")}</Link> ·{" "}
          <Link to="/contracts/prices">{t("prices.title")}</Link>
        </p>
      </div>
      <Form method="get" className="filters" role="search">
        <input type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder={`${t("contracts.no")} / ${t("contracts.transferee")} / ${t("households.head")}`} className="grow" aria-label={t("contracts.filter")} />
        <select name="status" defaultValue={params.get("status") ?? ""} aria-label={t("contracts.status")}>
          <option value="">{t("contracts.anyStatus")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`cstatus.${s}`)}
            </option>
          ))}
        </select>
        <select name="form" defaultValue={params.get("form") ?? ""} aria-label={t("contracts.form")}>
          <option value="">—</option>
          {FORMS.map((f) => (
            <option key={f} value={f}>
              {t(`cform.${f}`)}
            </option>
          ))}
        </select>
        {params.get("ending") ? <input type="hidden" name="ending" value={params.get("ending")!} /> : null}
        <button type="submit">{t("contracts.filter")}</button>
      </Form>
      <p className="muted">
        {params.get("ending") ? `${t("contracts.endingSoon")} · ` : ""}
        {t("contracts.count", { count: total })}
        {total > 0 ? (
          <>
            {" · "}
            <a href={`/resources/contracts.xlsx${downloadQuery(params)}`}>
              {t("export.contracts.link")}
            </a>
          </>
        ) : null}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t("contracts.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="contract-table">
            <thead>
              <tr>
                <th>{t("contracts.no")}</th>
                <th>{t("contracts.village")}</th>
                <th>{t("contracts.transferors")}</th>
                <th>{t("contracts.transferee")}</th>
                <th className="num">{t("contracts.area")}</th>
                <th>{t("contracts.form")}</th>
                <th>{t("contracts.term")}</th>
                <th>{t("contracts.rent")}</th>
                <th>{t("contracts.status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="mono">
                    <Link to={`/contracts/${r.id}`}>{r.contractNo ?? r.draftNo}</Link>
                  </td>
                  <td>{r.villageName}</td>
                  <td>{r.transferors.join("、")}</td>
                  <td>{r.transferee}</td>
                  <td className="num">{r.area}</td>
                  <td>{t(`cform.${r.form}`)}</td>
                  <td className="nowrap">
                    {r.startDate} – {r.endDate}
                  </td>
                  <td>{r.form === "EQUITY" ? t("contract.equityRent") : r.rentKind === "CASH" ? `${r.rentPerMu} ${t("unit.yuanPerMu")}` : `${t(`crop.${r.inKindCrop}`)} ${r.inKindJinPerMu} ${t("unit.jinPerMu")}`}</td>
                  <td>
                    <span className={`badge cstatus-${r.status}`}>{t(`cstatus.${r.status}`)}</span>
                  </td>
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
