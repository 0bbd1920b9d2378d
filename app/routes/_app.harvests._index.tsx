import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { hasPermission } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { today } from "~/lib/dates";
import { harvestYears, yieldReport, type FigureDto, type ReportRow } from "~/harvests/harvests.server";
import { parseReportBy, recordsHref } from "~/harvests/links";
import { REPORT_BY } from "~/harvests/yield-report";
import { useT } from "~/i18n/use-t";

// A township has thousands of plots: the by-plot view is paged, the totals are not.
const ROWS_PER_PAGE = 200;

/** The yield report of the user's scope for a year, by plot, by variety or by cooperative. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const params = new URL(request.url).searchParams;
  const thisYear = Number(today().slice(0, 4));
  const known = await harvestYears(user.scope);
  const asked = Number(params.get("year"));
  // The latest year with harvests unless another is asked for.
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : (known[0] ?? thisYear);
  const by = parseReportBy(params.get("by"));
  const report = await yieldReport(user.scope, year, by);
  const pages = Math.max(1, Math.ceil(report.rows.length / ROWS_PER_PAGE));
  const page = Math.min(pages, Math.max(1, Number(params.get("page")) || 1));
  return {
    scopeName: user.scopeName,
    year,
    by,
    years: [...new Set([thisYear, ...known, year])].sort((a, b) => b - a),
    reportYears: report.years,
    rows: report.rows.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE),
    rowCount: report.rows.length,
    totals: report.totals,
    page,
    pages,
    canRecord: hasPermission(user.role, "write:harvest"),
  };
}

export default function YieldReport() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const rowLabel = (r: ReportRow) => {
    if (d.by === "plot" && r.plot) {
      return (
        <>
          <td className="mono nowrap">
            <Link to={`/plots/${r.plot.id}#harvests`}>{r.plot.code}</Link>
            {r.plot.name ? <div className="small muted">{r.plot.name}</div> : null}
          </td>
          <td className="hide-narrow nowrap">{r.plot.villageName}</td>
          <td className="nowrap">
            {r.plot.crop ? t(`plots.crop.${r.plot.crop}`) : ""} {r.plot.variety}
          </td>
        </>
      );
    }
    if (d.by === "variety") {
      return (
        <>
          <td className="nowrap">{t(`plots.crop.${r.crop}`)}</td>
          <td className="nowrap">{r.variety || t("harvest.variety.none")}</td>
        </>
      );
    }
    // Cooperative names are long: keep them readable rather than one character a line.
    return <td style={{ minWidth: "12rem" }}>{r.cooperative ? <Link to={`/cooperatives/${r.cooperative.id}`}>{r.cooperative.name}</Link> : t("harvest.report.noCooperative")}</td>;
  };
  const labelHeads =
    d.by === "plot" ? (
      <>
        <th rowSpan={2}>{t("harvest.col.plot")}</th>
        <th rowSpan={2} className="hide-narrow">
          {t("harvest.col.village")}
        </th>
        <th rowSpan={2}>{t("harvest.col.variety")}</th>
      </>
    ) : d.by === "variety" ? (
      <>
        <th rowSpan={2}>{t("harvest.col.crop")}</th>
        <th rowSpan={2}>{t("harvest.col.variety")}</th>
      </>
    ) : (
      <th rowSpan={2}>{t("harvest.col.cooperative")}</th>
    );
  const labelSpan = d.by === "plot" ? 3 : d.by === "variety" ? 2 : 1;
  const figures = (f: FigureDto, filter: Record<string, string>, current: boolean) => {
    const href = recordsHref(filter, f.year);
    if (f.records === 0) {
      return (
        <>
          <td className="num muted">—</td>
          <td className="num muted">—</td>
          <td className="num muted">—</td>
          <td className="num muted">—</td>
          {current ? <td className="num muted">—</td> : null}
        </>
      );
    }
    return (
      <>
        <td className="num">
          <Link to={href} title={t("harvest.report.recordsLink", { count: f.records })}>
            {f.kg}
          </Link>
        </td>
        <td className="num">{f.areaMu}</td>
        <td className="num">
          <strong>{f.kgPerMu}</strong>
          <div className="small muted nowrap">{t("harvest.jinPerMu", { jin: f.jinPerMu ?? "" })}</div>
        </td>
        <td className="num">
          <Link to={href}>{f.sales}</Link>
        </td>
        {current ? <td className="num">{f.change === null ? "—" : t("harvest.percent", { value: f.change })}</td> : null}
      </>
    );
  };
  return (
    <>
      <div className="page-head">
        <h1>
          {t("harvest.report.title")} · {d.scopeName}
        </h1>
        <span className="actions">
          {d.canRecord ? (
            <Link to="/harvests/new" className="button">
              {t("harvest.plot.record")}
            </Link>
          ) : null}
          <a className="button secondary" href={`/resources/harvests.xlsx?year=${d.year}`} download>
            {t("harvest.report.xlsx")}
          </a>
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t("harvest.report.print")}
          </button>
        </span>
      </div>
      <Form method="get" className="filters">
        <input type="hidden" name="by" value={d.by} />
        <label htmlFor="report-year">{t("harvest.report.year")}</label>
        <select id="report-year" name="year" defaultValue={d.year}>
          {d.years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t("harvest.report.show")}
        </button>
      </Form>
      <nav className="filters" aria-label={t("harvest.report.title")} data-testid="report-tabs">
        {REPORT_BY.map((b) =>
          b === d.by ? (
            <strong key={b} aria-current="page" className="badge">
              {t(`harvest.report.by.${b}`)}
            </strong>
          ) : (
            <Link key={b} to={`?year=${d.year}&by=${b}`} className="badge">
              {t(`harvest.report.by.${b}`)}
            </Link>
          ),
        )}
      </nav>
      <p data-testid="report-caption">
        <strong>
          {t("harvest.records.year", { year: d.year })} · {t(`harvest.report.by.${d.by}`)}
        </strong>
      </p>
      <p className="muted small">{t("harvest.report.help")}</p>
      {d.rowCount === 0 ? (
        <p className="empty">{t("harvest.report.none", { year: d.year })}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="yield-report">
            <thead>
              <tr>
                {labelHeads}
                {d.reportYears.map((y, i) => (
                  <th key={y} colSpan={i === 0 ? 5 : 4} style={{ textAlign: "center" }}>
                    {t("harvest.report.yearHead", { year: y })}
                  </th>
                ))}
              </tr>
              <tr>
                {d.reportYears.map((y, i) => (
                  <FigureHeads key={y} current={i === 0} />
                ))}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.key}>
                  {rowLabel(r)}
                  {r.years.map((f, i) => (
                    <Fragment key={f.year}>{figures(f, r.filter, i === 0)}</Fragment>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="report-totals">
                <th colSpan={labelSpan}>{t("harvest.report.totals")}</th>
                {d.totals.map((f, i) => (
                  <Fragment key={f.year}>{figures(f, {}, i === 0)}</Fragment>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <Pager page={d.page} pages={d.pages} />
    </>
  );
}

function FigureHeads({ current }: { current: boolean }) {
  const t = useT();
  return (
    <>
      <th className="num">{t("harvest.col.kg")}</th>
      <th className="num">{t("harvest.col.area")}</th>
      <th className="num">{t("harvest.col.kgPerMu")}</th>
      <th className="num">{t("harvest.col.sales")}</th>
      {current ? <th className="num">{t("harvest.col.change")}</th> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
