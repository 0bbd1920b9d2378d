import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { payLines, recordDividendPayment } from "~/dividends/runs.server";
import { addDays, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { formatYuan } from "~/lib/money";
import { userOf } from "./dividends.fixtures";
import { buildWorld, type World } from "../factories";

let w: World;
let accountant: CurrentUser;
let secretary: CurrentUser;
let households: { id: number; villageId: number; townshipId: number }[] = [];
let runSeq = 2000;

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  secretary = await userOf(w.users.secretary);
  // Eight households in two villages the cooperative serves.
  for (let i = 0; i < 8; i++) {
    const v = i % 2 ? w.v2 : w.v1;
    households.push(await prisma.household.create({ data: { code: `B${i}`, townshipId: v.townshipId, villageId: v.id, groupId: v.groups[0]!.id, headName: `户主${i}`, bankAccount: `62305800000000${String(i).padStart(5, "0")}` }, select: { id: true, villageId: true, townshipId: true } }));
  }
});

/** An issued run of C1 with one line per net amount (fen), on the first households; each run its own year. */
async function issuedRun(nets: bigint[], status = "ISSUED") {
  const run = await prisma.dividendRun.create({ data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year: runSeq++, method: "LAND_SHARE", status, incomeFen: 0n, costFen: 0n, createdById: w.users.accountant.id } });
  const lines = [];
  for (const [i, netFen] of nets.entries()) {
    const h = households[i]!;
    lines.push(await prisma.dividendLine.create({ data: { runId: run.id, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, areaMu: "1.00", shares: "1.00", weight: "1.00", netFen, guaranteedFen: netFen } }));
  }
  return { runId: run.id, lineIds: lines.map((l) => l.id) };
}

const yuanOf = (fen: bigint) => formatYuan(fen);

async function linesOf(runId: number) {
  return prisma.dividendLine.findMany({ where: { runId }, orderBy: { id: "asc" }, include: { payments: { orderBy: { id: "asc" } } } });
}

describe("bulk payments of an issued run", () => {
  it("pays each selected line exactly what is outstanding, includes a failed line, skips and reports paid ones, one audit event", async () => {
    const { runId, lineIds } = await issuedRun([10_000n, 25_050n, 7_000n, 3_300n]);
    const [a, b, c, d] = lineIds as [number, number, number, number];
    // a: paid in full; b: partly paid; c: latest attempt failed; d: untouched.
    expect(await recordDividendPayment(accountant, a, { paidOn: today(), amount: "100.00", reference: "S1", status: "PAID", failureReason: "" })).toBeNull();
    expect(await recordDividendPayment(accountant, b, { paidOn: today(), amount: "50.00", reference: "S2", status: "PAID", failureReason: "" })).toBeNull();
    expect(await recordDividendPayment(accountant, c, { paidOn: today(), amount: "70.00", reference: "S3", status: "FAILED", failureReason: "账户冻结" })).toBeNull();
    const r = await payLines(accountant, runId, { lineIds: [a, b, c] }, { paidOn: today(), reference: "PL-1" });
    expect(r).toMatchObject({ ok: true, paid: [{ lineId: b, amountFen: 20_050n }, { lineId: c, amountFen: 7_000n }], skipped: [{ lineId: a, head: "户主0" }] });
    const lines = await linesOf(runId);
    expect(lines.map((l) => l.paidFen)).toEqual([10_000n, 25_050n, 7_000n, 0n]);
    expect(lines[1]!.payments.at(-1)).toMatchObject({ status: "PAID", amountFen: 20_050n, reference: "PL-1", paidOn: today(), account: "6230580000000000001" });
    const events = await prisma.auditEvent.findMany({ where: { entity: "DividendRun", entityId: String(runId) } });
    expect(events).toHaveLength(1);
    const after = JSON.parse(events[0]!.after!);
    expect(after.payMany).toMatchObject({ reference: "PL-1", scope: "SELECTED", totalFen: "27050", skipped: [a] });
    expect(after.payMany.lines.map((l: { lineId: number }) => l.lineId)).toEqual([b, c]);
    // Everything selected is paid already: refused, nothing written.
    expect(await payLines(accountant, runId, { lineIds: [a, b] }, { paidOn: today(), reference: "" })).toMatchObject({ ok: false, errors: { lines: { key: "dividend.payManyNothing", params: { skipped: 2 } } } });
    expect(await payLines(accountant, runId, { lineIds: [] }, { paidOn: today(), reference: "" })).toMatchObject({ ok: false, errors: { lines: { key: "dividend.payManyNone" } } });
  });

  it("pays all unpaid lines of the run (or of one village), not only a page", async () => {
    const { runId, lineIds } = await issuedRun([100n, 200n, 300n, 400n, 500n]);
    const v1 = await payLines(accountant, runId, { allUnpaid: true, villageId: w.v1.id }, { paidOn: today(), reference: "V1" });
    // households 0, 2, 4 are in V1
    expect(v1).toMatchObject({ ok: true, paid: [{ lineId: lineIds[0] }, { lineId: lineIds[2] }, { lineId: lineIds[4] }], skipped: [] });
    const all = await payLines(accountant, runId, { allUnpaid: true }, { paidOn: today(), reference: "ALL" });
    expect(all).toMatchObject({ ok: true, paid: [{ lineId: lineIds[1], amountFen: 200n }, { lineId: lineIds[3], amountFen: 400n }] });
    expect((await linesOf(runId)).every((l) => l.paidFen === l.netFen)).toBe(true);
  });

  it("refuses a date after today next to the field, a run not issued, another run's line and a user who may not pay", async () => {
    const { runId, lineIds } = await issuedRun([100n, 200n]);
    for (const paidOn of [addDays(today(), 1), "9999-12-31"]) {
      expect(await payLines(accountant, runId, { allUnpaid: true }, { paidOn, reference: "" })).toEqual({ ok: false, errors: { paidOn: { key: "dividend.dateFuture", params: { today: today() } } } });
    }
    expect(await payLines(accountant, runId, { allUnpaid: true }, { paidOn: "2026-02-30", reference: "" })).toMatchObject({ ok: false, errors: { paidOn: { key: "date.format" } } });
    expect(await prisma.dividendPayment.count({ where: { lineId: { in: lineIds } } })).toBe(0);
    const draft = await issuedRun([100n], "PUBLISHED");
    expect(await payLines(accountant, draft.runId, { allUnpaid: true }, { paidOn: today(), reference: "" })).toMatchObject({ ok: false, errors: { lines: { key: "dividend.notIssued" } } });
    await expect(payLines(accountant, runId, { lineIds: [lineIds[0]!, draft.lineIds[0]!] }, { paidOn: today(), reference: "" })).rejects.toMatchObject({ status: 404 });
    await expect(payLines(secretary, runId, { allUnpaid: true }, { paidOn: today(), reference: "" })).rejects.toMatchObject({ status: 403 });
    expect(await prisma.dividendPayment.count({ where: { lineId: { in: [...lineIds, ...draft.lineIds] } } })).toBe(0);
  });

  it("keeps 0 ≤ paid ≤ net and paid = Σ PAID payments over any sequence of single, failed and bulk payments; all unpaid leaves nothing outstanding", async () => {
    type Cmd =
      | { kind: "single"; line: number; fen: number }
      | { kind: "failed"; line: number }
      | { kind: "bulk"; lines: number[] }
      | { kind: "allUnpaid"; village: boolean }
      | { kind: "future" };
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.record({ kind: fc.constant("single" as const), line: fc.nat(5), fen: fc.integer({ min: 1, max: 6_000 }) }),
      fc.record({ kind: fc.constant("failed" as const), line: fc.nat(5) }),
      fc.record({ kind: fc.constant("bulk" as const), lines: fc.uniqueArray(fc.nat(5), { maxLength: 6 }) }),
      fc.record({ kind: fc.constant("allUnpaid" as const), village: fc.boolean() }),
      fc.record({ kind: fc.constant("future" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -2_000, max: 5_000 }), { minLength: 1, maxLength: 6 }), fc.array(cmd, { maxLength: 8 }), async (nets, cmds) => {
        const { runId, lineIds } = await issuedRun(nets.map(BigInt));
        const pick = (i: number) => lineIds[i % lineIds.length]!;
        for (const c of cmds) {
          const before = await linesOf(runId);
          if (c.kind === "single") await recordDividendPayment(accountant, pick(c.line), { paidOn: today(), amount: yuanOf(BigInt(c.fen)), reference: "", status: "PAID", failureReason: "" });
          else if (c.kind === "failed") await recordDividendPayment(accountant, pick(c.line), { paidOn: today(), amount: "1.00", reference: "", status: "FAILED", failureReason: "退回" });
          else if (c.kind === "future") expect(await payLines(accountant, runId, { allUnpaid: true }, { paidOn: addDays(today(), 1), reference: "" })).toMatchObject({ ok: false });
          else {
            const r = c.kind === "bulk" ? await payLines(accountant, runId, { lineIds: c.lines.map(pick) }, { paidOn: today(), reference: "B" }) : await payLines(accountant, runId, { allUnpaid: true, villageId: c.village ? w.v1.id : null }, { paidOn: today(), reference: "A" });
            // Each paid line got exactly what was outstanding before.
            if (r.ok) for (const p of r.paid) expect(p.amountFen).toBe(before.find((l) => l.id === p.lineId)!.netFen - before.find((l) => l.id === p.lineId)!.paidFen);
            if (c.kind === "allUnpaid" && !c.village) for (const l of await linesOf(runId)) if (l.netFen > 0n) expect(l.paidFen).toBe(l.netFen);
          }
          if (c.kind === "future") expect(await linesOf(runId)).toEqual(before);
          for (const l of await linesOf(runId)) {
            expect(l.paidFen >= 0n).toBe(true);
            expect(l.paidFen <= (l.netFen > 0n ? l.netFen : 0n)).toBe(true);
            expect(l.paidFen).toBe(l.payments.filter((p) => p.status === "PAID").reduce((s, p) => s + p.amountFen, 0n));
          }
        }
        await payLines(accountant, runId, { allUnpaid: true }, { paidOn: today(), reference: "END" });
        for (const l of await linesOf(runId)) expect(l.paidFen).toBe(l.netFen > 0n ? l.netFen : 0n);
      }),
      { numRuns: 25 },
    );
  });
});
