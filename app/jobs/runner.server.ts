/**
 * The job runner's loop (ADR 016): claim a queued job, run its kind's
 * handler with a heartbeat, record the result. Capabilities register their
 * kinds (app/jobs/kinds.server.ts) so that this module imports none of them.
 */
import type { Job } from "@prisma/client";
import { claimJob, claimNextJob, failJob, finishJob, heartbeat, HEARTBEAT_MS, progressReporter, recoverInterruptedJobs, removeOldResults } from "./jobs.server";

export interface JobContext {
  workerId: string;
  /** progress for the job's page: phase is a message key */
  progress(phase: string, done: number, total: number, force?: boolean): void;
}

export interface JobOutcome {
  result: unknown;
  file?: { path: string; name: string; type: string };
}

export interface JobKind {
  run(job: Job, ctx: JobContext): Promise<JobOutcome>;
  /** puts the job's record back when a runner died while running it */
  onInterrupted?(job: Job): Promise<void>;
  /** marks the record failed when the job failed */
  onFailed?(job: Job, error: unknown): Promise<void>;
}

const kinds = new Map<string, JobKind>();

export function registerJobKind(kind: string, handler: JobKind): void {
  kinds.set(kind, handler);
}

export function registeredKinds(): string[] {
  return [...kinds.keys()];
}

/** Claims and runs one job; false when none was waiting. */
export async function runOneJob(workerId: string): Promise<boolean> {
  const job = await claimNextJob(workerId, registeredKinds());
  if (!job) return false;
  await runClaimed(job, workerId);
  return true;
}

/**
 * Runs one particular queued job in this process, now: for tests, the bench
 * and scripts that must wait for a result. False when it was not waiting
 * (another runner has it, or it already ran).
 */
export async function runJobNow(jobId: number, workerId = `inline-${process.pid}`): Promise<boolean> {
  const job = await claimJob(jobId, workerId);
  if (!job) return false;
  await runClaimed(job, workerId);
  return true;
}

async function runClaimed(job: Job, workerId: string): Promise<void> {
  const kind = kinds.get(job.kind);
  if (!kind) {
    await failJob(job.id, `no handler for job kind ${job.kind}`);
    return;
  }
  const reporter = progressReporter(job.id);
  const beat = setInterval(() => void heartbeat(workerId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref?.();
  try {
    const outcome = await kind.run(job, { workerId, progress: reporter.report });
    await reporter.flush();
    await finishJob(job.id, outcome.result, outcome.file);
  } catch (e) {
    await reporter.flush();
    await failJob(job.id, e);
    await kind.onFailed?.(job, e).catch(() => undefined);
  } finally {
    clearInterval(beat);
  }
}

/** Jobs left RUNNING by a runner that died are marked INTERRUPTED and their records put back. */
export async function recoverJobs(opts: { exceptWorker?: string; allRunning?: boolean } = {}): Promise<number> {
  return recoverInterruptedJobs({ ...opts, onInterrupted: async (job) => kinds.get(job.kind)?.onInterrupted?.(job) });
}

/**
 * The runner's loop: runs jobs until `signal` aborts, polling every
 * `idleMs` when the queue is empty. On start, every job another runner left
 * RUNNING is recovered when `soleRunner` (one runner per database, as
 * `npm start` has), else only those whose heartbeat went stale.
 */
export async function runJobs(opts: { workerId: string; signal?: AbortSignal; idleMs?: number; soleRunner?: boolean }): Promise<void> {
  const idle = opts.idleMs ?? 300;
  await recoverJobs({ exceptWorker: opts.workerId, allRunning: opts.soleRunner });
  let sweep = 0;
  while (!opts.signal?.aborted) {
    const ran = await runOneJob(opts.workerId).catch((e: unknown) => {
      console.warn("job runner:", e instanceof Error ? e.message : e);
      return false;
    });
    if (!ran) {
      if (Date.now() - sweep > 3_600_000) {
        sweep = Date.now();
        await removeOldResults().catch(() => undefined);
        if (!opts.soleRunner) await recoverJobs({ exceptWorker: opts.workerId }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, idle));
    }
  }
}
