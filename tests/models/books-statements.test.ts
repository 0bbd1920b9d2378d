import { beforeAll, describe, expect, it } from "vitest";
import { bookPendingEvents, checkMonth, closePeriod, createManualVoucher } from "~/books/books.server";
import { statementsFor } from "~/books/pages.server";
import { distributionOf } from "~/books/statements";
import { prisma } from "~/lib/db.server";
import { buildWorld, type World } from "../factories";
import { harvest, issuedRun, member, newCooperative, orchard, payment } from "./books.fixtures";

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});

const coopOf = (c: { id: number; name: string; townshipId: number }, system: "COOP_2021" | "COLLECTIVE_2023") => ({ id: c.id, name: c.name, townshipId: c.townshipId, system });

/** Σ of the runs whose booking (the China day they were issued) falls in `year`. */
async function issuedIn(cooperativeId: number, year: number) {
  const runs = await prisma.dividendRun.findMany({ where: { cooperativeId, status: "ISSUED" }, select: { providentFen: true, riskFen: true, distributedFen: true, issuedAt: true } });
  const inYear = runs.filter((r) => new Date(r.issuedAt!.getTime() + 8 * 3_600_000).getUTCFullYear() === year);
  return {
    reserveFen: inYear.reduce((s, r) => s + r.providentFen + r.riskFen, 0n),
    membersFen: inYear.reduce((s, r) => s + r.distributedFen, 0n),
  };
}

describe("statements from the books", () => {
  for (const system of ["COOP_2021", "COLLECTIVE_2023"] as const) {
    it(`${system}: the distribution in the statements equals the issued runs of the year to the fen, before and after the year is closed`, async () => {
      const org = await newCooperative(w, system);
      const [m1, m2, m3] = [await member(w), await member(w), await member(w)];
      const plot = await orchard(w, org.coop.id);
      await harvest(w, plot.id, org.coop.id, 2_345_678n, "2025-08-20");
      // the 2024 run issued in March 2025, the 2025 run in December 2025, one more issued in 2026 (not this year's)
      const a = await issuedRun(w, org.coop.id, 2024, [{ householdId: m1.id, transactionFen: 120_001n, guaranteedFen: 50_000n }, { householdId: m2.id, surplusFen: 33_333n, deductionFen: 3_000n }], { costFen: 10_000n, providentFen: 12_345n, riskFen: 6_789n, issuedAt: new Date("2025-03-10T02:00:00Z") });
      const b = await issuedRun(w, org.coop.id, 2025, [{ householdId: m1.id, transactionFen: 77_777n }, { householdId: m3.id, guaranteedFen: 99_999n, capitalFen: 1_001n }], { costFen: 5_000n, providentFen: 8_001n, riskFen: 2_002n, issuedAt: new Date("2025-12-28T03:00:00Z") });
      await issuedRun(w, org.coop.id, 2026, [{ householdId: m2.id, surplusFen: 44_444n }], { providentFen: 1_111n, riskFen: 222n, issuedAt: new Date("2026-02-02T03:00:00Z") });
      await payment(w, a.lines[0]!, 170_001n, "2025-04-01");
      await payment(w, a.lines[1]!, 30_333n, "2025-04-01", "FAILED");
      await payment(w, b.lines[1]!, 101_000n, "2025-12-30");
      const report = await bookPendingEvents(org.accountant, org.coop.id);
      expect(report.skipped.some((s) => s.source === "DIVIDEND_PAYMENT")).toBe(true);
      // and a manual voucher, checked by the chair
      const cash = await prisma.ledgerAccount.findFirstOrThrow({ where: { cooperativeId: org.coop.id, code: "101" } });
      const bank = await prisma.ledgerAccount.findFirstOrThrow({ where: { cooperativeId: org.coop.id, code: "102" } });
      const manual = await createManualVoucher(org.accountant, org.coop.id, { date: "2025-06-01", summary: "提取备用金", attachments: 1, lines: [{ accountId: cash.id, summary: "", debitFen: 50_000n, creditFen: 0n }, { accountId: bank.id, summary: "", debitFen: 0n, creditFen: 50_000n }] });
      expect(manual.ok).toBe(true);

      const coop = coopOf(org.coop, system);
      const expected = await issuedIn(org.coop.id, 2025);
      expect(expected.membersFen).toBe(120_001n + 50_000n + 33_333n + 77_777n + 99_999n + 1_001n);
      const before = await statementsFor(coop, 2025);
      expect(distributionOf(system, before.income)).toEqual(expected);
      expect(before.balance.balances).toEqual({ opening: true, closing: true });
      expect(before.income.amounts.closing).toBe(before.balance.closing.undistributed);
      // income less the runs' costs is the year's surplus
      expect(BigInt(before.income.amounts.net!)).toBe(2_345_678n - 10_000n - 5_000n);

      // check every month, close them and the year: the statements do not move
      for (let m = 1; m <= 12; m++) {
        expect((await checkMonth(org.chair, org.coop.id, 2025, m)).ok).toBe(true);
        const r = await closePeriod(org.accountant, org.coop.id, 2025, m);
        expect(r.ok, JSON.stringify(r)).toBe(true);
      }
      expect((await closePeriod(org.accountant, org.coop.id, 2025, 0)).ok).toBe(true);
      const after = await statementsFor(coop, 2025);
      expect(after.yearClosed).toBe(true);
      expect(after.income.amounts).toEqual(before.income.amounts);
      expect(after.balance.closing).toEqual(before.balance.closing);
      expect(distributionOf(system, after.income)).toEqual(expected);
      if (system === "COOP_2021") expect(after.equity).toEqual(before.equity);
      // next year opens where this one closed
      const next = await statementsFor(coop, 2026);
      expect(next.balance.opening).toEqual(after.balance.closing);
      expect(next.income.amounts.opening).toBe(after.income.amounts.closing);
    });
  }
});
