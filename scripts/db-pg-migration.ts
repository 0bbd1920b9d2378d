/**
 * Makes PostgreSQL's migration for a change of prisma/schema.prisma (ADR 019):
 *
 *   npm run db:pg-migration -- <name>
 *
 * after the SQLite migration is written. It regenerates
 * prisma/postgres/schema.prisma, asks `prisma migrate diff` for the SQL from
 * the committed PostgreSQL schema to the new one (the CLI needs a server to
 * talk to, so a throwaway cluster is started), and writes it to
 * prisma/postgres/migrations/<timestamp>_<name>/migration.sql. Hand-written
 * SQL of the SQLite migration (triggers, partial indexes) must then be
 * written for PostgreSQL in the same file.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PG_SCHEMA, SQLITE_SCHEMA, postgresSchema } from "./lib/pg-schema.ts";
import { startCluster } from "./lib/pg-cluster.ts";
import { PG_MIGRATIONS } from "./lib/migrate.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:pg-migration -- <name_in_snake_case>");
  process.exit(2);
}
const before = fs.readFileSync(PG_SCHEMA, "utf8");
const after = postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
if (before === after) {
  console.log(`${PG_SCHEMA} is up to date: no PostgreSQL migration needed`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pg-migration-"));
const old = path.join(tmp, "before.prisma");
fs.writeFileSync(old, before);
fs.writeFileSync(PG_SCHEMA, after);
const cluster = startCluster();
try {
  const sql = execFileSync(
    process.execPath,
    [path.resolve("node_modules/prisma/build/index.js"), "migrate", "diff", "--config", "prisma/postgres/prisma.config.ts", "--from-schema-datamodel", old, "--to-schema-datamodel", PG_SCHEMA, "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: cluster.url } },
  );
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(PG_MIGRATIONS, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
} catch (e) {
  fs.writeFileSync(PG_SCHEMA, before);
  throw e;
} finally {
  cluster.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
