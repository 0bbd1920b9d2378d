/**
 * Benchmark helpers for the batch statement PDF (called from
 * scripts/bench/dividends.ts; the statement PDF tests use its synthetic statements).
 *
 * Goal: renderStatementBatch at least half the rate of raw pdfkit pages/s
 * for a page of the same text, with memory that does not grow with the
 * number of statements.
 *
 * - rawPdfkitPagesPerSecond(n): one streaming pdfkit document (no
 *   bufferPages, the same embedded CJK font), n pages, each printing the
 *   very strings statement i prints (statementContent of the same synthetic
 *   statement, so the glyph-layout cache sees the same variety), one string
 *   per line at fixed positions: no measuring, fitting, ruling or QR.
 * - statementsPerSecond(n): renderStatementBatch(cover, n synthetic
 *   statements), the cover page included.
 * Both write into a sink that discards the bytes and sample the process RSS
 * (at every chunk and every 10 ms) to report its peak. Call each in a fresh
 * process, or at least the larger n last, for a clean peak.
 */
import { Writable } from "node:stream";
import { formatYuan } from "~/lib/money";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";
import { verifyUrl, type RunCover, type StatementDocument } from "~/dividends/statement-document";
import { createStreamingPdf, LAYOUT_CACHE_PAGES, clearLayoutCaches, renderStatementBatch, statementContent } from "~/dividends/statement-pdf.server";
import { FONT } from "~/lib/pdf.server";

export interface BenchResult {
  /** pages (raw) or statements (batch) rendered */
  count: number;
  /** wall-clock seconds */
  seconds: number;
  perSecond: number;
  /** CPU seconds of this process (user + system): steadier than wall time on a shared machine */
  cpuSeconds: number;
  perCpuSecond: number;
  bytes: number;
  /** RSS before the run, MB */
  rssStartMb: number;
  /** highest RSS seen during the run, MB */
  rssPeakMb: number;
}

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎";
const GIVEN = "建国秀英德胜桂兰志强玉梅海燕明华春生小红永福金凤立新淑珍文杰";
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** Deterministic synthetic statement number i (distinct names, IDs, amounts and codes). */
export function syntheticStatement(i: number): StatementDocument {
  const area = 2 + (i % 23) + ((i * 37) % 100) / 100;
  const areaStr = area.toFixed(2);
  const guaranteed = BigInt(Math.round(area * 100)) * 300_000n / 100n;
  const surplus = BigInt(1000 + ((i * 7919) % 500_000));
  const deduction = i % 11 === 0 ? 5_000n : 0n;
  const net = guaranteed + surplus - deduction;
  let code = "";
  let x = i * 2654435761 + 12345;
  for (let k = 0; k < 10; k++) {
    code += ALPHABET[x % 32];
    x = Math.floor(x / 32) + k * 7;
  }
  const name = SURNAMES[i % SURNAMES.length]! + GIVEN.slice((i * 2) % GIVEN.length, ((i * 2) % GIVEN.length) + 2);
  return {
    cooperativeName: "菏泽市牡丹区张庄牡丹种植土地股份合作社",
    creditCode: "93371702MA3C4K8X1Q",
    year: 2025,
    method: "LAND_SHARE",
    runTitle: "2025 年度收益分配方案",
    resolution: "经 2026 年 1 月 18 日成员大会表决通过",
    statementNo: `FH-2025-${String(i + 1).padStart(5, "0")}`,
    householdHead: name,
    idMasked: maskIdNumber(`37170219${String(60 + (i % 40))}0101${String(i % 10000).padStart(4, "0")}`),
    householdCode: `371702102001${String(i).padStart(6, "0")}`,
    villageName: `张庄村 ${1 + (i % 6)} 组`,
    povertyLabel: i % 13 === 0 ? "脱贫户" : null,
    areaMu: areaStr,
    shares: areaStr,
    weight: areaStr,
    daysHeld: 365,
    daysInYear: 365,
    sharesPerMu: "1",
    guaranteePerShare: "3000",
    amounts: { guaranteedDueFen: guaranteed, guaranteedFen: guaranteed, surplusFen: surplus, transactionFen: 0n, capitalFen: 0n, providentShareFen: surplus / 10n, deductionFen: deduction, netFen: net },
    deductionNote: deduction > 0n ? `代扣 2025 年度灌溉水费 ${formatYuan(deduction)} 元` : "",
    accountMasked: `菏泽农商银行 ${maskBankAccount(`622848040256${String(i).padStart(7, "0")}`)}`,
    paymentMethod: "银行转账",
    verificationCode: code,
    verifyUrl: verifyUrl("https://ledger.example.cn", code),
    preparer: "刘会计",
    chair: "赵志强",
    supervisor: "孙立新",
    issuedOn: "2026-02-01",
    generatedAt: "2026-02-01 10:20",
  };
}

export function syntheticCover(n: number): RunCover {
  return {
    cooperativeName: "菏泽市牡丹区张庄牡丹种植土地股份合作社",
    creditCode: "93371702MA3C4K8X1Q",
    year: 2025,
    method: "LAND_SHARE",
    runTitle: "2025 年度收益分配方案",
    resolution: "经 2026 年 1 月 18 日成员大会表决通过",
    incomeFen: 0n,
    costFen: 0n,
    surplusFen: 0n,
    providentPercent: "10",
    providentFen: 0n,
    riskPercent: "5",
    riskFen: 0n,
    distributableFen: 0n,
    guaranteePerShare: "3000",
    guaranteedFen: 0n,
    surplusSharedFen: 0n,
    transactionFen: 0n,
    capitalFen: 0n,
    deductionFen: 0n,
    netFen: 0n,
    households: n,
    totalShares: "0",
    totalAreaMu: "0.00",
  };
}

/** The strings a statement page prints, in order (what the raw benchmark writes). */
export function statementPageTexts(s: StatementDocument): string[] {
  const c = statementContent(s);
  return [
    c.creditLine,
    c.numberLine,
    c.cooperative,
    c.title,
    c.basis,
    ...c.info.flat(),
    c.amountsCaption,
    ...c.amountHeader,
    ...c.amountRows.flatMap((r) => [r.label, r.basis, r.amount]),
    c.capitalsLabel,
    c.capitals,
    ...c.payment.flat(),
    c.signTitle,
    ...c.signLines,
    c.fingerprint,
    c.seal,
    c.sealCaption,
    c.qrCaption,
    c.codeLine,
    c.url,
    ...c.notes,
    c.footerLeft,
    c.footerRight,
  ].filter((t) => t !== "");
}

interface Sampler {
  sink: Writable;
  bytes: () => number;
  stop: () => { rssPeakMb: number };
}

function samplingSink(): Sampler {
  let bytes = 0;
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  };
  const timer = setInterval(sample, 10);
  let chunks = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (++chunks % 256 === 0) sample();
      cb();
    },
  });
  return {
    sink,
    bytes: () => bytes,
    stop: () => {
      clearInterval(timer);
      sample();
      return { rssPeakMb: peak / 2 ** 20 };
    },
  };
}

function finished(w: Writable, src: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    w.on("finish", resolve);
    w.on("error", reject);
    src.on("error", reject);
  });
}

function result(n: number, t0: number, c0: NodeJS.CpuUsage, s: Sampler, rssStartMb: number): BenchResult {
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const { rssPeakMb } = s.stop();
  return { count: n, seconds, perSecond: n / seconds, cpuSeconds, perCpuSecond: n / cpuSeconds, bytes: s.bytes(), rssStartMb, rssPeakMb };
}

/** Raw pdfkit: n pages of statement text, streamed to a null sink. */
export async function rawPdfkitPagesPerSecond(n: number): Promise<BenchResult> {
  const rssStart = process.memoryUsage.rss() / 2 ** 20;
  const s = samplingSink();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const doc = createStreamingPdf({ title: "raw" });
  doc.pipe(s.sink);
  const done = finished(s.sink, doc);
  for (let i = 0; i < n; i++) {
    doc.addPage();
    const texts = statementPageTexts(syntheticStatement(i));
    let y = 40;
    for (const t of texts) {
      doc.font(FONT.regular).fontSize(9).text(t, 50, y, { lineBreak: false });
      y += 12;
    }
    // the same cache policy as the batch, so both measure the same pdfkit
    if ((i + 1) % LAYOUT_CACHE_PAGES === 0) clearLayoutCaches(doc);
    if (i % 16 === 15) await new Promise<void>((r) => setImmediate(r));
  }
  doc.end();
  await done;
  return result(n, t0, c0, s, rssStart);
}

/** renderStatementBatch: the cover and n synthetic statements, streamed to a null sink. */
export async function statementsPerSecond(n: number): Promise<BenchResult> {
  const rssStart = process.memoryUsage.rss() / 2 ** 20;
  const s = samplingSink();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  function* statements(): Iterable<StatementDocument> {
    for (let i = 0; i < n; i++) yield syntheticStatement(i);
  }
  const stream = renderStatementBatch(syntheticCover(n), statements());
  stream.pipe(s.sink);
  await finished(s.sink, stream);
  return result(n, t0, c0, s, rssStart);
}
