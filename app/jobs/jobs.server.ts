/**
 * Long jobs (ADR 016). A request only records a job and answers at once; the
 * job runner process (scripts/jobs.ts, started by the server) claims queued
 * jobs one at a time and runs them, writing its progress and result to the
 * Job row. The row is the whole truth: a page polls it, a restart finds it.
 *
 * A job belongs to the user who asked for it: only they see its result (a
 * result may carry unmasked data they are allowed to see and others not).
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Job } from "@prisma/client";
import { dataDirectory, prisma } from "~/lib/db.server";
import { now as clockNow } from "~/lib/dates";

import { isActive, type JobStatus } from "./status";

export { isActive, type JobStatus };

export interface JobOwner {
  id: number;
  townshipId?: number | null;
  villageId?: number | null;
  cooperativeId?: number | null;
}

/** A runner that has not beaten its heart for this long is taken for dead. */
export const STALE_AFTER_MS = 60_000;
export const HEARTBEAT_MS = 5_000;
/** Result files are kept this long, then removed with their rows' paths. */
export const KEEP_RESULTS_DAYS = 7;

type Tx = Pick<typeof prisma, "job">;

/** Queues a job. Pass the transaction that changes its record, so that the record and its job appear together. */
export async function enqueueJob(kind: string, input: unknown, owner: JobOwner, ref = "", tx: Tx = prisma): Promise<number> {
  const job = await tx.job.create({
    data: {
      kind,
      input: JSON.stringify(input ?? {}),
      ref,
      createdById: owner.id,
      townshipId: owner.townshipId ?? null,
      villageId: owner.villageId ?? null,
      cooperativeId: owner.cooperativeId ?? null,
    },
    select: { id: true },
  });
  return job.id;
}

export interface JobView {
  id: number;
  kind: string;
  status: JobStatus;
  phase: string;
  done: number;
  total: number;
  result: unknown;
  error: string;
  hasFile: boolean;
  fileName: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  ref: string;
}

export function viewOf(j: Job): JobView {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status as JobStatus,
    phase: j.phase,
    done: j.done,
    total: j.total,
    result: j.result ? (JSON.parse(j.result) as unknown) : null,
    error: j.error,
    hasFile: j.status === "DONE" && !!j.resultPath && fs.existsSync(j.resultPath),
    fileName: j.resultName,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    ref: j.ref,
  };
}

/** The user's own job, or null (another user's job is as good as missing). */
export async function ownJob(userId: number, id: number): Promise<Job | null> {
  return prisma.job.findFirst({ where: { id, createdById: userId } });
}

/** The newest job on a record (e.g. an import batch), whoever started it; callers check the record's scope. */
export async function latestJobFor(ref: string, kinds?: string[]): Promise<Job | null> {
  return prisma.job.findFirst({ where: { ref, ...(kinds ? { kind: { in: kinds } } : {}) }, orderBy: { id: "desc" } });
}


// ─── The runner's side ─────────────────────────────────────────────────────

export function newWorkerId(): string {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Claims the oldest queued job for this runner, or null. The claim is one
 * conditional UPDATE, so two runners (or two app servers' runners) never
 * take the same job.
 */
export async function claimNextJob(workerId: string, kinds?: readonly string[]): Promise<Job | null> {
  for (let tries = 0; tries < 5; tries++) {
    const next = await prisma.job.findFirst({ where: { status: "QUEUED", ...(kinds ? { kind: { in: [...kinds] } } : {}) }, orderBy: { id: "asc" }, select: { id: true } });
    if (!next) return null;
    const job = await claimJob(next.id, workerId);
    if (job) return job;
  }
  return null;
}

/**
 * Claims one queued job by id; null when it is not (or no longer) queued.
 * One `UPDATE … WHERE id = ? AND status = 'QUEUED'` whose changed-row count
 * is checked: on SQLite writers take turns; on PostgreSQL a second runner's
 * UPDATE waits for the first's row lock, then finds the row no longer QUEUED
 * and changes nothing (READ COMMITTED re-checks the condition). Either way
 * exactly one runner gets the job (tests/models/jobs.test.ts, both engines).
 */
export async function claimJob(jobId: number, workerId: string): Promise<Job | null> {
  const at = clockNow();
  const claimed = await prisma.job.updateMany({ where: { id: jobId, status: "QUEUED" }, data: { status: "RUNNING", workerId, startedAt: at, heartbeatAt: at } });
  return claimed.count === 1 ? prisma.job.findUniqueOrThrow({ where: { id: jobId } }) : null;
}

export async function heartbeat(workerId: string): Promise<void> {
  await prisma.job.updateMany({ where: { workerId, status: "RUNNING" }, data: { heartbeatAt: clockNow() } });
}

/**
 * Jobs whose runner died (kill -9, power cut): RUNNING with a heartbeat older
 * than STALE_AFTER_MS, or any RUNNING job of a runner id that is not alive
 * (`deadWorkers`, e.g. every id but the current one when only one runner
 * exists). They become INTERRUPTED; `onInterrupted` lets the job's kind put
 * its record back (an import batch returns to "checked": its transaction
 * never committed).
 */
export async function recoverInterruptedJobs(opts: { exceptWorker?: string; allRunning?: boolean; onInterrupted?: (job: Job) => Promise<void> } = {}): Promise<number> {
  const stale = new Date(clockNow().getTime() - STALE_AFTER_MS);
  const jobs = await prisma.job.findMany({
    where: {
      status: "RUNNING",
      ...(opts.exceptWorker ? { NOT: { workerId: opts.exceptWorker } } : {}),
      ...(opts.allRunning ? {} : { OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: stale } }] }),
    },
  });
  let n = 0;
  for (const j of jobs) {
    // Whatever the dead runner had begun to write goes first, so that a job
    // seen as INTERRUPTED never has a partial file beside it.
    removeJobFiles(j.id);
    const r = await prisma.job.updateMany({ where: { id: j.id, status: "RUNNING", workerId: j.workerId }, data: { status: "INTERRUPTED", finishedAt: clockNow(), error: "interrupted" } });
    if (r.count === 1) {
      n++;
      await opts.onInterrupted?.(j);
    }
  }
  return n;
}

/** Progress as the job goes; written at most every `everyMs` so that a tight loop does not flood the database. */
export function progressReporter(jobId: number, everyMs = 400) {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    report(phase: string, done: number, total: number, force = false) {
      const t = Date.now();
      if (!force && t - last < everyMs) return;
      last = t;
      pending = pending.then(() => prisma.job.updateMany({ where: { id: jobId, status: "RUNNING" }, data: { phase, done, total } })).catch(() => undefined);
    },
    flush: () => pending,
  };
}

export async function finishJob(jobId: number, result: unknown, file?: { path: string; name: string; type: string }): Promise<void> {
  await prisma.job.updateMany({
    where: { id: jobId, status: "RUNNING" },
    data: {
      status: "DONE",
      result: JSON.stringify(result ?? null),
      finishedAt: clockNow(),
      ...(file ? { resultPath: file.path, resultName: file.name, resultType: file.type } : {}),
    },
  });
}

export async function failJob(jobId: number, error: unknown): Promise<void> {
  const message = String(error instanceof Error ? error.message : error).slice(0, 1000);
  await prisma.job.updateMany({ where: { id: jobId, status: "RUNNING" }, data: { status: "FAILED", error: message, finishedAt: clockNow() } });
  removeJobFiles(jobId);
}

// ─── Result files ──────────────────────────────────────────────────────────

/** Beside the database, owner-only: results can hold what only their owner may read. */
export function jobsDirectory(): string {
  const dir = process.env.JOBS_DIR ? path.resolve(process.env.JOBS_DIR) : path.join(dataDirectory(), "jobs");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** A fresh owner-only file for a job's result. */
export function resultFilePath(jobId: number, extension: string): string {
  const file = path.join(jobsDirectory(), `job-${jobId}-${randomBytes(6).toString("hex")}.${extension}`);
  fs.closeSync(fs.openSync(file, "wx", 0o600));
  return file;
}

/** Removes every file a job began (result files are named job-<id>-…): a job that failed or was cut off leaves none behind. */
export function removeJobFiles(jobId: number): void {
  const dir = jobsDirectory();
  for (const f of fs.readdirSync(dir)) if (f.startsWith(`job-${jobId}-`)) fs.rmSync(path.join(dir, f), { force: true });
}

/** Removes result files older than KEEP_RESULTS_DAYS. */
export async function removeOldResults(): Promise<number> {
  const before = new Date(clockNow().getTime() - KEEP_RESULTS_DAYS * 86_400_000);
  const old = await prisma.job.findMany({ where: { finishedAt: { lt: before }, NOT: { resultPath: "" } }, select: { id: true, resultPath: true } });
  for (const j of old) {
    fs.rmSync(j.resultPath, { force: true });
    await prisma.job.update({ where: { id: j.id }, data: { resultPath: "" } });
  }
  return old.length;
}
