import fc from "fast-check";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { luhnCheckDigit } from "~/dividends/bank-account";
import { adoptExample, applyBankReturn, checkBankReturn, paymentFile, payoutPlan, readResultRows } from "~/dividends/bank.server";
import { amountText, csvText, EXAMPLE_TEMPLATES, parseAmount } from "~/dividends/bank-template";
import { parseCsv } from "~/imports/read-table.server";
import { recordDividendPayment } from "~/dividends/runs.server";
import { addDays, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { buildWorld, type World } from "../factories";
import { userOf } from "./dividends.fixtures";

/**
 * Bank payment files and bank result files (ADR 020) on a real database:
 * the file pays exactly what is outstanding, accounts that fail the checks
 * go to the cash list, a result file is checked (every row applied or
 * reported) and applied once.
 */
let w: World;
let accountant: CurrentUser;
let seq = 0;

const card = (n: number) => {
  const body = `622848${String(n).padStart(12, "0")}`;
  return body + luhnCheckDigit(body);
};

/** Households of V1 with these accounts (a valid card unless given). */
async function households(n: number, accounts: (string | undefined)[] = []) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = ++seq;
    out.push(await prisma.household.create({ data: { code: `B${String(k).padStart(4, "0")}`, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: `银${k}`, bankAccount: accounts[i] ?? card(k) } }));
  }
  return out;
}

/** An issued run of C1 with one line per household and these nets (fen). */
async function issuedRun(hs: { id: number }[], nets: bigint[]) {
  const run = await prisma.dividendRun.create({ data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year: 2000 + (++seq % 900), method: "LAND_SHARE", status: "ISSUED", incomeFen: 0n, costFen: 0n, createdById: w.users.accountant.id } });
  const lines = [];
  for (const [i, h] of hs.entries()) {
    lines.push(
      await prisma.dividendLine.create({
        data: { runId: run.id, householdId: h.id, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "1.00", shares: "1.00", weight: "1.00", guaranteedFen: nets[i]!, netFen: nets[i]!, statementNo: `FH2025-001-${String(run.id).padStart(4, "0")}-${String(i + 1).padStart(4, "0")}` },
      }),
    );
  }
  return { run, lines };
}

/** The bank's answer to a payment file of the first example: the file's rows with a result and a reason. */
function resultCsv(rows: string[][], results: Record<number, [string, string]>): Uint8Array {
  const out = rows.map((r, i) => (i === 1 ? [...r, "处理结果", "失败原因"] : i > 1 ? [...r, ...(results[i - 2] ?? ["成功", ""])] : r));
  return new Uint8Array(iconv.encode(csvText(out), "gbk"));
}

const fileRows = (body: Uint8Array) => parseCsv(iconv.decode(Buffer.from(body), "gbk"), ",").map((r) => r.cells);

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
});

describe("bank payment file", () => {
  it("needs a template chosen first", async () => {
    const { run } = await issuedRun(await households(1), [100n]);
    expect(await paymentFile(accountant, run.id, "unpaid")).toEqual({ ok: false, error: { key: "bank.noTemplate" } });
  });

  it("pays what is outstanding to the fen; bad accounts are listed for cash", async () => {
    await adoptExample(accountant, 0);
    const hs = await households(6, [undefined, undefined, "", "6228480000000000001", "6228 48O0 0000 0001", undefined]);
    const { run, lines } = await issuedRun(hs, [123456n, 1n, 5000n, 7000n, 9000n, 80000n]);
    await recordDividendPayment(accountant, lines[0]!.id, { paidOn: today(), amount: "1000.00", reference: "", status: "PAID", failureReason: "" });
    await recordDividendPayment(accountant, lines[5]!.id, { paidOn: today(), amount: "800.00", reference: "", status: "PAID", failureReason: "" });
    const plan = await payoutPlan(accountant, run.id, "unpaid");
    expect(plan.cash.map((c) => [c.lineId, c.problem])).toEqual([
      [lines[2]!.id, "missing"],
      [lines[3]!.id, "checkDigit"],
      [lines[4]!.id, "notDigits"],
    ]);
    const file = await paymentFile(accountant, run.id, "unpaid");
    if (!file.ok) throw new Error(file.error.key);
    const rows = fileRows(file.body);
    expect(rows[0]).toEqual(["付款单位", "牡丹区续强合作社", "笔数", "2", "总金额", "234.57"]);
    expect(rows.slice(2).map((r) => [r[1], r[3], r[4]])).toEqual([
      [hs[0]!.bankAccount, "234.56", lines[0]!.statementNo],
      [hs[1]!.bankAccount, "0.01", lines[1]!.statementNo],
    ]);
    const sum = rows.slice(2).reduce((s, r) => s + parseAmount(r[3]!, "yuan")!, 0n);
    const included = await prisma.dividendLine.findMany({ where: { id: { in: [lines[0]!.id, lines[1]!.id] } } });
    expect(sum).toBe(included.reduce((s, l) => s + l.netFen - l.paidFen, 0n));
    expect(file.fileName).toBe(`分红代发_第${run.id}号_未付_${today()}.csv`);
    const all = await paymentFile(accountant, run.id, "all");
    expect(all.ok && fileRows(all.body).length).toBe(2 + 3); // "all": the paid line too, with its whole net
    const audit = await prisma.auditEvent.findFirst({ where: { entity: "DividendRun", entityId: String(run.id), action: "export" } });
    expect(audit?.after).toContain("bankFile");
  });

  it("writes .xlsx in the Excel example, and reads it back", async () => {
    await adoptExample(accountant, 1);
    const { run } = await issuedRun(await households(3), [100n, 250n, 99999n]);
    const file = await paymentFile(accountant, run.id, "unpaid");
    if (!file.ok) throw new Error(file.error.key);
    expect(file.fileName.endsWith(".xlsx")).toBe(true);
    const read = await readResultRows(file.body, file.fileName);
    if (!read.ok) throw new Error(read.error.key);
    const amountCol = EXAMPLE_TEMPLATES[1]!.columns.findIndex((c) => c.field === "amount");
    expect(read.rows.slice(3).map((r) => r.cells[amountCol])).toEqual(["1.00", "2.50", "999.99"]);
    await adoptExample(accountant, 0);
  });
});

describe("bank result file", () => {
  it("reports a failure and two mismatches, records the rest, and only once", async () => {
    const hs = await households(5);
    const { run, lines } = await issuedRun(hs, [10000n, 20000n, 30000n, 40000n, 50000n]);
    const file = await paymentFile(accountant, run.id, "unpaid");
    if (!file.ok) throw new Error(file.error.key);
    const rows = fileRows(file.body);
    rows[2 + 2]![3] = "299.00"; // line 3: amount differs
    rows[2 + 3]![1] = card(999_999); // line 4: account differs
    const bytes = resultCsv(rows, { 1: ["失败", "户名与账号不符"] });
    expect(await checkBankReturn(accountant, run.id, { bytes, name: "结果.csv" }, addDays(today(), 1))).toEqual({ ok: false, errors: { paidOn: { key: "dividend.dateFuture", params: { today: today() } } } });
    expect(await prisma.bankReturn.count({ where: { runId: run.id } })).toBe(0);
    const checked = await checkBankReturn(accountant, run.id, { bytes, name: "结果.csv" }, today());
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const stored = await prisma.bankReturn.findUniqueOrThrow({ where: { id: checked.id } });
    const report = JSON.parse(stored.report);
    expect(report.problems.map((p: { row: number; kind: string }) => p.kind)).toEqual(["amountDiffers", "accountDiffers"]);
    expect(report.entries.map((e: { lineId: number; status: string }) => [e.lineId, e.status])).toEqual([
      [lines[0]!.id, "PAID"],
      [lines[1]!.id, "FAILED"],
      [lines[4]!.id, "PAID"],
    ]);
    expect(await prisma.dividendPayment.count({ where: { lineId: { in: lines.map((l) => l.id) } } })).toBe(0);

    expect(await applyBankReturn(accountant, run.id, checked.id)).toBeNull();
    const [twice, third] = await Promise.all([applyBankReturn(accountant, run.id, checked.id), applyBankReturn(accountant, run.id, checked.id)]);
    expect(twice).toEqual({ form: { key: "bank.return.notChecked" } });
    expect(third).toEqual({ form: { key: "bank.return.notChecked" } });
    const payments = await prisma.dividendPayment.findMany({ where: { bankReturnId: checked.id }, orderBy: { lineId: "asc" } });
    expect(payments.map((p) => [p.lineId, p.status, p.amountFen, p.failureReason])).toEqual([
      [lines[0]!.id, "PAID", 10000n, ""],
      [lines[1]!.id, "FAILED", 20000n, "户名与账号不符"],
      [lines[4]!.id, "PAID", 50000n, ""],
    ]);
    const after = await prisma.dividendLine.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } });
    expect(after.map((l) => l.paidFen)).toEqual([10000n, 0n, 0n, 0n, 50000n]);
    // the failed line is paid again by the next file, with the mismatched ones
    const again = await paymentFile(accountant, run.id, "unpaid");
    expect(again.ok && fileRows(again.body).slice(2).map((r) => r[4])).toEqual([lines[1]!.statementNo, lines[2]!.statementNo, lines[3]!.statementNo]);
  });

  it("refuses to apply a check made before payments changed, writing nothing", async () => {
    const { run, lines } = await issuedRun(await households(2), [500n, 600n]);
    const file = await paymentFile(accountant, run.id, "unpaid");
    if (!file.ok) throw new Error(file.error.key);
    const checked = await checkBankReturn(accountant, run.id, { bytes: resultCsv(fileRows(file.body), {}), name: "r.csv" }, today());
    if (!checked.ok) throw new Error("check");
    await recordDividendPayment(accountant, lines[0]!.id, { paidOn: today(), amount: "1.00", reference: "", status: "PAID", failureReason: "" });
    expect(await applyBankReturn(accountant, run.id, checked.id)).toEqual({ form: { key: "bank.return.stale" } });
    expect(await prisma.dividendPayment.count({ where: { bankReturnId: checked.id } })).toBe(0);
    expect((await prisma.bankReturn.findUniqueOrThrow({ where: { id: checked.id } })).status).toBe("CHECKED");
  });

  // Regression: applying read the lines with `id IN (…)` of every entry, past the engines' parameter limit at 5,000 rows.
  it("applies a result file of 5,000 rows", async () => {
    const base = ++seq * 10_000;
    await prisma.household.createMany({ data: Array.from({ length: 5000 }, (_, i) => ({ code: `L${base + i}`, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: `批${i}`, bankAccount: card(base + i) })) });
    const hs = await prisma.household.findMany({ where: { headName: { startsWith: "批" } }, orderBy: { id: "asc" }, select: { id: true } });
    const run = await prisma.dividendRun.create({ data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year: 1990, method: "LAND_SHARE", status: "ISSUED", incomeFen: 0n, costFen: 0n, createdById: w.users.accountant.id } });
    await prisma.dividendLine.createMany({ data: hs.map((h, i) => ({ runId: run.id, householdId: h.id, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "1", shares: "1", weight: "1", netFen: 100n + BigInt(i), statementNo: `FH1990-001-${run.id}-${i + 1}` })) });
    const file = await paymentFile(accountant, run.id, "unpaid");
    if (!file.ok) throw new Error(file.error.key);
    const checked = await checkBankReturn(accountant, run.id, { bytes: resultCsv(fileRows(file.body), { 7: ["失败", ""] }), name: "r.csv" }, today());
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect(await applyBankReturn(accountant, run.id, checked.id)).toBeNull();
    expect(await prisma.dividendPayment.count({ where: { bankReturnId: checked.id, status: "PAID" } })).toBe(4999);
    expect((await prisma.dividendPayment.findFirstOrThrow({ where: { bankReturnId: checked.id, status: "FAILED" } })).failureReason).toBe("银行未注明原因");
  }, 60_000);

  it("says which headings it needs, and stores nothing", async () => {
    const { run } = await issuedRun(await households(1), [500n]);
    const r = await checkBankReturn(accountant, run.id, { bytes: new TextEncoder().encode("a,b\n1,2\n"), name: "r.csv" }, today());
    expect(r).toEqual({ ok: false, errors: { file: { key: "bank.result.noHeadings", params: { columns: "备注、金额、处理结果" } } } });
    expect(await prisma.bankReturn.count({ where: { runId: run.id } })).toBe(0);
  });

  it("after any result file: paid ≤ net, paid = Σ PAID payments, every row applied or reported", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 500_000n }), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        async (spec, extraRows) => {
          const hs = await households(spec.length);
          const { run, lines } = await issuedRun(hs, spec.map((s) => s[0]));
          // some lines partly paid by hand before the file is made
          for (const [i, s] of spec.entries()) if (s[3] === 7 && s[0] > 1n) await recordDividendPayment(accountant, lines[i]!.id, { paidOn: today(), amount: amountText(1n, "yuan"), reference: "", status: "PAID", failureReason: "" });
          const file = await paymentFile(accountant, run.id, "unpaid");
          if (!file.ok) throw new Error(file.error.key);
          const rows = fileRows(file.body);
          const head = rows.slice(0, 2);
          let data = rows.slice(2).filter((_, i) => spec[i]![1]); // a random subset comes back
          const results: Record<number, [string, string]> = {};
          data = data.map((r, i) => {
            const kind = spec[i]![3];
            const c = [...r];
            if (kind === 1) c[3] = "0.02";
            if (kind === 2) c[1] = card(424242);
            if (kind === 3) c[4] = "FH1999-000-0000-0000";
            results[i] = kind === 4 ? ["处理中", ""] : spec[i]![2] ? ["失败", kind === 5 ? "" : "账户冻结"] : ["成功", ""];
            return c;
          });
          for (const k of extraRows) if (data[k]) data.push([...data[k]!]); // duplicates
          const checked = await checkBankReturn(accountant, run.id, { bytes: resultCsv([...head, ...data], results), name: "r.csv" }, today());
          if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
          const report = JSON.parse((await prisma.bankReturn.findUniqueOrThrow({ where: { id: checked.id } })).report);
          expect(report.entries.length + report.problems.length).toBe(data.length);
          expect(await applyBankReturn(accountant, run.id, checked.id)).toBeNull();
          expect(await applyBankReturn(accountant, run.id, checked.id)).toEqual({ form: { key: "bank.return.notChecked" } });
          expect(await prisma.dividendPayment.count({ where: { bankReturnId: checked.id } })).toBe(report.entries.length);
          for (const l of await prisma.dividendLine.findMany({ where: { runId: run.id }, include: { payments: true } })) {
            expect(l.paidFen <= l.netFen).toBe(true);
            expect(l.paidFen).toBe(l.payments.filter((p) => p.status === "PAID").reduce((s, p) => s + p.amountFen, 0n));
            for (const p of l.payments) if (p.status === "FAILED") expect(p.failureReason).not.toBe("");
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
