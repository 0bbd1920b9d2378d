import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, formatYuan, fromFen, toCapitals } from "~/lib/money";
import { computeRun, type RunInput, type RunMember, type RunResult } from "./compute";
import { daysInYear, shareDays, weightedShares } from "./shares";

// ─── helpers ────────────────────────────────────────────────────────────────

function member(householdId: number, weight: string, over: Partial<RunMember> = {}): RunMember {
  return { householdId, weight, shares: weight, areaMu: weight, key: `K${String(householdId).padStart(6, "0")}`, ...over };
}

function landShare(over: Partial<RunInput> = {}): RunInput {
  return { method: "LAND_SHARE", incomeFen: 0n, costFen: 0n, providentPercent: "0", riskPercent: "0", members: [], ...over };
}

function professional(over: Partial<RunInput> = {}): RunInput {
  return { method: "PROFESSIONAL", incomeFen: 0n, costFen: 0n, providentPercent: "0", riskPercent: "0", transactionPercent: "60", members: [], ...over };
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** Invariants every result must satisfy, whatever the inputs. */
function checkInvariants(r: RunResult): void {
  const gross = sum(r.lines.map((l) => l.grossFen));
  expect(gross).toBe(r.distributedFen);
  expect(r.distributedFen).toBeLessThanOrEqual(r.distributableFen > 0n ? r.distributableFen : 0n);
  expect(r.undistributedFen).toBe(r.distributableFen - r.distributedFen);
  expect(sum(r.lines.map((l) => l.guaranteedFen))).toBe(r.guaranteedTotalFen);
  expect(sum(r.lines.map((l) => l.surplusFen))).toBe(r.surplusSharedFen);
  expect(sum(r.lines.map((l) => l.transactionFen))).toBe(r.transactionTotalFen);
  expect(sum(r.lines.map((l) => l.capitalFen))).toBe(r.capitalTotalFen);
  expect(sum(r.lines.map((l) => l.netFen))).toBe(r.netTotalFen);
  expect(sum(r.lines.map((l) => l.providentShareFen))).toBe(r.providentQuantifiedFen);
  for (const l of r.lines) {
    for (const v of [l.guaranteedDueFen, l.guaranteedFen, l.surplusFen, l.transactionFen, l.capitalFen, l.providentShareFen, l.grossFen, l.deductionFen, l.netFen]) {
      expect(v).toBeGreaterThanOrEqual(0n);
    }
    expect(l.grossFen).toBe(l.guaranteedFen + l.surplusFen + l.transactionFen + l.capitalFen);
    expect(l.netFen).toBe(l.grossFen - l.deductionFen);
  }
  if (r.surplusFen > 0n) {
    expect(r.providentFen + r.riskFen + r.distributableFen + r.lossRecoveryFen).toBe(r.surplusFen);
  } else {
    expect(r.distributedFen).toBe(0n);
  }
}

// ─── arbitraries ────────────────────────────────────────────────────────────

const weightArb = fc.oneof(
  fc.integer({ min: 0, max: 2000 }).map((n) => String(n)),
  fc.integer({ min: 0, max: 200_000 }).map((n) => new Decimal(n).dividedBy(100).toFixed()),
  // mid-year joiners: 12-place weights as weightedShares produces them
  fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 365 })).map(([hundredths, days]) =>
    new Decimal(hundredths).dividedBy(100).times(days).dividedBy(365).toDecimalPlaces(12).toFixed(),
  ),
);
const fenArb = (max: number) => fc.integer({ min: 0, max }).map(BigInt);
const pctArb = fc.integer({ min: 0, max: 3000 }).map((n) => new Decimal(n).dividedBy(100).toFixed());

const membersArb = fc
  .array(
    fc.record({
      weight: weightArb,
      transactionFen: fenArb(50_000_000),
      capitalFen: fenArb(10_000_000),
      deductionFen: fc.oneof(fc.constant(0n), fenArb(2_000_000)),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => rows.map((r, i) => member(i + 1, r.weight, { transactionFen: r.transactionFen, capitalFen: r.capitalFen, deductionFen: r.deductionFen })));

const landInputArb = fc.record({
  incomeFen: fenArb(2_000_000_000),
  costFen: fenArb(500_000_000),
  providentPercent: pctArb,
  riskPercent: pctArb,
  guaranteePerShare: fc.oneof(fc.constant("0"), fc.integer({ min: 0, max: 300_000 }).map((n) => new Decimal(n).dividedBy(100).toFixed())),
  members: membersArb,
}).map((r) => landShare(r));

const profInputArb = fc.record({
  incomeFen: fenArb(2_000_000_000),
  costFen: fenArb(500_000_000),
  providentPercent: pctArb,
  riskPercent: pctArb,
  transactionPercent: fc.integer({ min: 6000, max: 10000 }).map((n) => new Decimal(n).dividedBy(100).toFixed()),
  capitalPercentOfRest: fc.integer({ min: 0, max: 100 }).map(String),
  members: membersArb,
}).map((r) => professional(r));

const RUNS = { numRuns: Number(process.env.DIVIDEND_PROPERTY_RUNS ?? 300) };

// ─── worked example ─────────────────────────────────────────────────────────

describe("the worked example: 16 mu at 3,000 yuan per mu", () => {
  it("pays 48,000.00 yuan, 肆万捌仟元整, when the surplus is exactly enough", () => {
    const shares = weightedShares([{ householdId: 7, areaMu: "16", startDate: "2020-01-01", endDate: "2040-12-31" }], 2025, "1");
    expect(shares).toEqual([{ householdId: 7, areaMu: "16.00", shares: "16", weight: "16", days: 365 }]);
    const r = computeRun(
      landShare({
        incomeFen: 4_800_000n,
        costFen: 0n,
        guaranteePerShare: "3000",
        members: shares.map((s) => ({ ...s, key: "371702102001030012" })),
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.shortfallFen).toBe(0n);
    const [line] = r.lines;
    expect(line!.guaranteedFen).toBe(4_800_000n);
    expect(line!.surplusFen).toBe(0n);
    expect(line!.netFen).toBe(4_800_000n);
    expect(formatYuan(line!.netFen)).toBe("48,000.00");
    expect(toCapitals(fromFen(line!.netFen))).toBe("肆万捌仟元整");
    expect(r.stats).toEqual({ minPerShare: "3000.00", medianPerShare: "3000.00", maxPerShare: "3000.00" });
    checkInvariants(r);
  });

  it("with a 10% provident fund the household's account is credited, not paid", () => {
    // 53,333.34 × 10% = 5,333.33 (half-up); distributable 48,000.01 → 1 fen second dividend
    const r = computeRun(landShare({ incomeFen: 5_333_334n, providentPercent: "10", guaranteePerShare: "3000", members: [member(7, "16")] }));
    expect(r.providentFen).toBe(533_333n);
    expect(r.distributableFen).toBe(4_800_001n);
    expect(r.lines[0]).toMatchObject({ guaranteedFen: 4_800_000n, surplusFen: 1n, providentShareFen: 533_333n, netFen: 4_800_001n });
  });
});

// ─── rules by example ───────────────────────────────────────────────────────

describe("computeRun: land-share", () => {
  it("pays the guarantee first, then shares the rest by weight", () => {
    const r = computeRun(
      landShare({
        incomeFen: 10_000_000n,
        costFen: 2_000_000n,
        providentPercent: "10",
        riskPercent: "5",
        guaranteePerShare: "1000",
        members: [member(1, "10"), member(2, "20"), member(3, "5.5")],
      }),
    );
    // surplus 80,000.00; provident 8,000.00; risk 4,000.00; distributable 68,000.00
    expect(r.surplusFen).toBe(8_000_000n);
    expect(r.providentFen).toBe(800_000n);
    expect(r.riskFen).toBe(400_000n);
    expect(r.distributableFen).toBe(6_800_000n);
    expect(r.lines.map((l) => l.guaranteedFen)).toEqual([1_000_000n, 2_000_000n, 550_000n]);
    expect(r.guaranteedTotalFen).toBe(3_550_000n);
    // 32,500.00 by 10 : 20 : 5.5 (35.5 shares) = 9154.929… / 18309.859… / 5035.211…
    expect(r.lines.map((l) => l.surplusFen)).toEqual([915_493n, 1_830_986n, 503_521n]);
    expect(r.distributedFen).toBe(6_800_000n);
    expect(r.errors).toEqual([]);
    checkInvariants(r);
  });

  it("shows a shortfall instead of inventing money, and splits what there is by the amounts due", () => {
    const r = computeRun(
      landShare({ incomeFen: 3_000_000n, guaranteePerShare: "1000", members: [member(1, "10"), member(2, "30")] }),
    );
    expect(r.guaranteedDueFen).toBe(4_000_000n);
    expect(r.shortfallFen).toBe(1_000_000n);
    expect(r.errors).toContain("dividend.shortfall");
    expect(r.lines.map((l) => l.guaranteedDueFen)).toEqual([1_000_000n, 3_000_000n]);
    expect(r.lines.map((l) => l.guaranteedFen)).toEqual([750_000n, 2_250_000n]);
    expect(r.lines.every((l) => l.surplusFen === 0n)).toBe(true);
    expect(r.distributedFen).toBe(3_000_000n);
    checkInvariants(r);
  });

  it("a loss or zero surplus distributes nothing, says so, and still shows the guarantee owed", () => {
    const r = computeRun(landShare({ incomeFen: 100n, costFen: 200n, providentPercent: "10", guaranteePerShare: "800", members: [member(1, "2")] }));
    expect(r.surplusFen).toBe(-100n);
    expect(r.providentFen).toBe(0n);
    expect(r.distributableFen).toBe(0n);
    expect(r.errors).toEqual(["dividend.noSurplus", "dividend.shortfall"]);
    expect(r.shortfallFen).toBe(160_000n);
    expect(r.lines[0]).toMatchObject({ guaranteedDueFen: 160_000n, guaranteedFen: 0n, netFen: 0n });
    const z = computeRun(landShare({ incomeFen: 500n, costFen: 500n, members: [member(1, "2")] }));
    expect(z.errors).toEqual(["dividend.noSurplus"]);
    expect(z.distributedFen).toBe(0n);
  });

  it("counts a mid-year joiner by days: same rate per weighted share", () => {
    const reg = weightedShares(
      [
        { householdId: 1, areaMu: "16", startDate: "2020-03-01", endDate: "2035-02-28" },
        { householdId: 2, areaMu: "16", startDate: "2026-07-01", endDate: "2035-02-28" },
      ],
      2026,
      "1",
    );
    expect(reg[1]!.weight).toBe("8.065753424658");
    const r = computeRun(landShare({ incomeFen: 10_000_000n, guaranteePerShare: "1000", members: reg.map((s) => ({ ...s, key: String(s.householdId) })) }));
    expect(r.lines[0]!.guaranteedFen).toBe(1_600_000n);
    expect(r.lines[1]!.guaranteedFen).toBe(806_575n); // 8.065753424658 × 1000 = 8,065.75
    // the same rate per weighted share, up to the fen rounding of each line
    expect(new Decimal(r.stats.maxPerShare).minus(r.stats.minPerShare).abs().lte("0.001")).toBe(true);
    checkInvariants(r);
  });

  it("deductions reduce the net, never below zero", () => {
    const r = computeRun(
      landShare({
        incomeFen: 300_000n,
        guaranteePerShare: "1000",
        members: [member(1, "1", { deductionFen: 20_000n }), member(2, "1", { deductionFen: 999_999n })],
      }),
    );
    expect(r.lines[0]).toMatchObject({ grossFen: 150_000n, deductionFen: 20_000n, netFen: 130_000n });
    expect(r.lines[1]).toMatchObject({ grossFen: 150_000n, deductionFen: 150_000n, netFen: 0n });
    expect(r.errors).toEqual(["dividend.deductionExceeds"]);
    expect(r.problems).toEqual([{ code: "dividend.deductionExceeds", householdId: 2 }]);
    checkInvariants(r);
  });

  it("set-asides never exceed the surplus, even at 100% with odd fen", () => {
    const r = computeRun(landShare({ incomeFen: 1n, providentPercent: "50", riskPercent: "50", members: [member(1, "1")] }));
    expect(r.providentFen).toBe(1n);
    expect(r.riskFen).toBe(0n);
    expect(r.distributableFen).toBe(0n);
    expect(r.errors).toEqual([]);
  });

  it("makes up losses before the set-asides", () => {
    const r = computeRun(landShare({ incomeFen: 1_000_000n, lossRecoveryFen: 200_000n, providentPercent: "10", members: [member(1, "1")] }));
    expect(r.lossRecoveryFen).toBe(200_000n);
    expect(r.providentFen).toBe(80_000n);
    expect(r.distributableFen).toBe(720_000n);
    checkInvariants(r);
  });

  it("breaks ties by key, not by the order of the members", () => {
    const ms = [member(1, "1", { key: "B" }), member(2, "1", { key: "A" }), member(3, "1", { key: "C" })];
    const r = computeRun(landShare({ incomeFen: 100n, members: ms }));
    expect(r.lines.map((l) => l.surplusFen)).toEqual([33n, 34n, 33n]);
    const back = computeRun(landShare({ incomeFen: 100n, members: [...ms].reverse() }));
    expect(back.lines.map((l) => [l.householdId, l.surplusFen])).toEqual([[3, 33n], [2, 34n], [1, 33n]]);
  });

  it("reports invalid input with codes and zero lines", () => {
    expect(computeRun(landShare({ incomeFen: 100n, members: [] })).errors).toEqual(["dividend.noMembers"]);
    expect(computeRun(landShare({ incomeFen: 100n, providentPercent: "60", riskPercent: "41", members: [member(1, "1")] })).errors).toEqual([
      "dividend.setAsidesTooHigh",
    ]);
    expect(computeRun(landShare({ incomeFen: 100n, providentPercent: "1e1", members: [member(1, "1")] })).errors).toEqual(["dividend.percentInvalid"]);
    expect(computeRun(landShare({ incomeFen: 100n, guaranteePerShare: "-5", members: [member(1, "1")] })).errors).toEqual(["dividend.guaranteeInvalid"]);
    expect(computeRun(landShare({ incomeFen: -1n, members: [member(1, "1")] })).errors).toEqual(["dividend.amountInvalid"]);
    expect(computeRun(landShare({ incomeFen: 100n, members: [member(1, "x")] })).errors).toEqual(["dividend.memberInvalid"]);
    expect(computeRun(landShare({ incomeFen: 100n, members: [member(1, "1"), member(1, "2", { key: "other" })] })).errors).toEqual([
      "dividend.duplicateMember",
    ]);
    expect(computeRun(landShare({ incomeFen: 100n, members: [member(1, "1"), member(2, "2", { key: "K000001" })] })).errors).toEqual([
      "dividend.duplicateKey",
    ]);
    expect(computeRun({ ...landShare({ incomeFen: 100n, members: [member(1, "1")] }), method: "OTHER" as never }).errors).toEqual([
      "dividend.methodInvalid",
    ]);
    const bad = computeRun(landShare({ incomeFen: 100n, members: [member(1, "1"), member(2, "-1")] }));
    expect(bad.lines.map((l) => l.netFen)).toEqual([0n, 0n]);
    expect(bad.distributedFen).toBe(0n);
  });

  it("flags a positive pool with no weights", () => {
    const r = computeRun(landShare({ incomeFen: 100n, members: [member(1, "0")] }));
    expect(r.errors).toEqual(["dividend.noWeights"]);
    expect(r.undistributedFen).toBe(100n);
  });
});

describe("computeRun: professional cooperative", () => {
  it("returns at least 60% by transactions, the rest by capital and shares", () => {
    const r = computeRun(
      professional({
        incomeFen: 1_000_001n,
        providentPercent: "0",
        transactionPercent: "60",
        capitalPercentOfRest: "50",
        members: [
          member(1, "10", { transactionFen: 3_000_000n, capitalFen: 1_000_000n }),
          member(2, "0", { transactionFen: 1_000_000n, capitalFen: 3_000_000n }),
          member(3, "30", { transactionFen: 0n, capitalFen: 0n }),
        ],
      }),
    );
    // 60% of 10,000.01 = 6,000.006 → 6,000.01 (rounded up); rest 4,000.00 → 2,000.00 / 2,000.00
    expect(r.transactionTotalFen).toBe(600_001n);
    expect(r.capitalTotalFen).toBe(200_000n);
    expect(r.surplusSharedFen).toBe(200_000n);
    expect(r.lines.map((l) => l.transactionFen)).toEqual([450_001n, 150_000n, 0n]);
    expect(r.lines.map((l) => l.capitalFen)).toEqual([50_000n, 150_000n, 0n]);
    expect(r.lines.map((l) => l.surplusFen)).toEqual([50_000n, 0n, 150_000n]);
    expect(r.guaranteedTotalFen).toBe(0n);
    expect(r.errors).toEqual([]);
    checkInvariants(r);
  });

  it("refuses a transaction share below 60%", () => {
    expect(computeRun(professional({ incomeFen: 100n, transactionPercent: "59.99", members: [member(1, "1")] })).errors).toEqual([
      "dividend.transactionPercentTooLow",
    ]);
    expect(computeRun(professional({ incomeFen: 100n, transactionPercent: undefined, members: [member(1, "1")] })).errors).toEqual([
      "dividend.transactionPercentTooLow",
    ]);
    expect(computeRun(professional({ incomeFen: 100n, transactionPercent: "100.5", members: [member(1, "1")] })).errors).toEqual([
      "dividend.percentInvalid",
    ]);
  });

  it("moves a pool with no basis to the other one, and everything to transactions when neither exists", () => {
    const noCap = computeRun(professional({ incomeFen: 10_000n, members: [member(1, "1", { transactionFen: 5n })] }));
    expect([noCap.transactionTotalFen, noCap.capitalTotalFen, noCap.surplusSharedFen]).toEqual([6_000n, 0n, 4_000n]);
    const noShares = computeRun(professional({ incomeFen: 10_000n, members: [member(1, "0", { transactionFen: 5n, capitalFen: 9n })] }));
    expect([noShares.transactionTotalFen, noShares.capitalTotalFen, noShares.surplusSharedFen]).toEqual([6_000n, 4_000n, 0n]);
    const onlyTx = computeRun(professional({ incomeFen: 10_000n, members: [member(1, "0", { transactionFen: 5n })] }));
    expect([onlyTx.transactionTotalFen, onlyTx.capitalTotalFen, onlyTx.surplusSharedFen]).toEqual([10_000n, 0n, 0n]);
  });

  it("without any transactions the 60% cannot be met: flagged and left undistributed", () => {
    const r = computeRun(professional({ incomeFen: 10_000n, members: [member(1, "2", { capitalFen: 100n })] }));
    expect(r.errors).toEqual(["dividend.noTransactions"]);
    expect(r.undistributedFen).toBe(6_000n);
    expect(r.distributedFen).toBe(4_000n);
    checkInvariants(r);
  });

  it("quantifies the provident fund by capital when no member holds shares", () => {
    const r = computeRun(
      professional({
        incomeFen: 100_000n,
        providentPercent: "10",
        members: [member(1, "0", { capitalFen: 1n, transactionFen: 1n }), member(2, "0", { capitalFen: 3n, transactionFen: 1n })],
      }),
    );
    expect(r.lines.map((l) => l.providentShareFen)).toEqual([2_500n, 7_500n]);
  });

  it("identical members differ by at most one fen in total across the three pools", () => {
    const ms = [1, 2, 3].map((i) => member(i, "1", { transactionFen: 1n, capitalFen: 1n }));
    // 1,003 fen: 602 by transactions (200.67 each), 401 rest → 200.5 / 200.5
    const r = computeRun(professional({ incomeFen: 1_003n, members: ms }));
    const gross = r.lines.map((l) => l.grossFen);
    expect(sum(gross)).toBe(1_003n);
    expect(Math.max(...gross.map(Number)) - Math.min(...gross.map(Number))).toBeLessThanOrEqual(1);
  });
});

// ─── properties ─────────────────────────────────────────────────────────────

describe("properties (fast-check)", () => {
  it("lines add up exactly to the amount distributed, and nothing is negative", () => {
    fc.assert(
      fc.property(fc.oneof(landInputArb, profInputArb), (input) => {
        const r = computeRun(input);
        checkInvariants(r);
        // everything distributable goes out unless there's a shortfall (where it all goes too) or a flagged error
        if (!r.errors.includes("dividend.noWeights") && !r.errors.includes("dividend.noTransactions") && r.distributableFen > 0n) {
          const anyBasis = input.members.some((m) => new Decimal(m.weight).gt(0) || (input.method === "PROFESSIONAL" && ((m.capitalFen ?? 0n) > 0n || (m.transactionFen ?? 0n) > 0n)));
          if (anyBasis || r.shortfallFen > 0n) expect(r.distributedFen).toBe(r.distributableFen);
        }
      }),
      RUNS,
    );
  });

  it("equal shares get amounts differing by at most one fen (land-share)", () => {
    fc.assert(
      fc.property(landInputArb, fc.integer({ min: 2, max: 6 }), weightArb, (input, copies, w) => {
        const twins = Array.from({ length: copies }, (_, i) => member(1000 + i, w));
        const r = computeRun({ ...input, members: [...input.members, ...twins] });
        const gross = r.lines.filter((l) => l.householdId >= 1000).map((l) => l.grossFen);
        const min = gross.reduce((a, b) => (a < b ? a : b));
        const max = gross.reduce((a, b) => (a > b ? a : b));
        expect(max - min).toBeLessThanOrEqual(1n);
      }),
      RUNS,
    );
  });

  it("identical members get amounts differing by at most one fen (professional)", () => {
    fc.assert(
      fc.property(profInputArb, fc.integer({ min: 2, max: 6 }), weightArb, fenArb(1_000_000), fenArb(1_000_000), (input, copies, w, t, c) => {
        const twins = Array.from({ length: copies }, (_, i) => member(1000 + i, w, { transactionFen: t, capitalFen: c }));
        const r = computeRun({ ...input, members: [...input.members, ...twins] });
        const gross = r.lines.filter((l) => l.householdId >= 1000).map((l) => l.grossFen);
        const min = gross.reduce((a, b) => (a < b ? a : b));
        const max = gross.reduce((a, b) => (a > b ? a : b));
        expect(max - min).toBeLessThanOrEqual(1n);
      }),
      RUNS,
    );
  });

  it("the guarantee is never short-changed while the surplus covers it", () => {
    fc.assert(
      fc.property(landInputArb, (input) => {
        const r = computeRun(input);
        const rate = new Decimal(input.guaranteePerShare ?? "0");
        const due = input.members.map((m) => new Decimal(m.weight).times(rate).times(100));
        if (r.shortfallFen === 0n && r.errors.length === 0) {
          r.lines.forEach((l, i) => {
            // paid in full: at least the exact amount less half a fen of rounding
            expect(new Decimal(l.guaranteedFen.toString()).minus(due[i]!).gte(-0.5)).toBe(true);
            expect(l.guaranteedFen).toBe(l.guaranteedDueFen);
          });
        }
        // the shortfall is exactly what is missing, and appears only when the pool is short
        expect(r.shortfallFen).toBe(r.guaranteedDueFen > r.distributableFen ? r.guaranteedDueFen - r.distributableFen : 0n);
      }),
      RUNS,
    );
  });

  it("professional: at least the chosen share (≥ 60%) of the distributable surplus goes back by transactions", () => {
    fc.assert(
      fc.property(profInputArb, (input) => {
        const r = computeRun(input);
        if (r.errors.includes("dividend.noTransactions") || r.distributableFen === 0n) return;
        expect(r.transactionTotalFen * 100n).toBeGreaterThanOrEqual(60n * r.distributableFen);
        expect(new Decimal(r.transactionTotalFen.toString()).gte(new Decimal(r.distributableFen.toString()).times(input.transactionPercent!).dividedBy(100))).toBe(true);
      }),
      RUNS,
    );
  });

  it("the result does not depend on the order of the members", () => {
    fc.assert(
      fc.property(fc.oneof(landInputArb, profInputArb), fc.integer({ min: 0, max: 1000 }), (input, seed) => {
        const shuffled = [...input.members];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = computeRun(input);
        const b = computeRun({ ...input, members: shuffled });
        const byId = (r: RunResult) => new Map(r.lines.map((l) => [l.householdId, l]));
        const bm = byId(b);
        for (const l of a.lines) expect(bm.get(l.householdId)).toEqual(l);
      }),
      { numRuns: 150 },
    );
  });

  it("provident shares add up to the provident fund whenever someone can hold it", () => {
    fc.assert(
      fc.property(fc.oneof(landInputArb, profInputArb), (input) => {
        const r = computeRun(input);
        const anyBasis = input.members.some((m) => new Decimal(m.weight).gt(0) || (m.capitalFen ?? 0n) > 0n || (m.transactionFen ?? 0n) > 0n);
        if (anyBasis) expect(r.providentQuantifiedFen).toBe(r.providentFen);
      }),
      RUNS,
    );
  });
});

// ─── shares by days ─────────────────────────────────────────────────────────

describe("weightedShares / shareDays", () => {
  it("counts the days held inside the year, both ends included", () => {
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(2026)).toBe(365);
    expect(shareDays({ startDate: "2020-01-01", endDate: "2040-12-31" }, 2024)).toBe(366);
    expect(shareDays({ startDate: "2026-07-01", endDate: "2040-12-31" }, 2026)).toBe(184);
    expect(shareDays({ startDate: "2020-01-01", endDate: "2026-01-01" }, 2026)).toBe(1);
    expect(shareDays({ startDate: "2020-01-01", endDate: "2030-12-31", terminatedOn: "2026-06-30" }, 2026)).toBe(181);
    expect(shareDays({ startDate: "2020-01-01", endDate: "2025-12-31" }, 2026)).toBe(0);
    expect(shareDays({ startDate: "2027-01-01", endDate: "2030-12-31" }, 2026)).toBe(0);
    expect(shareDays({ startDate: "2026-05-01", endDate: "2030-12-31", terminatedOn: "2026-04-01" }, 2026)).toBe(0);
  });

  it("weights by days, adds a household's contracts, and does not double a renewal", () => {
    const r = weightedShares(
      [
        { householdId: 3, areaMu: "5.00", startDate: "2016-01-01", endDate: "2026-06-30" },
        { householdId: 3, areaMu: "5.00", startDate: "2026-07-01", endDate: "2036-06-30" },
        { householdId: 2, areaMu: "2.50", startDate: "2020-01-01", endDate: "2035-12-31" },
        { householdId: 2, areaMu: "1.25", startDate: "2026-10-01", endDate: "2035-12-31" },
        { householdId: 9, areaMu: "4", startDate: "2010-01-01", endDate: "2025-12-31" },
      ],
      2026,
      "2",
    );
    expect(r).toEqual([
      // 2.5 × 2 all year + 1.25 × 2 × 92/365
      { householdId: 2, areaMu: "3.75", shares: "7.5", weight: "5.630136986301", days: 365 },
      { householdId: 3, areaMu: "5.00", shares: "10", weight: "10", days: 365 },
    ]);
  });

  it("rejects malformed input with codes", () => {
    expect(() => weightedShares([{ householdId: 1, areaMu: "1", startDate: "2026-02-30", endDate: "2027-01-01" }], 2026, "1")).toThrow("dividend.badDate");
    expect(() => weightedShares([{ householdId: 1, areaMu: "-1", startDate: "2026-01-01", endDate: "2027-01-01" }], 2026, "1")).toThrow("dividend.badArea");
    expect(() => weightedShares([], 2026, "0")).toThrow("dividend.badSharesPerMu");
    expect(() => weightedShares([], 20260, "1")).toThrow("dividend.badYear");
  });

  it("property: a full-year holder's weight equals its shares; partial years scale by days", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 0, max: 365 }),
        (hundredths, year, offset) => {
          const area = new Decimal(hundredths).dividedBy(100).toFixed(2);
          const full = weightedShares([{ householdId: 1, areaMu: area, startDate: `${year - 1}-06-01`, endDate: `${year + 1}-06-01` }], year, "1");
          expect(new Decimal(full[0]!.weight).eq(area)).toBe(true);
          const diy = daysInYear(year);
          const start = new Date(Date.UTC(year, 0, 1 + Math.min(offset, diy - 1))).toISOString().slice(0, 10);
          const part = weightedShares([{ householdId: 1, areaMu: area, startDate: start, endDate: `${year + 5}-01-01` }], year, "1");
          const days = diy - Math.min(offset, diy - 1);
          expect(part[0]!.days).toBe(days);
          expect(new Decimal(part[0]!.weight).minus(new Decimal(area).times(days).dividedBy(diy)).abs().lte("5e-13")).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
