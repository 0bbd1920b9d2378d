import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfToBuffer } from "~/lib/pdf.server";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";
import { computeRun } from "./compute";
import { weightedShares } from "./shares";
import { rawPdfkitPagesPerSecond, statementPageTexts, statementsPerSecond, syntheticStatement } from "../../tests/statement-bench";
import { coverTotalsOf, statementAmountsOf, statementPaymentOf, verifyUrl, type NoticeDocument, type RunCover, type StatementDocument } from "./statement-document";
import { paymentLine, renderNoticeSheet, renderStatementBatch, renderStatementPdf, statementContent } from "./statement-pdf.server";

/**
 * Renders the dividend PDFs and reads them back with poppler (pdftotext,
 * pdfinfo). Set DIVIDEND_PDF_OUT=/some/dir to keep the files and look at
 * them: `pdftoppm -png -r 80 statement.pdf page`.
 */

let dir: string;
beforeAll(() => {
  dir = process.env.DIVIDEND_PDF_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), "dividend-pdf-"));
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  if (!process.env.DIVIDEND_PDF_OUT) fs.rmSync(dir, { recursive: true, force: true });
});

async function save(name: string, stream: NodeJS.ReadableStream): Promise<string> {
  const buf = await pdfToBuffer(stream);
  expect(buf.subarray(0, 5).toString()).toBe("%PDF-");
  const file = path.join(dir, name);
  fs.writeFileSync(file, buf);
  return file;
}

function text(file: string): string {
  return execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

/** pdftotext drops some spaces in small print: compare without any whitespace. */
function flat(t: string): string {
  return t.replace(/\s+/g, "");
}

function pages(file: string): number {
  const info = execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

const COOP = { cooperativeName: "菏泽市牡丹区张庄牡丹种植土地股份合作社", creditCode: "93371702MA3C4K8X1Q" };
const BASE_URL = "https://ledger.example.cn";

/** The worked example: 16 mu at 3,000 yuan per mu, surplus exactly enough. */
function workedExample(): StatementDocument {
  const reg = weightedShares([{ householdId: 7, areaMu: "16", startDate: "2020-01-01", endDate: "2040-12-31" }], 2025, "1");
  const run = computeRun({
    method: "LAND_SHARE",
    incomeFen: 4_800_000n,
    costFen: 0n,
    providentPercent: "0",
    riskPercent: "0",
    guaranteePerShare: "3000",
    members: reg.map((r) => ({ ...r, key: "371702102001030012" })),
  });
  expect(run.errors).toEqual([]);
  return {
    ...COOP,
    year: 2025,
    method: "LAND_SHARE",
    runTitle: "2025 年度收益分配方案",
    resolution: "经 2026 年 1 月 18 日成员大会表决通过",
    statementNo: "FH-2025-0001",
    householdHead: "王建国",
    idMasked: maskIdNumber("371702196805120018"),
    householdCode: "371702102001030012",
    villageName: "张庄村 3 组",
    povertyLabel: "脱贫户",
    areaMu: reg[0]!.areaMu,
    shares: reg[0]!.shares,
    weight: reg[0]!.weight,
    daysHeld: 365,
    daysInYear: 365,
    sharesPerMu: "1",
    guaranteePerShare: "3000",
    amounts: statementAmountsOf(run.lines[0]!),
    accountMasked: `菏泽农商银行 ${maskBankAccount("6228480402564890018")}`,
    paymentMethod: "银行转账",
    verificationCode: "7KD2M9QX4P",
    verifyUrl: verifyUrl(BASE_URL, "7KD2M9QX4P"),
    preparer: "刘会计",
    chair: "赵志强",
    supervisor: "孙立新",
    issuedOn: "2026-02-01",
    generatedAt: "2026-02-01 10:20",
  };
}

describe("a statement tells the payment as it happened", () => {
  const net = 4_800_000n;
  const attempt = (status: string, paidOn: string, amountFen: bigint, reference = "", failureReason = "") => ({ status, paidOn, amountFen, reference, failureReason });

  it("prints the day the money reached the account with its reference, not the issue date", async () => {
    const payment = statementPaymentOf(net, [attempt("FAILED", "2026-02-02", net, "", "账户冻结"), attempt("PAID", "2026-02-05", net, "NX-1")]);
    expect(payment).toEqual({ paid: [{ on: "2026-02-05", amountFen: net, reference: "NX-1" }], failed: null, outstandingFen: 0n });
    const t = flat(text(await save("statement-paid.pdf", renderStatementPdf({ ...workedExample(), payment, madeBy: "刘会计", approvedBy: "赵志强", issuedBy: "赵志强" }))));
    expect(t).toContain(flat("到账情况 2026年2月5日到账 48,000.00 元（流水号 NX-1）"));
    expect(t).not.toContain("2026年2月1日");
    expect(t).not.toContain("账户冻结");
    expect(t).toContain(flat("制表：刘会计　审定：赵志强　发放：赵志强"));
  });

  it("shows a failure with its reason while the latest attempt failed and the line is not fully paid; 未支付 before any attempt", async () => {
    const failed = statementPaymentOf(net, [attempt("FAILED", "2026-02-02", net, "", "账户冻结")]);
    expect(failed.failed).toEqual({ on: "2026-02-02", reason: "账户冻结" });
    const t = flat(text(await save("statement-failed.pdf", renderStatementPdf({ ...workedExample(), payment: failed }))));
    expect(t).toContain(flat("2026年2月2日支付失败：账户冻结，待重新支付"));
    expect(paymentLine(statementPaymentOf(net, []), net)).toBe("未支付");
    // part paid, then a failure: both told
    expect(paymentLine(statementPaymentOf(net, [attempt("PAID", "2026-02-03", 1_000_000n, "A1"), attempt("FAILED", "2026-02-04", 3_800_000n, "", "户名不符")]), net)).toBe(
      "2026年2月3日到账 10,000.00 元（流水号 A1）；2026年2月4日支付失败：户名不符，待重新支付",
    );
    expect(paymentLine(statementPaymentOf(net, [attempt("PAID", "2026-02-03", 1_000_000n, "")]), net)).toBe("2026年2月3日到账 10,000.00 元；尚有 38,000.00 元未支付");
    expect(paymentLine(statementPaymentOf(0n, []), 0n)).toBe("无需支付");
    // a draft: blank lines to fill in, never "未支付"
    expect(paymentLine(undefined, net)).toBe("______年____月____日");
  });

  it("never prints the sign-off names it does not know (blank lines to sign)", () => {
    const c = statementContent({ ...workedExample(), preparer: undefined, madeBy: "刘会计" });
    expect(c.signLines).toContain("制表：刘会计　审定：________　发放：________");
  });
});

describe("household statement (分红明细单)", () => {
  it("prints the worked example: name, masked ID, 48,000.00, 肆万捌仟元整, verification code, one page", async () => {
    const file = await save("statement.pdf", renderStatementPdf(workedExample()));
    expect(pages(file)).toBe(1);
    const t = text(file);
    expect(t).toContain("王建国");
    expect(t).toContain("371702********0018");
    expect(t).toContain("48,000.00");
    expect(t).toContain("肆万捌仟元整");
    expect(t).toContain("7KD2M9QX4P");
    expect(t).toContain("https://ledger.example.cn/verify/7KD2M9QX4P");
    expect(t).toContain("6228 **** **** 0018");
    expect(t).toContain("FH-2025-0001");
    expect(t).toContain("93371702MA3C4K8X1Q");
    expect(t).toContain("16.00 亩");
    expect(t).toContain("3,000.00 元/股");
    expect(t).not.toContain("196805");
  });

  it("keeps to one page with overlong names and texts", async () => {
    const long = workedExample();
    long.cooperativeName = "菏泽市牡丹区".repeat(12) + "合作社";
    long.householdHead = "欧阳".repeat(20);
    long.resolution = "经成员代表大会表决通过".repeat(10);
    long.deductionNote = "代扣水费、电费、农机作业费".repeat(8);
    long.amounts = { ...long.amounts, deductionFen: 120_000n, netFen: long.amounts.netFen - 120_000n };
    long.draft = true;
    const file = await save("statement-long.pdf", renderStatementPdf(long));
    expect(pages(file)).toBe(1);
    expect(text(file)).toContain("46,800.00");
  });

  it("shows a professional cooperative's three parts and a shortfall note when due ≠ paid", async () => {
    const s = workedExample();
    const prof: StatementDocument = {
      ...s,
      method: "PROFESSIONAL",
      transactionPercent: "60",
      transactionVolumeFen: 12_345_600n,
      capitalBaseFen: 2_000_000n,
      amounts: { guaranteedFen: 0n, surplusFen: 100_000n, transactionFen: 600_001n, capitalFen: 99_999n, providentShareFen: 5_000n, deductionFen: 0n, netFen: 800_000n },
    };
    const t = text(await save("statement-professional.pdf", renderStatementPdf(prof)));
    expect(t).toContain("按交易量返还");
    expect(t).toContain("6,000.01");
    expect(t).toContain("123,456.00");
    expect(t).toContain("捌仟元整");
    const short = { ...s, amounts: { ...s.amounts, guaranteedDueFen: 4_800_000n, guaranteedFen: 3_600_000n, netFen: 3_600_000n } };
    expect(text(await save("statement-short.pdf", renderStatementPdf(short)))).toContain("缺口 12,000.00");
  });

  // zbar-tools is not part of CI's install; run locally with `apt-get install zbar-tools`.
  it.skipIf(!fs.existsSync("/usr/bin/zbarimg"))("has a QR code that decodes to the verify URL, even at 72 dpi", async () => {
    const file = await save("statement-qr.pdf", renderStatementPdf(workedExample()));
    const prefix = path.join(dir, "qr");
    execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "72", file, prefix]);
    const out = execFileSync("/usr/bin/zbarimg", ["-q", `${prefix}-1.png`], { encoding: "utf8" });
    expect(out.trim()).toBe("QR-Code:https://ledger.example.cn/verify/7KD2M9QX4P");
  });

  it("prints no QR code before the run is issued (no verification code yet)", async () => {
    const file = await save("statement-draft.pdf", renderStatementPdf({ ...workedExample(), verificationCode: "", verifyUrl: "", draft: true }));
    const t = text(file);
    expect(t).toContain("（发放后生成）");
    expect(t).toContain("发放后生成核验码");
    expect(t).not.toContain("/verify/");
  });

  it("refuses a statement whose amounts do not add up", () => {
    const s = workedExample();
    expect(() => statementContent({ ...s, amounts: { ...s.amounts, netFen: s.amounts.netFen + 1n } })).toThrow("statement.amountsMismatch");
    expect(() => renderStatementPdf({ ...s, amounts: { ...s.amounts, deductionFen: -1n, netFen: s.amounts.netFen + 1n } })).toThrow("statement.amountsMismatch");
  });
});

function cover(households: number, over: Partial<RunCover> = {}): RunCover {
  return {
    ...COOP,
    year: 2025,
    method: "LAND_SHARE",
    runTitle: "2025 年度收益分配方案",
    resolution: "经 2026 年 1 月 18 日成员大会表决通过",
    incomeFen: 20_000_000n,
    costFen: 6_000_000n,
    surplusFen: 14_000_000n,
    providentPercent: "10",
    providentFen: 1_400_000n,
    riskPercent: "5",
    riskFen: 700_000n,
    distributableFen: 11_900_000n,
    guaranteePerShare: "3000",
    sharesPerMu: "1",
    guaranteedFen: 9_600_000n,
    surplusSharedFen: 2_300_000n,
    transactionFen: 0n,
    capitalFen: 0n,
    providentQuantifiedFen: 1_400_000n,
    deductionFen: 0n,
    netFen: 11_900_000n,
    households,
    totalShares: "32",
    totalAreaMu: "32.00",
    perShare: { min: "3718.75", median: "3718.75", max: "3718.75" },
    preparer: "刘会计",
    chair: "赵志强",
    supervisor: "孙立新",
    generatedAt: "2026-02-01 10:20",
    ...over,
  };
}

describe("batch of statements", () => {
  it("has a cover page plus one page per statement and every name", async () => {
    const base = workedExample();
    const names = ["王建国", "李秀英", "张德胜"];
    async function* rows(): AsyncIterable<StatementDocument> {
      for (const [i, name] of names.entries()) {
        await Promise.resolve();
        yield { ...base, householdHead: name, statementNo: `FH-2025-000${i + 1}`, verificationCode: `CODE${i}XYZ`, verifyUrl: verifyUrl(BASE_URL, `CODE${i}XYZ`) };
      }
    }
    const file = await save("batch.pdf", renderStatementBatch(cover(3), rows()));
    expect(pages(file)).toBe(4);
    const t = text(file);
    for (const n of names) expect(t).toContain(n);
    expect(t).toContain("分红明细单汇总表");
    expect(t).toContain("119,000.00");
    expect(t).toContain("壹拾壹万玖仟元整");
    expect(flat(t)).toContain("第4页");
    expect(t).toContain("CODE2XYZ");
  });

  it("accepts a plain iterable and destroys the stream when a statement does not add up", async () => {
    const good = workedExample();
    const ok = await save("batch-sync.pdf", renderStatementBatch(cover(2), [good, good]));
    expect(pages(ok)).toBe(3);
    const bad = { ...good, amounts: { ...good.amounts, netFen: 1n } };
    await expect(pdfToBuffer(renderStatementBatch(cover(2), [good, bad]))).rejects.toThrow("statement.amountsMismatch");
  });

  it("respects back-pressure: a consumer that stops reading stops the generation", async () => {
    const base = workedExample();
    let produced = 0;
    function* many(): Iterable<StatementDocument> {
      for (let i = 0; i < 100_000; i++) {
        produced += 1;
        yield { ...base, statementNo: `FH-${i}` };
      }
    }
    const stream = renderStatementBatch(cover(100_000), many());
    // Never read: generation must pause once the stream's buffer is full.
    // How many statements fill the buffer depends on the machine's pace, so
    // wait for the count to settle, then check it stays put and stays small.
    let settled = -1;
    for (let i = 0; i < 50 && settled !== produced; i++) {
      settled = produced;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(produced).toBe(settled);
    await new Promise((r) => setTimeout(r, 300));
    expect(produced).toBe(settled);
    expect(produced).toBeLessThan(1_000);
    // Now drain it into a sink that stops early by destroying the stream.
    let bytes = 0;
    await new Promise<void>((resolve) => {
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (bytes > 400_000) {
            stream.destroy();
            resolve();
          }
          cb();
        },
      });
      stream.pipe(sink);
    });
    await new Promise((r) => setTimeout(r, 100));
    const after = produced;
    await new Promise((r) => setTimeout(r, 200));
    expect(produced).toBe(after);
    expect(produced).toBeLessThan(100_000);
  });
});

function notice(rowsCount: number, over: Partial<NoticeDocument> = {}): NoticeDocument {
  const members = Array.from({ length: rowsCount }, (_, i) => ({
    householdId: i + 1,
    weight: String(2 + (i % 7)),
    shares: String(2 + (i % 7)),
    areaMu: `${2 + (i % 7)}.00`,
    key: `371702102001${String(i + 1).padStart(6, "0")}`,
  }));
  const method = over.method ?? "LAND_SHARE";
  const run = computeRun({
    method,
    incomeFen: 300_000_000n,
    costFen: 80_000_000n,
    providentPercent: "10",
    riskPercent: "5",
    guaranteePerShare: "1000",
    transactionPercent: "60",
    members: members.map((m, i) => ({ ...m, transactionFen: BigInt(100_000 + i * 7_000), capitalFen: BigInt(50_000 * (1 + (i % 3))) })),
  });
  expect(run.errors).toEqual([]);
  const surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
  return {
    ...COOP,
    villageName: "牡丹区皇镇张庄村",
    year: 2025,
    method: "LAND_SHARE",
    runTitle: "2025 年度收益分配方案",
    resolution: "经 2026 年 1 月 18 日成员大会表决通过",
    surplusFen: run.surplusFen,
    providentPercent: "10",
    providentFen: run.providentFen,
    riskPercent: "5",
    riskFen: run.riskFen,
    distributableFen: run.distributableFen,
    guaranteePerShare: "1000",
    sharesPerMu: "1",
    rows: run.lines.map((l, i) => ({
      householdHead: `${surnames[i % 10]}${["建国", "秀英", "德胜", "桂兰"][i % 4]}`,
      idMasked: maskIdNumber(`3717021970010${String(i).padStart(4, "0")}1`),
      group: `${1 + (i % 5)} 组`,
      weight: i % 9 === 0 ? "8.065753424658" : l.weight,
      since: i % 9 === 0 ? "2025-07-01" : "2020-03-15",
      areaMu: l.areaMu,
      shares: l.shares,
      guaranteedFen: l.guaranteedFen,
      surplusFen: l.surplusFen,
      transactionFen: l.transactionFen,
      capitalFen: l.capitalFen,
      deductionFen: l.deductionFen,
      netFen: l.netFen,
    })),
    noticeFrom: "2026-01-20",
    noticeTo: "2026-01-26",
    contactName: "刘会计",
    contactPhone: "0530-5551234",
    complaintPhone: "0530-5559876",
    publishedOn: "2026-01-20",
    generatedAt: "2026-01-20 09:00",
    ...over,
    // keep the totals consistent with the rows
  };
}

describe("public notice sheet (公示表)", () => {
  it("lists every household with masked IDs, repeats the header over pages and prints the totals and the notice period", async () => {
    const n = notice(70);
    const file = await save("notice.pdf", renderNoticeSheet(n));
    const count = pages(file);
    expect(count).toBeGreaterThan(2);
    const t = text(file);
    expect(t).toContain("收益分配方案公示表");
    expect(t).toContain("合计（70 户）");
    const net = n.rows.reduce((s, r) => s + r.netFen, 0n);
    expect(net).toBe(n.distributableFen);
    // 3,000,000.00 − 15% = 1,870,000.00 distributable
    expect(t).toContain("1,870,000.00");
    expect(t).toContain(`${n.rows.reduce((s, r) => s + Number(r.areaMu), 0).toFixed(2)}`);
    // 7 calendar days from the publish day, both ends counted: the same days issuing waits for.
    expect(t).toContain("公示期：2026年1月20日至1月26日（共 7 天）");
    expect(t).toContain("0530-5559876");
    expect(t).toContain("村务监督委员会（签字）");
    expect(t).toContain("371702********0011");
    expect(t).not.toContain("19700100001");
    // the header row appears on every page
    expect(t.split("身份证号码").length - 1).toBe(count);
    expect(flat(t)).toContain(`第${count}页共${count}页`);
  });

  it("prints day-weighted shares and each holding's start date, and no poverty status (it goes on a public wall)", async () => {
    const n = notice(20);
    const t = text(await save("notice-weight.pdf", renderNoticeSheet(n)));
    expect(t).toContain("折算股数");
    expect(t).toContain("入股日期");
    expect(t).toContain("8.0658");
    expect(t).toContain("2025-07-01");
    expect(t).toContain("2020-03-15");
    for (const word of ["脱贫户", "监测户", "户类别"]) expect(t).not.toContain(word);
  });

  it("prints the professional columns", async () => {
    const n = notice(5, { method: "PROFESSIONAL", transactionPercent: "60", supervisoryBody: "监事会" });
    const t = text(await save("notice-professional.pdf", renderNoticeSheet(n)));
    expect(t).toContain("按交易量返还");
    expect(flat(t)).toContain("不低于可分配盈余的60%");
    // 60% of 1,870,000.00 by transactions, the rest split by capital and shares
    expect(t).toContain("1,122,000.00");
    expect(t).toContain("1,870,000.00");
    expect(t).toContain("监事会（签字）");
  });
});

describe("cover totals helper", () => {
  it("takes a run's totals", () => {
    const r = computeRun({ method: "LAND_SHARE", incomeFen: 100_000n, costFen: 0n, providentPercent: "10", riskPercent: "0", guaranteePerShare: "100", members: [{ householdId: 1, weight: "1", shares: "1", areaMu: "1.00", key: "a" }] });
    expect(coverTotalsOf(r)).toMatchObject({ distributableFen: 90_000n, guaranteedFen: 10_000n, surplusSharedFen: 80_000n, netFen: 90_000n, providentQuantifiedFen: 10_000n });
  });
});

describe("bench helpers", () => {
  it("run and report rates, bytes and RSS", async () => {
    const raw = await rawPdfkitPagesPerSecond(10);
    const batch = await statementsPerSecond(10);
    for (const r of [raw, batch]) {
      expect(r.count).toBe(10);
      expect(r.perSecond).toBeGreaterThan(0);
      expect(r.perCpuSecond).toBeGreaterThan(0);
      expect(r.bytes).toBeGreaterThan(10_000);
      expect(r.rssPeakMb).toBeGreaterThan(0);
    }
    // the raw pages print the statement's own strings
    const texts = statementPageTexts(syntheticStatement(3));
    expect(texts).toContain(syntheticStatement(3).householdHead);
    expect(texts.some((t) => t.includes("人民币"))).toBe(true);
  });
});

describe("a correction's papers (更正)", () => {
  const of = "2025 年度收益分配方案（第 12 号）";
  /** A household paid 48,000.00 that should have had 46,400.00: 1,600.00 to be returned. */
  function back(): StatementDocument {
    const s = workedExample();
    return {
      ...s,
      amounts: { guaranteedFen: -160_000n, surplusFen: 0n, transactionFen: 0n, capitalFen: 0n, providentShareFen: 0n, deductionFen: 0n, netFen: -160_000n },
      correction: { of, issuedNetFen: 4_800_000n, correctedNetFen: 4_640_000n },
    };
  }

  it("a statement says 更正, names the run corrected and prints issued, corrected and the difference to return", async () => {
    const t = text(await save("statement-correction.pdf", renderStatementPdf(back())));
    expect(t).toContain("分红更正明细单");
    expect(flat(t)).toContain(flat(`更正 ${of}`));
    expect(t).toContain("48,000.00");
    expect(t).toContain("46,400.00");
    expect(t).toContain("-1,600.00");
    expect(t).toContain("应退回金额（大写）");
    expect(t).toContain("壹仟陆佰元整");
  });

  it("a correction's statement must still add up; an original's must not be negative", () => {
    expect(() => statementContent({ ...back(), correction: { of, issuedNetFen: 4_800_000n, correctedNetFen: 4_700_000n } })).toThrow("statement.amountsMismatch");
    expect(() => statementContent({ ...back(), correction: undefined })).toThrow("statement.amountsMismatch");
  });

  it("the batch cover and the notice sheet say 更正 with issued, corrected and difference columns", async () => {
    const c = cover(1, { correction: { of, issuedNetFen: 4_800_000n, correctedNetFen: 4_640_000n }, guaranteedFen: -160_000n, surplusSharedFen: 0n, netFen: -160_000n, deductionFen: 0n, providentQuantifiedFen: 0n });
    const cv = text(await save("batch-correction.pdf", renderStatementBatch(c, [back()])));
    expect(cv).toContain("分红更正明细单汇总表");
    expect(cv).toContain("本次更正差额合计");
    expect(cv).toContain("应退回合计（大写）");
    const n = notice(3);
    const rows = n.rows.map((r, i) => ({ ...r, issuedNetFen: r.netFen, correctedNetFen: r.netFen + BigInt(i * 100), guaranteedFen: BigInt(i * 100), surplusFen: 0n, netFen: BigInt(i * 100) }));
    const nt = text(await save("notice-correction.pdf", renderNoticeSheet({ ...n, rows, correction: { of } })));
    expect(nt).toContain("收益分配方案更正公示表");
    expect(flat(nt)).toContain(flat(`更正 ${of}`));
    for (const h of ["原已发放", "更正后", "差额"]) expect(nt).toContain(h);
  });
});
