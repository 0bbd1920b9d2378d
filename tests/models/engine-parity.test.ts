import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { databaseUrl, engine } from "~/lib/db.server";
import { applyMigrations } from "../../scripts/lib/migrate";

/**
 * Both engines' migrations must make the same database (ADR 019): the same
 * tables with the same columns, the same named indexes (partial ones
 * included) and the same triggers. Runs in `npm run test:pg`, comparing the
 * test's PostgreSQL database with a SQLite file migrated beside it.
 */
describe.skipIf(engine() !== "postgres")("the PostgreSQL migrations", () => {
  it("make the tables, columns, indexes and triggers the SQLite migrations make", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "parity-")), "parity.db");
    applyMigrations(file);
    const lite = new Database(file, { readonly: true });
    const tables = (lite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name);
    const sqlite = {
      columns: tables.flatMap((t) => (lite.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((c) => `${t}.${c.name}`)).sort(),
      indexes: (lite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all() as { name: string }[]).map((r) => r.name).sort(),
      triggers: (lite.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).all() as { name: string }[]).map((r) => r.name).sort(),
    };
    lite.close();

    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    const q = async (sql: string) => (await client.query<{ n: string }>(sql)).rows.map((r) => r.n).sort();
    const postgres = {
      columns: await q(`SELECT table_name || '.' || column_name AS n FROM information_schema.columns WHERE table_schema = 'public'`),
      // SQLite names a primary key's index sqlite_autoindex_…; PostgreSQL names it …_pkey: leave both out
      indexes: await q(`SELECT indexname AS n FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey'`),
      triggers: await q(`SELECT DISTINCT trigger_name AS n FROM information_schema.triggers WHERE trigger_schema = 'public'`),
    };
    await client.end();
    expect(postgres.columns).toEqual(sqlite.columns);
    // PostgreSQL names are at most 63 bytes, and Prisma shortens longer index names its own way
    const short = (names: string[]) => names.map((n) => (n.length > 60 ? `${n.slice(0, 50)}…` : n));
    expect(short(postgres.indexes)).toEqual(short(sqlite.indexes));
    expect(postgres.triggers).toEqual(sqlite.triggers);
  });
});
