/**
 * What `npm start` does before serving: create the SQLite database if it is
 * missing (or, with DATABASE_URL=postgresql://…, use that PostgreSQL database),
 * apply migrations, load the demo data into an empty database, and build the
 * app when the build is missing or older than its sources.
 *
 *   tsx scripts/setup.ts [--no-build]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import os from "node:os";
import { applyMigrations, applyPgMigrations } from "./lib/migrate.ts";
import { copySqliteToPg, formatReport } from "./lib/copy-to-pg.ts";
import { seedDatabase } from "./lib/demo-data.ts";

const url = process.env.DATABASE_URL ?? "file:./prisma/data.db";

if (/^postgres(ql)?:\/\//.test(url)) await setUpPostgres(url);
else await setUpSqlite(url);
await upgradeSearchIndex();

/**
 * A database made by an earlier version lacks the search terms added since
 * (ADR 005: the last 4–6 characters of ID numbers, birth dates): they are
 * built here, once; on a current index this only checks.
 */
async function upgradeSearchIndex() {
  process.env.DATABASE_URL = url;
  const { upgradeSearchIndex: upgrade } = await import("../app/registry/search-index-upgrade.server.ts");
  const { prisma } = await import("../app/lib/db.server.ts");
  try {
    const n = await upgrade((s) => console.log(s));
    if (n) console.log(`search index: ${n} households brought up to date`);
  } finally {
    await prisma.$disconnect();
  }
}

async function setUpSqlite(url: string) {
  const file = path.resolve(url.replace(/^file:/, ""));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const applied = applyMigrations(file);
  console.log(applied.length ? `migrations applied: ${applied.join(", ")}` : `database ${path.relative(".", file)} is up to date`);
  const db = new Database(file, { readonly: true });
  const users = (db.prepare("SELECT COUNT(*) AS n FROM User").get() as { n: number }).n;
  db.close();
  if (users === 0) {
    console.log("empty database: loading the demo township (see README for the accounts)…");
    const result = await seedDatabase(file, { scale: "demo", log: (s) => console.log(s) });
    console.log(`demo data: ${result.households} households, ${result.people} people in ${result.ms} ms`);
  }
}

/**
 * PostgreSQL (ADR 019): our own runner applies prisma/postgres/migrations; an
 * empty database gets the demo township by seeding a SQLite file and copying it
 * over with migrate-to-pg's checked copy, so both engines start from the same data.
 */
async function setUpPostgres(url: string) {
  const applied = await applyPgMigrations(url);
  console.log(applied.length ? `migrations applied: ${applied.join(", ")}` : "PostgreSQL database is up to date");
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const users = Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "User"`)).rows[0]!.n);
  await client.end();
  if (users > 0) return;
  console.log("empty database: loading the demo township (see README for the accounts)…");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-demo-"));
  try {
    const file = path.join(dir, "demo.db");
    applyMigrations(file);
    const result = await seedDatabase(file, { scale: "demo", log: (s) => console.log(s) });
    const report = await copySqliteToPg({ from: `file:${file}`, to: url, log: (s) => console.log(s) });
    if (!report.ok) throw new Error(`the demo data did not copy to PostgreSQL exactly:\n${formatReport(report)}`);
    console.log(`demo data: ${result.households} households, ${result.people} people, copied to PostgreSQL in ${Math.round(report.ms)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.argv.includes("--no-build")) {
  const built = "build/index.js";
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  const sources = Math.max(newest("app"), fs.statSync("remix.config.js").mtimeMs, fs.statSync("package.json").mtimeMs);
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
    console.log("building…");
    execFileSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "build"], { stdio: "inherit" });
  }
  const port = process.env.PORT ?? "3000";
  console.log(`starting on http://localhost:${port}`);
}
