import { spawn, type ChildProcess } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { getBatch, startDryRun, startImport } from "~/imports/imports.server";
import { claimNextJob, enqueueJob } from "~/jobs/jobs.server";
import { registerAllJobKinds } from "~/jobs/kinds.server";
import { registerJobKind, recoverJobs, runOneJob } from "~/jobs/runner.server";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import { roster } from "../rosters";

let w: World;
let secretary: CurrentUser;

beforeAll(async () => {
  w = await buildWorld();
  secretary = (await getUser(request("/", { cookie: w.users.secretary.cookie })))!;
  await registerAllJobKinds();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real job runner (scripts/jobs.ts) as its own process on this test's database. */
function startRunner(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/jobs.ts"], { env: { ...process.env, NODE_ENV: "test" }, stdio: ["ignore", "pipe", "pipe"] });
}

async function waitFor<T>(what: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > until) throw new Error("timed out");
    await sleep(25);
  }
}

describe("the job queue", () => {
  it("hands each job to exactly one of several runners claiming at once", async () => {
    const ran: number[] = [];
    registerJobKind("TEST_COUNT", { run: async (job) => (ran.push(job.id), { result: null }) });
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => enqueueJob("TEST_COUNT", { i }, { id: w.users.secretary.id })));
    const claims = await Promise.all(Array.from({ length: 4 }, async (_, k) => {
      const mine: number[] = [];
      for (;;) {
        const j = await claimNextJob(`runner-${k}`, ["TEST_COUNT"]);
        if (!j) return mine;
        mine.push(j.id);
      }
    }));
    expect(claims.flat().sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
    // claimed, not run: a runner that died now leaves them RUNNING; recovery marks them interrupted
    expect(await recoverJobs({ exceptWorker: "runner-live", allRunning: true })).toBe(12);
    expect(await prisma.job.count({ where: { kind: "TEST_COUNT", status: "INTERRUPTED" } })).toBe(12);
    expect(ran).toEqual([]);
  });

  it("records a failure with its message and leaves the next job to run", async () => {
    registerJobKind("TEST_FAIL", { run: async () => Promise.reject(new Error("磁盘已满")) });
    const id = await enqueueJob("TEST_FAIL", {}, { id: w.users.secretary.id });
    expect(await runOneJob("w1")).toBe(true);
    expect(await prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "FAILED", error: "磁盘已满" });
  });
});

describe("kill -9 during a long job, then a restart", () => {
  it("a dry run cut off is marked interrupted, and the batch can be uploaded again", async () => {
    const bytes = await roster(3000, { from: 1000 });
    const runner = startRunner();
    try {
      const r = await startDryRun(secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes, updateExisting: false });
      if (!r.ok) throw new Error(JSON.stringify(r));
      await waitFor(async () => (await prisma.job.findFirst({ where: { ref: `ImportBatch:${r.id}`, status: "RUNNING" } })) !== null);
      runner.kill("SIGKILL");
      await new Promise((done) => runner.once("exit", done));
      // The restarted runner finds the job its predecessor left RUNNING.
      const again = startRunner();
      try {
        await waitFor(async () => (await prisma.job.findFirst({ where: { ref: `ImportBatch:${r.id}`, status: "INTERRUPTED" } })) !== null);
        const b = await waitFor(async () => {
          const x = await getBatch(secretary, r.id);
          return x && x.status === "FAILED" ? x : null;
        });
        expect(b.failure).toBe("interrupted");
      } finally {
        again.kill("SIGKILL");
      }
    } finally {
      runner.kill("SIGKILL");
    }
  }, 120_000);

  it("an import cut off at any moment leaves all of its rows or none, never a part", async () => {
    // The same checked roster imported with the runner killed after different delays.
    // (the roster's ID numbers are unique within a block of a thousand households)
    for (const [k, delay] of [0, 150, 400].entries()) {
      const from = 5000 + k * 1000;
      const dry = await startDryRun(secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes: await roster(900, { from }), updateExisting: false }, { wait: true });
      if (!dry.ok) throw new Error(JSON.stringify(dry));
      const checked = (await getBatch(secretary, dry.id))!;
      expect(checked.status).toBe("CHECKED");
      expect(checked.errorCount, checked.report.slice(0, 400)).toBe(0);
      const before = await prisma.household.count({ where: { villageId: w.v1.id } });
      const runner = startRunner();
      try {
        expect(await startImport(secretary, dry.id)).toEqual({ ok: true });
        await waitFor(async () => (await prisma.job.findFirst({ where: { ref: `ImportBatch:${dry.id}`, kind: "IMPORT_APPLY", status: { in: ["RUNNING", "DONE"] } } })) !== null);
        await sleep(delay);
        runner.kill("SIGKILL");
        await new Promise((done) => runner.once("exit", done));
      } finally {
        runner.kill("SIGKILL");
      }
      // What a restart does, here in the test's process.
      await recoverJobs({ allRunning: true });
      const b = (await getBatch(secretary, dry.id))!;
      const added = (await prisma.household.count({ where: { villageId: w.v1.id } })) - before;
      if (b.status === "IMPORTED") {
        expect(added).toBe(900);
        // the search index is complete: every imported household can be found
        const unindexed = (await prisma.$queryRaw<{ n: bigint | number }[]>`
          SELECT COUNT(*) AS n FROM "Household" h WHERE h."villageId" = ${w.v1.id} AND NOT EXISTS (SELECT 1 FROM "HouseholdSearchTerm" t WHERE t."householdId" = h."id")`)[0]!.n;
        expect(Number(unindexed)).toBe(0);
      } else {
        expect(b.status).toBe("CHECKED");
        expect(added).toBe(0);
        // and it can be imported again, once
        expect(await startImport(secretary, dry.id, { wait: true })).toEqual({ ok: true });
        expect((await getBatch(secretary, dry.id))?.status).toBe("IMPORTED");
        expect((await prisma.household.count({ where: { villageId: w.v1.id } })) - before).toBe(900);
      }
    }
  }, 240_000);
});
