/**
 * The yield report as an Excel workbook: one sheet per view (by plot, by
 * variety, by cooperative), each row with the chosen year and the two
 * before it, and the scope's totals at the foot. Headers follow the user's
 * language; figures are the report's own strings, so the file matches the
 * page to the hundredth.
 */
import type { Translate } from "~/lib/i18n";
import { writeXlsx, type XlsxColumn, type XlsxSheet } from "~/lib/xlsx.server";
import type { FigureDto, ReportRow, YieldReport } from "./harvests.server";
import type { ReportBy } from "./yield-report";

type Row = { label: string[]; years: FigureDto[] };

function labelColumns(by: ReportBy, t: Translate): XlsxColumn<Row>[] {
  const text = (header: string, i: number, width: number): XlsxColumn<Row> => ({ header, type: "text", value: (r) => r.label[i] ?? "", width });
  if (by === "plot") return [text(t("harvest.col.plot"), 0, 22), text(t("harvest.col.village"), 1, 10), text(t("harvest.col.crop"), 2, 6), text(t("harvest.col.variety"), 3, 10)];
  if (by === "variety") return [text(t("harvest.col.crop"), 0, 8), text(t("harvest.col.variety"), 1, 14)];
  return [text(t("harvest.col.cooperative"), 0, 28)];
}

function figureColumns(years: number[], t: Translate): XlsxColumn<Row>[] {
  return years.flatMap((year, i): XlsxColumn<Row>[] => {
    const f = (r: Row) => r.years[i]!;
    const empty = (r: Row) => f(r).records === 0;
    return [
      { header: t("harvest.xlsx.records", { year }), type: "integer", value: (r) => f(r).records, width: 8 },
      { header: t("harvest.xlsx.kg", { year }), type: "decimal", value: (r) => (empty(r) ? null : f(r).kg), width: 12 },
      { header: t("harvest.xlsx.area", { year }), type: "decimal", value: (r) => (empty(r) ? null : f(r).areaMu), width: 10 },
      { header: t("harvest.xlsx.kgPerMu", { year }), type: "decimal", value: (r) => f(r).kgPerMu, width: 11 },
      { header: t("harvest.xlsx.jinPerMu", { year }), type: "decimal", value: (r) => f(r).jinPerMu, width: 11 },
      { header: t("harvest.xlsx.sales", { year }), type: "money", value: (r) => (empty(r) ? null : f(r).sales), width: 13 },
      ...(i < years.length - 1 ? [{ header: t("harvest.xlsx.change", { year }), type: "decimal" as const, places: 1, value: (r: Row) => f(r).change, width: 10 }] : []),
    ];
  });
}

function label(by: ReportBy, r: ReportRow, t: Translate): string[] {
  if (by === "plot") return [`${r.plot?.code ?? ""} ${r.plot?.name ?? ""}`.trim(), r.plot?.villageName ?? "", r.plot?.crop ? t(`plots.crop.${r.plot.crop}`) : "", r.plot?.variety ?? ""];
  if (by === "variety") return [t(`plots.crop.${r.crop}`), r.variety || t("harvest.variety.none")];
  return [r.cooperative ? r.cooperative.name : t("harvest.report.noCooperative")];
}

/** One sheet per report; the totals row comes from the report (areas count each plot once, so they are not column sums). */
export async function writeYieldXlsx(reports: YieldReport[], meta: { scopeName: string; generatedAt: string; t: Translate }): Promise<Buffer<ArrayBuffer>> {
  const { t } = meta;
  const sheets: XlsxSheet<Row>[] = reports.map((report) => {
    const labels = labelColumns(report.by, t);
    const totals: Row = { label: [t("harvest.report.totals")], years: report.totals };
    return {
      name: t(`harvest.report.by.${report.by}`),
      title: t("harvest.xlsx.title", { scope: meta.scopeName, year: report.year, by: t(`harvest.report.by.${report.by}`) }).trim(),
      subtitle: t("harvest.xlsx.subtitle", { date: meta.generatedAt }),
      columns: [...labels, ...figureColumns(report.years, t)],
      rows: [...report.rows.map((r) => ({ label: label(report.by, r, t), years: r.years })), totals],
    };
  });
  return writeXlsx(sheets);
}
