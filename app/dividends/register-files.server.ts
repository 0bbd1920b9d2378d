/**
 * The share register and member accounts as files: Excel workbooks and the
 * register's PDF (A4 landscape, one table, totals, then the history).
 */
import type { Readable } from "node:stream";
import { formatInstant, now } from "~/lib/dates";
import { createPdf, FONT, numberPages } from "~/lib/pdf.server";
import { writeXlsx } from "~/lib/xlsx.server";
import { accountForYear, registerTotals, weightShown, type HistoryKind, type YearAccount } from "./register";
import type { RegisterPage, accountsOf } from "./register.server";

const KIND_ZH: Record<HistoryKind, string> = { start: "入股", amended: "变更（新版本）", renewed: "续签", terminated: "提前终止", end: "到期" };

const until = (c: { endDate: string; terminatedOn: string | null }) => (c.terminatedOn && c.terminatedOn < c.endDate ? `${c.terminatedOn}（提前终止）` : c.endDate);

export function registerTitle(r: Pick<RegisterPage, "coop" | "year">): string {
  return `${r.coop.name} ${r.year} 年度股权登记簿`;
}

export function registerFileName(r: Pick<RegisterPage, "coop" | "year">, ext: "xlsx" | "pdf"): string {
  return `股权登记簿-${r.coop.name}-${r.year}.${ext}`;
}

const subtitleOf = (r: RegisterPage) => `每亩 ${r.coop.sharesPerMu} 股；折算股数 = 面积 × 每亩股数 × 当年持有天数 ÷ 当年天数（与分红方案同一计算）。制表时间 ${formatInstant(now())}`;

export async function registerWorkbook(r: RegisterPage): Promise<Buffer> {
  type Row = RegisterPage["rows"][number];
  type Plot = Row["contracts"][number] & { household: Row };
  type Event = RegisterPage["history"][number];
  const plots: Plot[] = r.rows.flatMap((h) => h.contracts.map((c) => ({ ...c, household: h })));
  return writeXlsx([
    {
      name: "股权登记簿",
      title: registerTitle(r),
      subtitle: subtitleOf(r),
      totalsLabel: `合计（${r.rows.length} 户）`,
      rows: r.rows,
      columns: [
        { header: "村", type: "text", value: (x: Row) => x.village, width: 12 },
        { header: "户号", type: "text", value: (x: Row) => x.code, width: 10 },
        { header: "户主", type: "text", value: (x: Row) => x.headName, width: 10 },
        { header: "入股合同", type: "text", value: (x: Row) => x.contracts.map((c) => `${c.label} ${c.plot} ${c.areaMu}亩 ${c.startDate}至${until(c)}`).join("；"), width: 48 },
        { header: "入股面积（亩）", type: "decimal", value: (x: Row) => x.areaMu, total: "sum" },
        { header: "股数", type: "decimal", value: (x: Row) => x.shares, places: 4, total: "sum" },
        { header: "折算股数", type: "decimal", value: (x: Row) => x.weight, places: 12, width: 20, total: "sum" },
        { header: "持有天数", type: "integer", value: (x: Row) => x.days },
      ],
    },
    {
      name: "入股合同",
      title: `${registerTitle(r)}：入股合同与地块`,
      subtitle: subtitleOf(r),
      rows: plots,
      columns: [
        { header: "村", type: "text", value: (x: Plot) => x.household.village, width: 12 },
        { header: "户号", type: "text", value: (x: Plot) => x.household.code, width: 10 },
        { header: "户主", type: "text", value: (x: Plot) => x.household.headName, width: 10 },
        { header: "合同编号", type: "text", value: (x: Plot) => x.label, width: 20 },
        { header: "地块", type: "text", value: (x: Plot) => x.plot, width: 12 },
        { header: "地块编码", type: "text", value: (x: Plot) => x.parcelCode, width: 22 },
        { header: "面积（亩）", type: "decimal", value: (x: Plot) => x.areaMu },
        { header: "起始日期", type: "date", value: (x: Plot) => x.startDate },
        { header: "终止日期", type: "date", value: (x: Plot) => x.endDate },
        { header: "提前终止日期", type: "date", value: (x: Plot) => x.terminatedOn },
      ],
    },
    {
      name: "变动记录",
      title: `${registerTitle(r)}：变动记录`,
      subtitle: `截至 ${r.year}-12-31`,
      rows: r.history,
      columns: [
        { header: "日期", type: "date", value: (e: Event) => e.date },
        { header: "村", type: "text", value: (e: Event) => e.household.village, width: 12 },
        { header: "户号", type: "text", value: (e: Event) => e.household.code, width: 10 },
        { header: "户主", type: "text", value: (e: Event) => e.household.headName, width: 10 },
        { header: "变动", type: "text", value: (e: Event) => KIND_ZH[e.kind], width: 14 },
        { header: "合同编号", type: "text", value: (e: Event) => e.label, width: 20 },
        { header: "面积（亩）", type: "decimal", value: (e: Event) => e.areaMu },
      ],
    },
  ]);
}

type Doc = PDFKit.PDFDocument;
interface Col {
  header: string;
  width: number;
  align?: "left" | "right" | "center";
}

/** One table row of cells, each cut to one line (the register's cells are short); returns the next y. */
function row(doc: Doc, x: number, y: number, cols: readonly Col[], widths: readonly number[], cells: readonly string[], h: number, o: { bold?: boolean; shade?: boolean } = {}): number {
  if (o.shade) doc.save().rect(x, y, widths.reduce((a, b) => a + b, 0), h).fill("#eeeeee").restore();
  doc.font(o.bold ? FONT.bold : FONT.regular).fontSize(8).fillColor("black");
  let cx = x;
  cols.forEach((c, i) => {
    const w = widths[i]!;
    doc.lineWidth(0.4).strokeColor("#444444").rect(cx, y, w, h).stroke();
    doc.text(cells[i] ?? "", cx + 3, y + (h - 9) / 2, { width: w - 6, align: c.align ?? "left", lineBreak: false, ellipsis: "…", height: 10 });
    cx += w;
  });
  return y + h;
}

function table(doc: Doc, title: string, cols: readonly Col[], lines: readonly { cells: string[]; bold?: boolean }[], start: number): number {
  const L = doc.page.margins.left;
  const W = doc.page.width - L - doc.page.margins.right;
  const scale = W / cols.reduce((s, c) => s + c.width, 0);
  const widths = cols.map((c) => c.width * scale);
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const h = 16;
  let y = row(doc, L, start, cols, widths, cols.map((c) => c.header), 18, { bold: true, shade: true });
  for (const l of lines) {
    if (y + h > bottom()) {
      doc.addPage();
      y = doc.page.margins.top;
      doc.font(FONT.regular).fontSize(8.5).fillColor("#555555").text(`${title}（续）`, L, y, { width: W, lineBreak: false });
      y = row(doc, L, y + 14, cols, widths, cols.map((c) => c.header), 18, { bold: true, shade: true });
    }
    y = row(doc, L, y, cols, widths, l.cells, h, { bold: l.bold, shade: l.bold });
  }
  return y;
}

export function registerPdf(r: RegisterPage): Readable {
  const title = registerTitle(r);
  const doc = createPdf({ title, layout: "landscape", margins: { top: 40, bottom: 50, left: 36, right: 36 } });
  const L = doc.page.margins.left;
  const W = doc.page.width - L - doc.page.margins.right;
  let y = doc.page.margins.top;
  doc.font(FONT.bold).fontSize(16).fillColor("black").text(title, L, y, { width: W, align: "center" });
  y = doc.y + 4;
  doc.font(FONT.regular).fontSize(8.5).fillColor("#333333").text(subtitleOf(r), L, y, { width: W, align: "center" });
  y = doc.y + 8;
  const cols: Col[] = [
    { header: "序号", width: 4, align: "center" },
    { header: "村", width: 9 },
    { header: "户号 户主", width: 13 },
    { header: "合同编号", width: 15 },
    { header: "地块", width: 10 },
    { header: "面积（亩）", width: 7, align: "right" },
    { header: "起止日期", width: 22 },
    { header: "股数", width: 8, align: "right" },
    { header: "折算股数", width: 9, align: "right" },
    { header: "持有天数", width: 6, align: "right" },
  ];
  const lines: { cells: string[]; bold?: boolean }[] = [];
  r.rows.forEach((h, i) => {
    const contracts = h.contracts.length ? h.contracts : [null];
    contracts.forEach((c, j) => {
      const first = j === 0;
      lines.push({
        cells: [
          first ? String(i + 1) : "",
          first ? h.village : "",
          first ? `${h.code} ${h.headName}` : "",
          c?.label ?? "",
          c?.plot ?? "",
          c?.areaMu ?? "",
          c ? `${c.startDate} 至 ${until(c)}` : "",
          first ? h.shares : "",
          first ? weightShown(h.weight) : "",
          first ? String(h.days) : "",
        ],
      });
    });
  });
  const t = registerTotals(r.rows);
  lines.push({ cells: ["", `合计（${r.rows.length} 户）`, "", "", "", t.areaMu, "", t.shares, weightShown(t.weight), ""], bold: true });
  y = table(doc, title, cols, lines, y);

  y += 16;
  const hcols: Col[] = [
    { header: "日期", width: 10 },
    { header: "村", width: 10 },
    { header: "户号 户主", width: 14 },
    { header: "变动", width: 12 },
    { header: "合同编号", width: 16 },
    { header: "面积（亩）", width: 8, align: "right" },
  ];
  if (y + 60 > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  doc.font(FONT.bold).fontSize(11).fillColor("black").text(`变动记录（截至 ${r.year}-12-31）`, L, y, { width: W });
  y = doc.y + 4;
  if (r.history.length === 0) doc.font(FONT.regular).fontSize(9).text("暂无变动", L, y);
  else table(doc, `${title} 变动记录`, hcols, r.history.map((e) => ({ cells: [e.date, e.household.village, `${e.household.code} ${e.household.headName}`, KIND_ZH[e.kind], e.label, e.areaMu] })), y);
  numberPages(doc, { left: r.coop.name, right: `${r.year} 年度股权登记簿` });
  doc.end();
  return doc;
}

type Accounts = Awaited<ReturnType<typeof accountsOf>>;

/** Member accounts of a year: one row per member with the year's figures and balances, and a sheet of every year. */
export async function accountsWorkbook(a: Accounts, year: number): Promise<Buffer> {
  type Row = { h: Accounts["households"][number]; y: YearAccount };
  const ofYear: Row[] = a.households.map((h) => ({ h, y: accountForYear(a.accounts.get(h.id), year) }));
  const every: Row[] = a.households.flatMap((h) => (a.accounts.get(h.id) ?? []).map((y) => ({ h, y })));
  const columns = [
    { header: "村", type: "text" as const, value: (x: Row) => x.h.village.name, width: 12 },
    { header: "户号", type: "text" as const, value: (x: Row) => x.h.code, width: 10 },
    { header: "户主", type: "text" as const, value: (x: Row) => x.h.headName, width: 10 },
    { header: "出资（当年）", type: "money" as const, value: (x: Row) => x.y.capitalFen, total: "sum" as const },
    { header: "出资余额", type: "money" as const, value: (x: Row) => x.y.capitalBalanceFen, total: "sum" as const },
    { header: "量化公积金（当年）", type: "money" as const, value: (x: Row) => x.y.reserveFen, total: "sum" as const },
    { header: "量化公积金累计", type: "money" as const, value: (x: Row) => x.y.reserveBalanceFen, total: "sum" as const },
    { header: "应发分红", type: "money" as const, value: (x: Row) => x.y.dueFen, total: "sum" as const },
    { header: "已发分红", type: "money" as const, value: (x: Row) => x.y.paidFen, total: "sum" as const },
    { header: "未发", type: "money" as const, value: (x: Row) => x.y.dueFen - x.y.paidFen, total: "sum" as const },
    { header: "交易额", type: "money" as const, value: (x: Row) => x.y.transactionFen, total: "sum" as const },
  ];
  return writeXlsx([
    { name: `${year} 年度`, title: `${a.coop.name} 成员账户（${year} 年度）`, subtitle: `量化公积金记入成员账户，不以现金发放；只计已发放的分红方案。制表时间 ${formatInstant(now())}`, totalsLabel: `合计（${ofYear.length} 户）`, rows: ofYear, columns },
    { name: "各年度", title: `${a.coop.name} 成员账户（各年度）`, subtitle: `金额单位：元`, rows: every, columns: [{ header: "年度", type: "integer" as const, value: (x: Row) => x.y.year }, ...columns] },
  ]);
}
