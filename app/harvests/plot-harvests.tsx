/**
 * The harvest section of an orchard plot's page: yield per mu by year, the
 * latest records, and the button to record one when the user may.
 */
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import type { FigureDto } from "./harvests.server";
import { recordsHref } from "./links";

export interface PlotHarvestsData {
  years: FigureDto[];
  recent: {
    id: number;
    harvestedOn: string;
    crop: string;
    variety: string;
    quantityKg: string;
    enteredQuantity: string;
    enteredUnit: string;
    grade: string;
    price: string;
    priceUnit: string;
    sales: string;
    buyer: string;
  }[];
  canWrite: boolean;
}

export function PlotHarvests({ plot, harvests }: { plot: { id: number; status: string; areaMu: string }; harvests: PlotHarvestsData }) {
  const t = useT();
  const filter = { plot: String(plot.id) };
  return (
    <section data-testid="plot-harvests">
      <div className="page-head">
        <h2 id="harvests">{t("plots.detail.harvests")}</h2>
        <span className="actions">
          {harvests.years.length ? <Link to={recordsHref(filter)}>{t("harvest.plot.allRecords")}</Link> : null}
          {harvests.canWrite && plot.status !== "REMOVED" ? (
            <Link to={`/harvests/new?plotId=${plot.id}`} className="button">
              {t("harvest.plot.record")}
            </Link>
          ) : null}
        </span>
      </div>
      {harvests.years.length === 0 ? (
        <p className="muted">{t("plots.detail.noHarvests")}</p>
      ) : (
        <>
          <h3>{t("harvest.plot.byYear")}</h3>
          <div className="table-wrap">
            <table className="data" data-testid="plot-yield">
              <thead>
                <tr>
                  <th>{t("harvest.col.year")}</th>
                  <th className="num">{t("harvest.col.records")}</th>
                  <th className="num">{t("harvest.col.kg")}</th>
                  <th className="num">{t("harvest.col.kgPerMu")}</th>
                  <th className="num">{t("harvest.col.jinPerMu")}</th>
                  <th className="num">{t("harvest.col.change")}</th>
                  <th className="num">{t("harvest.col.sales")}</th>
                </tr>
              </thead>
              <tbody>
                {harvests.years.map((y) => (
                  <tr key={y.year}>
                    <td>
                      <Link to={recordsHref(filter, y.year)}>{y.year}</Link>
                    </td>
                    <td className="num">{y.records}</td>
                    <td className="num">{y.kg}</td>
                    <td className="num">{y.kgPerMu ?? "—"}</td>
                    <td className="num">{y.jinPerMu ?? "—"}</td>
                    <td className="num">{y.change === null ? "—" : t("harvest.percent", { value: y.change })}</td>
                    <td className="num">{y.sales}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">{t("harvest.plot.areaNote", { area: plot.areaMu })}</p>
          <h3>{t("harvest.plot.recent")}</h3>
          <div className="table-wrap">
            <table className="data" data-testid="plot-harvest-records">
              <thead>
                <tr>
                  <th>{t("harvest.col.date")}</th>
                  <th>{t("harvest.col.variety")}</th>
                  <th className="num">{t("harvest.col.entered")}</th>
                  <th className="num">{t("harvest.col.kg")}</th>
                  <th>{t("harvest.col.grade")}</th>
                  <th className="num">{t("harvest.col.price")}</th>
                  <th className="num">{t("harvest.col.sales")}</th>
                  <th>{t("harvest.col.buyer")}</th>
                </tr>
              </thead>
              <tbody>
                {harvests.recent.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">{r.harvestedOn}</td>
                    <td>{r.variety || t(`plots.crop.${r.crop}`)}</td>
                    <td className="num nowrap">
                      {r.enteredQuantity} {t(`harvest.unit.${r.enteredUnit}`)}
                    </td>
                    <td className="num">{r.quantityKg}</td>
                    <td>{r.grade ? t(`harvest.grade.${r.grade}`) : ""}</td>
                    <td className="num nowrap">{r.price ? `${r.price} ${t(`harvest.priceUnit.${r.priceUnit}`)}` : ""}</td>
                    <td className="num">{r.sales}</td>
                    <td>{r.buyer}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
