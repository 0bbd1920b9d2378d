import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BenchContext } from "../context.ts";
import { PROVINCE_DIR, PROVINCE_HOUSEHOLDS, provinceDatabase } from "./province.ts";

/** The PostgreSQL figures and their goals (issue 16); a figure over its goal is printed with a warning. */
export const PG_GOALS: Record<string, { max?: number; min?: number }> = {
  household_search_name_p95_ms_pg: { max: 20 },
  audit_township_summary_ms_pg: { max: 500 },
  dividend_run_5k_ms_pg: { max: 1000 },
  import_20k_rows_ms_pg: { max: 30_000 },
  pg_households: { min: PROVINCE_HOUSEHOLDS },
};

/**
 * `npm run bench -- --engine postgres` (or the pseudo-section `postgres`):
 * the province-scale figures on PostgreSQL, beside the SQLite ones. The data
 * set is built once (scripts/bench/pg/province.ts) in a cluster kept under
 * tests/bench/pg/; the figures are measured by scripts/bench/pg/measure.ts in a
 * child process whose DATABASE_URL names it.
 */
export async function run({ db, report }: BenchContext) {
  const province = await provinceDatabase(db, (s) => console.log(`(${s})`));
  try {
    if (province.buildMs !== null) report("pg_build_s", province.buildMs / 1000);
    else console.log(`(province data set reused: ${province.households} households in ${path.relative(".", PROVINCE_DIR)})`);
    const out = await child(province.url);
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error("the PostgreSQL measurements stopped before their result");
    const { results, errors } = JSON.parse(line.slice("RESULT ".length)) as { results: Record<string, number>; errors: Record<string, string> };
    for (const [name, value] of Object.entries(results)) {
      report(name, value);
      const goal = PG_GOALS[name];
      if ((goal?.max !== undefined && value >= goal.max) || (goal?.min !== undefined && value < goal.min)) {
        console.log(`  ${name} misses its goal (${goal.max !== undefined ? `< ${goal.max}` : `≥ ${goal.min}`})`);
      }
    }
    for (const [name, message] of Object.entries(errors)) console.log(`${name}: failed (${message})`);
  } finally {
    await province.stop();
  }
}

function child(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const files = path.join(PROVINCE_DIR, "files");
    fs.mkdirSync(files, { recursive: true });
    const p = spawn(process.execPath, ["--import", "tsx", "scripts/bench/pg/measure.ts"], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: files, JOBS_DIR: path.join(files, "jobs"), IMPORT_REPORTS_DIR: path.join(files, "import-reports") },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let shown = 0;
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (chunk: string) => {
      out += chunk;
      // whole lines only, and not the result line, which the figures below print again
      const end = out.lastIndexOf("\n") + 1;
      for (const l of out.slice(shown, end).split("\n")) if (l && !l.startsWith("RESULT ")) console.log(l);
      shown = Math.max(shown, end);
    });
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`the PostgreSQL measurements failed (exit ${code})`))));
  });
}
