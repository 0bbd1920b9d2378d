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
