/**
 * The job runner (ADR 016): runs the long jobs that requests queue (import
 * checks and imports, error files, batch PDFs, large exports) in a process of
 * its own, so that the web process stays free for everybody's clicks.
 * `npm start` starts it beside the server; `npm run jobs` runs it alone.
 *
 *   tsx scripts/jobs.ts [--once]
 */
import { newWorkerId } from "../app/jobs/jobs.server.ts";
import { registerAllJobKinds } from "../app/jobs/kinds.server.ts";
import { recoverJobs, runJobs, runOneJob } from "../app/jobs/runner.server.ts";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";
await registerAllJobKinds();
const workerId = newWorkerId();
const controller = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => controller.abort());
// Forked by the server: when the server is gone (even killed outright), so is this runner, never left running beside the next one.
if (process.send) process.once("disconnect", () => controller.abort());

if (process.argv.includes("--once")) {
  await recoverJobs({ exceptWorker: workerId, allRunning: true });
  while (await runOneJob(workerId));
} else {
  console.log(`[jobs] runner ${workerId} started`);
  // One runner per database, as `npm start` runs it: whatever another runner left RUNNING died with it.
  await runJobs({ workerId, signal: controller.signal, soleRunner: process.env.JOB_RUNNERS !== "many" });
}
const { prisma } = await import("../app/lib/db.server.ts");
await prisma.$disconnect();
