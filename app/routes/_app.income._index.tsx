import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CompositionChart, DistributionChart } from "~/income/charts";
import { auditPlaceOf, auditYear, townshipAudit } from "~/income/audit.server";
import { YearPicker, LineNote } from "~/income/page-parts";
import { currentYear } from "~/lib/dates";
import { forbidden } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-view");
  const place = await auditPlaceOf(user);
  if (!place) forbidden();
  const year = auditYear(new URL(request.url).searchParams.get("year"));
  const a = await townshipAudit(place, year);
  return {
    year,
    asOf: a.asOf,
    townshipName: a.townshipName,
    line: a.line ? { amountFen: a.line.amountFen, source: a.line.source, sourceUrl: a.line.sourceUrl } : null,
    summary: a.summary,
    totals: a.whole.totals,
    distribution: a.whole.distribution,
    oneVillage: place.villageId != null,
    currentYear: currentYear(),
  };
}

export default function IncomeAudit() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const rows = d.summary.villages;
  return (
    <>
      <div className="page-head">
        <h1>{t("incomeAudit.title", { place: d.townshipName, year: d.year })}</h1>
        <YearPicker year={d.year} last={d.currentYear} />
      </div>
      <LineNote line={d.line} year={d.year} />
      <p className="muted">{t("incomeAudit.readOnly", { date: d.asOf })}</p>
      <div className="table-wrap">
        <table className="data" data-testid="audit-villages">
          <thead>
            <tr>
              <th>{t("incomeAudit.village")}</th>
              <th className="num">{t("incomeAudit.households")}</th>
              <th className="num">{t("status.ALLEVIATED")}</th>
              <th className="num">{t("status.MONITORED")}</th>
              <th className="num">{t("incomeAudit.memberYears")}</th>
              <th className="num">{t("incomeAudit.medianPerCapita")}</th>
              <th className="num">{t("incomeAudit.below")}</th>
              <th className="num">{t("incomeAudit.near")}</th>
              <th className="num">{t("incomeAudit.fell")}</th>
              <th className="num">{t("incomeAudit.review")}</th>
              <th className="num">{t("incomeAudit.arrearsOwed")}</th>
              <th className="num">{t("incomeAudit.unpaidOwed")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.villageId}>
                <td>
                  <Link to={`/income/villages/${r.villageId}?year=${d.year}`}>{r.villageName}</Link>
                </td>
                <td className="num">{r.households}</td>
                <td className="num">{r.byStatus.ALLEVIATED}</td>
                <td className="num">{r.byStatus.MONITORED}</td>
                <td className="num">{r.memberYears}</td>
                <td className="num">{r.medianFen == null ? "—" : formatYuan(r.medianFen)}</td>
                <td className="num">{r.below}</td>
                <td className="num">{r.near}</td>
                <td className="num">{r.fell}</td>
                <td className="num" data-testid={`review-count-${r.villageId}`}>{r.review}</td>
                <td className="num">{formatYuan(r.arrearsFen)}</td>
                <td className="num">{formatYuan(r.unpaidDividendFen)}</td>
              </tr>
            ))}
          </tbody>
          {d.oneVillage ? null : (
            <tfoot>
              <tr>
                <th>{t("incomeAudit.total")}</th>
                <td className="num">{d.summary.totals.households}</td>
                <td className="num">{d.summary.totals.byStatus.ALLEVIATED}</td>
                <td className="num">{d.summary.totals.byStatus.MONITORED}</td>
                <td className="num">{d.summary.totals.memberYears}</td>
                <td className="num">{d.summary.totals.medianFen == null ? "—" : formatYuan(d.summary.totals.medianFen)}</td>
                <td className="num">{d.summary.totals.below}</td>
                <td className="num">{d.summary.totals.near}</td>
                <td className="num">{d.summary.totals.fell}</td>
                <td className="num">{d.summary.totals.review}</td>
                <td className="num">{formatYuan(d.summary.totals.arrearsFen)}</td>
                <td className="num">{formatYuan(d.summary.totals.unpaidDividendFen)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      <p className="muted small">{t("incomeAudit.explainColumns")}</p>
      <section className="grid">
        <div>
          <h2>{t("incomeAudit.composition")}</h2>
          <CompositionChart totals={d.totals} />
        </div>
        <div>
          <h2>{t("incomeAudit.distribution")}</h2>
          <DistributionChart buckets={d.distribution} lineFen={d.line?.amountFen ?? null} />
        </div>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
