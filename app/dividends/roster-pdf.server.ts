/**
 * The payout roster (发放花名册) as a PDF: landscape A4, per village and
 * group, one row per household with a wide cell to sign or press a
 * thumbprint in, each page's subtotal in figures and capitals, the grand
 * total and the sign-off lines on the last page (pagination and sums in
 * app/dividends/roster.ts). The house style and drawing helpers of the
 * statements (statement-pdf.server.ts); rare name characters fall back to
 * the Hanazono fonts through createPdf.
 */
import type { Readable } from "node:stream";
import { dateZh } from "~/lib/dates";
import { formatYuan, fromFen, toCapitals } from "~/lib/money";
import { createPdf, numberPages } from "~/lib/pdf.server";
import { rosterPages, type RosterDocument, type RosterTotals } from "./roster";
import { grid, put, type Cell } from "./statement-pdf.server";

export const ROSTER_ROW_H = 26;
const GREY = "#555555";

/** Column headers and widths (points, scaled to the page). */
export const ROSTER_COLUMNS = [
  ["序号", 32],
  ["户主", 70],
  ["身份证号码", 118],
  ["折算股数", 62],
  ["应分金额", 82],
  ["扣除", 72],
  ["扣除原因", 104],
  ["实发金额", 88],
  ["签字或按手印", 150],
] as const;

/** Capitals of a signed amount: a correction's negative total is money to return. */
export function signedCapitals(fen: bigint): string {
  return fen < 0n ? `负${toCapitals(fromFen(-fen))}` : toCapitals(fromFen(fen));
}

function rosterTitle(r: RosterDocument): string {
  return `${r.cooperativeName} ${r.year} 年度分红${r.correction ? "更正" : ""}发放花名册`;
}

export function renderRosterPdf(r: RosterDocument): Readable {
  const title = rosterTitle(r);
  const doc = createPdf({ title, subject: r.runLabel, layout: "landscape", margins: { top: 36, bottom: 46, left: 36, right: 36 } });
  const L = doc.page.margins.left;
  const W = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const scale = W / ROSTER_COLUMNS.reduce((s, c) => s + c[1], 0);
  const widths = ROSTER_COLUMNS.map((c) => c[1] * scale);
  const header: Cell[] = ROSTER_COLUMNS.map((c) => c[0]);
  const pages = rosterPages(r);
  const totalRows = (label: string, capLabel: string, t: RosterTotals): Cell[][] => [
    [
      { text: label, o: { bold: true, align: "center" } },
      null,
      null,
      { text: t.weight.toDecimalPlaces(4).toFixed(), o: { align: "right", bold: true } },
      { text: formatYuan(t.grossFen), o: { align: "right", bold: true } },
      { text: formatYuan(t.deductionFen), o: { align: "right", bold: true } },
      "",
      { text: formatYuan(t.netFen), o: { align: "right", bold: true } },
      "",
    ],
    [{ text: capLabel, o: { bold: true, align: "center" } }, null, null, { text: `人民币 ${signedCapitals(t.netFen)}`, o: { bold: true } }, null, null, null, null, null],
  ];

  pages.forEach((p, i) => {
    if (i > 0) doc.addPage();
    let y = doc.page.margins.top;
    put(doc, title, L, y, W, 24, { size: 16, bold: true, align: "center", spacing: 1 });
    y += 26;
    put(doc, `村组：${[p.village, p.group].filter(Boolean).join(" ") || "—"}`, L, y, W / 2, 14, { size: 9.5, pad: 0 });
    put(doc, `${r.correction ? `更正 ${r.correction.of}` : `分配依据：${r.runLabel}`}　金额单位：元`, L + W / 2, y, W / 2, 14, { size: 9, align: "right", pad: 0, color: GREY });
    y += 18;
    y = grid(doc, L, y, widths, [header], 22, { size: 9, headerRows: 1 });
    const rows: Cell[][] = p.rows.map((x) => [
      { text: String(x.no), o: { align: "center" } },
      { text: x.householdHead, o: { align: "center" } },
      { text: x.idMasked, o: { align: "center" } },
      { text: x.weight, o: { align: "right" } },
      { text: formatYuan(x.grossFen), o: { align: "right" } },
      { text: x.deductionFen === 0n ? "" : formatYuan(x.deductionFen), o: { align: "right" } },
      { text: x.deductionNote, o: { size: 8 } },
      { text: formatYuan(x.netFen), o: { align: "right", bold: true } },
      "",
    ]);
    if (rows.length) y = grid(doc, L, y, widths, rows, ROSTER_ROW_H, { size: 9.5, minSize: 6 });
    y = grid(doc, L, y, widths, totalRows(`本页小计（${p.subtotal.households} 户）`, "本页实发（大写）", p.subtotal), 20, { size: 9, shade: new Set([0]) });
    if (p.grandTotal) {
      y = grid(doc, L, y, widths, totalRows(`合计（${p.grandTotal.households} 户）`, "合计实发（大写）", p.grandTotal), 20, { size: 9.5, shade: new Set(ROSTER_COLUMNS.map((_c, k) => k)) });
      y += 12;
      const name = (v: string | null | undefined) => (v && v.trim() ? v.trim() : "");
      put(doc, `制表：${name(r.madeBy)}（签字）__________　　　理事长（签字）：__________　　　监事（签字）：__________`, L, y, W, 16, { size: 10, pad: 0 });
      y += 20;
      put(
        doc,
        `审定：${name(r.approvedBy) || "________"}　　　发放：${name(r.issuedBy) || "________"}　　　发放日期：${r.issuedOn ? dateZh(r.issuedOn) : "______年____月____日"}　　　（合作社盖章）`,
        L,
        y,
        W,
        16,
        { size: 10, pad: 0 },
      );
    }
  });
  numberPages(doc, { left: title, right: r.generatedAt ? `打印：${r.generatedAt}` : undefined });
  doc.end();
  return doc;
}
