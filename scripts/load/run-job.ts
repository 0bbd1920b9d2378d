/**
 * Runs one queued job in a process of its own, as the job runner would, and
 * prints what it cost as one JSON line: {"ms": run time, "peakRssMb": the
 * process's peak resident memory (the kernel's VmHWM, which includes what
 * a synchronous step allocates between two samples)}. For the bench.
 *
 *   tsx scripts/load/run-job.ts JOB_ID
 */
import fs from "node:fs";
import { registerAllJobKinds } from "../../app/jobs/kinds.server.ts";
import { runJobNow } from "../../app/jobs/runner.server.ts";

function peakRssMb(): number {
  const kb = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1];
  return kb ? Number(kb) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

const jobId = Number(process.argv[2]);
if (!Number.isInteger(jobId) || jobId <= 0) {
  console.error("usage: tsx scripts/load/run-job.ts JOB_ID");
  process.exit(2);
}
process.env.NODE_ENV ??= "production";
await registerAllJobKinds();
const { prisma } = await import("../../app/lib/db.server.ts");
const before = peakRssMb();
const t0 = performance.now();
const ran = await runJobNow(jobId, `bench-${process.pid}`);
const ms = performance.now() - t0;
const job = await prisma.job.findUnique({ where: { id: jobId }, select: { status: true, error: true } });
console.log(JSON.stringify({ ran, status: job?.status, error: job?.error, ms: Math.round(ms), startRssMb: Math.round(before), peakRssMb: Math.round(peakRssMb()) }));
await prisma.$disconnect();
