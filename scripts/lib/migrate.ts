import fs from "node:fs";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import Database from "better-sqlite3";

/**
 * Applies prisma/migrations/* to a SQLite file the way `prisma migrate deploy`
 * does, recording each in _prisma_migrations, so that the CLI agrees with it
 * later. Used by setup, tests and the bench, where spawning the CLI for every
 * database would cost seconds. `until` stops before the migration of that name
 * (tests build a database as it was before a migration, to test its conversion).
 */
export function applyMigrations(file: string, until?: string): string[] {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done = new Set(
      db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`).all()
        .map((r) => (r as { migration_name: string }).migration_name),
    );
    const dir = path.resolve("prisma/migrations");
    const names = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()).sort();
    const applied: string[] = [];
    for (const name of names) {
      if (until !== undefined && name >= until) break;
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createChecksum(sql);
      db.transaction(() => {
        db.exec(sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(randomUUID(), checksum, name);
      })();
      applied.push(name);
    }
    return applied;
  } finally {
    db.close();
  }
}

function createChecksum(sql: string): string {
  // Prisma stores the SHA-256 of the migration file.
  return createHash("sha256").update(sql).digest("hex");
}

export const PG_MIGRATIONS = "prisma/postgres/migrations";

/** PostgreSQL's ordering must be SQLite's (byte order of UTF-8) for prefix searches and sorted lists to agree (ADR 019). */
const C_COLLATIONS = new Set(["C", "POSIX", "C.UTF-8", "C.utf8"]);

/**
 * Applies prisma/postgres/migrations/* to a PostgreSQL database, recording
 * each in _prisma_migrations as `prisma migrate deploy` would. The schema
 * engine cannot do it on PostgreSQL 15 (see ../shared/STACK.md), so this is
 * the only way migrations reach PostgreSQL. An advisory lock makes two
 * processes starting at once apply each migration once.
 */
export async function applyPgMigrations(url: string, until?: string): Promise<string[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datcollate: string }>(`SELECT datcollate FROM pg_database WHERE datname = current_database()`);
    const collation = rows[0]?.datcollate ?? "";
    if (!C_COLLATIONS.has(collation)) {
      throw new Error(
        `database collation is ${collation}; Cunshe Ledger needs the C collation (text in code-point order, as in SQLite): ` +
          `createdb --template=template0 --locale=C.UTF-8 --encoding=UTF8 <name>`,
      );
    }
    await client.query(`SELECT pg_advisory_lock(7216001)`);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = new Set(
      (await client.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`)).rows.map((r) => r.migration_name),
    );
    const dir = path.resolve(PG_MIGRATIONS);
    const names = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory()).sort();
    const applied: string[] = [];
    for (const name of names) {
      if (until !== undefined && name >= until) break;
      if (done.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), createChecksum(sql), name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.end();
  }
}
