/**
 * A raw connection of its own, for the few places that go around the ORM
 * because it is too slow for them (ADR 016, ADR 019): the import's writer
 * (thousands of rows in one short transaction), the import checks' bulk reads
 * and the kept upload's bytes.
 *
 * The same code runs on both engines:
 *
 * - SQL is written once, for both: double-quoted identifiers, `?` parameters
 *   (numbered `$1…` for PostgreSQL here), `ON CONFLICT DO NOTHING`, `COALESCE`.
 *   Where the engines differ, `db.engine` picks a variant.
 * - Parameters: booleans, Dates (as Prisma stores DateTime: an ISO instant),
 *   bigints, byte arrays and null, as each engine takes them.
 * - Rows come back as SQLite gives them: integers (also BIGINT and COUNT) as
 *   numbers, booleans as 1/0, DateTime as ISO text, blobs as Buffers.
 * - `db.transaction(fn)` takes the write lock first, as every writer of the
 *   app does: BEGIN IMMEDIATE on SQLite; on PostgreSQL the advisory lock every
 *   Prisma transaction takes (PG_WRITE_LOCK), so the import's writes and other
 *   users' saves queue on one lock across all app processes. All of it commits
 *   or none: an error rolls it back, and a process killed meanwhile leaves
 *   nothing (SQLite's journal, PostgreSQL's dropped connection).
 *
 * SQLite stays synchronous inside (better-sqlite3, prepared statements kept
 * per connection): the promises resolve at once, so a transaction never
 * yields to other work and the lock is held only for the statements
 * themselves. PostgreSQL's rows go in multi-row INSERTs (`insertMany`), one
 * round trip per few thousand values, so its lock is as short.
 */
import { remember } from "@epic-web/remember";
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import pg from "pg";
import { databaseFile, databaseUrl, engine, PG_WRITE_LOCK, SQLITE_BUSY_TIMEOUT_MS, type Engine } from "./db.server";

export type Param = string | number | bigint | boolean | Date | Uint8Array | null | undefined;
export type Row = Record<string, unknown>;

export interface RawDb {
  readonly engine: Engine;
  all<T = Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** runs a statement; resolves to the number of rows it changed */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** inserts one row into `table`; resolves to its new `id` */
  insert(table: string, row: Record<string, Param>): Promise<number>;
  /**
   * Inserts rows into `table` (rows may differ in their columns; a column a
   * row leaves out takes its default). With `ids`, resolves to each row's new
   * `id`, in order; with `ignoreConflicts`, a row that would break a unique
   * key is left out (`ON CONFLICT DO NOTHING`).
   */
  insertMany(table: string, rows: readonly Record<string, Param>[], opts?: { ids?: boolean; ignoreConflicts?: boolean }): Promise<number[]>;
  /**
   * Runs `fn` in one transaction holding the write lock; commits when it
   * resolves, rolls back when it throws. `onLockHeld` is told how long the
   * lock was held (the import job records the longest).
   */
  transaction<T>(fn: (db: RawDb) => Promise<T>, opts?: { onLockHeld?: (ms: number) => void }): Promise<T>;
}

/** Runs `fn` with a raw connection of its own, closed (or given back to the pool) after. */
export async function withRawConnection<T>(fn: (db: RawDb) => Promise<T>, opts: { readonly?: boolean } = {}): Promise<T> {
  if (engine() === "postgres") {
    const client = await pool().connect();
    try {
      return await fn(new PgDb(client));
    } finally {
      // (the pool drops a connection that was lost meanwhile)
      client.release();
    }
  }
  const db = opts.readonly ? new Database(databaseFile(), { readonly: true, timeout: SQLITE_BUSY_TIMEOUT_MS }) : new Database(databaseFile(), { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    if (!opts.readonly) {
      db.pragma("foreign_keys = ON");
      db.pragma("cache_size = -65536");
    }
    return await fn(new SqliteDb(db));
  } finally {
    db.close();
  }
}

/** Placeholders for `n` values: "?, ?, ?". */
export const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An instant as Prisma stores DateTime (ISO 8601 with "+00:00"; PostgreSQL's timestamp(3) takes it as UTC). */
const instant = (d: Date) => d.toISOString().replace("Z", "+00:00");

// ─── SQLite ────────────────────────────────────────────────────────────────

/**
 * SQLite has one writer at a time per database; within this process the
 * transactions of raw connections also take turns here, so that one never
 * waits synchronously (stopping the process) for a lock another connection of
 * this same process holds while it is between two statements.
 */
let sqliteTurn: Promise<unknown> = Promise.resolve();

class SqliteDb implements RawDb {
  readonly engine = "sqlite" as const;
  private statements = new Map<string, Database.Statement>();
  constructor(private db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  private static value(v: Param): unknown {
    if (v === undefined) return null;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (v instanceof Date) return instant(v);
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return v;
  }

  private static values(params: readonly Param[]): unknown[] {
    return params.map(SqliteDb.value);
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return this.prepare(sql).all(...SqliteDb.values(params)) as T[];
  }

  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...SqliteDb.values(params)) as T | undefined;
  }

  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return this.prepare(sql).run(...SqliteDb.values(params)).changes;
  }

  async insert(table: string, row: Record<string, Param>): Promise<number> {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${quoteName(table)} (${cols.map(quoteName).join(", ")}) VALUES (${placeholders(cols.length)})`;
    return Number(this.prepare(sql).run(...SqliteDb.values(Object.values(row))).lastInsertRowid);
  }

  async insertMany(table: string, rows: readonly Record<string, Param>[], opts: { ids?: boolean; ignoreConflicts?: boolean } = {}): Promise<number[]> {
    const ids: number[] = [];
    // one prepared statement per run of rows with the same columns: this loop is the import's whole lock time
    let cols: string[] = [];
    let st: Database.Statement | null = null;
    for (const row of rows) {
      const own = Object.keys(row);
      if (st === null || own.length !== cols.length || own.some((c, i) => c !== cols[i])) {
        cols = own;
        st = this.prepare(`INSERT INTO ${quoteName(table)} (${cols.map(quoteName).join(", ")}) VALUES (${placeholders(cols.length)})${opts.ignoreConflicts ? " ON CONFLICT DO NOTHING" : ""}`);
      }
      const values = new Array<unknown>(cols.length);
      for (let i = 0; i < cols.length; i++) values[i] = SqliteDb.value(row[cols[i]!]);
      const r = st.run(values);
      if (opts.ids) ids.push(Number(r.lastInsertRowid));
    }
    return ids;
  }

  async transaction<T>(fn: (db: RawDb) => Promise<T>, opts: { onLockHeld?: (ms: number) => void } = {}): Promise<T> {
    const before = sqliteTurn;
    let done!: () => void;
    sqliteTurn = new Promise<void>((resolve) => (done = resolve));
    await before.catch(() => undefined);
    try {
      // Waits (synchronously, up to the busy timeout) for another process's write lock: this connection is the job runner's.
      this.db.exec("BEGIN IMMEDIATE");
      const locked = performance.now();
      try {
        const result = await fn(this);
        this.db.exec("COMMIT");
        opts.onLockHeld?.(performance.now() - locked);
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    } finally {
      done();
    }
  }
}

// ─── PostgreSQL ────────────────────────────────────────────────────────────

const INT8 = 20;
const BOOL = 16;
const TIMESTAMP = 1114;

/** Rows as SQLite gives them (see the top of this file), whatever node-postgres would make of them. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === BOOL) return (v: string) => (v === "t" ? 1 : 0);
    if (oid === TIMESTAMP) return (v: string) => instant(new Date(`${v.replace(" ", "T")}Z`));
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/** A small pool of this process's own (Prisma keeps its own); idle connections do not keep a finished script alive. */
const pool = () =>
  remember("raw-db-pool", () => {
    const p = new pg.Pool({ connectionString: databaseUrl(), max: Number(process.env.PG_RAW_POOL_SIZE ?? 4), allowExitOnIdle: true, types });
    // an idle connection the server dropped is simply replaced
    p.on("error", () => undefined);
    return p;
  });

/** `?` placeholders as PostgreSQL's `$1, $2, …`, leaving quoted text and names alone. */
export function numbered(sql: string): string {
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === "?" ? `$${++n}` : ch;
  }
  return out;
}

/** Values per multi-row INSERT (PostgreSQL takes at most 65,535 parameters per statement). */
const MAX_PARAMS = 30_000;

class PgDb implements RawDb {
  readonly engine = "postgres" as const;
  private names = new Map<string, string>();
  constructor(private client: pg.PoolClient) {}

  private static value(v: Param): unknown {
    if (v === undefined) return null;
    if (v instanceof Date) return instant(v);
    return v;
  }

  /** The statement as a named (prepared once per connection) query: the same statement for thousands of rows is parsed once. */
  private query<T extends pg.QueryResultRow>(sql: string, params: readonly Param[], prepared = true) {
    const text = numbered(sql);
    let name: string | undefined;
    if (prepared) {
      name = this.names.get(text);
      if (!name) this.names.set(text, (name = `raw_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`));
    }
    return this.client.query<T>({ text, values: params.map(PgDb.value), ...(name ? { name } : {}) });
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async insert(table: string, row: Record<string, Param>): Promise<number> {
    const cols = Object.keys(row);
    const r = await this.query<{ id: number }>(`INSERT INTO ${quoteName(table)} (${cols.map(quoteName).join(", ")}) VALUES (${placeholders(cols.length)}) RETURNING "id"`, Object.values(row));
    return r.rows[0]!.id;
  }

  async insertMany(table: string, rows: readonly Record<string, Param>[], opts: { ids?: boolean; ignoreConflicts?: boolean } = {}): Promise<number[]> {
    if (rows.length === 0) return [];
    // The new ids are taken from the table's sequence first and written with the rows:
    // RETURNING does not promise the order of a multi-row INSERT.
    let ids: number[] = [];
    if (opts.ids) {
      const r = await this.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence(?, 'id'))::int AS "id" FROM generate_series(1, ?::int)`, [quoteName(table), rows.length], false);
      ids = r.rows.map((x) => x.id);
    }
    // consecutive rows with the same columns go together, in order
    let start = 0;
    while (start < rows.length) {
      const cols = [...Object.keys(rows[start]!), ...(opts.ids ? ["id"] : [])];
      const key = cols.join("\u0000");
      const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
      let end = start;
      const values: Param[] = [];
      const tuples: string[] = [];
      while (end < rows.length && end - start < per) {
        const row = rows[end]!;
        const own = [...Object.keys(row), ...(opts.ids ? ["id"] : [])];
        if (own.join("\u0000") !== key) break;
        tuples.push(`(${placeholders(cols.length)})`);
        values.push(...Object.values(row), ...(opts.ids ? [ids[end]!] : []));
        end++;
      }
      const sql = `INSERT INTO ${quoteName(table)} (${cols.map(quoteName).join(", ")}) VALUES ${tuples.join(", ")}${opts.ignoreConflicts ? " ON CONFLICT DO NOTHING" : ""}`;
      // full chunks repeat the same statement; a short last one is used once
      await this.query(sql, values, end - start === per);
      start = end;
    }
    return ids;
  }

  async transaction<T>(fn: (db: RawDb) => Promise<T>, opts: { onLockHeld?: (ms: number) => void } = {}): Promise<T> {
    await this.client.query("BEGIN");
    try {
      await this.client.query(`SELECT pg_advisory_xact_lock(${PG_WRITE_LOCK})`);
      const locked = performance.now();
      const result = await fn(this);
      await this.client.query("COMMIT");
      opts.onLockHeld?.(performance.now() - locked);
      return result;
    } catch (e) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }
}
