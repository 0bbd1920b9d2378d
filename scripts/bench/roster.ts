/**
 * The payout roster (发放花名册) PDF against bare pdfkit (issue 14): pages
 * per second of renderRosterPdf for a synthetic run, and, in the same
 * process, pages per second of a comparable table drawn with bare pdfkit and
 * the same embedded font (the same strings at fixed positions, ruled rows,
 * no fitting, no fallback check, no page numbers). Goal: roster ≥ 0.5 × raw.
 * Needs no database (standalone: `npx tsx scripts/bench.ts roster`).
 */
import { Writable } from "node:stream";
import PDFDocument from "pdfkit";
import { formatYuan } from "../../app/lib/money.ts";
import { FONT, loadFonts } from "../../app/lib/pdf.server.ts";
import { maskIdNumber } from "../../app/registry/masking.ts";
import { ROSTER_ROWS_PER_PAGE, rosterPages, type RosterDocument, type RosterRow } from "../../app/dividends/roster.ts";
import { renderRosterPdf, ROSTER_COLUMNS, signedCapitals } from "../../app/dividends/roster-pdf.server.ts";
import type { BenchContext } from "./context.ts";

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎";
const GIVEN = "建国秀英德胜桂兰志强玉梅海燕明华春生小红永福金凤立新淑珍文杰";

function row(i: number): RosterRow {
  const gross = BigInt(100_000 + ((i * 7919) % 900_000));
  const deduction = i % 11 === 0 ? BigInt(2_000 + (i % 500)) : 0n;
  return {
    householdHead: SURNAMES[i % SURNAMES.length]! + GIVEN.slice((i * 2) % GIVEN.length, ((i * 2) % GIVEN.length) + 2),
    idMasked: maskIdNumber(`37170219${String(60 + (i % 40))}0101${String(i % 10000).padStart(4, "0")}`),
    weight: String(2 + (i % 23)),
    grossFen: gross,
    deductionFen: deduction,
    deductionNote: deduction ? "代扣代缴医保" : "",
    netFen: gross - deduction,
  };
}

function roster(households: number): RosterDocument {
  const per = 60;
  const groups = [];
  for (let i = 0; i < households; i += per) {
    groups.push({ village: `村${Math.floor(i / 600) + 1}`, group: `${(i / per) % 10 + 1} 组`, rows: Array.from({ length: Math.min(per, households - i) }, (_, k) => row(i + k)) });
  }
  return { cooperativeName: "菏泽市牡丹区张庄牡丹种植土地股份合作社", creditCode: "93371702MA3C4K8X1Q", year: 2025, runLabel: "2025 年度收益分配方案（第 12 号）", groups, madeBy: "刘会计", approvedBy: "赵志强", issuedBy: "赵志强", issuedOn: "2026-02-01", generatedAt: "2026-02-01 10:20" };
}

const sink = () =>
  new Writable({
    write(_c: Buffer, _e, cb) {
      cb();
    },
  });

async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.pipe(sink()).on("finish", resolve).on("error", reject);
    stream.on("error", reject);
  });
}

async function rosterRate(doc: RosterDocument): Promise<{ pages: number; perSecond: number }> {
  const pages = rosterPages(doc).length;
  const t0 = performance.now();
  await drain(renderRosterPdf(doc));
  return { pages, perSecond: pages / ((performance.now() - t0) / 1000) };
}

/** The same pages' strings with bare pdfkit: fixed positions, a ruled line per row, nothing measured. */
async function rawRate(doc: RosterDocument): Promise<{ pages: number; perSecond: number }> {
  const f = loadFonts();
  const t0 = performance.now();
  const pdf = new PDFDocument({ size: "A4", layout: "landscape", margins: { top: 36, bottom: 46, left: 36, right: 36 }, autoFirstPage: false });
  pdf.registerFont(FONT.regular, f.regular as unknown as PDFKit.Mixins.PDFFontSource);
  pdf.registerFont(FONT.bold, f.bold as unknown as PDFKit.Mixins.PDFFontSource);
  const done = drain(pdf);
  const pages = rosterPages(doc);
  const W = 841.89 - 72;
  const scale = W / ROSTER_COLUMNS.reduce((s, c) => s + c[1], 0);
  const xs: number[] = [];
  ROSTER_COLUMNS.reduce((x, c) => (xs.push(x), x + c[1] * scale), 36);
  const title = `${doc.cooperativeName} ${doc.year} 年度分红发放花名册`;
  pages.forEach((p, n) => {
    pdf.addPage();
    pdf.font(FONT.bold).fontSize(16).text(title, 200, 36, { lineBreak: false });
    pdf.font(FONT.regular).fontSize(9.5).text(`村组：${p.village} ${p.group}`, 36, 62, { lineBreak: false });
    let y = 80;
    ROSTER_COLUMNS.forEach((c, i) => pdf.text(c[0], xs[i]! + 4, y + 6, { lineBreak: false }));
    y += 22;
    for (const r of p.rows) {
      const cells = [String(r.no), r.householdHead, r.idMasked, r.weight, formatYuan(r.grossFen), r.deductionFen ? formatYuan(r.deductionFen) : "", r.deductionNote, formatYuan(r.netFen)];
      cells.forEach((t, i) => t && pdf.text(t, xs[i]! + 4, y + 8, { lineBreak: false }));
      pdf.moveTo(36, y + 26).lineTo(36 + W, y + 26).stroke();
      y += 26;
    }
    pdf.text(`本页小计（${p.subtotal.households} 户）`, 40, y + 5, { lineBreak: false });
    pdf.text(formatYuan(p.subtotal.netFen), xs[7]! + 4, y + 5, { lineBreak: false });
    pdf.text(`人民币 ${signedCapitals(p.subtotal.netFen)}`, xs[3]! + 4, y + 25, { lineBreak: false });
    pdf.fontSize(8).text(`第 ${n + 1} 页`, 400, 560, { lineBreak: false });
  });
  pdf.end();
  await done;
  return { pages: pages.length, perSecond: pages.length / ((performance.now() - t0) / 1000) };
}

export async function run({ report }: BenchContext) {
  const households = 300 * ROSTER_ROWS_PER_PAGE;
  const doc = roster(households);
  // Warm both paths (JIT, font parse) before measuring.
  await rawRate(roster(240));
  await rosterRate(roster(240));
  const raw = await rawRate(doc);
  const ros = await rosterRate(doc);
  console.log(`(${households} households: roster ${ros.pages} pages, raw ${raw.pages} pages; ratio ${(ros.perSecond / raw.perSecond).toFixed(2)}, goal ≥ 0.5)`);
  report("roster_pages_per_s", ros.perSecond);
  report("roster_raw_pdfkit_pages_per_s", raw.perSecond);
}
