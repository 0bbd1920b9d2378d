import iconv from "iconv-lite";
import type { CurrentUser } from "../../app/auth/session.server.ts";
import { applyBankReturn, checkBankReturn, paymentFile } from "../../app/dividends/bank.server.ts";
import { csvText, EXAMPLE_TEMPLATES } from "../../app/dividends/bank-template.ts";
import { today } from "../../app/lib/dates.ts";
import { prisma } from "../../app/lib/db.server.ts";
import { parseCsv } from "../../app/imports/read-table.server.ts";
import type { BenchContext } from "./context.ts";

const LINES = 5000;
const TITLE = "BENCH-BANK";

/**
 * Payday at the bank (ADR 020) on the district data set: an issued run of
 * 5,000 lines (made directly, marked BENCH-BANK, remade each time) of a
 * cooperative that uses the GBK CSV example; the payment file of its unpaid
 * lines, then the bank's result file for it (every 50th row failed) read and
 * reconciled, and applied.
 */
export async function run({ report }: BenchContext) {
  const coop = await prisma.cooperative.findFirstOrThrow({ where: { type: "LAND_SHARE" }, orderBy: { id: "desc" }, select: { id: true, townshipId: true } });
  const old = await prisma.dividendRun.findMany({ where: { cooperativeId: coop.id, title: TITLE }, select: { id: true } });
  const oldIds = old.map((r) => r.id);
  await prisma.dividendPayment.deleteMany({ where: { line: { runId: { in: oldIds } } } });
  await prisma.bankReturn.deleteMany({ where: { runId: { in: oldIds } } });
  await prisma.dividendLine.deleteMany({ where: { runId: { in: oldIds } } });
  await prisma.dividendRun.deleteMany({ where: { id: { in: oldIds } } });

  const households = await prisma.household.findMany({ where: { bankAccount: { not: "" } }, orderBy: { id: "asc" }, take: LINES, select: { id: true, townshipId: true, villageId: true } });
  const run = await prisma.dividendRun.create({ data: { cooperativeId: coop.id, townshipId: coop.townshipId, year: 1999, title: TITLE, method: "LAND_SHARE", status: "ISSUED", incomeFen: 0n, costFen: 0n, createdById: 1 } });
  for (let i = 0; i < households.length; i += 1000) {
    await prisma.dividendLine.createMany({
      data: households.slice(i, i + 1000).map((h, k) => {
        const n = i + k;
        return { runId: run.id, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, areaMu: "1.00", shares: "1.00", weight: "1.00", guaranteedFen: 50_000n + BigInt(n), netFen: 50_000n + BigInt(n), statementNo: `FH1999-BANK-${run.id}-${n + 1}` };
      }),
    });
  }
  const template = await prisma.paymentTemplate.create({ data: { cooperativeId: coop.id, name: EXAMPLE_TEMPLATES[0]!.name, spec: JSON.stringify(EXAMPLE_TEMPLATES[0]) } });
  const before = await prisma.cooperative.findUniqueOrThrow({ where: { id: coop.id }, select: { paymentTemplateId: true } });
  await prisma.cooperative.update({ where: { id: coop.id }, data: { paymentTemplateId: template.id } });
  const accountant = { id: 1, username: "bench", displayName: "bench", role: "ACCOUNTANT", scopeName: "", scope: { kind: "cooperative", cooperativeId: coop.id, townshipId: coop.townshipId, villageIds: [] } } as unknown as CurrentUser;
  try {
    await paymentFile(accountant, run.id, "unpaid"); // warm-up
    const t0 = performance.now();
    const file = await paymentFile(accountant, run.id, "unpaid");
    const fileMs = performance.now() - t0;
    if (!file.ok) throw new Error(file.error.key);
    console.log(`(payment file: ${file.count} lines, ${(file.body.byteLength / 1024).toFixed(0)} KB GBK CSV)`);
    report("payout_file_5k_ms", fileMs);

    const rows = parseCsv(iconv.decode(Buffer.from(file.body), "gbk"), ",").map((r) => r.cells);
    const result = rows.map((r, i) => (i === 1 ? [...r, "处理结果", "失败原因"] : i > 1 ? [...r, ...((i - 2) % 50 === 0 ? ["失败", "账户已销户"] : ["成功", ""])] : r));
    const bytes = new Uint8Array(iconv.encode(csvText(result), "gbk"));
    const t1 = performance.now();
    const checked = await checkBankReturn(accountant, run.id, { bytes, name: "bank-result.csv" }, today());
    const checkMs = performance.now() - t1;
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    report("bank_reconcile_5k_ms", checkMs);
    const t2 = performance.now();
    const applied = await applyBankReturn(accountant, run.id, checked.id);
    if (applied) throw new Error(JSON.stringify(applied));
    console.log(`(apply: ${(performance.now() - t2).toFixed(0)} ms for ${result.length - 2} rows)`);
  } finally {
    await prisma.cooperative.update({ where: { id: coop.id }, data: { paymentTemplateId: before.paymentTemplateId } });
    await prisma.paymentTemplate.delete({ where: { id: template.id } });
  }
}
