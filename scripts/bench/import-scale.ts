/**
 * The dry run of a 200,000-row roster (the most rows an import takes),
 * generated here, run by the job runner's code in a process of its own
 * (scripts/load/run-job.ts) so that its peak memory is the runner's alone:
 * the kernel's VmHWM of that process. Goals (issue 12): under 60 s and under
 * 1,000 MB. Runs on any migrated database, in a township of its own removed
 * afterwards.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { CurrentUser } from "../../app/auth/session.server.ts";
import { getBatch, startDryRun } from "../../app/imports/imports.server.ts";
import { prisma } from "../../app/lib/db.server.ts";
import { largeRoster } from "../load/roster.ts";
import type { BenchContext } from "./context.ts";

const ROWS = 200_000;

export async function run({ report }: BenchContext) {
  const tag = randomBytes(3).toString("hex");
  const township = await prisma.township.create({ data: { code: `9998${String(Date.now()).slice(-8)}`, name: `导入规模测试镇${tag}`, countyCode: "999999" } });
  const village = await prisma.village.create({ data: { townshipId: township.id, code: `${township.code.slice(0, 9)}001`, parcelCode: "001", name: "导入规模测试村" } });
  for (let g = 1; g <= 5; g++) await prisma.villagerGroup.create({ data: { villageId: village.id, number: String(g).padStart(2, "0"), name: `第${g}组` } });
  const account = await prisma.user.create({ data: { username: `bench-import-scale-${tag}`, displayName: "bench", role: "SECRETARY", villageId: village.id, passwordHash: "scrypt$1$1$1$AA==$AA==" } });
  const user = { id: account.id, role: "SECRETARY", scope: { kind: "village", townshipId: township.id, villageId: village.id }, username: account.username, displayName: "bench", scopeName: "" } as CurrentUser;
  try {
    const bytes = await largeRoster(ROWS, { areaBase: 10, codePrefix: "S" });
    console.log(`(roster: ${ROWS} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB)`);
    const started = await startDryRun(user, { kind: "HOUSEHOLDS", villageId: village.id, fileName: "roster-200k.xlsx", bytes, updateExisting: false });
    if (!started.ok) throw new Error(JSON.stringify(started));
    const job = await prisma.job.findFirstOrThrow({ where: { ref: `ImportBatch:${started.id}` }, select: { id: true } });
    const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/load/run-job.ts", String(job.id)], { env: process.env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    const line = child.stdout.split("\n").find((l) => l.startsWith("{"));
    if (!line) throw new Error(`the job did not run: ${child.stderr.slice(-2000)}`);
    const ran = JSON.parse(line) as { status: string; error: string; ms: number; startRssMb: number; peakRssMb: number };
    const b = await getBatch(user, started.id);
    console.log(`(job ${ran.status}${ran.error ? ` ${ran.error}` : ""}: batch ${b?.status}, ${b?.rowCount} rows, ${b?.errorCount} errors, ${b?.createCount} households to create; report ${b?.report.length} characters; runner ${ran.startRssMb} MB at start)`);
    if (b?.status !== "CHECKED" || b.errorCount !== 0 || b.rowCount !== ROWS) throw new Error(`dry run: ${b?.status} ${b?.failure} ${b?.report.slice(0, 300)}`);
    report("import_200k_rows_check_ms", ran.ms);
    report("import_200k_peak_rss_mb", ran.peakRssMb);
  } finally {
    const jobs = await prisma.importBatch.findMany({ where: { villageId: village.id }, select: { id: true } });
    await prisma.job.deleteMany({ where: { ref: { in: jobs.map((j) => `ImportBatch:${j.id}`) } } });
    await prisma.importBatch.deleteMany({ where: { villageId: village.id } });
    await prisma.user.delete({ where: { id: account.id } });
    await prisma.villagerGroup.deleteMany({ where: { villageId: village.id } });
    await prisma.village.delete({ where: { id: village.id } });
    await prisma.township.delete({ where: { id: township.id } });
  }
}
