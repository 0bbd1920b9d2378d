import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeRun, type RunInput, type RunMember, type RunResult } from "./compute";
import { correctionOf, correctionRow, LINE_AMOUNTS, RUN_TOTALS, sumIssuedLines, sumTotals, zeroAmounts, type IssuedLine, type RunTotalsFen } from "./correction";

const member = (householdId: number, weight: string, over: Partial<RunMember> = {}): RunMember => ({
  householdId,
  weight,
  shares: weight,
  areaMu: weight,
  key: `K${String(householdId).padStart(4, "0")}`,
  ...over,
});

const landShare = (over: Partial<RunInput>): RunInput => ({ method: "LAND_SHARE", incomeFen: 0n, costFen: 0n, providentPercent: "10", riskPercent: "5", guaranteePerShare: "1000", members: [], ...over });

/** What the database keeps of an issued run: its lines and totals. */
interface Issued {
  lines: IssuedLine[];
  totals: RunTotalsFen;
}

const issuedOf = (r: RunResult): Issued => ({
  lines: r.lines.map((l) => ({ householdId: l.householdId, shares: l.shares, areaMu: l.areaMu, ...Object.fromEntries(LINE_AMOUNTS.map((k) => [k, l[k]])) }) as IssuedLine),
  totals: Object.fromEntries(RUN_TOTALS.map((k) => [k, r[k]])) as RunTotalsFen,
});

/** A correction as runs.server makes it: against everything issued so far. */
const correct = (issued: Issued[], corrected: RunResult) =>
  correctionOf(
    sumIssuedLines(issued.flatMap((i) => i.lines)),
    sumTotals(issued.map((i) => i.totals)),
    corrected,
  );

describe("a correction of an issued run", () => {
  const original = computeRun(landShare({ incomeFen: 10_000_000n, members: [member(1, "16"), member(2, "4")] }));
  // The accountant finds 10,000 yuan more income.
  const corrected = computeRun(landShare({ incomeFen: 11_000_000n, members: [member(1, "16"), member(2, "4")] }));

  it("carries only the differences: 8,500 of 10,000 more income after the 15 % set-asides", () => {
    const c = correct([issuedOf(original)], corrected);
    expect(c.distributedFen).toBe(850_000n);
    expect(c.lines.reduce((s, l) => s + l.netFen, 0n)).toBe(850_000n);
    expect(c.surplusFen).toBe(1_000_000n);
  });

  it("has nothing left to pay when the same correction is made again after the first was issued (regression)", () => {
    const first = correct([issuedOf(original)], corrected);
    const second = correct([issuedOf(original), issuedOf(first)], corrected);
    expect(second.lines).toEqual([]);
    expect(second.distributedFen).toBe(0n);
  });

  it("takes back what a household no longer gets, as negative amounts", () => {
    const without2 = computeRun(landShare({ incomeFen: 10_000_000n, members: [member(1, "16")] }));
    const c = correct([issuedOf(original)], without2);
    const two = c.lines.find((l) => l.householdId === 2)!;
    const was = original.lines.find((l) => l.householdId === 2)!;
    expect(two.netFen).toBe(-was.netFen);
    expect(correctionRow(sumIssuedLines(issuedOf(original).lines).get(2), two.netFen)).toEqual({ issuedNetFen: was.netFen, correctedNetFen: 0n, differenceFen: -was.netFen });
  });

  // ── The invariant, over random sequences ──────────────────────────────────
  const households = [1, 2, 3, 4, 5, 6];
  const weightArb = fc.oneof(fc.integer({ min: 1, max: 3000 }).map((n) => (n / 100).toFixed(2)), fc.integer({ min: 1, max: 40 }).map(String));
  const inputArb = fc
    .record({
      income: fc.bigInt({ min: 0n, max: 200_000_000n }),
      cost: fc.bigInt({ min: 0n, max: 50_000_000n }),
      provident: fc.integer({ min: 0, max: 30 }),
      risk: fc.integer({ min: 0, max: 20 }),
      guarantee: fc.constantFrom("0", "100", "500", "1000", "1234.56"),
      members: fc.subarray(households, { minLength: 1 }).chain((ids) => fc.tuple(...ids.map((id) => weightArb.map((w) => member(id, w))))),
    })
    .map((r) => landShare({ incomeFen: r.income, costFen: r.cost, providentPercent: String(r.provident), riskPercent: String(r.risk), guaranteePerShare: r.guarantee, members: r.members }));
  /** A step: new inputs, and whether the correction is issued or discarded. */
  const stepsArb = fc.array(fc.record({ input: inputArb, issued: fc.boolean() }), { minLength: 1, maxLength: 6 });
  const approvable = (r: RunResult) => r.errors.length === 0;

  it("original + Σ issued differences = the latest entitlement of each household, and of the totals, to the fen", () => {
    fc.assert(
      fc.property(inputArb, stepsArb, (first, steps) => {
        let latest = computeRun(first);
        fc.pre(approvable(latest));
        const issued: Issued[] = [issuedOf(latest)];
        for (const step of steps) {
          const corrected = computeRun(step.input);
          const c = correct(issued, corrected);
          // Only an approvable correction with something to correct can be issued.
          if (!step.issued || !approvable(corrected) || c.lines.length === 0) continue;
          issued.push(issuedOf(c));
          latest = corrected;
        }
        const sums = sumIssuedLines(issued.flatMap((i) => i.lines));
        const now = new Map(latest.lines.map((l) => [l.householdId, l]));
        for (const id of new Set([...sums.keys(), ...now.keys()])) {
          const s = sums.get(id) ?? { ...zeroAmounts() };
          for (const k of LINE_AMOUNTS) expect(s[k], `household ${id} ${k}`).toBe(now.get(id)?.[k] ?? 0n);
        }
        const totals = sumTotals(issued.map((i) => i.totals));
        for (const k of RUN_TOTALS) expect(totals[k], k).toBe(latest[k]);
        // And a correction computed now finds nothing left to correct.
        expect(correct(issued, latest).lines).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("each correction's lines add up to its distributed difference", () => {
    fc.assert(
      fc.property(inputArb, inputArb, (a, b) => {
        const first = computeRun(a);
        fc.pre(approvable(first));
        const c = correct([issuedOf(first)], computeRun(b));
        expect(c.lines.reduce((s, l) => s + l.grossFen, 0n)).toBe(c.distributedFen);
        for (const l of c.lines) expect(l.netFen).toBe(l.grossFen - l.deductionFen);
      }),
      { numRuns: 200 },
    );
  });
});
