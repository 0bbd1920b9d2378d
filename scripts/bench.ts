/**
 * `npm run bench [section…]`: builds the district-scale data set if it is
 * missing (not when only standalone sections are named: they get an empty
 * database), then runs each section in scripts/bench/ (or the named ones). A
 * section measures the operations with speed goals and reports each figure,
 * printed as `name: value` and written to tests/bench/results.json.
 * `--engine postgres` adds the province-scale PostgreSQL figures (`…_pg`,
 * scripts/bench/pg/run.ts) after the SQLite ones; `npm run bench postgres`
 * measures those alone.
 *
 * Server time is measured in-process around the same server functions the
 * loaders call: it excludes the network and rendering but includes Prisma,
 * SQLite and result shaping.
 */
import fs from "node:fs";
import path from "node:path";
import { seedDatabase } from "./lib/demo-data.ts";
import { applyMigrations } from "./lib/migrate.ts";
import { STANDALONE_SECTIONS, type BenchContext } from "./bench/context.ts";

const RESULTS = path.resolve("tests/bench/results.json");
// A fresh clone has no tests/bench/: SQLite cannot create a file in a missing folder.
fs.mkdirSync(path.dirname(RESULTS), { recursive: true });

// `--engine postgres` adds the PostgreSQL figures (the pseudo-section `postgres`, scripts/bench/pg/) to the SQLite ones.
const argv = process.argv.slice(2);
const engineAt = argv.findIndex((a) => a === "--engine" || a.startsWith("--engine="));
const engineName = engineAt < 0 ? "sqlite" : argv[engineAt]!.includes("=") ? argv[engineAt]!.split("=")[1] : argv[engineAt + 1];
if (engineName !== "sqlite" && engineName !== "postgres") throw new Error(`--engine sqlite|postgres, not ${engineName}`);
const wanted = argv.filter((_, i) => engineAt < 0 || (i !== engineAt && (argv[engineAt]!.includes("=") || i !== engineAt + 1)));
const postgres = engineName === "postgres" || wanted.includes("postgres");
// Sections that bring their own data run on an empty migrated database, without the district set.
const standaloneOnly = !postgres && wanted.length > 0 && wanted.every((w) => STANDALONE_SECTIONS.includes(w));
const DB = path.resolve(standaloneOnly ? "tests/bench/empty.db" : "tests/bench/district.db");
if (standaloneOnly) for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) fs.rmSync(f, { force: true });

// A data set built before the income records existed is rebuilt once.
if (!standaloneOnly && fs.existsSync(DB)) {
  applyMigrations(DB);
  const Database = (await import("better-sqlite3")).default;
  const check = new Database(DB, { readonly: true });
  const stale = check.prepare(`SELECT 1 FROM IncomeEntry LIMIT 1`).get() === undefined;
  check.close();
  if (stale) {
    console.log("the district data set predates income records: rebuilding it");
    for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) fs.rmSync(f, { force: true });
  }
}
if (!standaloneOnly && !fs.existsSync(DB)) {
  console.log(`building the district-scale data set at ${path.relative(".", DB)} (once)…`);
  const r = await seedDatabase(DB, { scale: "district", log: (s) => console.log(s) });
  console.log(`built: ${r.households} households, ${r.people} people in ${(r.ms / 1000).toFixed(1)} s`);
}
applyMigrations(DB);
process.env.DATABASE_URL = `file:${DB}`;
process.env.SESSION_SECRET ??= "bench-secret-bench-secret-bench-secret";

// A data set built before the ID-suffix and birth-date search terms (ADR 005) gets them once, as `npm start` does.
if (!standaloneOnly) {
  const { upgradeSearchIndex } = await import("../app/registry/search-index-upgrade.server.ts");
  await upgradeSearchIndex((s) => console.log(s));
}

// The stored income figures (ADR 011) are filled once after the data set is built, as `npm run income:figures` does.
if (!standaloneOnly) {
  const Database = (await import("better-sqlite3")).default;
  const check = new Database(DB, { readonly: true });
  const empty = check.prepare(`SELECT 1 FROM "IncomeFigure" LIMIT 1`).get() === undefined;
  check.close();
  if (empty) {
    const { rebuildFigures } = await import("../app/income/figures.server.ts");
    const t0 = performance.now();
    const r = await rebuildFigures();
    console.log(`income figures: ${r.rows} household-years in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

const results: Record<string, number> = {};
const ctx: BenchContext = {
  db: DB,
  report(name, value) {
    results[name] = Math.round(value * 100) / 100;
    console.log(`${name}: ${results[name]}`);
  },
};

const dir = path.resolve("scripts/bench");
const sections = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "context.ts").sort();
for (const file of sections) {
  const name = file.replace(/\.ts$/, "");
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`# ${name}`);
  const mod = (await import(path.join(dir, file))) as { run: (ctx: BenchContext) => Promise<void> };
  await mod.run(ctx);
}
if (postgres) {
  console.log("# postgres (province scale)");
  const pgBench = (await import("./bench/pg/run.ts")) as { run: (ctx: BenchContext) => Promise<void> };
  await pgBench.run(ctx);
}

const { prisma } = await import("../app/lib/db.server.ts");
await prisma.$disconnect();
const previous = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, "utf8")) : {};
fs.writeFileSync(RESULTS, JSON.stringify({ ...previous, ...results, measuredAt: new Date().toISOString() }, null, 2) + "\n");
console.log(`written to ${path.relative(".", RESULTS)}`);
