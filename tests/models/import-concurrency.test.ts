/**
 * An import batch is applied once, whoever asks at the same moment: two
 * clicks, two job runners, two app processes (ADR 016, ADR 019). On both
 * engines: the claim of a checked batch is one conditional UPDATE that only
 * one wins, and the writer's transaction, holding the write lock, marks the
 * batch IMPORTED only if it is still waiting to be imported — the second
 * writer waits for the lock, finds it imported, and rolls back all it wrote.
 */
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { applyHouseholds, JobNoLongerRunning } from "~/imports/apply.server";
import { checkFile, getBatch, IMPORT_APPLY, importJobKinds, startDryRun, startImport } from "~/imports/imports.server";
import { claimJob } from "~/jobs/jobs.server";
import { recoverJobs, registerJobKind, runJobNow } from "~/jobs/runner.server";
import { currentYear } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import { roster } from "../rosters";

let w: World;
let secretary: CurrentUser;

beforeAll(async () => {
  w = await buildWorld();
  secretary = (await getUser(request("/", { cookie: w.users.secretary.cookie })))!;
  for (const [kind, handler] of Object.entries(importJobKinds)) registerJobKind(kind, handler);
});

const N = 40;

/** A checked roster of N households numbered from `from`; with `update`, of households already there, each with a new address. */
async function checkedBatch(from: number, update = false) {
  if (update) {
    const first = await startDryRun(secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes: await roster(N, { from }), updateExisting: false }, { wait: true });
    if (!first.ok) throw new Error(JSON.stringify(first));
    expect(await startImport(secretary, first.id, { wait: true })).toEqual({ ok: true });
  }
  const bytes = await roster(N, { from, ...(update ? { address: `新址 ${from} 号` } : {}) });
  const r = await startDryRun(secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes, updateExisting: update }, { wait: true });
  if (!r.ok) throw new Error(JSON.stringify(r));
  const b = (await getBatch(secretary, r.id))!;
  expect([b.status, b.errorCount, update ? b.updateCount : b.createCount]).toEqual(["CHECKED", 0, N]);
  return { id: r.id, bytes };
}

/** What an application leaves: the batch's own audit events, one per household, and the households of its numbers. */
async function applied(batchId: number, from: number) {
  const codes = Array.from({ length: N }, (_, i) => String(from + i).padStart(4, "0"));
  const events = await prisma.auditEvent.findMany({ where: { entity: "Household", action: { in: ["create", "update"] } }, select: { after: true } });
  return {
    status: (await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })).status,
    events: events.filter((e) => (JSON.parse(e.after ?? "{}") as { importBatchId?: number }).importBatchId === batchId).length,
    imports: await prisma.auditEvent.count({ where: { action: "import", entity: "ImportBatch", entityId: String(batchId) } }),
    households: await prisma.household.count({ where: { villageId: w.v1.id, code: { in: codes } } }),
    people: await prisma.person.count({ where: { household: { villageId: w.v1.id, code: { in: codes } } } }),
  };
}

/** Runs the race child twice at the same instant and gives their answers. */
async function race(mode: "start" | "apply", batchId: number): Promise<{ ok: boolean; result?: unknown; error?: string }[]> {
  const children = [0, 1].map(() => spawn(process.execPath, ["--import", "tsx", "tests/import-race-child.ts", mode, String(batchId), w.users.secretary.cookie], { env: { ...process.env, NODE_ENV: "test" }, stdio: ["pipe", "pipe", "pipe"] }));
  const lines = children.map((child) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => void (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => void (err += d.toString()));
    /** the child's n-th line of output */
    const line = (n: number) =>
      new Promise<string>((resolve, reject) => {
        const look = () => {
          const all = out.split("\n").filter(Boolean);
          if (all.length >= n) resolve(all[n - 1]!);
          return all.length >= n;
        };
        child.stdout.on("data", look);
        child.once("exit", (code) => void (look() || reject(new Error(`race child exited ${code}: ${err.slice(-2000)}`))));
        look();
      });
    return { child, ready: line(1), answer: line(2) };
  });
  try {
    expect(await Promise.all(lines.map((l) => l.ready))).toEqual(["ready", "ready"]);
    for (const l of lines) l.child.stdin.write("go\n");
    return (await Promise.all(lines.map((l) => l.answer))).map((a) => JSON.parse(a) as { ok: boolean; result?: unknown; error?: string });
  } finally {
    for (const l of lines) l.child.kill("SIGKILL");
  }
}

describe("two imports of the same checked batch at once", () => {
  it("two clicks at once: one import is started and applied, the other is told the batch is not ready", async () => {
    const { id } = await checkedBatch(2000);
    const answers = await Promise.all([startImport(secretary, id, { wait: true }), startImport(secretary, id, { wait: true })]);
    expect(answers.filter((a) => a?.ok).length).toBe(1);
    expect(answers.find((a) => !a?.ok)).toEqual({ ok: false, error: { key: "importPage.notReady" } });
    expect(await applied(id, 2000)).toEqual({ status: "IMPORTED", events: N, imports: 1, households: N, people: 3 * N });
  });

  it("two writers at once on a claimed batch (two runners): one commits, the other finds it imported and rolls back everything it wrote", async () => {
    const { id, bytes } = await checkedBatch(2100, true);
    await prisma.importBatch.update({ where: { id }, data: { status: "IMPORTING" } });
    const checked = await checkFile("HOUSEHOLDS", w.v1.id, bytes, "花名册.xlsx", currentYear());
    if (!checked.ok || checked.kind !== "HOUSEHOLDS") throw new Error("not checked");
    const write = () => applyHouseholds(id, { id: secretary.id, username: secretary.username }, { townshipId: w.t1.id, villageId: w.v1.id }, checked.plan, { updateExisting: true });
    const outcomes = await Promise.allSettled([write(), write()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(String((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason)).toMatch(/not waiting to be imported/);
    // updates of every household, once (they are idempotent but their audit events are not)
    expect(await applied(id, 2100)).toMatchObject({ status: "IMPORTED", events: N, households: N });
    expect((await prisma.household.findFirstOrThrow({ where: { villageId: w.v1.id, code: "2100" } })).address).toBe("新址 2100 号");
  });

  it("a runner declared dead while it checked (its job interrupted, the batch imported again by another job) commits nothing when it wakes", async () => {
    const { id, bytes } = await checkedBatch(2400);
    expect(await startImport(secretary, id)).toEqual({ ok: true });
    const stalled = (await prisma.job.findFirstOrThrow({ where: { ref: `ImportBatch:${id}`, kind: IMPORT_APPLY } })).id;
    expect(await claimJob(stalled, "stalled-runner")).not.toBeNull();
    // a runner restarts: the job is interrupted and the batch put back; the user imports again
    await recoverJobs({ exceptWorker: "new-runner", allRunning: true });
    expect((await getBatch(secretary, id))!.status).toBe("CHECKED");
    expect(await startImport(secretary, id)).toEqual({ ok: true });
    const again = (await prisma.job.findFirstOrThrow({ where: { ref: `ImportBatch:${id}`, kind: IMPORT_APPLY, status: "QUEUED" } })).id;
    // the stalled runner wakes with its plan and writes: refused before anything commits
    const checked = await checkFile("HOUSEHOLDS", w.v1.id, bytes, "花名册.xlsx", currentYear());
    if (!checked.ok || checked.kind !== "HOUSEHOLDS") throw new Error("not checked");
    await expect(
      applyHouseholds(id, { id: secretary.id, username: secretary.username }, { townshipId: w.t1.id, villageId: w.v1.id }, checked.plan, { updateExisting: false, job: { id: stalled, workerId: "stalled-runner" } }),
    ).rejects.toBeInstanceOf(JobNoLongerRunning);
    expect(await applied(id, 2400)).toEqual({ status: "IMPORTING", events: 0, imports: 0, households: 0, people: 0 });
    // the new job imports it, once
    expect(await runJobNow(again)).toBe(true);
    expect(await applied(id, 2400)).toEqual({ status: "IMPORTED", events: N, imports: 1, households: N, people: 3 * N });
  });

  it("two processes click at once: the batch is applied once", async () => {
    const { id } = await checkedBatch(2200);
    const answers = await race("start", id);
    expect(answers.every((a) => a.ok)).toBe(true);
    const results = answers.map((a) => a.result as { ok: boolean; error?: unknown });
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: { key: "importPage.notReady" } });
    expect(await applied(id, 2200)).toEqual({ status: "IMPORTED", events: N, imports: 1, households: N, people: 3 * N });
  }, 120_000);

  it("two processes write the same claimed batch at once: one commits, the other rolls back", async () => {
    const { id } = await checkedBatch(2300, true);
    await prisma.importBatch.update({ where: { id }, data: { status: "IMPORTING" } });
    const answers = await race("apply", id);
    expect(answers.filter((a) => a.ok).length).toBe(1);
    expect(answers.find((a) => !a.ok)?.error).toMatch(/not waiting to be imported/);
    expect(await applied(id, 2300)).toMatchObject({ status: "IMPORTED", events: N, households: N });
  }, 120_000);
});
