import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { addSubAccount, bookPendingEvents, checkMonth, checkVoucher, closePeriod, createManualVoucher, ensureBooks, memberAccount, voidVoucher, vouchersIn, vouchersOf } from "~/books/books.server";
import { accountLedger, accountsOf, trialBalance, type TrialBalanceRow } from "~/books/books.queries.server";
import { CHARTS, ROLE_CODES } from "~/books/chart";
import { numberingHasNoGaps } from "~/books/voucher";
import { prisma } from "~/lib/db.server";
import { buildWorld, type World } from "../factories";
import { capital, harvest, issuedRun, lease, member, newCooperative, orchard, payment, rentPayment } from "./books.fixtures";

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});

type Org = Awaited<ReturnType<typeof newCooperative>>;

async function idOf(coopId: number, code: string) {
  return (await prisma.ledgerAccount.findFirstOrThrow({ where: { cooperativeId: coopId, code } })).id;
}

/** The books balance: Σ debit flows = Σ credit flows and the closing balances of leaves net to zero, opening too. */
function expectBalanced(tb: TrialBalanceRow[]) {
  const leaves = tb.filter((r) => r.isLeaf || !tb.some((c) => c.parentId === r.accountId));
  const sum = (f: (r: TrialBalanceRow) => bigint) => leaves.reduce((s, r) => s + f(r), 0n);
  expect(sum((r) => r.debitFen)).toBe(sum((r) => r.creditFen));
  const raw = (r: TrialBalanceRow, v: bigint) => (r.normalSide === "DEBIT" ? v : -v);
  expect(sum((r) => raw(r, r.openingFen))).toBe(0n);
  expect(sum((r) => raw(r, r.closingFen))).toBe(0n);
  // parents are the sums of their children
  for (const p of tb.filter((r) => tb.some((c) => c.parentId === r.accountId))) {
    const kids = tb.filter((c) => c.parentId === p.accountId);
    expect(kids.reduce((s, k) => s + k.debitFen, 0n), p.code).toBe(p.debitFen);
  }
}

async function expectNoGaps(coopId: number) {
  const vs = await prisma.voucher.findMany({ where: { cooperativeId: coopId }, select: { year: true, month: true, number: true } });
  const by = new Map<string, number[]>();
  for (const v of vs) by.set(`${v.year}-${v.month}`, [...(by.get(`${v.year}-${v.month}`) ?? []), v.number]);
  for (const [k, ns] of by) expect(numberingHasNoGaps(ns), k).toBe(true);
}

describe("the chart", () => {
  it("is created once per cooperative, also by two calls at once", async () => {
    for (const system of ["COOP_2021", "COLLECTIVE_2023"] as const) {
      const o = await newCooperative(w, system);
      await Promise.all([ensureBooks(o.coop.id), ensureBooks(o.coop.id), ensureBooks(o.coop.id)]);
      await ensureBooks(o.coop.id);
      expect(await prisma.ledgerAccount.count({ where: { cooperativeId: o.coop.id } })).toBe(CHARTS[system].length);
      const accounts = await accountsOf(o.coop.id);
      expect(accounts.find((a) => a.code === "33201" || a.code === "32201")!.parentId).not.toBeNull();
    }
  });

  it("adds sub-accounts per member and per counterparty, and refuses one under an account with postings", async () => {
    const o = await newCooperative(w);
    await ensureBooks(o.coop.id);
    const h = await member(w);
    const receivable = await idOf(o.coop.id, ROLE_CODES.COOP_2021.receivable);
    const r1 = await addSubAccount(o.accountant, o.coop.id, { parentId: receivable, name: "某超市", counterparty: "某超市" });
    expect(r1.ok).toBe(true);
    const sub = await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: (r1 as { accountId: number }).accountId } });
    expect(sub.code).toBe("113-0001");
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: receivable } })).isLeaf).toBe(false);
    const id = await prisma.$transaction((tx) => memberAccount(tx, o.coop.id, "memberCurrent", h.id));
    expect(await prisma.$transaction((tx) => memberAccount(tx, o.coop.id, "memberCurrent", h.id))).toBe(id);
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { id } })).code).toBe("114-0001");
    // the bank has postings: no sub-account under it
    const bank = await idOf(o.coop.id, "102");
    const cash = await idOf(o.coop.id, "101");
    expect((await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-05", summary: "提现", attachments: 1, lines: [{ accountId: cash, summary: "", debitFen: 100n, creditFen: 0n }, { accountId: bank, summary: "", debitFen: 0n, creditFen: 100n }] })).ok).toBe(true);
    const r2 = await addSubAccount(o.accountant, o.coop.id, { parentId: bank, name: "农商行" });
    expect(r2.ok).toBe(false);
  });
});

describe("manual vouchers", () => {
  it("refuse unbalanced, non-leaf and closed-period postings with nothing saved, and number per month without gaps", async () => {
    const o = await newCooperative(w);
    await ensureBooks(o.coop.id);
    const [cash, bank, income, distribution] = await Promise.all(["101", "102", "501", "332"].map((c) => idOf(o.coop.id, c)));
    const line = (accountId: number, d: bigint, c: bigint) => ({ accountId, summary: "", debitFen: d, creditFen: c });
    const before = await prisma.voucher.count();
    const unbalanced = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-05", summary: "收入", attachments: 1, lines: [line(bank, 10000n, 0n), line(income, 0n, 9999n)] });
    expect(unbalanced).toMatchObject({ ok: false, errors: { lines: { key: "books.voucher.unbalanced" } } });
    const nonLeaf = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-05", summary: "分配", attachments: 0, lines: [line(distribution, 100n, 0n), line(bank, 0n, 100n)] });
    expect(nonLeaf).toMatchObject({ ok: false, errors: { "lines.0.accountId": { key: "books.line.notLeaf" } } });
    const oneLine = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-05", summary: "x", attachments: 0, lines: [line(bank, 0n, 0n)] });
    expect(oneLine.ok).toBe(false);
    expect(await prisma.voucher.count()).toBe(before);

    const a = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-05", summary: "销售", attachments: 2, lines: [line(bank, 10000n, 0n), line(income, 0n, 10000n)] });
    const b = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-20", summary: "提现", attachments: 1, lines: [line(cash, 500n, 0n), line(bank, 0n, 500n)] });
    const c = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-02-01", summary: "提现", attachments: 1, lines: [line(cash, 500n, 0n), line(bank, 0n, 500n)] });
    expect([a, b, c].map((r) => (r as { number: number }).number)).toEqual([1, 2, 1]);

    // maker ≠ checker; void keeps its number and counts nowhere
    // the accountant may not check at all; one who made it and is chair by now may not check it either
    await expect(checkVoucher(o.accountant, (a as { voucherId: number }).voucherId)).rejects.toBeInstanceOf(Response);
    expect(await checkVoucher({ ...o.accountant, role: "CHAIR" }, (a as { voucherId: number }).voucherId)).toMatchObject({ ok: false, errors: { voucher: { key: "books.voucher.selfCheck" } } });
    expect((await checkVoucher(o.chair, (a as { voucherId: number }).voucherId)).ok).toBe(true);
    expect((await voidVoucher(o.accountant, (b as { voucherId: number }).voucherId, "重复录入")).ok).toBe(true);
    expect((await voidVoucher(o.accountant, (a as { voucherId: number }).voucherId, "x")).ok).toBe(false);
    const tb = await trialBalance(o.coop.id, 2026);
    expect(tb.find((r) => r.code === "101")!.closingFen).toBe(500n);
    expectBalanced(tb);

    // January closes once every voucher is checked; then January is refused
    expect((await closePeriod(o.accountant, o.coop.id, 2026, 2)).ok).toBe(false);
    expect((await closePeriod(o.accountant, o.coop.id, 2026, 1)).ok).toBe(true);
    const closed = await createManualVoucher(o.accountant, o.coop.id, { date: "2026-01-31", summary: "补记", attachments: 0, lines: [line(cash, 1n, 0n), line(bank, 0n, 1n)] });
    expect(closed).toMatchObject({ ok: false, errors: { date: { key: "books.voucher.periodClosed" } } });
    expect((await closePeriod(o.accountant, o.coop.id, 2026, 2))).toMatchObject({ ok: false, errors: { period: { key: "books.period.unchecked" } } });
    await expectNoGaps(o.coop.id);
  });

  it("are refused to readers outside the write permission", async () => {
    const o = await newCooperative(w);
    const supervisor = { ...o.accountant, id: o.chair.id, role: "SUPERVISOR" as const };
    await expect(createManualVoucher(supervisor, o.coop.id, { date: "2026-01-05", summary: "x", attachments: 0, lines: [] })).rejects.toBeInstanceOf(Response);
    await expect(bookPendingEvents(o.chair, o.coop.id)).rejects.toBeInstanceOf(Response);
    const other = await newCooperative(w);
    await expect(bookPendingEvents(other.accountant, o.coop.id)).rejects.toBeInstanceOf(Response);
  });
});

describe("vouchers from money events", () => {
  it("books each event once, links back to its source, and reverses in red ink", async () => {
    const o = await newCooperative(w);
    const [h1, h2] = [await member(w, "张"), await member(w, "李")];
    const l = await lease(w, o.coop.id, h1.id);
    const rp = await rentPayment(w, l, 800000n, "2026-03-01", "BANK");
    const plot = await orchard(w, o.coop.id);
    const hv = await harvest(w, plot.id, o.coop.id, 1_500_000n, "2026-08-10");
    await capital(w, o.coop.id, h1.id, 100_000n, "2026-01-10");
    const { run, lines } = await issuedRun(w, o.coop.id, 2026, [
      { householdId: h1.id, transactionFen: 30_000n, surplusFen: 20_000n, deductionFen: 5_000n },
      { householdId: h2.id, transactionFen: 10_000n, capitalFen: 7_000n },
    ], { costFen: 200_000n, providentFen: 50_000n, riskFen: 10_000n, issuedAt: new Date("2026-12-20T04:00:00Z") });
    await payment(w, lines[0]!, 45_000n, "2026-12-25");
    await payment(w, lines[1]!, 17_000n, "2026-12-25", "FAILED");

    const [r1, r2] = await Promise.all([bookPendingEvents(o.accountant, o.coop.id), bookPendingEvents(o.accountant, o.coop.id)]);
    expect(r1.booked + r2.booked).toBe(8); // rent, harvest, capital, cost, reserve, distribution, deduction, one payment
    expect([...r1.skipped, ...r2.skipped].some((s) => s.reason.startsWith("资金未付出"))).toBe(true);
    expect((await bookPendingEvents(o.accountant, o.coop.id)).booked).toBe(0);

    const [rentV] = await vouchersOf("RENT_PAYMENT", rp.id);
    expect(rentV).toMatchObject({ totalFen: 800000n, redInk: false, month: 3 });
    // the distribution: Dr 盈余分配 / Cr 应付盈余返还 and 应付剩余盈余 per member
    const dist = await prisma.voucher.findFirstOrThrow({ where: { source: "RUN_DISTRIBUTION", sourceId: String(run.id) }, include: { lines: true } });
    expect(dist.totalFen).toBe(67_000n);
    const tb = await trialBalance(o.coop.id, 2026);
    const row = (code: string) => tb.find((r) => r.code === code)!;
    // returns 30,000 + 10,000; h1's 45,000 paid the return (30,000) first, then 15,000 of the rest
    expect(row("221").closingFen).toBe(10_000n);
    expect(row("3320103").closingFen).toBe(-40_000n);
    expect(row("32201").closingFen).toBe(50_000n);
    expect(row("32202").closingFen).toBe(10_000n);
    expect(row("301").closingFen).toBe(100_000n);
    expect(row("102").closingFen).toBe(1_500_000n + 100_000n - 800_000n - 200_000n - 45_000n);
    expectBalanced(tb);
    // h1 owes nothing more: 50,000 gross − 5,000 withheld − 45,000 paid
    const h1Payables = tb.filter((r) => r.householdId === h1.id && (r.code.startsWith("221-") || r.code.startsWith("222-")));
    expect(h1Payables.reduce((s, r) => s + r.closingFen, 0n)).toBe(0n);
    const h1Current = tb.find((r) => r.householdId === h1.id && r.code.startsWith("114-"))!;
    expect(h1Current.closingFen).toBe(-5_000n);

    // a reversing rent payment and an edited harvest
    await rentPayment(w, l, -800000n, "2026-03-05", "BANK", rp.id);
    await prisma.harvest.update({ where: { id: hv.id }, data: { salesFen: 1_200_000n } });
    const r3 = await bookPendingEvents(o.accountant, o.coop.id);
    expect(r3).toMatchObject({ booked: 2, reversed: 1 });
    const hvs = await vouchersOf("HARVEST", hv.id);
    expect(hvs.map((v) => [v.sourceVersion, v.totalFen, v.redInk])).toEqual([[0, 1_500_000n, false], [1, -1_500_000n, true], [2, 1_200_000n, false]]);
    expect(hvs[1]!.reversesId).toBe(hvs[0]!.id);
    const rents = await vouchersOf("RENT_PAYMENT", rp.id);
    const reversal = await prisma.voucher.findFirstOrThrow({ where: { source: "RENT_PAYMENT", reversesId: rents[0]!.id } });
    expect(reversal).toMatchObject({ redInk: true, totalFen: -800000n });
    // a deleted harvest is reversed
    await prisma.harvest.delete({ where: { id: hv.id } });
    expect(await bookPendingEvents(o.accountant, o.coop.id)).toMatchObject({ booked: 0, reversed: 1 });
    const tb2 = await trialBalance(o.coop.id, 2026);
    expect(tb2.find((r) => r.code === "501")!.closingFen).toBe(0n);
    expectBalanced(tb2);
    await expectNoGaps(o.coop.id);
    const ledger = await accountLedger(o.coop.id, await idOf(o.coop.id, "221"), 2026);
    expect(ledger.closingFen).toBe(tb2.find((r) => r.code === "221")!.closingFen);
  });

  it("books a collective's rent collected for households, and a correction run's differences", async () => {
    const o = await newCooperative(w, "COLLECTIVE_2023", "LAND_SHARE");
    const h = await member(w);
    const l = await lease(w, null, h.id);
    await rentPayment(w, l, 300000n, "2026-04-01", "CASH");
    const { run } = await issuedRun(w, o.coop.id, 2026, [{ householdId: h.id, guaranteedFen: 10_000n, surplusFen: 5_000n }], { costFen: 1000n, issuedAt: new Date("2026-12-01T04:00:00Z") });
    await issuedRun(w, o.coop.id, 2026, [{ householdId: h.id, surplusFen: -2_000n }], { costFen: 1500n, correctsId: run.id, issuedAt: new Date("2026-12-10T04:00:00Z") });
    await bookPendingEvents(o.accountant, o.coop.id);
    const tb = await trialBalance(o.coop.id, 2026);
    const row = (code: string) => tb.find((r) => r.code === code)!;
    expect(row("113").debitFen).toBe(300000n);
    expect(row("113").closingFen).toBe(0n);
    expect(row("101").closingFen).toBe(0n);
    expect(row("20201").closingFen).toBe(13_000n);
    expect(row("502").closingFen).toBe(1500n);
    expectBalanced(tb);
    const red = await prisma.voucher.findMany({ where: { cooperativeId: o.coop.id, redInk: true, source: { startsWith: "RUN_" } } });
    expect(red.map((v) => [v.source, v.totalFen])).toEqual([["RUN_DISTRIBUTION", -2_000n]]);
  });
});

describe("closing", () => {
  it("closes months in order, then the year with its carry-forward; later events book into the next open month", async () => {
    const o = await newCooperative(w);
    const h = await member(w);
    const plot = await orchard(w, o.coop.id);
    await harvest(w, plot.id, o.coop.id, 900_000n, "2025-06-10");
    await issuedRun(w, o.coop.id, 2025, [{ householdId: h.id, transactionFen: 300_000n, surplusFen: 100_000n }], { costFen: 200_000n, providentFen: 50_000n, riskFen: 20_000n, issuedAt: new Date("2025-12-20T04:00:00Z") });
    await bookPendingEvents(o.accountant, o.coop.id);
    expect(await closePeriod(o.accountant, o.coop.id, 2025, 0)).toMatchObject({ ok: false, errors: { period: { key: "books.period.earlierOpen" } } });
    expect((await checkMonth(o.chair, o.coop.id, 2025, 6)).ok).toBe(true);
    expect((await checkMonth(o.chair, o.coop.id, 2025, 12)).ok).toBe(true);
    for (let m = 1; m <= 12; m++) expect((await closePeriod(o.accountant, o.coop.id, 2025, m)).ok, `month ${m}`).toBe(true);
    expect((await closePeriod(o.accountant, o.coop.id, 2025, 0)).ok).toBe(true);
    expect((await closePeriod(o.accountant, o.coop.id, 2025, 0)).ok).toBe(false);
    const tb = await trialBalance(o.coop.id, 2025);
    for (const r of tb.filter((r) => r.category === "PROFIT_LOSS")) expect(r.closingFen, r.code).toBe(0n);
    expect(tb.find((r) => r.code === "331")!.closingFen).toBe(0n);
    // surplus 900,000 − 200,000 = 700,000; distributed 400,000 + 70,000 set aside → 230,000 undistributed
    expect(tb.find((r) => r.code === "33202")!.closingFen).toBe(230_000n);
    expect(tb.find((r) => r.code === "3320103")!.closingFen).toBe(0n);
    expectBalanced(tb);
    const next = await trialBalance(o.coop.id, 2026);
    expect(next.find((r) => r.code === "33202")!.openingFen).toBe(230_000n);
    expectBalanced(next);

    // a harvest dated in the closed year books into January 2026, saying so
    await harvest(w, plot.id, o.coop.id, 10_000n, "2025-11-11");
    await bookPendingEvents(o.accountant, o.coop.id);
    const jan = await vouchersIn(o.coop.id, 2026, 1);
    expect(jan).toHaveLength(1);
    expect(jan[0]).toMatchObject({ date: "2026-01-01", number: 1 });
    expect(jan[0]!.summary).toContain("原日期 2025-11-11");
    await expectNoGaps(o.coop.id);
  });
});

describe("any sequence of events keeps the books balanced (property)", () => {
  const step = fc.oneof(
    fc.record({ k: fc.constant("rent" as const), fen: fc.integer({ min: 1, max: 5_000_000 }), day: fc.integer({ min: 0, max: 360 }), cash: fc.boolean() }),
    fc.record({ k: fc.constant("reverseRent" as const) }),
    fc.record({ k: fc.constant("harvest" as const), fen: fc.integer({ min: 0, max: 9_000_000 }), day: fc.integer({ min: 0, max: 360 }) }),
    fc.record({ k: fc.constant("editHarvest" as const), fen: fc.integer({ min: 0, max: 9_000_000 }), del: fc.boolean() }),
    fc.record({ k: fc.constant("run" as const), amounts: fc.array(fc.tuple(fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 3 }), cost: fc.integer({ min: 0, max: 100_000 }) }),
    fc.record({ k: fc.constant("correct" as const), diff: fc.integer({ min: -20_000, max: 20_000 }) }),
    fc.record({ k: fc.constant("pay" as const), part: fc.integer({ min: 1, max: 100 }), failed: fc.boolean() }),
    fc.record({ k: fc.constant("capital" as const), fen: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 0, max: 360 }) }),
    fc.record({ k: fc.constant("manual" as const), fen: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 0, max: 360 }) }),
    fc.record({ k: fc.constant("book" as const) }),
    fc.record({ k: fc.constant("close" as const) }),
  );

  it("Σ debit = Σ credit, leaves net to zero, numbering has no gaps, booking twice books nothing", async () => {
    const date = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("COOP_2021" as const, "COLLECTIVE_2023" as const), fc.array(step, { minLength: 1, maxLength: 14 }), async (system, steps) => {
        const o = await newCooperative(w, system);
        const members = [await member(w), await member(w)];
        const l = await lease(w, o.coop.id, members[0]!.id);
        const plot = await orchard(w, o.coop.id);
        const rents: { id: number; reversed: boolean }[] = [];
        const harvests: number[] = [];
        let root: number | null = null;
        let lines: { id: number; householdId: number; netFen: bigint; paidFen: bigint }[] = [];
        let closedTo = 0;
        await ensureBooks(o.coop.id);
        const [cash, bank] = await Promise.all(["101", "102"].map((c) => idOf(o.coop.id, c)));
        for (const s of steps) {
          switch (s.k) {
            case "rent":
              rents.push({ id: (await rentPayment(w, l, BigInt(s.fen), date(s.day), s.cash ? "CASH" : "BANK")).id, reversed: false });
              break;
            case "reverseRent": {
              const r = rents.find((x) => !x.reversed);
              if (!r) break;
              const orig = await prisma.rentPayment.findUniqueOrThrow({ where: { id: r.id } });
              await rentPayment(w, l, -orig.amountFen, orig.paidOn, orig.method, r.id);
              r.reversed = true;
              break;
            }
            case "harvest":
              harvests.push((await harvest(w, plot.id, o.coop.id, BigInt(s.fen), date(s.day))).id);
              break;
            case "editHarvest": {
              const id = harvests[harvests.length - 1];
              if (id === undefined) break;
              if (s.del) {
                await prisma.harvest.delete({ where: { id } });
                harvests.pop();
              } else await prisma.harvest.update({ where: { id }, data: { salesFen: BigInt(s.fen) } });
              break;
            }
            case "run": {
              if (root !== null) break;
              const made = await issuedRun(w, o.coop.id, 2026, s.amounts.map(([t, r, d], i) => ({ householdId: members[i % 2]!.id, transactionFen: BigInt(t), surplusFen: BigInt(r), deductionFen: BigInt(Math.min(d, t + r)) })).filter((x, i, a) => a.findIndex((y) => y.householdId === x.householdId) === i), { costFen: BigInt(s.cost), providentFen: 1000n, riskFen: 500n, issuedAt: new Date("2026-12-20T04:00:00Z") });
              root = made.run.id;
              lines = made.lines;
              break;
            }
            case "correct": {
              if (root === null || s.diff === 0) break;
              await issuedRun(w, o.coop.id, 2026, [{ householdId: members[0]!.id, surplusFen: BigInt(s.diff) }], { costFen: 50n, correctsId: root, issuedAt: new Date("2026-12-22T04:00:00Z") });
              break;
            }
            case "pay": {
              const line = lines.find((x) => x.netFen - x.paidFen > 0n);
              if (!line) break;
              const fen = ((line.netFen - line.paidFen) * BigInt(s.part)) / 100n || 1n;
              await payment(w, line, fen, "2026-12-28", s.failed ? "FAILED" : "PAID");
              if (!s.failed) line.paidFen += fen;
              break;
            }
            case "capital":
              await capital(w, o.coop.id, members[1]!.id, BigInt(s.fen), date(s.day));
              break;
            case "manual":
              await createManualVoucher(o.accountant, o.coop.id, { date: date(s.day), summary: "提现", attachments: 1, lines: [{ accountId: cash, summary: "", debitFen: BigInt(s.fen), creditFen: 0n }, { accountId: bank, summary: "", debitFen: 0n, creditFen: BigInt(s.fen) }] });
              break;
            case "book":
              await bookPendingEvents(o.accountant, o.coop.id);
              break;
            case "close":
              if (closedTo >= 12) break;
              await checkMonth(o.chair, o.coop.id, 2026, closedTo + 1);
              if ((await closePeriod(o.accountant, o.coop.id, 2026, closedTo + 1)).ok) closedTo++;
              break;
          }
        }
        await bookPendingEvents(o.accountant, o.coop.id);
        const again = await bookPendingEvents(o.accountant, o.coop.id);
        expect(again.booked + again.reversed).toBe(0);
        const tb = await trialBalance(o.coop.id, 2026);
        expectBalanced(tb);
        for (const from of [1, 4]) expectBalanced(await trialBalance(o.coop.id, 2026, from, 9));
        expectBalanced(await trialBalance(o.coop.id, 2027));
        await expectNoGaps(o.coop.id);
        // every voucher balances
        const unbalanced = await prisma.voucher.findMany({ where: { cooperativeId: o.coop.id }, include: { lines: true } });
        for (const v of unbalanced) expect(v.lines.reduce((s, x) => s + x.debitFen - x.creditFen, 0n)).toBe(0n);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
