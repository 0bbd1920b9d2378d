/**
 * The printable audit report of one village and year (脱贫户、监测户收入核查报告):
 * A4 portrait, the line with its source, the summary, income composition
 * and per-capita distribution as tables with small vector bars (the charts'
 * figures), the flagged households, the households whose income fell by
 * more than 30 %, the rent and dividends owed to them, the trend over
 * years, and lines for the checker's and reviewer's signatures.
 *
 * House style of the contract and dividend PDFs: Noto Sans SC from
 * ~/lib/pdf.server, ruled tables with a grey header row repeated on every
 * page a table runs onto, footer in 8 pt grey. Figures are formatted with
 * formatYuan, exactly as on screen. Every text comes from the catalog, so
 * an English report is the same document in English.
 */
import { formatYuan } from "~/lib/money";
import type { Translate } from "~/lib/i18n";
import { createPdf, FONT, numberPages, pdfToBuffer } from "~/lib/pdf.server";
import { sharePercent, trendPerCapita, type AuditRow, type TrendPoint, type VillageAudit } from "./audit";
import { CATEGORIES, ratioText, type Category } from "./rules";

export interface AuditReportInput {
  township: string;
  village: VillageAudit;
  trend: TrendPoint[];
  line: { amountFen: bigint; source: string } | null;
  /** "2026-03-01 10:20", printed in the footer */
  generatedAt: string;
  /** the user who made the report */
  generatedBy: string;
}

type Doc = PDFKit.PDFDocument;
type Align = "left" | "center" | "right";

const GREY = "#555555";
const LINE = "#333333";
const HEAD_FILL = "#e8e8e8";
/** Bar fills per category: four greys that stay apart on a black-and-white printer. */
const BAR: Record<Category, string> = { WAGE: "#3d3d3d", OPERATING: "#777777", PROPERTY: "#a8a8a8", TRANSFER: "#cfcfcf" };

interface TextOpts {
  size?: number;
  bold?: boolean;
  align?: Align;
  color?: string;
  pad?: number;
}

/**
 * One line of text in the box (x, y, w, h): vertically centred, shrunk to
 * fit down to 6 pt, then cut with "…" (never wrapped: pdfkit would add a
 * page by itself).
 */
function put(doc: Doc, text: string, x: number, y: number, w: number, h: number, o: TextOpts = {}): void {
  if (!text) return;
  const pad = o.pad ?? 3;
  const avail = Math.max(1, w - 2 * pad);
  let size = o.size ?? 9;
  doc.font(o.bold ? FONT.bold : FONT.regular).fontSize(size);
  let s = text;
  let tw = doc.widthOfString(s);
  if (tw > avail) {
    size = Math.max(6, (size * avail * 0.995) / tw);
    doc.fontSize(size);
    tw = doc.widthOfString(s);
    const chars = Array.from(text);
    while (tw > avail && chars.length > 1) {
      chars.pop();
      s = `${chars.join("")}…`;
      tw = doc.widthOfString(s);
    }
  }
  const align = o.align ?? "left";
  const tx = align === "right" ? x + w - pad - tw : align === "center" ? x + (w - tw) / 2 : x + pad;
  doc.fillColor(o.color ?? "black");
  doc.text(s, tx, y + (h - doc.currentLineHeight()) / 2, { lineBreak: false });
}

/**
 * A table cell: text, or a horizontal bar of `fraction` (0..1) of the cell
 * in `fill`; null continues the cell before it (a column span, e.g. the
 * label of a totals row).
 */
type Cell = string | { text: string; bold?: boolean; align?: Align } | { bar: number; fill: string; dashed?: boolean } | null;

interface Column {
  header: string;
  /** relative width */
  width: number;
  align?: Align;
}

class Layout {
  readonly doc: Doc;
  readonly left: number;
  readonly width: number;
  y: number;

  constructor(doc: Doc) {
    this.doc = doc;
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    this.y = doc.page.margins.top;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.doc.page.margins.top;
  }

  /** Starts a new page unless `h` points still fit. */
  need(h: number): void {
    if (this.y + h > this.bottom) this.newPage();
  }

  heading(text: string): void {
    // a heading never sits alone at the foot of a page: keep room for a header and two rows
    this.need(22 + 18 + 2 * 16);
    this.y += 6;
    put(this.doc, text, this.left, this.y, this.width, 18, { size: 11.5, bold: true, pad: 0 });
    this.y += 20;
  }

  /** Wrapped paragraph text (small print), paging as needed. */
  paragraph(text: string, o: { size?: number; color?: string } = {}): void {
    const doc = this.doc;
    doc.font(FONT.regular).fontSize(o.size ?? 8.5);
    const h = doc.heightOfString(text, { width: this.width, lineGap: 1.5 });
    this.need(h + 2);
    doc.fillColor(o.color ?? GREY).text(text, this.left, this.y, { width: this.width, lineGap: 1.5 });
    this.y += h + 4;
    doc.fillColor("black");
  }

  /**
   * A ruled table; the header row is drawn again at the top of every page
   * the table runs onto. `bold` rows (totals) are printed in bold.
   */
  table(columns: Column[], rows: Cell[][], o: { rowH?: number; size?: number; boldRows?: Set<number>; empty?: string } = {}): void {
    const doc = this.doc;
    const rowH = o.rowH ?? 16;
    const headH = 20;
    const size = o.size ?? 8.5;
    const sum = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / sum) * this.width);
    const xs: number[] = [];
    widths.reduce((x, w) => (xs.push(x), x + w), this.left);

    const header = () => {
      doc.rect(this.left, this.y, this.width, headH).fillColor(HEAD_FILL).fill();
      columns.forEach((_, i) => doc.rect(xs[i]!, this.y, widths[i]!, headH));
      doc.lineWidth(0.5).strokeColor(LINE).stroke();
      columns.forEach((c, i) => put(doc, c.header, xs[i]!, this.y, widths[i]!, headH, { size: size - 0.5, bold: true, align: "center" }));
      this.y += headH;
    };
    this.need(headH + rowH);
    header();
    if (rows.length === 0 && o.empty) {
      doc.rect(this.left, this.y, this.width, rowH).lineWidth(0.5).strokeColor(LINE).stroke();
      put(doc, o.empty, this.left, this.y, this.width, rowH, { size, align: "center", color: GREY });
      this.y += rowH + 4;
      return;
    }
    rows.forEach((row, r) => {
      if (this.y + rowH > this.bottom) {
        this.newPage();
        header();
      }
      const bold = o.boldRows?.has(r) ?? false;
      // cells after spans; borders as one stroked path, then bars, then text
      // (a path must be painted before a text object starts)
      const cells: { i: number; x: number; w: number; cell: Exclude<Cell, null> }[] = [];
      for (let i = 0; i < row.length; i++) {
        const cell = row[i];
        if (cell === null || cell === undefined) continue;
        let w = widths[i]!;
        for (let j = i + 1; j < row.length && row[j] === null; j++) w += widths[j]!;
        cells.push({ i, x: xs[i]!, w, cell });
      }
      for (const c of cells) doc.rect(c.x, this.y, c.w, rowH);
      doc.lineWidth(0.5).strokeColor(LINE).stroke();
      for (const { x, w, cell } of cells) {
        if (typeof cell !== "object" || !("bar" in cell)) continue;
        const bw = Math.max(0, Math.min(1, cell.bar)) * (w - 8);
        if (bw <= 0) continue;
        doc.save();
        doc.rect(x + 4, this.y + 4, Math.max(bw, 0.8), rowH - 8);
        if (cell.dashed) doc.lineWidth(0.8).dash(1.5, { space: 1.2 }).strokeColor(LINE).stroke().undash();
        else doc.fillColor(cell.fill).fill();
        doc.restore();
      }
      for (const { i, x, w, cell } of cells) {
        if (typeof cell === "object" && "bar" in cell) continue;
        const text = typeof cell === "string" ? cell : cell.text;
        const align = typeof cell === "string" ? (columns[i]!.align ?? "left") : (cell.align ?? columns[i]!.align ?? "left");
        put(doc, text, x, this.y, w, rowH, { size, align, bold: bold || (typeof cell === "object" && !!cell.bold) });
      }
      this.y += rowH;
    });
    this.y += 4;
  }
}

const yuan = (fen: bigint | null | undefined) => (fen === null || fen === undefined ? "—" : formatYuan(fen));
const pct = (p: string | null) => (p === null ? "—" : `${p}%`);

function statusText(t: Translate, r: Pick<AuditRow, "status" | "statusYear">): string {
  const s = t(`status.${r.status}`);
  return r.status === "ALLEVIATED" && r.statusYear ? `${s}（${r.statusYear}）` : s;
}

/** The report's title, also the PDF's document title. */
export function auditReportTitle(input: Pick<AuditReportInput, "village">, t: Translate): string {
  return t("income.report.title", { village: input.village.villageName, year: input.village.year });
}

export async function auditReportPdf(input: AuditReportInput, t: Translate): Promise<Buffer> {
  const v = input.village;
  const title = auditReportTitle(input, t);
  const doc = createPdf({ title, subject: `${input.township} ${v.villageName}`, author: input.generatedBy });
  const done = pdfToBuffer(doc);
  const L = new Layout(doc);
  const lineFen = input.line?.amountFen ?? v.lineFen;

  // ── Title block
  doc.font(FONT.bold).fontSize(16);
  const titleH = doc.heightOfString(title, { width: L.width, align: "center" });
  doc.fillColor("black").text(title, L.left, L.y, { width: L.width, align: "center" });
  L.y += titleH + 6;
  put(doc, t("income.report.place", { township: input.township, village: v.villageName, year: v.year }), L.left, L.y, L.width, 14, { size: 9.5, align: "center", color: GREY });
  L.y += 20;
  if (input.line) {
    L.paragraph(t("income.report.line", { year: v.year, amount: formatYuan(input.line.amountFen) }) + "　" + t("income.report.lineSource", { source: input.line.source }), { size: 9.5, color: "black" });
  } else {
    L.paragraph(t("income.report.noLine", { year: v.year }), { size: 9.5, color: "black" });
  }
  L.paragraph(t("income.report.method"));

  // ── 1. Summary
  L.heading(t("income.report.summary"));
  const c = v.counts;
  L.table(
    [
      { header: t("income.report.item"), width: 3.5 },
      { header: t("income.report.value"), width: 1.6, align: "right" },
      { header: t("income.report.item"), width: 3.3 },
      { header: t("income.report.value"), width: 1.6, align: "right" },
    ],
    [
      [t("income.report.households"), String(v.households), t("income.report.memberYears"), v.memberYears],
      [t("status.ORDINARY"), String(v.byStatus.ORDINARY), t("income.report.noMembers"), String(c.noMembers)],
      [t("status.ALLEVIATED"), String(v.byStatus.ALLEVIATED), t("income.report.totalIncome"), yuan(v.totals.total)],
      [t("status.MONITORED"), String(v.byStatus.MONITORED), t("income.report.perCapitaOverall"), yuan(v.perCapita.overallFen)],
      [t("income.report.countBelow"), String(c.below), t("income.report.perCapitaMedian"), yuan(v.perCapita.medianFen)],
      [t("income.report.countNear"), String(c.near), t("income.report.perCapitaMin"), yuan(v.perCapita.minFen)],
      [t("income.report.countFell"), String(c.fell), t("income.report.perCapitaMax"), yuan(v.perCapita.maxFen)],
      [t("income.report.countOwed"), String(c.owed), t("income.report.owedAmount"), yuan(v.owedTotals.arrearsFen + v.owedTotals.unpaidDividendFen)],
      [t("income.report.countReview"), String(c.review), "", ""],
    ],
  );

  // ── 2. Composition
  L.heading(t("income.report.composition"));
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const maxCat = CATEGORIES.reduce((m, k) => (abs(v.totals[k]) > m ? abs(v.totals[k]) : m), 0n);
  const frac = (x: bigint, of: bigint) => (of > 0n ? Number((abs(x) * 10_000n) / of) / 10_000 : 0);
  L.table(
    [
      { header: t("income.report.category"), width: 2.4 },
      { header: t("income.report.amountYuan"), width: 2.2, align: "right" },
      { header: t("income.report.share"), width: 1.3, align: "right" },
      { header: t("income.report.perCapitaYuan"), width: 1.9, align: "right" },
      { header: "", width: 3 },
    ],
    [
      ...CATEGORIES.map((k): Cell[] => [
        t(`income.category.${k}`),
        yuan(v.totals[k]),
        pct(sharePercent(v.totals[k], v.totals.total)),
        yuan(v.perCapita.byCategoryFen[k]),
        { bar: frac(v.totals[k], maxCat), fill: BAR[k], dashed: v.totals[k] < 0n },
      ]),
      [t("income.report.total"), yuan(v.totals.total), v.totals.total > 0n ? "100.0%" : "—", yuan(v.perCapita.overallFen), ""],
    ],
    { boldRows: new Set([CATEGORIES.length]) },
  );
  if (CATEGORIES.some((k) => v.totals[k] < 0n)) L.paragraph(t("income.chart.negativeNote"));

  // ── 3. Distribution
  L.heading(t("income.report.distribution"));
  const ranked = v.distribution.reduce((s, b) => s + b.count, 0);
  const maxCount = v.distribution.reduce((m, b) => Math.max(m, b.count), 0);
  L.table(
    [
      { header: t("income.report.bucket"), width: 2.4 },
      { header: t("income.report.rangeYuan"), width: 2.6, align: "center" },
      { header: t("income.report.householdsShort"), width: 1.2, align: "right" },
      { header: t("income.report.share"), width: 1.3, align: "right" },
      { header: "", width: 3 },
    ],
    v.distribution.map((b, i): Cell[] => [
      t(b.key),
      rangeText(b.fromFen, b.toFen),
      String(b.count),
      pct(ranked > 0 ? ratioText(BigInt(b.count) * 100n, BigInt(ranked), 1) : null),
      { bar: maxCount > 0 ? b.count / maxCount : 0, fill: v.lineFen !== null && i <= 1 ? "#444444" : v.lineFen !== null && i === 2 ? "#8a8a8a" : "#c4c4c4" },
    ]),
  );
  L.paragraph(
    [
      lineFen !== null ? t("income.report.distributionNote") : t("income.report.distributionFixedNote"),
      c.noMembers > 0 ? t("income.report.noMembersNote", { count: c.noMembers }) : "",
      c.review > 0 ? t("income.report.reviewNote", { count: c.review }) : "",
    ]
      .filter(Boolean)
      .join(""),
  );

  // ── 4. Flagged households
  L.heading(t("income.report.flagged"));
  if (v.lineFen === null) L.paragraph(t("income.report.noLineNoFlags"));
  L.table(
    [
      { header: t("income.report.no"), width: 0.7, align: "center" },
      { header: t("income.report.code"), width: 1.5 },
      { header: t("income.report.head"), width: 1.4 },
      { header: t("income.report.status"), width: 1.7 },
      { header: t("income.report.members"), width: 0.9, align: "right" },
      { header: t("income.report.memberYearsShort"), width: 1, align: "right" },
      { header: t("income.report.totalYuan"), width: 1.8, align: "right" },
      { header: t("income.report.perCapitaYuan"), width: 1.7, align: "right" },
      { header: t("income.report.ofLine"), width: 1.3, align: "right" },
      { header: t("income.report.flag"), width: 1.4, align: "center" },
    ],
    v.flagged.map((r, i) => [
      String(i + 1),
      r.code,
      r.headName,
      statusText(t, r),
      String(r.members),
      r.memberYears,
      yuan(r.totalFen),
      yuan(r.perCapitaFen),
      pct(r.percentOfLine),
      r.flag ? t(`income.flagShort.${r.flag}`) : "—",
    ]),
    { empty: t("income.report.none") },
  );

  // Figures set aside for review: counted nowhere above, listed here with the reason.
  if (v.review.length > 0) {
    L.heading(t("income.report.review"));
    L.table(
      [
        { header: t("income.report.no"), width: 0.7, align: "center" },
        { header: t("income.report.code"), width: 1.5 },
        { header: t("income.report.head"), width: 1.4 },
        { header: t("income.report.memberYearsShort"), width: 1, align: "right" },
        { header: t("income.report.totalYuan"), width: 1.8, align: "right" },
        { header: t("income.report.perCapitaYuan"), width: 1.9, align: "right" },
        { header: t("income.report.reviewWhy"), width: 5.3 },
      ],
      v.review.map((r, i) => [String(i + 1), r.code, r.headName, r.memberYears, yuan(r.totalFen), yuan(r.perCapitaFen), r.review ? t(`income.review.${r.review}`) : ""]),
    );
  }

  // ── 5. Income fell by more than 30 %
  L.heading(t("income.report.fell"));
  L.paragraph(t("income.report.fellNote"));
  L.table(
    [
      { header: t("income.report.no"), width: 0.7, align: "center" },
      { header: t("income.report.code"), width: 1.5 },
      { header: t("income.report.head"), width: 1.4 },
      { header: t("income.report.status"), width: 1.7 },
      { header: t("income.report.previousYuan"), width: 2, align: "right" },
      { header: t("income.report.totalYuan"), width: 2, align: "right" },
      { header: t("income.report.change"), width: 1.3, align: "right" },
      { header: t("income.report.perCapitaYuan"), width: 1.8, align: "right" },
    ],
    v.fell.map((r, i) => [String(i + 1), r.code, r.headName, statusText(t, r), yuan(r.previousTotalFen), yuan(r.totalFen), pct(r.changePercent), yuan(r.perCapitaFen)]),
    { empty: t("income.report.none") },
  );
  // the cause of a fall, when payments of another year are in it (cash basis)
  for (const r of v.fell) if (r.offYear.length > 0) L.paragraph(`${r.code} ${r.headName}：${offYearText(t, r)}`);

  // ── 6. Rent and dividends owed
  L.heading(t("income.report.owed"));
  L.paragraph(t("income.report.owedNote"));
  const owedRows: Cell[][] = v.owed.map((r, i) => [
    String(i + 1),
    r.code,
    r.headName,
    statusText(t, r),
    yuan(r.arrearsFen),
    yuan(r.unpaidDividendFen),
    yuan(r.arrearsFen + r.unpaidDividendFen),
  ]);
  if (owedRows.length) {
    const ot = v.owedTotals;
    owedRows.push([{ text: t("income.report.totalHouseholds", { count: v.owed.length }), align: "center" }, null, null, null, yuan(ot.arrearsFen), yuan(ot.unpaidDividendFen), yuan(ot.arrearsFen + ot.unpaidDividendFen)]);
  }
  L.table(
    [
      { header: t("income.report.no"), width: 0.7, align: "center" },
      { header: t("income.report.code"), width: 1.5 },
      { header: t("income.report.head"), width: 1.4 },
      { header: t("income.report.status"), width: 1.7 },
      { header: t("income.report.arrearsYuan"), width: 2, align: "right" },
      { header: t("income.report.unpaidYuan"), width: 2, align: "right" },
      { header: t("income.report.owedYuan"), width: 2, align: "right" },
    ],
    owedRows,
    { empty: t("income.report.none"), boldRows: new Set([v.owed.length]) },
  );

  // ── 7. Trend
  L.heading(t("income.report.trend"));
  const trend = trendPerCapita(input.trend);
  L.table(
    [
      { header: t("income.report.year"), width: 0.9, align: "center" },
      { header: t("income.report.householdsShort"), width: 0.9, align: "right" },
      { header: t("income.report.memberYearsShort"), width: 1.1, align: "right" },
      ...CATEGORIES.map((k) => ({ header: t(`income.category.${k}`), width: 1.5, align: "right" as const })),
      { header: t("income.report.perCapitaYuan"), width: 1.6, align: "right" },
      { header: t("income.report.lineYuan"), width: 1.4, align: "right" },
    ],
    trend.map((r) => [String(r.year), String(r.households), r.memberYears, ...CATEGORIES.map((k) => yuan(r.byCategoryFen[k])), { text: yuan(r.perCapitaFen), bold: true }, yuan(r.lineFen)]),
    { empty: t("income.report.none") },
  );
  L.paragraph(t("income.report.trendNote"));

  // ── Signatures
  L.need(90);
  L.y += 24;
  const half = L.width / 2;
  put(doc, t("income.report.checker"), L.left, L.y, half, 16, { size: 10.5, pad: 0 });
  put(doc, t("income.report.reviewer"), L.left + half, L.y, half, 16, { size: 10.5, pad: 0 });
  L.y += 30;
  put(doc, t("income.report.signDate"), L.left, L.y, half, 16, { size: 10.5, pad: 0 });
  put(doc, t("income.report.signDate"), L.left + half, L.y, half, 16, { size: 10.5, pad: 0 });
  L.y += 24;

  numberPages(doc, {
    left: t("income.report.footerLeft", { at: input.generatedAt, by: input.generatedBy }),
    right: `${v.villageName} ${v.year}`,
    center: (n, total) => t("income.report.page", { n, total }),
  });
  doc.end();
  return done;
}

/** "< 3,000.00", "3,000.00 – 6,000.00", "≥ 12,000.00" (which edge belongs to which bucket: the note under the table). */
export function rangeText(from: bigint | null, to: bigint | null): string {
  if (from === null && to !== null) return `< ${formatYuan(to)}`;
  if (to === null && from !== null) return `≥ ${formatYuan(from)}`;
  if (from !== null && to !== null) return `${formatYuan(from)} – ${formatYuan(to)}`;
  return "";
}

/** The off-year payments of a row as one sentence per payment, joined: "2026 年收到 2025 年到期的租金 2,880.00 元". */
export function offYearText(t: Translate, r: Pick<AuditRow, "offYear">): string {
  return r.offYear.map((p) => t(`income.offYear.${p.kind}`, { received: p.receivedYear, belongs: p.belongsYear, amount: formatYuan(p.amountFen) })).join("；");
}
