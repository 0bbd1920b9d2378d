import Database from "better-sqlite3";
import { townshipAudit, villageAudit } from "../../app/income/audit.server.ts";
import type { CurrentUser } from "../../app/auth/session.server.ts";
import { describe, loadAudit } from "../load/audit.ts";
import { measure, percentile, type BenchContext } from "./context.ts";

/**
 * The township income audit on district data: computed in-process from the
 * stored figures (audit_summary_*, without the township audit's memo), and
 * served over loopback at concurrency 20 by the production server
 * (scripts/load/audit.ts): first with nothing written meanwhile, then with
 * 10 income entries written a second, which make most requests compute the
 * audit again.
 */
export async function run({ db, report }: BenchContext) {
  const raw = new Database(db, { readonly: true });
  const [largest] = raw.prepare(`SELECT townshipId AS id, COUNT(*) AS n FROM Household GROUP BY townshipId ORDER BY n DESC LIMIT 1`).all() as { id: number; n: number }[];
  const counts = raw.prepare(`SELECT (SELECT COUNT(*) FROM Household) AS households, (SELECT COUNT(*) FROM IncomeEntry WHERE year = 2025) AS entries, (SELECT COUNT(*) FROM WorkDay WHERE year = 2025) AS work, (SELECT COUNT(*) FROM RentPayment) AS rent`).get() as Record<string, number>;
  const [village] = raw.prepare(`SELECT villageId AS id, COUNT(*) AS n FROM Household WHERE townshipId = ? GROUP BY villageId ORDER BY n DESC LIMIT 1`).all(largest!.id) as { id: number; n: number }[];
  raw.close();
  console.log(`(district: ${counts.households} households, ${counts.entries} income entries and ${counts.work} work-day records in 2025, ${counts.rent} rent payments; township ${largest!.id} has ${largest!.n} households)`);

  const place = { townshipId: largest!.id, villageId: null };
  const times = await measure(10, () => townshipAudit(place, 2025, { memo: false }), 2);
  report("audit_summary_ms", percentile(times, 50));
  report("audit_summary_p95_ms", percentile(times, 95));

  const official = { id: 0, role: "TOWNSHIP", scope: { kind: "township", townshipId: largest!.id }, username: "bench", displayName: "bench", scopeName: "" } as CurrentUser;
  const villageTimes = await measure(10, () => villageAudit(official, village!.id, 2025), 2);
  report("audit_village_with_trend_ms", percentile(villageTimes, 50));

  const [quiet, writing] = await loadAudit({ db, requests: 600, seconds: 60, concurrency: 20, year: 2025, writesPerSecond: [0, 10], log: (s) => console.log(`(${s})`) });
  for (const r of [quiet!, writing!]) console.log(`(${describe(r)})`);
  report("audit_township_c20_rps", quiet!.rps);
  report("audit_township_c20_p95_ms", quiet!.p95Ms);
  report("audit_township_c20_failed", quiet!.failed);
  report("audit_township_c20_writing_rps", writing!.rps);
  report("audit_township_c20_writing_p95_ms", writing!.p95Ms);
}
