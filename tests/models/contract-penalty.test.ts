import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { parseContractForm } from "~/contracts/contract-form";
import { createContract, getContract, signContract } from "~/contracts/contracts.server";
import { accruedPenaltyFen } from "~/contracts/penalty";
import { parsePlotForm } from "~/contracts/plot-form";
import { savePlot } from "~/contracts/plots.server";
import { arrears, contractPenalty, recordPayment, recordPenaltySettlement, reversePayment, reversePenaltySettlement } from "~/contracts/rent.server";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import { buildWorld, request, type World } from "../factories";

/**
 * The late penalty through the whole chain (payments → arrears → settlements)
 * on a real database, and equity contracts that owe no rent. The clock is
 * fixed at 00:30 China time on 2026-12-03, the day of the example.
 */
let w: World;
let secretary: CurrentUser;
let township: CurrentUser;
const plots: number[] = [];
const TODAY = "2026-12-03";

beforeAll(async () => {
  w = await buildWorld();
  const as = async (u: { cookie: string }) => (await getUser(request("/", { cookie: u.cookie })))!;
  secretary = await as(w.users.secretary);
  township = await as(w.users.township);
  const g = w.v1.groups[0]!;
  for (let k = 1; k <= 12; k++) {
    const p = parsePlotForm({ parcelCode: `37170210200101${String(k).padStart(5, "0")}`, groupId: String(g.id), name: `地${k}`, category: "CONTRACTED", contractArea: "3.20", contractEnd: "2057-12-31" });
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const r = await savePlot(secretary, w.h1.id, null, p.value);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    plots.push(r.id);
  }
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-02T16:30:00Z")); // 2026-12-03 00:30 in China
});

afterAll(() => {
  vi.useRealTimers();
});

let nextPlot = 0;
/** A signed contract on a fresh 3.20 mu plot at 900 yuan a mu: 2,880.00 due each 12-31. */
async function contract(over: RawForm = {}) {
  const raw: RawForm = {
    transfereeKind: "COOPERATIVE",
    cooperativeId: String(w.c1.id),
    form: "LEASE",
    use: "GRAIN",
    startDate: "2025-01-01",
    endDate: "2029-12-31",
    rentKind: "CASH",
    rentPerMu: "900",
    paymentTiming: "YEARLY",
    paymentMonthDay: "12-31",
    penaltyPerTenThousand: "5",
    "lines.0.plotId": String(plots[nextPlot++]),
    "lines.0.area": "3.20",
    ...over,
  };
  const parsed = parseContractForm(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const r = await createContract(secretary, parsed.value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect(await signContract(secretary, r.id, "2024-12-20")).toBeNull();
  const c = (await getContract(secretary, r.id))!;
  return { id: r.id, first: c.installments.find((i) => i.dueDate === "2025-12-31") };
}

const pay = (installmentId: number, paidOn: string, amount: string) => recordPayment(secretary, installmentId, { paidOn, amount, method: "BANK", receiptNo: "" });
const accountOf = async (contractId: number) => (await arrears(secretary.scope, TODAY, { contractId })).accounts.find((a) => a.householdId === w.h1.id);

describe("the late penalty accrues day by day on what is unpaid (issue 11, item 3)", () => {
  let id: number;
  let inst: number;

  it("2,880.00 due 2025-12-31 and unpaid on 2026-12-03 has accrued 485.28", async () => {
    const c = await contract();
    id = c.id;
    inst = c.first!.id;
    expect(c.first!.amountFen).toBe(288000n);
    const line = (await arrears(secretary.scope, TODAY, { contractId: id })).lines.find((l) => l.installmentId === inst)!;
    expect(line.penaltyFen).toBe(48528n);
  });

  it("paying 1,500 late (2026-11-20) keeps what had accrued: 475.53, not 232.53", async () => {
    expect(await pay(inst, "2026-11-20", "1500")).toBeNull();
    const a = await arrears(secretary.scope, TODAY, { contractId: id });
    expect(a.lines.find((l) => l.installmentId === inst)!.penaltyFen).toBe(47553n);
    expect(a.total.penaltyOutstandingFen).toBe(47553n);
  });

  it("paying the rest today leaves the penalty accrued and owed (it used to vanish)", async () => {
    expect(await pay(inst, TODAY, "1380")).toBeNull();
    const a = await arrears(secretary.scope, TODAY, { contractId: id });
    expect(a.total.outstandingFen).toBe(0n);
    expect(a.lines.map((l) => [l.installmentId, l.outstandingFen, l.penaltyFen])).toEqual([[inst, 0n, 47553n]]);
    expect(a.byHousehold[0]).toMatchObject({ penaltyFen: 47553n, penaltyPaidFen: 0n, penaltyWaivedFen: 0n, penaltyOutstandingFen: 47553n });
  });

  it("a reversed rent payment restores the accrual as if it had not been made", async () => {
    const p = await prisma.rentPayment.findFirstOrThrow({ where: { installmentId: inst, paidOn: "2026-11-20" } });
    expect(await reversePayment(secretary, p.id)).toBeNull();
    // 2,880 unpaid to 2026-12-03 less the 1,380 paid today, which still counts today: as if only that were paid.
    expect((await accountOf(id))!.accruedFen).toBe(48528n);
    expect(await pay(inst, "2026-11-20", "1500")).toBeNull();
    expect((await accountOf(id))!.accruedFen).toBe(47553n);
  });

  it("a waiver is a decision with a reason and who decided; payments and waivers show apart; outstanding = accrued − paid − waived", async () => {
    const missing = await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "WAIVED", on: TODAY, amount: "100" });
    expect(missing).toMatchObject({ reason: { key: "penalty.reasonRequired" }, decidedBy: { key: "penalty.decidedByRequired" } });
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "WAIVED", on: TODAY, amount: "100", reason: "首次逾期，经协商减免", decidedBy: "鲁谢庄村民委员会 2026-12-01 会议" })).toBeNull();
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "200", method: "CASH", receiptNo: "WYJ-1" })).toBeNull();
    const a = (await accountOf(id))!;
    expect(a).toMatchObject({ accruedFen: 47553n, paidFen: 20000n, waivedFen: 10000n, outstandingFen: 17553n });
    const view = await contractPenalty((await getContract(secretary, id))!, TODAY);
    expect(view[0]).toMatchObject({ accruedFen: 47553n, paidFen: 20000n, waivedFen: 10000n, outstandingFen: 17553n });
    expect(view[0]!.settlements.map((s) => [s.kind, s.amountFen, s.decidedBy])).toEqual([
      ["WAIVED", 10000n, "鲁谢庄村民委员会 2026-12-01 会议"],
      ["PAID", 20000n, ""],
    ]);
    const audit = await prisma.auditEvent.findMany({ where: { entity: "PenaltySettlement" } });
    expect(audit).toHaveLength(2);
  });

  it("cannot settle more than is outstanding, nor date a settlement after today, nor by a township official", async () => {
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "175.54", method: "CASH" })).toMatchObject({
      amount: { key: "penalty.amountTooLarge", params: { outstanding: "175.53" } },
    });
    // As of an earlier day less had accrued: the bound is what was outstanding on the row's date.
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: "2026-03-01", amount: "175.53", method: "CASH" })).toMatchObject({ amount: { key: "penalty.amountTooLarge" } });
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: "2026-12-05", amount: "1", method: "CASH" })).toMatchObject({ on: { key: "penalty.dateFuture" } });
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "99999999999", method: "CASH" })).toMatchObject({ amount: { key: "money.tooLarge" } });
    await expect(recordPenaltySettlement(township, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "1", method: "CASH" })).rejects.toMatchObject({ status: 403 });
    expect(await prisma.penaltySettlement.count({ where: { contractId: id } })).toBe(2);
  });

  it("a settlement is never edited: a mistake is reversed by a new row, and the penalty settled in full leaves the arrears", async () => {
    const waiver = await prisma.penaltySettlement.findFirstOrThrow({ where: { contractId: id, kind: "WAIVED" } });
    expect(await reversePenaltySettlement(secretary, id, waiver.id)).toBeNull();
    expect(await reversePenaltySettlement(secretary, id, waiver.id)).toMatchObject({ settlement: { key: "penalty.alreadyReversed" } });
    expect((await accountOf(id))!).toMatchObject({ waivedFen: 0n, outstandingFen: 27553n });
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "275.53", method: "BANK" })).toBeNull();
    const a = await arrears(secretary.scope, TODAY, { contractId: id });
    expect(a.lines).toHaveLength(0);
    expect(a.accounts).toHaveLength(0);
    const rows = await prisma.penaltySettlement.findMany({ where: { contractId: id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.amountFen, r.reversesId])).toEqual([
      ["WAIVED", 10000n, null],
      ["PAID", 20000n, null],
      ["WAIVED", -10000n, waiver.id],
      ["PAID", 27553n, null],
    ]);
  });
});

describe("rent payments dated after today are refused (issue 11, item 9)", () => {
  it("refuses a payment two days ahead and one dated 9999-12-31, with the message on the date", async () => {
    const { first } = await contract();
    for (const paidOn of ["2026-12-05", "9999-12-31"]) {
      expect(await pay(first!.id, paidOn, "100")).toMatchObject({ paidOn: { key: "payment.dateFuture", params: { today: TODAY } } });
    }
    expect(await pay(first!.id, TODAY, "100")).toBeNull();
    expect((await prisma.rentPayment.findMany({ where: { installmentId: first!.id } })).map((p) => p.paidOn)).toEqual([TODAY]);
  });
});

describe("property: the arrears' penalty is the rule over the stored payments, whatever the order they were recorded in", () => {
  it("matches accruedPenaltyFen for random payment histories, and paying later never lowers it", async () => {
    const { id, first } = await contract({ startDate: "2025-01-01", endDate: "2025-12-31" });
    const inst = first!.id;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ day: fc.integer({ min: -30, max: 336 }), yuan: fc.integer({ min: 1, max: 700 }), reverse: fc.boolean() }), { minLength: 1, maxLength: 5 }),
        async (events) => {
          // Start each run from a clean installment.
          await prisma.rentPayment.deleteMany({ where: { installmentId: inst } });
          await prisma.rentInstallment.update({ where: { id: inst }, data: { paidFen: 0n } });
          const base = new Date("2025-12-31T00:00:00Z").getTime();
          const dateOf = (d: number) => new Date(base + d * 86_400_000).toISOString().slice(0, 10);
          let paid = 0;
          for (const e of events) {
            if (paid + e.yuan > 2880) continue;
            expect(await pay(inst, dateOf(e.day), String(e.yuan))).toBeNull();
            paid += e.yuan;
            if (e.reverse) {
              const last = await prisma.rentPayment.findFirstOrThrow({ where: { installmentId: inst }, orderBy: { id: "desc" } });
              expect(await reversePayment(secretary, last.id)).toBeNull();
              paid -= e.yuan;
            }
          }
          const stored = await prisma.rentPayment.findMany({ where: { installmentId: inst }, select: { id: true, paidOn: true, amountFen: true, reversesId: true } });
          const expected = accruedPenaltyFen({ dueDate: "2025-12-31", amountFen: 288000n, perTenThousand: "5", payments: stored, asOf: TODAY });
          const a = await arrears(secretary.scope, TODAY, { contractId: id });
          expect(a.lines.find((l) => l.installmentId === inst)?.penaltyFen ?? 0n).toBe(expected);
          // Had every payment come a day later, the penalty would not be smaller.
          const later = stored.map((p) => ({ ...p, paidOn: dateOf(Math.round((Date.parse(p.paidOn) - base) / 86_400_000) + 1) }));
          expect(accruedPenaltyFen({ dueDate: "2025-12-31", amountFen: 288000n, perTenThousand: "5", payments: later, asOf: TODAY })).toBeGreaterThanOrEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe("equity contracts owe no rent (issue 11, item 4)", () => {
  it("signing an equity contract writes no schedule; it has no arrears or penalty; no rent payment can be recorded", async () => {
    const before = await arrears(township.scope, TODAY);
    const { id } = await contract({ form: "EQUITY", rentKind: "", rentPerMu: "", paymentTiming: "", penaltyPerTenThousand: "" });
    const c = (await getContract(secretary, id))!;
    expect(c.form).toBe("EQUITY");
    expect(c.installments).toHaveLength(0);
    const after = await arrears(township.scope, TODAY);
    expect(after.byContract.some((x) => x.contractId === id)).toBe(false);
    expect(after.total.outstandingFen).toBe(before.total.outstandingFen);
    expect(await contractPenalty(c, TODAY)).toEqual([]);
    expect(await recordPenaltySettlement(secretary, id, w.h1.id, { kind: "PAID", on: TODAY, amount: "1", method: "CASH" })).toMatchObject({ amount: { key: "penalty.amountTooLarge" } });
  });

  it("installments left from before the fix, cancelled or not, count nowhere", async () => {
    const { id } = await contract({ form: "EQUITY", rentPerMu: "1000" });
    // As the old code wrote them: a schedule of rent for the equity contract (16 mu → 16,000 a year in the issue).
    await prisma.rentInstallment.createMany({
      data: [
        { contractId: id, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, seq: 1, periodStart: "2025-01-01", periodEnd: "2025-12-31", dueDate: "2025-12-31", area: "3.20", rateNote: "CASH 1000.00", amountFen: 320000n },
        { contractId: id, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, seq: 2, periodStart: "2026-01-01", periodEnd: "2026-12-31", dueDate: "2026-12-31", area: "3.20", rateNote: "CASH 1000.00", amountFen: 320000n, cancelledAt: new Date() },
      ],
    });
    const a = await arrears(township.scope, TODAY, { includeNotDue: true });
    expect(a.lines.some((l) => l.contractId === id)).toBe(false);
    const legacy = await prisma.rentInstallment.findFirstOrThrow({ where: { contractId: id, seq: 1 } });
    expect(await pay(legacy.id, TODAY, "100")).toMatchObject({ amount: { key: "payment.cancelled" } });
  });
});
