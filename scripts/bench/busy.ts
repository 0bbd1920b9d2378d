/**
 * Other users' work while one user imports a 20,000-row roster, through the
 * real server and its job runner (scripts/load/busy-import.ts): sign-ins,
 * rent payments and page reads at a fixed rate, from the upload until the
 * import is done. The goal (issue 12): p95 under a second and no failure.
 */
import { busyImport } from "../load/busy-import.ts";
import type { BenchContext } from "./context.ts";

export async function run({ db, report }: BenchContext) {
  const r = await busyImport({ db, rows: 20_000, rate: 5, maxSeconds: 300, log: (s) => console.log(s) });
  console.log(`(upload ${Math.round(r.uploadMs)} ms, dry run ${Math.round(r.dryRunMs)} ms, import ${Math.round(r.applyMs)} ms: ${r.batchStatus}, ${r.created} households; the import held the write lock at most ${r.importLockMs} ms at a time)`);
  console.log(`(${r.other.count} requests of other users: p50 ${Math.round(r.other.p50Ms)} ms, max ${Math.round(r.other.maxMs)} ms; ${Object.entries(r.other.byKind).map(([k, v]) => `${k} ${v.count} p95 ${Math.round(v.p95Ms)} ms`).join(", ")}; while the import applied: ${r.applying.count} requests, p95 ${Math.round(r.applying.p95Ms)} ms)`);
  if (r.failures.length) console.log(`(failures: ${r.failures.join("; ")})`);
  if (r.batchStatus !== "IMPORTED") throw new Error(`the import ended ${r.batchStatus}`);
  report("busy_import_other_p95_ms", r.other.p95Ms);
  report("busy_import_other_failed", r.other.failed);
}
