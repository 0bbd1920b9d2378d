import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { auditYear, villageAudit } from "~/income/audit.server";
import { CompositionChart, DistributionChart, TrendChart } from "~/income/charts";
import { LineNote, OffYearNotes, YearPicker } from "~/income/page-parts";
import { currentYear } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-view");
  const year = auditYear(new URL(request.url).searchParams.get("year"));
  const v = await villageAudit(user, idParam(params.villageId), year);
  if (!v) notFound();
  return {
    village: v.village,
    year,
    asOf: v.asOf,
    line: v.line ? { amountFen: v.line.amountFen, source: v.line.source, sourceUrl: v.line.sourceUrl } : null,
    audit: v.audit,
    trend: v.trend,
    currentYear: currentYear(),
  };
}

const CATS = ["WAGE", "OPERATING", "PROPERTY", "TRANSFER"] as const;

export default function VillageAudit() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = d.audit;
  const hh = (id: number, label: string) => <Link to={`/income/households/${id}?year=${d.year}`}>{label}</Link>;
  return (
    <>
      <div className="page-head">
        <h1>{t("incomeAudit.villageTitle", { township: d.village.townshipName, village: d.village.name, year: d.year })}</h1>
        <YearPicker year={d.year} last={d.currentYear} />
      </div>
      <p className="actions">
        <Link to={`/income?year=${d.year}`}>{t("incomeAudit.backToTownship")}</Link>
        <a className="button" href={`/resources/income/villages/${d.village.id}/report.pdf?year=${d.year}`} data-testid="audit-pdf">
          {t("incomeAudit.reportPdf")}
        </a>
        <a className="button secondary" href={`/resources/income/villages/${d.village.id}/audit.xlsx?year=${d.year}`} data-testid="audit-xlsx">
          {t("incomeAudit.workbook")}
        </a>
      </p>
      <LineNote line={d.line} year={d.year} />
      <section className="cards" data-testid="audit-cards">
        <div className="card">
          <span>{t("incomeAudit.households")}</span>
          <strong>{a.households}</strong>
          <small>
            {t("status.ALLEVIATED")} {a.byStatus.ALLEVIATED} · {t("status.MONITORED")} {a.byStatus.MONITORED} · {t("status.ORDINARY")} {a.byStatus.ORDINARY}
          </small>
        </div>
        <div className="card">
          <span>{t("incomeAudit.medianPerCapita")}</span>
          <strong>{a.perCapita.medianFen == null ? "—" : formatYuan(a.perCapita.medianFen)}</strong>
          <small>{t("incomeAudit.memberYearsOf", { n: a.memberYears })}</small>
        </div>
        <div className="card">
          <span>{t("incomeAudit.belowOrNear")}</span>
          <strong data-testid="flagged-count">{a.flagged.length}</strong>
          <small>
            {t("incomeAudit.below")} {a.counts.below} · {t("incomeAudit.near")} {a.counts.near}
          </small>
        </div>
        <div className="card">
          <span>{t("incomeAudit.reviewCard")}</span>
          <strong data-testid="review-count">{a.counts.review}</strong>
          <small>{t("incomeAudit.reviewCardNote")}</small>
        </div>
        <div className="card">
          <span>{t("incomeAudit.owedToFlagged")}</span>
          <strong>{formatYuan(a.owedTotals.arrearsFen + a.owedTotals.unpaidDividendFen)}</strong>
          <small>
            {t("incomeAudit.arrearsOwed")} {formatYuan(a.owedTotals.arrearsFen)} · {t("incomeAudit.unpaidOwed")} {formatYuan(a.owedTotals.unpaidDividendFen)}
          </small>
        </div>
      </section>

      <h2>{t("incomeAudit.flaggedTitle")}</h2>
      <p className="muted small">{t("incomeAudit.flaggedExplain")}</p>
      {a.flagged.length === 0 ? (
        <p className="empty">{d.line ? t("incomeAudit.noneFlagged") : t("incomeAudit.noLineNoFlags")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="flagged-table">
            <thead>
              <tr>
                <th>{t("incomeAudit.code")}</th>
                <th>{t("incomeAudit.head")}</th>
                <th>{t("incomeAudit.status")}</th>
                <th className="num">{t("incomeAudit.memberYears")}</th>
                <th className="num">{t("incomeAudit.totalIncome")}</th>
                <th className="num">{t("incomeAudit.perCapita")}</th>
                <th className="num">{t("incomeAudit.ofLine")}</th>
                <th>{t("incomeAudit.flag")}</th>
              </tr>
            </thead>
            <tbody>
              {a.flagged.map((r) => (
                <tr key={r.id}>
                  <td className="mono">{hh(r.id, r.code)}</td>
                  <td>{hh(r.id, r.headName)}</td>
                  <td>
                    <span className={`badge status-${r.status}`}>{t(`status.${r.status}`)}</span> {r.statusYear ?? ""}
                  </td>
                  <td className="num">{r.memberYears}</td>
                  <td className="num">{formatYuan(r.totalFen)}</td>
                  <td className="num">{r.perCapitaFen == null ? "—" : formatYuan(r.perCapitaFen)}</td>
                  <td className="num">{r.percentOfLine == null ? "—" : `${r.percentOfLine}%`}</td>
                  <td>
                    {r.flag ? t(`income.flag.${r.flag}`) : ""}
                    <OffYearNotes notes={r.offYear} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {a.review.length > 0 ? (
        <>
          <h2>{t("incomeAudit.reviewTitle")}</h2>
          <p className="muted small">{t("incomeAudit.reviewExplain", { median: a.perCapita.medianFen == null ? "—" : formatYuan(a.perCapita.medianFen) })}</p>
          <div className="table-wrap">
            <table className="data" data-testid="review-table">
              <thead>
                <tr>
                  <th>{t("incomeAudit.code")}</th>
                  <th>{t("incomeAudit.head")}</th>
                  <th>{t("incomeAudit.status")}</th>
                  <th className="num">{t("incomeAudit.memberYears")}</th>
                  <th className="num">{t("incomeAudit.totalIncome")}</th>
                  <th className="num">{t("incomeAudit.perCapita")}</th>
                  <th>{t("incomeAudit.reviewWhy")}</th>
                </tr>
              </thead>
              <tbody>
                {a.review.map((r) => (
                  <tr key={r.id}>
                    <td className="mono">{hh(r.id, r.code)}</td>
                    <td>{hh(r.id, r.headName)}</td>
                    <td>{t(`status.${r.status}`)}</td>
                    <td className="num">{r.memberYears}</td>
                    <td className="num">{formatYuan(r.totalFen)}</td>
                    <td className="num">{r.perCapitaFen == null ? "—" : formatYuan(r.perCapitaFen)}</td>
                    <td>{r.review ? t(`income.review.${r.review}`) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <h2>{t("incomeAudit.fellTitle")}</h2>
      {a.fell.length === 0 ? (
        <p className="empty">{t("incomeAudit.noneFell")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="fell-table">
            <thead>
              <tr>
                <th>{t("incomeAudit.code")}</th>
                <th>{t("incomeAudit.head")}</th>
                <th>{t("incomeAudit.status")}</th>
                <th className="num">{t("incomeAudit.previousTotal")}</th>
                <th className="num">{t("incomeAudit.totalIncome")}</th>
                <th className="num">{t("incomeAudit.change")}</th>
                <th>{t("incomeAudit.cause")}</th>
              </tr>
            </thead>
            <tbody>
              {a.fell.map((r) => (
                <tr key={r.id}>
                  <td className="mono">{hh(r.id, r.code)}</td>
                  <td>{hh(r.id, r.headName)}</td>
                  <td>{t(`status.${r.status}`)}</td>
                  <td className="num">{r.previousTotalFen == null ? "—" : formatYuan(r.previousTotalFen)}</td>
                  <td className="num">{formatYuan(r.totalFen)}</td>
                  <td className="num">{r.changePercent}%</td>
                  <td>
                    <OffYearNotes notes={r.offYear} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("incomeAudit.owedTitle")}</h2>
      {a.owed.length === 0 ? (
        <p className="empty">{t("incomeAudit.noneOwed")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="owed-table">
            <thead>
              <tr>
                <th>{t("incomeAudit.code")}</th>
                <th>{t("incomeAudit.head")}</th>
                <th>{t("incomeAudit.status")}</th>
                <th className="num">{t("incomeAudit.arrearsOwed")}</th>
                <th className="num">{t("incomeAudit.unpaidOwed")}</th>
              </tr>
            </thead>
            <tbody>
              {a.owed.map((r) => (
                <tr key={r.id}>
                  <td className="mono">{hh(r.id, r.code)}</td>
                  <td>{hh(r.id, r.headName)}</td>
                  <td>{t(`status.${r.status}`)}</td>
                  <td className="num">{formatYuan(r.arrearsFen)}</td>
                  <td className="num">{formatYuan(r.unpaidDividendFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section className="grid">
        <div>
          <h2>{t("incomeAudit.composition")}</h2>
          <CompositionChart totals={a.totals} />
          <table className="data small">
            <tbody>
              {CATS.map((c) => (
                <tr key={c}>
                  <th>{t(`income.category.${c}`)}</th>
                  <td className="num">{formatYuan(a.totals[c])}</td>
                </tr>
              ))}
              <tr>
                <th>{t("incomeAudit.total")}</th>
                <td className="num">{formatYuan(a.totals.total)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <div>
          <h2>{t("incomeAudit.distribution")}</h2>
          <DistributionChart buckets={a.distribution} lineFen={d.line?.amountFen ?? null} />
        </div>
      </section>
      <h2>{t("incomeAudit.trend")}</h2>
      <TrendChart points={d.trend} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
