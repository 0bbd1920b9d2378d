import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeRun, type RunMember } from "./compute";
import { accountForYear, memberAccounts, registerHistory, type AccountLine, type AccountPayment, type HistoryContract } from "./register";

const contract = (over: Partial<HistoryContract>): HistoryContract => ({
  id: 1,
  householdId: 1,
  label: "EQ-1",
  status: "FILED",
  startDate: "2020-01-01",
  endDate: "2039-12-31",
  terminatedOn: null,
  amendsId: null,
  renewsId: null,
  areaMu: "4.00",
  ...over,
});

describe("registerHistory", () => {
  it("tells starts, amendments, renewals, early terminations and ends up to the given day, never drafts", () => {
    const events = registerHistory(
      [
        contract({ id: 1, status: "SUPERSEDED", endDate: "2030-12-31" }),
        contract({ id: 2, amendsId: 1, startDate: "2025-07-01", endDate: "2030-12-31", status: "RENEWED", areaMu: "5.00" }),
        contract({ id: 3, renewsId: 2, startDate: "2031-01-01" }),
        contract({ id: 4, householdId: 2, startDate: "2024-03-01", endDate: "2030-12-31", terminatedOn: "2025-06-30", status: "TERMINATED" }),
        contract({ id: 5, householdId: 3, status: "DRAFT" }),
        contract({ id: 6, householdId: 3, startDate: "2023-01-01", endDate: "2025-12-31" }),
      ],
      "2025-12-31",
    );
    expect(events.map((e) => [e.date, e.contractId, e.kind])).toEqual([
      ["2020-01-01", 1, "start"],
      ["2023-01-01", 6, "start"],
      ["2024-03-01", 4, "start"],
      ["2025-06-30", 4, "terminated"],
      ["2025-07-01", 2, "amended"],
      ["2025-12-31", 6, "end"],
    ]);
  });
});

// Random runs over random members, as computeRun makes them, with random payments of their lines.
const memberArb = fc.record({ weight: fc.integer({ min: 0, max: 5000 }), capital: fc.integer({ min: 0, max: 100_000 }), tx: fc.integer({ min: 0, max: 100_000 }) });
const runArb = fc.record({
  year: fc.integer({ min: 2020, max: 2026 }),
  professional: fc.boolean(),
  income: fc.bigInt({ min: 0n, max: 50_000_000n }),
  provident: fc.integer({ min: 0, max: 30 }),
  members: fc.array(memberArb, { minLength: 1, maxLength: 12 }),
  pays: fc.array(fc.record({ member: fc.nat(), part: fc.integer({ min: 1, max: 100 }), failed: fc.boolean() }), { maxLength: 20 }),
});

describe("member accounts", () => {
  it("credit each run's provident fund to its members to the fen, and count only PAID payments as paid (property)", () => {
    fc.assert(
      fc.property(fc.array(runArb, { minLength: 1, maxLength: 4 }), (runs) => {
        const lines: AccountLine[] = [];
        const payments: AccountPayment[] = [];
        const expected: { runId: number; providentFen: bigint; quantified: bigint }[] = [];
        let paidTotal = 0n;
        runs.forEach((r, runId) => {
          const members: RunMember[] = r.members.map((m, i) => ({
            householdId: i + 1,
            weight: String(m.weight / 100),
            shares: String(m.weight / 100),
            areaMu: "1",
            capitalFen: BigInt(m.capital),
            transactionFen: BigInt(m.tx),
            key: `k${i}`,
          }));
          const result = computeRun({
            method: r.professional ? "PROFESSIONAL" : "LAND_SHARE",
            incomeFen: r.income,
            costFen: 0n,
            providentPercent: String(r.provident),
            riskPercent: "0",
            transactionPercent: "60",
            members,
          });
          expected.push({ runId, providentFen: result.providentFen, quantified: result.providentQuantifiedFen });
          for (const l of result.lines) lines.push({ runId, year: r.year, householdId: l.householdId, providentShareFen: l.providentShareFen, netFen: l.netFen });
          const paid = new Map<number, bigint>();
          for (const p of r.pays) {
            const l = result.lines[p.member % result.lines.length];
            if (!l) continue;
            const left = l.netFen - (paid.get(l.householdId) ?? 0n);
            const amountFen = (left * BigInt(p.part)) / 100n;
            if (amountFen <= 0n) continue;
            payments.push({ runId, householdId: l.householdId, status: p.failed ? "FAILED" : "PAID", amountFen });
            if (!p.failed) {
              paid.set(l.householdId, (paid.get(l.householdId) ?? 0n) + amountFen);
              paidTotal += amountFen;
            }
          }
        });
        const accounts = memberAccounts({ lines, payments, capital: [], transactions: [] });
        // Per run: Σ of what the members' accounts were credited = the run's provident fund (whenever any member could take it).
        for (const e of expected) {
          const credited = lines.filter((l) => l.runId === e.runId).reduce((s, l) => s + l.providentShareFen, 0n);
          expect(credited).toBe(e.quantified);
          if (lines.some((l) => l.runId === e.runId && l.providentShareFen > 0n) || e.quantified > 0n) expect(credited).toBe(e.providentFen);
        }
        const all = [...accounts.values()].flat();
        expect(all.reduce((s, a) => s + a.reserveFen, 0n)).toBe(expected.reduce((s, e) => s + e.quantified, 0n));
        expect(all.reduce((s, a) => s + a.paidFen, 0n)).toBe(paidTotal);
        expect(all.reduce((s, a) => s + a.dueFen, 0n)).toBe(lines.reduce((s, l) => s + l.netFen, 0n));
        // Balances carry: the last year's reserve balance is the member's whole reserve.
        for (const years of accounts.values()) expect(years[years.length - 1]!.reserveBalanceFen).toBe(years.reduce((s, a) => s + a.reserveFen, 0n));
      }),
      { numRuns: 150 },
    );
  });

  it("carries capital and reserve balances into years without entries", () => {
    const accounts = memberAccounts({
      lines: [{ runId: 1, year: 2024, householdId: 7, providentShareFen: 500n, netFen: 10_000n }],
      payments: [{ runId: 1, householdId: 7, status: "PAID", amountFen: 10_000n }],
      capital: [{ householdId: 7, date: "2023-05-01", amountFen: 100_000n }],
      transactions: [{ householdId: 7, date: "2024-09-01", amountFen: 30_000n }],
    });
    const years = accounts.get(7)!;
    expect(years.map((y) => y.year)).toEqual([2023, 2024]);
    expect(accountForYear(years, 2026)).toMatchObject({ year: 2026, capitalBalanceFen: 100_000n, reserveBalanceFen: 500n, reserveFen: 0n, dueFen: 0n });
    expect(accountForYear(years, 2024)).toMatchObject({ capitalFen: 0n, capitalBalanceFen: 100_000n, reserveFen: 500n, dueFen: 10_000n, paidFen: 10_000n, transactionFen: 30_000n });
    expect(accountForYear(years, 2022)).toMatchObject({ capitalBalanceFen: 0n });
  });
});
