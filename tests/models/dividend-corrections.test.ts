import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import type { RunResult } from "~/dividends/compute";
import { LINE_AMOUNTS, RUN_TOTALS } from "~/dividends/correction";
import { approveRun, discardDraft, getRun, issueRun, publishRun, saveDraft, simulate } from "~/dividends/runs.server";
import { addDays } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { buildWorld, type World } from "../factories";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";

/**
 * The correction rule on the real database, over random sequences: corrections
 * with random incomes, costs and guarantees while the register changes (areas
 * of the equity contracts, a household joining and leaving); some corrections
 * are issued, others discarded. Invariant: original + Σ issued differences =
 * the latest issued entitlement of each household, and of the run totals.
 */
let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let plots: { id: number; contractId: number }[] = [];

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  chair = await userOf(w.users.chair);
  const h2 = await householdV1(w, "0009", "鲁小河");
  const h3 = await householdV1(w, "0010", "谢长顺");
  plots = [
    await equity(w, w.h1.id, "3717021020010100001", "16.00", "2000-01-01", "2039-12-31"),
    await equity(w, h2.id, "3717021020010100002", "4.00", "2000-07-01", "2039-12-31"),
    await equity(w, h3.id, "3717021020010100003", "6.00", "2000-01-01", "2039-12-31"),
  ];
});

const planArb = fc.record({
  income: fc.integer({ min: 0, max: 400_000 }),
  cost: fc.integer({ min: 0, max: 60_000 }),
  provident: fc.integer({ min: 0, max: 20 }),
  guarantee: fc.constantFrom("0", "100", "800", "1000.50"),
});
const registerArb = fc.record({ areas: fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 1, max: 3000 }))), third: fc.boolean() });
const stepArb = fc.record({ plan: planArb, register: registerArb, issue: fc.boolean() });

type Plan = { income: number; cost: number; provident: number; guarantee: string };
const formOf = (year: number, p: Plan) => runForm({ year: String(year), income: String(p.income), cost: String(p.cost), providentPercent: String(p.provident), riskPercent: "5", guaranteePerShare: p.guarantee });

async function setRegister(r: { areas: number[]; third: boolean }) {
  for (const [i, p] of plots.entries()) await prisma.contractPlot.update({ where: { id: p.id }, data: { area: (r.areas[i]! / 100).toFixed(2) } });
  await prisma.transferContract.update({ where: { id: plots[2]!.contractId }, data: { status: r.third ? "FILED" : "DRAFT" } });
}

async function issue(id: number) {
  expect(await publishRun(accountant, id)).toBeNull();
  expect(await issueRun(chair, id, addDays((await getRun(accountant, id))!.noticeEndsOn!, 1))).toBeNull();
}

let year = 2000;

describe("corrections on the database", () => {
  it("original + Σ issued differences = the latest entitlement, per household and in total, to the fen", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, registerArb, fc.array(stepArb, { minLength: 1, maxLength: 3 }), async (plan, register, steps) => {
        year += 1;
        await setRegister(register);
        const saved = await saveDraft(accountant, null, formOf(year, plan));
        if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
        let latest: RunResult = (await simulate(accountant, formOf(year, plan))).result;
        if ((await approveRun(chair, saved.id)) !== null) {
          // Not approvable (a shortfall, no surplus): nothing is issued, so there is nothing to correct.
          expect(await discardDraft(accountant, saved.id)).toBeNull();
          return;
        }
        await issue(saved.id);
        let issuedCount = 1;
        for (const step of steps) {
          await setRegister(step.register);
          const c = await saveDraft(accountant, null, formOf(year, step.plan), saved.id);
          if (!c.ok) throw new Error(JSON.stringify(c.errors));
          const entitlement = (await simulate(accountant, formOf(year, step.plan))).result;
          if (!step.issue || (await approveRun(chair, c.id)) !== null) {
            expect(await discardDraft(accountant, c.id)).toBeNull();
            continue;
          }
          await issue(c.id);
          issuedCount += 1;
          latest = entitlement;
        }
        const runs = await prisma.dividendRun.findMany({ where: { cooperativeId: w.c1.id, year, status: "ISSUED" }, include: { lines: true } });
        expect(runs.length).toBe(issuedCount);
        // Only one run of the year is open at any time, and none is left open.
        expect(await prisma.dividendRun.count({ where: { cooperativeId: w.c1.id, year, status: { not: "ISSUED" } } })).toBe(0);
        const now = new Map(latest.lines.map((l) => [l.householdId, l]));
        const ids = new Set([...now.keys(), ...runs.flatMap((r) => r.lines.map((l) => l.householdId))]);
        for (const id of ids) {
          for (const k of LINE_AMOUNTS) {
            const sum = runs.flatMap((r) => r.lines).filter((l) => l.householdId === id).reduce((s, l) => s + l[k], 0n);
            expect(sum, `household ${id} ${k}`).toBe(now.get(id)?.[k] ?? 0n);
          }
        }
        for (const k of RUN_TOTALS) expect(runs.reduce((s, r) => s + r[k], 0n), k).toBe(latest[k]);
      }),
      { numRuns: 8 },
    );
  });
});
