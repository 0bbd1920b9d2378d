/**
 * The audit tables of one village and year as an Excel workbook: summary,
 * flagged households, figures to review, income fell (with its cause), rent and dividends owed, distribution
 * and trend, one sheet each. Money columns are numbers with the money
 * format (exact to the fen, see ~/lib/xlsx.server), percentages numbers
 * with one decimal, household codes text. Same input and same figures as
 * the PDF report.
 */
import type { Translate } from "~/lib/i18n";
import { formatYuan } from "~/lib/money";
import { writeXlsx, type XlsxColumn, type XlsxSheet } from "~/lib/xlsx.server";
import { sharePercent, trendPerCapita, type AuditRow, type TrendRow } from "./audit";
import type { AuditReportInput } from "./audit-pdf.server";
import { auditReportTitle, offYearText } from "./audit-pdf.server";
import { CATEGORIES, ratioText, type Bucket } from "./rules";

interface SummaryRow {
  item: string;
  households?: number;
  memberYears?: string;
  amountFen?: bigint | null;
  share?: string | null;
  perCapitaFen?: bigint | null;
  note?: string;
}

function statusText(t: Translate, r: Pick<AuditRow, "status">): string {
  return t(`status.${r.status}`);
}

export async function auditWorkbook(input: AuditReportInput, t: Translate): Promise<Buffer<ArrayBuffer>> {
  const v = input.village;
  const title = auditReportTitle(input, t);
  const lineText = input.line
    ? `${t("income.report.line", { year: v.year, amount: formatYuan(input.line.amountFen) })}（${t("income.report.lineSource", { source: input.line.source })}）`
    : t("income.report.noLine", { year: v.year });
  const subtitle = `${t("income.report.place", { township: input.township, village: v.villageName, year: v.year })}　${lineText}　${t("income.report.footerLeft", { at: input.generatedAt, by: input.generatedBy })}`;

  // ── Summary
  const summary: SummaryRow[] = [
    { item: t("income.report.households"), households: v.households, memberYears: v.memberYears },
    { item: t("status.ORDINARY"), households: v.byStatus.ORDINARY },
    { item: t("status.ALLEVIATED"), households: v.byStatus.ALLEVIATED },
    { item: t("status.MONITORED"), households: v.byStatus.MONITORED },
    { item: t("income.report.noMembers"), households: v.counts.noMembers },
    ...CATEGORIES.map((k) => ({
      item: t(`income.category.${k}`),
      amountFen: v.totals[k],
      share: sharePercent(v.totals[k], v.totals.total),
      perCapitaFen: v.perCapita.byCategoryFen[k],
    })),
    { item: t("income.report.totalIncome"), amountFen: v.totals.total, share: v.totals.total > 0n ? "100.0" : null, perCapitaFen: v.perCapita.overallFen, memberYears: v.memberYears },
    { item: t("income.report.perCapitaMedian"), perCapitaFen: v.perCapita.medianFen },
    { item: t("income.report.perCapitaMin"), perCapitaFen: v.perCapita.minFen },
    { item: t("income.report.perCapitaMax"), perCapitaFen: v.perCapita.maxFen },
    { item: t("income.report.lineYuan"), perCapitaFen: input.line?.amountFen ?? v.lineFen, note: input.line ? input.line.source : t("income.report.noLine", { year: v.year }) },
    { item: t("income.report.countBelow"), households: v.counts.below },
    { item: t("income.report.countNear"), households: v.counts.near },
    { item: t("income.report.countFell"), households: v.counts.fell, note: t("income.report.fellNote") },
    { item: t("income.report.countOwed"), households: v.counts.owed },
    { item: t("income.report.countReview"), households: v.counts.review },
    { item: t("income.report.arrearsYuan"), amountFen: v.owedTotals.arrearsFen },
    { item: t("income.report.unpaidYuan"), amountFen: v.owedTotals.unpaidDividendFen },
  ];
  const summarySheet: XlsxSheet<SummaryRow> = {
    name: t("income.xlsx.summary"),
    title,
    subtitle,
    columns: [
      { header: t("income.report.item"), type: "text", value: (r) => r.item, width: 30 },
      { header: t("income.report.householdsShort"), type: "integer", value: (r) => r.households ?? null, width: 9 },
      { header: t("income.report.memberYearsShort"), type: "decimal", value: (r) => r.memberYears ?? null, width: 10 },
      { header: t("income.report.amountYuan"), type: "money", value: (r) => r.amountFen ?? null, width: 16 },
      { header: t("income.report.sharePercent"), type: "decimal", places: 1, value: (r) => r.share ?? null, width: 10 },
      { header: t("income.report.perCapitaYuan"), type: "money", value: (r) => r.perCapitaFen ?? null, width: 14 },
      { header: t("income.report.note"), type: "text", value: (r) => r.note ?? "", width: 48 },
    ],
    rows: summary,
  };

  // ── Households (flagged, fell, owed)
  const no = (rows: AuditRow[]) => {
    const index = new Map(rows.map((r, i) => [r, i + 1]));
    return (r: AuditRow) => index.get(r) ?? null;
  };
  const base = (rows: AuditRow[]): XlsxColumn<AuditRow>[] => [
    { header: t("income.report.no"), type: "integer", value: no(rows), width: 6 },
    { header: t("income.report.code"), type: "text", value: (r) => r.code, width: 14 },
    { header: t("income.report.head"), type: "text", value: (r) => r.headName, width: 10 },
    { header: t("income.report.status"), type: "text", value: (r) => statusText(t, r), width: 9 },
    { header: t("income.report.statusYear"), type: "integer", value: (r) => r.statusYear, width: 9 },
  ];
  const flaggedSheet: XlsxSheet<AuditRow> = {
    name: t("income.xlsx.flagged"),
    title: `${title} — ${t("income.xlsx.flagged")}`,
    subtitle,
    columns: [
      ...base(v.flagged),
      { header: t("income.report.members"), type: "integer", value: (r) => r.members, width: 8 },
      { header: t("income.report.memberYearsShort"), type: "decimal", value: (r) => r.memberYears, width: 9 },
      ...CATEGORIES.map((k): XlsxColumn<AuditRow> => ({ header: `${t(`income.category.${k}`)}${t("income.xlsx.yuanSuffix")}`, type: "money", value: (r) => r[categoryField[k]], width: 13 })),
      { header: t("income.report.totalYuan"), type: "money", value: (r) => r.totalFen, width: 14 },
      { header: t("income.report.perCapitaYuan"), type: "money", value: (r) => r.perCapitaFen, width: 13 },
      { header: t("income.report.ofLinePercent"), type: "decimal", places: 1, value: (r) => r.percentOfLine, width: 11 },
      { header: t("income.report.flag"), type: "text", value: (r) => (r.flag ? t(`income.flag.${r.flag}`) : ""), width: 14 },
    ],
    rows: v.flagged,
  };
  const fellSheet: XlsxSheet<AuditRow> = {
    name: t("income.xlsx.fell"),
    title: `${title} — ${t("income.xlsx.fell")}`,
    subtitle: `${subtitle}　${t("income.report.fellNote")}`,
    columns: [
      ...base(v.fell),
      { header: t("income.report.previousYuan"), type: "money", value: (r) => r.previousTotalFen, width: 15 },
      { header: t("income.report.totalYuan"), type: "money", value: (r) => r.totalFen, width: 15 },
      { header: t("income.report.changePercent"), type: "decimal", places: 1, value: (r) => r.changePercent, width: 11 },
      { header: t("income.report.perCapitaYuan"), type: "money", value: (r) => r.perCapitaFen, width: 13 },
      { header: t("income.report.flag"), type: "text", value: (r) => (r.flag ? t(`income.flag.${r.flag}`) : ""), width: 14 },
      { header: t("income.report.cause"), type: "text", value: (r) => offYearText(t, r), width: 40 },
    ],
    rows: v.fell,
  };
  const reviewSheet: XlsxSheet<AuditRow> = {
    name: t("income.xlsx.review"),
    title: `${title} — ${t("income.xlsx.review")}`,
    subtitle,
    columns: [
      ...base(v.review),
      { header: t("income.report.memberYearsShort"), type: "decimal", value: (r) => r.memberYears, width: 9 },
      { header: t("income.report.totalYuan"), type: "money", value: (r) => r.totalFen, width: 15 },
      { header: t("income.report.perCapitaYuan"), type: "money", value: (r) => r.perCapitaFen, width: 15 },
      { header: t("income.report.reviewWhy"), type: "text", value: (r) => (r.review ? t(`income.review.${r.review}`) : ""), width: 60 },
    ],
    rows: v.review,
  };
  const owedSheet: XlsxSheet<AuditRow> = {
    name: t("income.xlsx.owed"),
    title: `${title} — ${t("income.xlsx.owed")}`,
    subtitle: `${subtitle}　${t("income.report.owedNote")}`,
    columns: [
      ...base(v.owed),
      { header: t("income.report.arrearsYuan"), type: "money", value: (r) => r.arrearsFen, width: 15, total: "sum" },
      { header: t("income.report.unpaidYuan"), type: "money", value: (r) => r.unpaidDividendFen, width: 15, total: "sum" },
      { header: t("income.report.owedYuan"), type: "money", value: (r) => r.arrearsFen + r.unpaidDividendFen, width: 15, total: "sum" },
    ],
    rows: v.owed,
    totalsLabel: t("income.report.total"),
  };

  // ── Distribution
  const ranked = v.distribution.reduce((s, b) => s + b.count, 0);
  const distSheet: XlsxSheet<Bucket> = {
    name: t("income.xlsx.distribution"),
    title: `${title} — ${t("income.xlsx.distribution")}`,
    subtitle: `${subtitle}　${v.lineFen !== null ? t("income.report.distributionNote") : t("income.report.distributionFixedNote")}`,
    columns: [
      { header: t("income.report.bucket"), type: "text", value: (b) => t(b.key), width: 16 },
      { header: t("income.xlsx.fromYuan"), type: "money", value: (b) => b.fromFen, width: 14 },
      { header: t("income.xlsx.toYuan"), type: "money", value: (b) => b.toFen, width: 14 },
      // a decimal column with no places, because writeXlsx sums only decimal and money columns
      { header: t("income.report.householdsShort"), type: "decimal", places: 0, value: (b) => String(b.count), width: 9, total: "sum" },
      { header: t("income.report.sharePercent"), type: "decimal", places: 1, value: (b) => (ranked > 0 ? ratioText(BigInt(b.count) * 100n, BigInt(ranked), 1) : null), width: 10 },
    ],
    rows: v.distribution,
    totalsLabel: t("income.report.total"),
  };

  // ── Trend
  const trendSheet: XlsxSheet<TrendRow> = {
    name: t("income.xlsx.trend"),
    title: `${title} — ${t("income.xlsx.trend")}`,
    subtitle: `${subtitle}　${t("income.report.trendNote")}`,
    columns: [
      { header: t("income.report.year"), type: "integer", value: (r) => r.year, width: 8 },
      { header: t("income.report.householdsShort"), type: "integer", value: (r) => r.households, width: 8 },
      { header: t("income.report.memberYearsShort"), type: "decimal", value: (r) => r.memberYears, width: 10 },
      { header: t("income.report.totalYuan"), type: "money", value: (r) => r.totalFen, width: 16 },
      ...CATEGORIES.map((k): XlsxColumn<TrendRow> => ({ header: `${t(`income.category.${k}`)}${t("income.xlsx.perCapitaSuffix")}`, type: "money", value: (r) => r.byCategoryFen[k], width: 14 })),
      { header: t("income.report.perCapitaYuan"), type: "money", value: (r) => r.perCapitaFen, width: 14 },
      { header: t("income.report.lineYuan"), type: "money", value: (r) => r.lineFen, width: 13 },
    ],
    rows: trendPerCapita(input.trend),
  };

  return writeXlsx([summarySheet, flaggedSheet, reviewSheet, fellSheet, owedSheet, distSheet, trendSheet], { creator: input.generatedBy });
}

const categoryField = { WAGE: "wageFen", OPERATING: "operatingFen", PROPERTY: "propertyFen", TRANSFER: "transferFen" } as const;
