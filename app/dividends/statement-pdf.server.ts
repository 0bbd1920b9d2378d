/**
 * Dividend PDFs: the household statement (分红明细单, one A4 page), a batch of
 * every statement of a run behind a cover summary page, and the public
 * notice sheet (收益分配方案公示表). House style of contract-pdf.server.ts:
 * Noto Sans SC from ~/lib/pdf.server, ruled tables, dashed boxes for
 * fingerprints and seals, footer in 8 pt grey.
 *
 * STREAMING
 * - renderStatementPdf and renderNoticeSheet lay out synchronously inside the
 *   call (the notice buffers its pages to print "第 N 页 共 M 页") and return
 *   the ended pdfkit document: bytes flow as the consumer reads.
 * - renderStatementBatch is built for thousands of statements with flat
 *   memory: its pdfkit document is created WITHOUT bufferPages, so every
 *   addPage() writes the previous page out (content deflated and pushed) and
 *   drops it. Pages are drawn as the (async) iterable yields; bytes go to a
 *   PassThrough whose back-pressure is respected (when it is full the loop
 *   waits for 'drain'), so a slow client never makes the document pile up in
 *   memory. The loop also yields to the event loop every few pages so a
 *   server stays responsive, and stops when the consumer destroys the stream.
 *   The footer therefore prints "第 N 页" without a total (the count is not
 *   known before the end).
 *   Two pdfkit internals would still grow with the batch and are trimmed
 *   (clearLayoutCaches, releasePage; both no-ops if pdfkit changes): the
 *   glyph-layout cache of every distinct string (emptied every
 *   LAYOUT_CACHE_PAGES pages; labels are laid out again once) and the
 *   written page dictionaries kept in the page tree. What remains is the
 *   PDF's own bookkeeping (an xref offset and a page reference per page):
 *   about 0.2 KB of heap per statement against ~4 KB of output that is
 *   never held. pdfkit pushes every PDF line as its own chunk; they are
 *   handed on as one buffer per page.
 *
 * QR CODES are drawn as vector rectangles from QRCode.create(text).modules,
 * one rectangle per horizontal run of dark modules and a single fill (byte
 * mode, level M, a fixed mask: see QR_MASK). The
 * alternative, QRCode.toBuffer() → PNG → doc.image(), encodes a PNG (zlib),
 * makes pdfkit decode it again and embeds one image object per page: in a
 * 500-page pdfkit test here it ran at ~350 pages/s against ~1,750 pages/s
 * for rectangles, and the rectangles print sharp at any resolution.
 *
 * In a resource route:
 *   return new Response(createReadableStreamFromReadable(renderStatementBatch(cover, rows())), { headers: pdfHeaders(name) });
 */
import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { Decimal, formatYuan, fromFen, toCapitals } from "~/lib/money";
import { noticePeriodZh } from "./notice";
import { createPdf, FONT, loadFonts, MARGINS, numberPages, withFontFallback } from "~/lib/pdf.server";
import {
  grossOf,
  METHOD_ZH,
  type NoticeDocument,
  type NoticeRow,
  type RunCover,
  type StatementDocument,
  type StatementPayment,
} from "./statement-document";
import { dateZh } from "~/lib/dates";

type Doc = PDFKit.PDFDocument;
type Align = "left" | "center" | "right";

/** Empty pdfkit's per-document glyph-layout cache after this many batch pages. */
export const LAYOUT_CACHE_PAGES = 64;
/** Give the event loop a turn after this many batch pages. */
const YIELD_PAGES = 16;

const GREY = "#555555";
const LINE = "#333333";
const SHADE = "#f2f2f2";

// ─── Drawing primitives ─────────────────────────────────────────────────────

/**
 * The fill colour last set on each document's current page. pdfkit writes
 * "/DeviceRGB cs r g b scn" for every fillColor() call, and nearly every text
 * is black: skipping the repeats keeps the page content (and its deflate)
 * smaller. Anything that may change the colour behind our back (fill with a
 * colour, save/restore) calls forgetInk.
 */
const inkState = new WeakMap<Doc, { page: unknown; color: string }>();

function ink(doc: Doc, color: string): void {
  const st = inkState.get(doc);
  if (st && st.page === doc.page && st.color === color) return;
  doc.fillColor(color);
  inkState.set(doc, { page: doc.page, color });
}

function forgetInk(doc: Doc): void {
  inkState.delete(doc);
}

export interface TextOpts {
  size?: number;
  bold?: boolean;
  align?: Align;
  color?: string;
  /** smallest size the text may shrink to before it is cut with "…" */
  minSize?: number;
  pad?: number;
  spacing?: number;
}

const NO_OPTS: TextOpts = {};

/**
 * One line of text inside the box (x, y, w, h): vertically centred, aligned,
 * shrunk to fit (down to minSize) and cut with "…" only if it still does not
 * fit. lineBreak is off, so pdfkit never wraps or adds a page by itself.
 */
export function put(doc: Doc, text: string, x: number, y: number, w: number, h: number, o: TextOpts = {}): void {
  if (!text) return;
  const pad = o.pad ?? 4;
  const avail = Math.max(1, w - 2 * pad);
  let size = o.size ?? 10;
  const spacing = o.spacing ?? 0;
  doc.font(o.bold ? FONT.bold : FONT.regular).fontSize(size);
  let s = text;
  let tw = doc.widthOfString(s, { characterSpacing: spacing });
  if (tw > avail) {
    const min = Math.min(size, o.minSize ?? 6);
    // a hair smaller than the exact ratio, so floating-point never leaves it 0.001 pt too wide
    size = Math.max(min, (size * avail * 0.995) / tw);
    doc.fontSize(size);
    tw = doc.widthOfString(s, { characterSpacing: spacing });
    if (tw > avail) {
      const chars = Array.from(text);
      while (chars.length > 1 && tw > avail) {
        chars.pop();
        s = `${chars.join("")}…`;
        tw = doc.widthOfString(s, { characterSpacing: spacing });
      }
    }
  }
  const align = o.align ?? "left";
  const tx = align === "right" ? x + w - pad - tw : align === "center" ? x + (w - tw) / 2 : x + pad;
  const ty = y + (h - doc.currentLineHeight()) / 2;
  // textWidth: pdfkit would otherwise measure the string again in _fragment
  ink(doc, o.color ?? "black");
  doc.text(s, tx, ty, { lineBreak: false, characterSpacing: spacing, textWidth: tw } as PDFKit.Mixins.TextOptions);
}

/** A dashed box with a small grey label in its middle (fingerprint, seal). */
export function dashedBox(doc: Doc, x: number, y: number, w: number, h: number, label: string): void {
  doc.save();
  doc.lineWidth(0.6).strokeColor("#888888").dash(2, { space: 2 }).rect(x, y, w, h).stroke().undash();
  doc.restore();
  forgetInk(doc);
  put(doc, label, x, y, w, h, { size: 7, color: "#999999", align: "center", pad: 2 });
}

/**
 * A ruled grid of single-line cells: `widths` in points, every row `h` high.
 * Cells are [text, options]; a null cell continues the previous one
 * (column span). `shade` marks label columns.
 */
export type Cell = string | { text: string; o?: TextOpts } | null;

export function grid(doc: Doc, x: number, y: number, widths: number[], rows: Cell[][], h: number, base: TextOpts & { shade?: Set<number>; headerRows?: number } = {}): number {
  // Cells as [x, width] after column spans.
  const spans = rows.map((row) => {
    const out: { x: number; w: number; c: number }[] = [];
    let cx = x;
    let c = 0;
    while (c < row.length) {
      let w = widths[c]!;
      let span = 1;
      while (c + span < row.length && row[c + span] === null) {
        w += widths[c + span]!;
        span += 1;
      }
      out.push({ x: cx, w, c });
      cx += w;
      c += span;
    }
    return out;
  });
  // Shading first (one path per colour), then every border in one stroked path, then the text.
  const headerRows = base.headerRows ?? 0;
  for (const [fill, want] of [["#e8e8e8", (r: number) => r < headerRows], [SHADE, (r: number) => r >= headerRows]] as const) {
    let any = false;
    spans.forEach((cells, r) => {
      if (!want(r)) return;
      for (const cell of cells) {
        if (r < headerRows || base.shade?.has(cell.c)) {
          doc.rect(cell.x, y + r * h, cell.w, h);
          any = true;
        }
      }
    });
    if (any) {
      ink(doc, fill);
      doc.fill();
    }
  }
  spans.forEach((cells, r) => {
    for (const cell of cells) doc.rect(cell.x, y + r * h, cell.w, h);
  });
  doc.lineWidth(0.5).strokeColor(LINE).stroke();
  spans.forEach((cells, r) => {
    const header = r < headerRows;
    for (const { x: cx, w, c } of cells) {
      const cell = rows[r]![c];
      if (!cell) continue;
      const text = typeof cell === "string" ? cell : cell.text;
      const o: TextOpts = typeof cell === "string" ? NO_OPTS : (cell.o ?? NO_OPTS);
      // one object shape for every cell (no spreads): this runs ~50 times a page
      const opts: TextOpts = {
        size: o.size ?? base.size,
        bold: o.bold ?? (header || base.bold),
        align: o.align ?? (header ? "center" : base.align),
        color: o.color ?? base.color,
        minSize: o.minSize ?? base.minSize,
        pad: o.pad ?? base.pad,
        spacing: o.spacing ?? base.spacing,
      };
      put(doc, text, cx, y + r * h, w, h, opts);
    }
  });
  return y + rows.length * h;
}

/**
 * QR options. Byte mode is given explicitly, which skips the library's
 * segment optimisation (a short URL gains nothing from it). The mask is
 * FIXED: choosing the "best" of the 8 masks by the penalty rules costs
 * ~0.27 ms per code, about a tenth of a whole statement page, and brought
 * nothing measurable: 300 statements rendered at 52 dpi (under 2 px per
 * module) decoded 300/300 with zbarimg with mask 0 and 285/300 with the
 * penalty-chosen masks; at 56 dpi and above every code decoded either way.
 * Any mask is valid; readers take it from the format bits.
 */
const QR_MASK = 0 as const;

/** Draws a QR code of `text`, `size` points square, dark modules as rectangles (see module comment). */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const m = QRCode.create([{ data: Buffer.from(text, "utf8"), mode: "byte" }], { errorCorrectionLevel: "M", maskPattern: QR_MASK }).modules;
  const n = m.size;
  const data = m.data;
  // Drawn in module units (translate + scale), so each rectangle is written
  // with small integers ("3 5 2 1 re") instead of long fractions: a third of
  // the page's content bytes, and of its deflate time, otherwise.
  doc.save();
  doc.translate(x, y).scale(size / n);
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && data[r * n + c]) c++;
      doc.rect(start, r, c - start, 1);
    }
  }
  doc.fillColor("black").fill();
  doc.restore();
  forgetInk(doc);
}

export function watermark(doc: Doc, text: string): void {
  doc.save();
  doc.rotate(-35, { origin: [doc.page.width / 2, doc.page.height / 2] });
  doc.font(FONT.bold).fontSize(96).fillColor("#000000").fillOpacity(0.06);
  const w = doc.widthOfString(text);
  doc.text(text, (doc.page.width - w) / 2, doc.page.height / 2 - 60, { lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
  forgetInk(doc);
}

function footer(doc: Doc, left: string, center: string, right: string): void {
  const m = doc.page.margins;
  const w = doc.page.width - m.left - m.right;
  const y = doc.page.height - m.bottom + 14;
  const o = { size: 8, color: GREY, pad: 0 };
  put(doc, left, m.left, y, w / 3, 12, { ...o, align: "left" });
  put(doc, center, m.left + w / 3, y, w / 3, 12, { ...o, align: "center" });
  put(doc, right, m.left + (2 * w) / 3, y, w / 3, 12, { ...o, align: "right" });
}

function yuan(fen: bigint): string {
  return formatYuan(fen);
}

function capitals(fen: bigint): string {
  return toCapitals(fromFen(fen < 0n ? 0n : fen));
}

/** A correction's difference in capitals: what is paid on top, or what is to be returned. */
function differenceCapitals(fen: bigint, what: string): { label: string; text: string } {
  return fen < 0n ? { label: `应退回${what}（大写）`, text: `人民币 ${capitals(-fen)}` } : { label: `补发${what}（大写）`, text: `人民币 ${capitals(fen)}` };
}

/** A yuan rate with thousands separators and at least 2 decimals: "3,000.00", "0.375". */
function rateYuan(rate: Decimal | string): string {
  const d = new Decimal(rate);
  if (d.decimalPlaces() <= 2) return formatYuan(d);
  const [i, f] = d.toFixed().split(".");
  return `${formatYuan(new Decimal(i!)).slice(0, -3)}.${f}`;
}

function dash(v: string | null | undefined): string {
  const t = (v ?? "").trim();
  return t === "" ? "—" : t;
}

function plainNumber(s: string | null | undefined): string {
  const t = (s ?? "").trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return t;
  return new Decimal(t).toFixed();
}

// ─── The statement ──────────────────────────────────────────────────────────

/**
 * Every string a statement page prints, already formatted, in drawing
 * order. The layout below only places these; the benchmark prints the same
 * strings with raw pdfkit to measure the layout's overhead.
 */
export interface StatementContent {
  creditLine: string;
  numberLine: string;
  cooperative: string;
  title: string;
  basis: string;
  info: [string, string, string, string][];
  amountsCaption: string;
  amountHeader: [string, string, string];
  amountRows: { label: string; basis: string; amount: string; strong?: boolean; muted?: boolean }[];
  capitalsLabel: string;
  capitals: string;
  payment: [string, string, string, string][];
  signTitle: string;
  signLines: string[];
  fingerprint: string;
  seal: string;
  sealCaption: string;
  qrCaption: string;
  codeLine: string;
  url: string;
  notes: string[];
  footerLeft: string;
  footerRight: string;
}

/** Printed instead of a code (and no QR is drawn) while a run has not been issued. */
const NO_CODE = "（发放后生成）";

/**
 * Formats a statement. Throws RangeError("statement.amountsMismatch") when
 * net ≠ guaranteed + shares + transactions + capital − deductions, or any
 * amount is negative (except on a correction, whose amounts are differences):
 * a slip that does not add up must never be printed.
 */
export function statementContent(s: StatementDocument): StatementContent {
  const a = s.amounts;
  const gross = grossOf(a);
  const corr = s.correction;
  for (const v of [a.guaranteedFen, a.surplusFen, a.transactionFen, a.capitalFen, a.providentShareFen, a.deductionFen, a.netFen]) {
    if (typeof v !== "bigint" || (v < 0n && !corr)) throw new RangeError("statement.amountsMismatch");
  }
  if (corr && corr.correctedNetFen - corr.issuedNetFen !== a.netFen) throw new RangeError("statement.amountsMismatch");
  const diff = corr ? "（差额）" : "";
  if (gross - a.deductionFen !== a.netFen) throw new RangeError("statement.amountsMismatch");

  const land = s.method === "LAND_SHARE";
  const shares = plainNumber(s.shares);
  const weight = s.weight != null && s.weight !== "" ? plainNumber(s.weight) : null;
  const partYear = weight !== null && weight !== shares;
  const perMu = s.sharesPerMu ? plainNumber(s.sharesPerMu) : null;
  const rate = s.guaranteePerShare ? new Decimal(s.guaranteePerShare) : null;

  const info: [string, string, string, string][] = [
    ["户主姓名", s.householdHead, "农户编号", s.householdCode],
    ["身份证号码", s.idMasked, "所在村组", dash(s.villageName)],
    ["入股面积", `${s.areaMu} 亩`, "户类别", dash(s.povertyLabel)],
    [
      "入股股数",
      `${shares} 股${perMu ? `（1 亩 = ${perMu} 股）` : ""}`,
      "折算股数",
      partYear
        ? `${weight} 股${s.daysHeld != null && s.daysInYear ? `（持股 ${s.daysHeld}/${s.daysInYear} 天）` : ""}`
        : `${shares} 股（全年持股）`,
    ],
  ];
  if (land) info.push(["保底标准", rate ? `${rateYuan(rate)} 元/股` : "—", "分配方式", METHOD_ZH[s.method]]);
  else info.push(["交易量返还比例", s.transactionPercent ? `${plainNumber(s.transactionPercent)}%（法定不低于 60%）` : "—", "分配方式", METHOD_ZH[s.method]]);

  const basisShares = partYear ? `折算 ${weight} 股` : `${shares} 股`;
  const rows: StatementContent["amountRows"] = [];
  if (land) {
    let g = rate ? `${basisShares} × ${rateYuan(rate)} 元/股` : "—";
    const due = a.guaranteedDueFen;
    if (due != null && due !== a.guaranteedFen) g += `（应付 ${yuan(due)}，缺口 ${yuan(due - a.guaranteedFen)}）`;
    rows.push({ label: `一、保底收益${diff}`, basis: g, amount: yuan(a.guaranteedFen) });
    rows.push({ label: `二、二次分红${diff || "（按股分红）"}`, basis: `可分配盈余支付保底后的余额，按 ${basisShares} 分配`, amount: yuan(a.surplusFen) });
  } else {
    const vol = s.transactionVolumeFen != null ? `本年交易额 ${yuan(s.transactionVolumeFen)} 元，` : "";
    rows.push({ label: `一、按交易量返还${diff}`, basis: `${vol}按交易量（额）比例返还`, amount: yuan(a.transactionFen) });
    const cap = s.capitalBaseFen != null ? `出资额 ${yuan(s.capitalBaseFen)} 元，` : "";
    rows.push({ label: `二、按出资额分配${diff}`, basis: `${cap}按出资额比例分配`, amount: yuan(a.capitalFen) });
    rows.push({ label: `三、按股份分配${diff}`, basis: `${basisShares}，按股份比例分配`, amount: yuan(a.surplusFen) });
  }
  rows.push({ label: `应分金额合计${diff}`, basis: "", amount: yuan(gross), strong: true });
  rows.push({ label: `减：扣除${diff}`, basis: dash(s.deductionNote), amount: yuan(a.deductionFen) });
  if (corr) {
    // One row, so the slip keeps to one page: the difference with what it is the difference of.
    rows.push({ label: a.netFen < 0n ? "应退回金额" : "本次补发金额", basis: `更正后应发 ${yuan(corr.correctedNetFen)} − 原已发放 ${yuan(corr.issuedNetFen)}`, amount: yuan(a.netFen), strong: true });
  } else {
    rows.push({ label: "实发金额", basis: "", amount: yuan(a.netFen), strong: true });
  }
  const provident = { label: `量化公积金${diff}`, basis: "记入成员账户，不以现金发放", amount: yuan(a.providentShareFen), muted: true };
  const capRow = corr ? differenceCapitals(a.netFen, "金额") : { label: "实发金额（大写）", text: `人民币 ${capitals(a.netFen)}` };

  return {
    creditLine: `统一社会信用代码：${s.creditCode}`,
    numberLine: `编号：${s.statementNo}`,
    cooperative: s.cooperativeName,
    title: `${s.year} 年度${land ? "入股" : "盈余"}分红${corr ? "更正" : ""}明细单`,
    basis: corr
      ? `更正依据：更正 ${corr.of}${s.resolution ? `（${s.resolution}）` : ""}；本单列出差额，负数为多发应退回`
      : `分配依据：${s.runTitle}${s.resolution ? `（${s.resolution}）` : ""}`,
    info,
    amountsCaption: "分配明细（金额单位：元）",
    amountHeader: ["项目", "计算依据", "金额（元）"],
    amountRows: [...rows, provident],
    capitalsLabel: capRow.label,
    capitals: capRow.text,
    payment: [
      ["发放方式", dash(s.paymentMethod), "收款账户", dash(s.accountMasked)],
      // The day the money reached the account (or the failure still open), not the issue date.
      ["到账情况", paymentLine(s.payment, a.netFen), "核验码", s.verificationCode || NO_CODE],
    ],
    signTitle: "签字确认",
    signLines: [
      "领款人（签字）：________________",
      signOffLine(s),
      `理事长：${s.chair ? s.chair : "____________"}`,
      `监事：${s.supervisor ? s.supervisor : "____________"}`,
      "日期：______年____月____日",
    ],
    fingerprint: "按手印",
    seal: "盖章",
    sealCaption: "（合作社盖章）",
    qrCaption: "扫码核验本单真伪",
    codeLine: `核验码：${s.verificationCode || NO_CODE}`,
    url: s.verifyUrl,
    notes: [
      "说明：1. 金额计至分，各户金额按最大余额法分配，全体合计与分配总额一致；",
      "2. 量化公积金记入成员账户，不以现金发放；3. 身份证号码、账户已脱敏；",
      "4. 如对本单有异议，请向合作社监事会反映；扫码或登录核验页面可核对本单。",
    ],
    footerLeft: `分红${corr ? "更正" : ""}明细单 ${s.statementNo}`,
    footerRight: s.generatedAt ? `打印：${s.generatedAt}` : "",
  };
}

/** "2026年2月3日到账 1,000.00 元（流水号 NX-1）", a failure with its reason, or 未支付 (see statementPaymentOf). */
export function paymentLine(p: StatementPayment | undefined, netFen: bigint): string {
  if (!p) return "______年____月____日";
  const parts = p.paid.map((x) => `${dateZh(x.on)}到账 ${yuan(x.amountFen)} 元${x.reference ? `（流水号 ${x.reference}）` : ""}`);
  if (p.failed) parts.push(`${dateZh(p.failed.on)}支付失败：${p.failed.reason || "原因未填"}，待重新支付`);
  else if (p.outstandingFen > 0n) parts.push(p.paid.length ? `尚有 ${yuan(p.outstandingFen)} 元未支付` : "未支付");
  if (parts.length === 0) return netFen > 0n ? "未支付" : "无需支付";
  return parts.join("；");
}

/** 制表 · 审定 · 发放: the names of who made, approved and issued the run (blank lines where not known). */
function signOffLine(s: StatementDocument): string {
  const name = (v: string | null | undefined) => (v && v.trim() ? v.trim() : "________");
  return `制表：${name(s.madeBy ?? s.preparer)}　审定：${name(s.approvedBy)}　发放：${name(s.issuedBy)}`;
}

/** Lays out one statement on the current (empty) page. `pageLabel` is the footer's centre text. */
function drawStatementPage(doc: Doc, s: StatementDocument, pageLabel: string): void {
  const c = statementContent(s);
  const m = doc.page.margins;
  const L = m.left;
  const W = doc.page.width - m.left - m.right;
  let y = 40;

  put(doc, c.creditLine, L, y, W / 2, 14, { size: 8.5, color: GREY, pad: 0 });
  put(doc, c.numberLine, L + W / 2, y, W / 2, 14, { size: 8.5, align: "right", pad: 0 });
  y += 22;
  put(doc, c.cooperative, L, y, W, 20, { size: 14, bold: true, align: "center" });
  y += 24;
  put(doc, c.title, L, y, W, 28, { size: 20, bold: true, align: "center", spacing: 2 });
  y += 34;
  put(doc, c.basis, L, y, W, 16, { size: 9, pad: 0 });
  y += 20;

  // Member
  const infoW = [80, W / 2 - 80, 80, W / 2 - 80];
  y = grid(doc, L, y, infoW, c.info, 22, { size: 10, shade: new Set([0, 2]) });
  y += 12;

  // Amounts
  put(doc, c.amountsCaption, L, y, W, 16, { size: 10.5, bold: true, pad: 0 });
  y += 18;
  const amountW = [140, W - 140 - 120, 120];
  const rows: Cell[][] = [c.amountHeader];
  for (const r of c.amountRows) {
    const o: TextOpts = r.strong ? { bold: true, size: r.label === "实发金额" ? 12 : 10.5 } : r.muted ? { color: GREY, size: 9 } : {};
    rows.push([
      { text: r.label, o },
      { text: r.basis, o: { size: 8.5, color: r.muted ? GREY : "#222222" } },
      { text: r.amount, o: { ...o, align: "right" } },
    ]);
  }
  // the capitals row sits right below the net amount, before the provident fund row
  const capRow: Cell[] = [{ text: c.capitalsLabel, o: { bold: true } }, { text: c.capitals, o: { bold: true, size: 12 } }, null];
  rows.splice(rows.length - 1, 0, capRow);
  y = grid(doc, L, y, amountW, rows, 24, { size: 10, headerRows: 1, shade: new Set([0]) });
  y += 12;

  // Payment
  y = grid(doc, L, y, infoW, c.payment, 22, { size: 10, shade: new Set([0, 2]) });
  y += 14;

  // Signatures, fingerprint and seal
  const boxH = 132;
  doc.lineWidth(0.5).strokeColor("#bbbbbb").rect(L, y, W, boxH).stroke().strokeColor("black");
  put(doc, c.signTitle, L + 8, y + 6, 120, 16, { size: 10, bold: true, pad: 0 });
  const fpSize = 58;
  const sealSize = 96;
  const colX = L + 8;
  const colW = W - fpSize - sealSize - 48;
  c.signLines.forEach((line, i) => {
    put(doc, line, colX, y + 26 + i * 20, colW, 18, { size: 9.5, pad: 0 });
  });
  dashedBox(doc, L + W - sealSize - fpSize - 28, y + 34, fpSize, fpSize, c.fingerprint);
  dashedBox(doc, L + W - sealSize - 12, y + 18, sealSize, sealSize, c.seal);
  put(doc, c.sealCaption, L + W - sealSize - 40, y + 18 + sealSize + 1, sealSize + 40, 12, { size: 7, color: GREY, align: "center", pad: 0 });
  y += boxH + 12;

  // QR and notes
  const qr = 78;
  // No URL (a draft or simulation): a QR that scans to nothing would mislead.
  if (c.url) drawQr(doc, c.url, L + W - qr, y, qr);
  else dashedBox(doc, L + W - qr, y, qr, qr, "发放后生成核验码");
  const textW = W - qr - 12;
  put(doc, c.qrCaption, L, y, textW, 14, { size: 9, bold: true, pad: 0 });
  put(doc, c.codeLine, L, y + 15, textW, 14, { size: 9, pad: 0 });
  put(doc, c.url, L, y + 30, textW, 12, { size: 7.5, color: GREY, pad: 0 });
  c.notes.forEach((n, i) => put(doc, n, L, y + 46 + i * 11, textW, 11, { size: 7.5, color: GREY, pad: 0 }));

  if (s.draft) watermark(doc, "试算 · 未审定");
  footer(doc, c.footerLeft, pageLabel, c.footerRight);
}

/** One household's statement, one A4 page, ended and streamed (see the module comment). */
export function renderStatementPdf(s: StatementDocument): Readable {
  const doc = createPdf({ title: `${s.cooperativeName} ${s.year} 年度分红${s.correction ? "更正" : ""}明细单 ${s.statementNo}`, subject: s.householdHead });
  drawStatementPage(doc, s, "第 1 页 共 1 页");
  doc.end();
  return doc;
}

// ─── Batch ──────────────────────────────────────────────────────────────────

/**
 * Like createPdf (same fonts, size and margins) but WITHOUT bufferPages and
 * without a first page: each addPage() writes out and releases the page
 * before it.
 */
export function createStreamingPdf(info: { title?: string; subject?: string } = {}): Doc {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: "A4",
    margins: { ...MARGINS },
    bufferPages: false,
    autoFirstPage: false,
    info: {
      Title: info.title ?? "",
      Subject: info.subject ?? "",
      Author: "村社账本 Cunshe Ledger",
      Creator: "村社账本 Cunshe Ledger",
    },
  });
  doc.registerFont(FONT.regular, f.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(FONT.bold, f.bold as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(FONT.regular);
  return withFontFallback(doc);
}

/**
 * Empties pdfkit's glyph-layout caches (pdfkit 0.20 keeps one per embedded
 * font in `_fontFamilies[name].layoutCache`, never trimmed). Relies on that
 * internal; if it changes this does nothing and only memory suffers, which
 * the bench would show.
 */
export function clearLayoutCaches(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies;
  if (!families) return;
  for (const f of Object.values(families)) {
    if (f && typeof f === "object" && f.layoutCache) f.layoutCache = Object.create(null);
  }
}

function drawCoverPage(doc: Doc, cv: RunCover, pageLabel: string): void {
  const m = doc.page.margins;
  const L = m.left;
  const W = doc.page.width - m.left - m.right;
  const land = cv.method === "LAND_SHARE";
  let y = 40;
  put(doc, `统一社会信用代码：${cv.creditCode}`, L, y, W, 14, { size: 8.5, color: GREY, pad: 0 });
  y += 22;
  put(doc, cv.cooperativeName, L, y, W, 20, { size: 14, bold: true, align: "center" });
  y += 24;
  const corr = cv.correction;
  // A correction's plan figures are the corrected plan's; its line sums are the differences it pays.
  const after = corr ? "更正后" : "";
  const diff = corr ? "差额" : "";
  put(doc, `${cv.year} 年度分红${corr ? "更正" : ""}明细单汇总表`, L, y, W, 28, { size: 20, bold: true, align: "center", spacing: 2 });
  y += 34;
  put(doc, corr ? `更正依据：更正 ${corr.of}；各户只列差额，负数为多发应退回` : `分配依据：${cv.runTitle}${cv.resolution ? `（${cv.resolution}）` : ""}`, L, y, W, 16, { size: 9, pad: 0 });
  y += 18;
  put(doc, `分配方式：${METHOD_ZH[cv.method]}`, L, y, W, 16, { size: 9, pad: 0 });
  y += 24;

  const widths = [170, 120, W - 290];
  const pct = (p: string) => `${plainNumber(p)}%`;
  const rows: Cell[][] = [["项目", "金额（元）", "说明"]];
  const add = (label: string, fen: bigint, note = "", strong = false) =>
    rows.push([{ text: label, o: { bold: strong } }, { text: yuan(fen), o: { align: "right", bold: strong } }, { text: note, o: { size: 8.5 } }]);
  add(`${after}年度收入`, cv.incomeFen);
  add(`${after}成本费用`, cv.costFen);
  add(`${after}本年盈余`, cv.surplusFen, cv.surplusFen <= 0n ? "无盈余，不分配" : "收入 − 成本费用");
  if (cv.lossRecoveryFen && cv.lossRecoveryFen > 0n) add("弥补亏损", cv.lossRecoveryFen);
  add(`${after}提取公积金`, cv.providentFen, `${pct(cv.providentPercent)}，量化到成员账户`);
  add(`${after}提取风险金`, cv.riskFen, pct(cv.riskPercent));
  add(`${after}可分配盈余`, cv.distributableFen, "", true);
  if (land) {
    const rate = cv.guaranteePerShare ? `每股 ${rateYuan(cv.guaranteePerShare)} 元` : "";
    add(`保底收益${diff}合计`, cv.guaranteedFen, rate);
    add(`二次分红${diff}合计`, cv.surplusSharedFen, "按折算股数分配");
  } else {
    add(`按交易量返还${diff}合计`, cv.transactionFen, cv.transactionPercent ? `不低于可分配盈余的 ${pct(cv.transactionPercent)}` : "");
    add(`按出资额分配${diff}合计`, cv.capitalFen);
    add(`按股份分配${diff}合计`, cv.surplusSharedFen);
  }
  const gross = cv.guaranteedFen + cv.surplusSharedFen + cv.transactionFen + cv.capitalFen;
  add(`应分金额${diff}合计`, gross, "", true);
  add(`扣除${diff}合计`, cv.deductionFen);
  if (corr) {
    add("涉及各户原已发放合计", corr.issuedNetFen, "原方案及此前已发放的更正");
    add("涉及各户更正后应发合计", corr.correctedNetFen);
    add("本次更正差额合计", cv.netFen, "更正后应发 − 原已发放", true);
    const c = differenceCapitals(cv.netFen, "合计");
    rows.push([{ text: c.label, o: { bold: true } }, { text: c.text, o: { bold: true } }, null]);
  } else {
    add("实发金额合计", cv.netFen, "", true);
    rows.push([{ text: "实发金额合计（大写）", o: { bold: true } }, { text: `人民币 ${capitals(cv.netFen)}`, o: { bold: true } }, null]);
  }
  if (cv.providentQuantifiedFen != null) add(`量化公积金${diff}合计`, cv.providentQuantifiedFen, "记入成员账户，不发放");
  if (cv.shortfallFen && cv.shortfallFen > 0n) add("保底收益缺口", cv.shortfallFen, "可分配盈余不足，方案不得审定", true);
  y = grid(doc, L, y, widths, rows, 22, { size: 10, headerRows: 1, shade: new Set([0]) });
  y += 14;

  const info: Cell[][] = [
    ["分配户数", `${cv.households} 户`, "入股面积合计", `${cv.totalAreaMu} 亩`],
    ["股数合计", `${plainNumber(cv.totalShares)} 股`, "审定日期", cv.approvedOn ? dateZh(cv.approvedOn) : "—"],
    ["每股分配", cv.perShare ? `按折算股数计（元/股）：最低 ${cv.perShare.min}，中位数 ${cv.perShare.median}，最高 ${cv.perShare.max}` : "—", null, null],
  ];
  if (cv.issuedOn) info.push(["发放日期", dateZh(cv.issuedOn), null, null]);
  y = grid(doc, L, y, [80, W / 2 - 80, 80, W / 2 - 80], info, 22, { size: 9.5, shade: new Set([0, 2]) });
  y += 10;
  put(doc, `本册共 ${cv.households} 份分红${corr ? "更正" : ""}明细单，每户一页，附于本页之后。`, L, y, W, 16, { size: 9, pad: 0 });
  y += 28;

  const sealSize = 96;
  const lines = [
    `制表人：${cv.preparer || "____________"}`,
    `理事长：${cv.chair || "____________"}`,
    `监事长：${cv.supervisor || "____________"}`,
    "日期：______年____月____日",
  ];
  lines.forEach((t, i) => put(doc, t, L, y + i * 22, W - sealSize - 30, 18, { size: 10, pad: 0 }));
  dashedBox(doc, L + W - sealSize - 10, y, sealSize, sealSize, "合作社盖章");

  if (cv.draft) watermark(doc, "试算 · 未审定");
  footer(doc, `${cv.cooperativeName} ${cv.year} 年度分红${corr ? "更正" : ""}`, pageLabel, cv.generatedAt ? `打印：${cv.generatedAt}` : "");
}

/**
 * The cover summary page, then one page per statement, STREAMED as the
 * iterable yields (see the module comment). Errors (a statement that does not
 * add up, an iterable that throws) destroy the returned stream with the error.
 */
export function renderStatementBatch(cover: RunCover, statements: AsyncIterable<StatementDocument> | Iterable<StatementDocument>): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const doc = createStreamingPdf({ title: `${cover.cooperativeName} ${cover.year} 年度分红${cover.correction ? "更正" : ""}明细单`, subject: cover.correction ? `更正 ${cover.correction.of}` : cover.runTitle });
  // pdfkit pushes every PDF line as its own small chunk: gather them and
  // hand the consumer one buffer per page.
  let pending: Uint8Array[] = [];
  const flush = () => {
    if (pending.length === 0 || out.destroyed) return;
    const chunk = Buffer.concat(pending);
    pending = [];
    out.write(chunk);
  };
  doc.on("data", (chunk: Uint8Array) => {
    pending.push(chunk);
  });
  doc.on("end", () => {
    flush();
    if (!out.destroyed) out.end();
  });
  doc.on("error", (err: Error) => out.destroy(err));

  const run = async () => {
    let page = 1;
    doc.addPage();
    drawCoverPage(doc, cover, `第 ${page} 页`);
    for await (const s of statements) {
      if (out.destroyed) return;
      page += 1;
      const previous = doc.page;
      doc.addPage(); // writes out the previous page
      releasePage(previous);
      flush();
      drawStatementPage(doc, s, `第 ${page} 页`);
      if (page % LAYOUT_CACHE_PAGES === 0) clearLayoutCaches(doc);
      if (out.writableNeedDrain) await drained(out);
      else if (page % YIELD_PAGES === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!out.destroyed) doc.end();
  };
  run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/**
 * After a page has been written, pdfkit still holds its dictionary (with the
 * resources and content references) in the page tree, only to print
 * "n 0 R" in the Kids array at the end. Dropping the written objects' data
 * keeps about 1 KB per page from piling up. pdfkit 0.20 internals; a no-op if
 * they change.
 */
function releasePage(page: PDFKit.PDFPage | undefined): void {
  const dict = (page as unknown as { dictionary?: { data?: unknown; offset?: number } } | undefined)?.dictionary;
  if (dict && typeof dict.offset === "number") dict.data = {};
}

/** Resolves on 'drain', or when the stream is closed (then the loop sees `destroyed` and stops). */
async function drained(out: PassThrough): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(out, "drain", { signal: ac.signal }), once(out, "close", { signal: ac.signal })]);
  } catch {
    // closed with an error: the loop stops on `destroyed`
  } finally {
    ac.abort();
  }
}

// ─── Public notice ──────────────────────────────────────────────────────────

interface NoticeColumn {
  header: string;
  width: number;
  align?: Align;
  value: (r: NoticeRow, i: number) => string;
  total?: (rows: NoticeRow[]) => string;
}

function sumFen(rows: NoticeRow[], f: (r: NoticeRow) => bigint): string {
  let s = 0n;
  for (const r of rows) s += f(r);
  return yuan(s);
}

function sumDec(rows: NoticeRow[], f: (r: NoticeRow) => string): Decimal {
  let s = new Decimal(0);
  for (const r of rows) {
    const v = f(r);
    if (/^\d+(?:\.\d+)?$/.test(v)) s = s.plus(v);
  }
  return s;
}

/** A weight as printed: at most 4 decimals ("8.0658"), whole numbers plain ("16"). */
function weightShort(w: string | null | undefined): string {
  const t = (w ?? "").trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return t;
  return new Decimal(t).toDecimalPlaces(4).toFixed();
}

function noticeColumns(n: NoticeDocument): NoticeColumn[] {
  const land = n.method === "LAND_SHARE";
  const anyGroup = n.rows.some((r) => r.group);
  const anyWeight = n.rows.some((r) => r.weight != null && r.weight !== "");
  const anySince = n.rows.some((r) => r.since);
  const cols: NoticeColumn[] = [{ header: "序号", width: 30, align: "center", value: (_r, i) => String(i + 1) }];
  if (anyGroup) cols.push({ header: "组别", width: 42, align: "center", value: (r) => r.group ?? "" });
  cols.push({ header: "户主", width: 56, align: "center", value: (r) => r.householdHead });
  cols.push({ header: "身份证号码", width: 104, align: "center", value: (r) => r.idMasked });
  if (anySince) cols.push({ header: "入股日期", width: 62, align: "center", value: (r) => r.since ?? "" });
  cols.push({ header: "面积（亩）", width: 56, align: "right", value: (r) => r.areaMu, total: (rows) => sumDec(rows, (r) => r.areaMu).toFixed(2) });
  cols.push({ header: "股数", width: 50, align: "right", value: (r) => plainNumber(r.shares), total: (rows) => sumDec(rows, (r) => r.shares).toFixed() });
  // The guarantee follows the days held: the weighted shares stand beside the nominal ones.
  if (anyWeight) cols.push({ header: "折算股数", width: 60, align: "right", value: (r) => weightShort(r.weight), total: (rows) => sumDec(rows, (r) => r.weight ?? "").toDecimalPlaces(4).toFixed() });
  if (land) {
    cols.push({ header: "保底收益", width: 74, align: "right", value: (r) => yuan(r.guaranteedFen), total: (rows) => sumFen(rows, (r) => r.guaranteedFen) });
    cols.push({ header: "二次分红", width: 74, align: "right", value: (r) => yuan(r.surplusFen), total: (rows) => sumFen(rows, (r) => r.surplusFen) });
  } else {
    cols.push({ header: "按交易量返还", width: 74, align: "right", value: (r) => yuan(r.transactionFen), total: (rows) => sumFen(rows, (r) => r.transactionFen) });
    cols.push({ header: "按出资额分配", width: 70, align: "right", value: (r) => yuan(r.capitalFen), total: (rows) => sumFen(rows, (r) => r.capitalFen) });
    cols.push({ header: "按股份分配", width: 70, align: "right", value: (r) => yuan(r.surplusFen), total: (rows) => sumFen(rows, (r) => r.surplusFen) });
  }
  const gross = (r: NoticeRow) => r.guaranteedFen + r.surplusFen + r.transactionFen + r.capitalFen;
  cols.push({ header: "应分合计", width: 78, align: "right", value: (r) => yuan(gross(r)), total: (rows) => sumFen(rows, gross) });
  cols.push({ header: "扣除", width: 60, align: "right", value: (r) => yuan(r.deductionFen), total: (rows) => sumFen(rows, (r) => r.deductionFen) });
  if (n.correction) {
    cols.push({ header: "原已发放", width: 78, align: "right", value: (r) => yuan(r.issuedNetFen ?? 0n), total: (rows) => sumFen(rows, (r) => r.issuedNetFen ?? 0n) });
    cols.push({ header: "更正后", width: 78, align: "right", value: (r) => yuan(r.correctedNetFen ?? r.netFen), total: (rows) => sumFen(rows, (r) => r.correctedNetFen ?? r.netFen) });
  }
  cols.push({ header: n.correction ? "差额" : "实发金额", width: 80, align: "right", value: (r) => yuan(r.netFen), total: (rows) => sumFen(rows, (r) => r.netFen) });
  cols.push({ header: "备注", width: 70, value: (r) => r.note ?? "" });
  return cols;
}

/** The notice's summary paragraph: the plan in figures, as the villagers read it. */
function noticeSummary(n: NoticeDocument): string {
  const pct = (p: string) => `${plainNumber(p)}%`;
  const parts = [
    `本年度盈余 ${yuan(n.surplusFen)} 元`,
    ...(n.lossRecoveryFen && n.lossRecoveryFen > 0n ? [`弥补亏损 ${yuan(n.lossRecoveryFen)} 元`] : []),
    `提取公积金 ${pct(n.providentPercent)}（${yuan(n.providentFen)} 元，量化到成员账户）`,
    `风险金 ${pct(n.riskPercent)}（${yuan(n.riskFen)} 元）`,
    `可分配盈余 ${yuan(n.distributableFen)} 元`,
  ];
  let tail: string;
  if (n.method === "LAND_SHARE") {
    const g = n.rows.reduce((s, r) => s + r.guaranteedFen, 0n);
    const sp = n.rows.reduce((s, r) => s + r.surplusFen, 0n);
    const rate = n.guaranteePerShare ? `每股 ${rateYuan(n.guaranteePerShare)} 元` : "";
    const perMu = n.sharesPerMu ? `（1 亩 = ${plainNumber(n.sharesPerMu)} 股）` : "";
    tail = `其中保底收益${rate}${perMu}，合计 ${yuan(g)} 元；二次分红按折算股数分配，合计 ${yuan(sp)} 元。`;
  } else {
    const t = n.rows.reduce((s, r) => s + r.transactionFen, 0n);
    const c = n.rows.reduce((s, r) => s + r.capitalFen, 0n);
    const sp = n.rows.reduce((s, r) => s + r.surplusFen, 0n);
    tail = `其中按交易量返还 ${yuan(t)} 元${n.transactionPercent ? `（不低于可分配盈余的 ${pct(n.transactionPercent)}）` : ""}，按出资额分配 ${yuan(c)} 元，按股份分配 ${yuan(sp)} 元。`;
  }
  if (n.correction) {
    const net = n.rows.reduce((s, r) => s + r.netFen, 0n);
    return `本表为更正公示，更正 ${n.correction.of}。更正后：${parts.join("，")}。各户只列差额：${tail.replace(/^其中/, "")}差额合计 ${yuan(net)} 元（负数为多发应退回）。`;
  }
  return `${parts.join("，")}；${tail}`;
}

function noticeTitle(n: NoticeDocument): string {
  return `${n.villageName ? `${n.villageName} ` : ""}${n.cooperativeName} ${n.year} 年度收益分配方案${n.correction ? "更正" : ""}公示表`;
}

/**
 * The public notice (公示表), landscape A4: title, the plan in figures, every
 * household (masked ID, area, shares, amounts) in a table whose header repeats
 * on each page, the totals, the notice period, whom to contact, the
 * supervisory body's signatures and the seal. Ended and streamed.
 */
export function renderNoticeSheet(n: NoticeDocument): Readable {
  const title = noticeTitle(n);
  const doc = createPdf({ title, subject: n.runTitle ?? "", layout: "landscape", margins: { top: 40, bottom: 50, left: 36, right: 36 } });
  const L = doc.page.margins.left;
  const W = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  let y = doc.page.margins.top;

  put(doc, title, L, y, W, 26, { size: 17, bold: true, align: "center", spacing: 1 });
  y += 30;
  const sub = [n.runTitle, n.resolution].filter(Boolean).join("，");
  if (sub) {
    put(doc, `${sub}。`, L, y, W, 14, { size: 9, align: "center", color: "#333333" });
    y += 18;
  }
  doc.font(FONT.regular).fontSize(9.5);
  ink(doc, "black");
  const summary = noticeSummary(n);
  doc.text(summary, L, y, { width: W, lineGap: 2 });
  y = doc.y + 8;

  const cols = noticeColumns(n);
  const scale = W / cols.reduce((s, c) => s + c.width, 0);
  const widths = cols.map((c) => c.width * scale);
  const rowH = 17;
  const headerH = 20;
  const header: Cell[] = cols.map((c) => c.header);
  const drawHeader = () => {
    y = grid(doc, L, y, widths, [header], headerH, { size: 8.5, headerRows: 1 });
  };
  drawHeader();
  const totalRow: Cell[] = cols.map((c, i) =>
    i === 0 ? null : c.total ? { text: c.total(n.rows), o: { align: c.align ?? "left", bold: true } } : { text: "" },
  );
  totalRow[0] = { text: `合计（${n.rows.length} 户）`, o: { bold: true, align: "center" } };
  // the total's label spans the columns before the first summed column
  const firstSummed = cols.findIndex((c) => c.total);
  for (let i = 1; i < firstSummed; i++) totalRow[i] = null;

  n.rows.forEach((r, i) => {
    if (y + rowH > bottom()) {
      doc.addPage();
      y = doc.page.margins.top;
      put(doc, `${title}（续）`, L, y, W, 16, { size: 9, color: GREY, pad: 0 });
      y += 18;
      drawHeader();
    }
    const cells: Cell[] = cols.map((c) => ({ text: c.value(r, i), o: { align: c.align ?? "left" } }));
    y = grid(doc, L, y, widths, [cells], rowH, { size: 8 });
  });
  if (y + rowH > bottom()) {
    doc.addPage();
    y = doc.page.margins.top;
    drawHeader();
  }
  y = grid(doc, L, y, widths, [totalRow], rowH + 3, { size: 8.5, shade: new Set(cols.map((_c, i) => i)) });
  y += 10;

  // Closing block: period, contacts, signatures, seal (kept together).
  const closingH = 124;
  if (y + closingH > bottom()) {
    doc.addPage();
    y = doc.page.margins.top;
    put(doc, `${title}（续）`, L, y, W, 16, { size: 9, color: GREY, pad: 0 });
    y += 24;
  }
  const contact = [n.contactName, n.contactPhone].filter(Boolean).join("，电话 ");
  const lines = [
    // The same N calendar days that issuing waits for (app/dividends/notice.ts).
    `公示期：${n.noticeFrom && n.noticeTo ? noticePeriodZh(n.noticeFrom, n.noticeTo) : "______年____月____日至____月____日"}。`,
    `公示期内如有疑问或异议，请向${contact ? ` ${contact} ` : "合作社理事会"}反映；监督举报电话：${dash(n.complaintPhone)}。`,
    "身份证号码已作脱敏处理；各户金额计至分，合计与可分配盈余的分配总额一致。",
  ];
  const sealSize = 92;
  const textW = W - sealSize - 40;
  lines.forEach((t, i) => put(doc, t, L, y + i * 18, textW, 16, { size: 9.5, pad: 0 }));
  const body = n.supervisoryBody || (n.method === "PROFESSIONAL" ? "监事会" : "村务监督委员会");
  const sy = y + lines.length * 18 + 14;
  put(doc, `${body}（签字）：______________    ______________    ______________`, L, sy, textW, 18, { size: 10, pad: 0 });
  put(doc, `公布日期：${n.publishedOn ? dateZh(n.publishedOn) : "______年____月____日"}`, L, sy + 30, textW, 18, { size: 10, pad: 0 });
  dashedBox(doc, L + W - sealSize - 10, y, sealSize, sealSize, "合作社盖章");
  put(doc, "（合作社盖章）", L + W - sealSize - 10, y + sealSize + 2, sealSize, 12, { size: 7.5, color: GREY, align: "center", pad: 0 });

  numberPages(doc, {
    left: `${n.cooperativeName} ${n.year} 年度收益分配${n.correction ? "更正" : ""}公示`,
    right: n.generatedAt ? `打印：${n.generatedAt}` : undefined,
    overlay: n.draft ? (d) => watermark(d, "试算 · 未审定") : undefined,
  });
  doc.end();
  return doc;
}

