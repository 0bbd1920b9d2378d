import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { applyPgMigrations } from "./migrate.ts";

/**
 * Moves a SQLite database of the app into an empty PostgreSQL database
 * (`npm run migrate-to-pg`, README "Growing past one server", ADR 019).
 *
 * Nothing here names a table or a column: the tables and column types come
 * from PostgreSQL's catalogue after its migrations are applied, so a new model
 * is copied without a change here. Values are converted by PostgreSQL's type
 * of the column: SQLite's 0/1 booleans, Prisma's DateTime text (or epoch
 * milliseconds), and integers read as BigInt so that money in fen above 2^53
 * stays exact.
 *
 * The whole copy is one transaction, checked before it commits: the row count
 * of every table and the sum of every integer column (money is integer fen)
 * must equal SQLite's, or nothing is kept and the target stays empty for the
 * next try. Within it `session_replication_role = replica` switches off the
 * foreign-key checks (rows arrive table by table) and the income-figure
 * triggers (ADR 011): IncomeFigure and IncomeFigureStale are copied as they
 * are, and firing the triggers would mark every household stale again.
 */

/** Tables that are not the app's data: the migration history belongs to each engine. */
const SKIPPED = new Set(["_prisma_migrations"]);

/** One statement's parameters stay under PostgreSQL's limit of 65,535 per statement. */
const MAX_PARAMETERS = 65_535;
const MAX_ROWS_PER_INSERT = 1_000;

export interface Column {
  name: string;
  /** information_schema.columns.data_type, e.g. "integer", "timestamp without time zone" */
  type: string;
}

export interface SumCheck {
  column: string;
  sqlite: string;
  pg: string;
}

export interface TableCheck {
  table: string;
  sqliteRows: string;
  pgRows: string;
  /** one per integer column (its SUM) and per boolean column (how many are true) */
  sums: SumCheck[];
  ok: boolean;
}

export interface CopyReport {
  tables: TableCheck[];
  /** every count and sum equal: the copy was committed */
  ok: boolean;
  rows: number;
  ms: number;
}

/** The target or the source is not fit for a copy; nothing was written. */
export class CopyRefused extends Error {}

export interface CopyOptions {
  /** the SQLite database: `file:./prisma/data.db` or a path */
  from: string;
  /** the PostgreSQL database: `postgresql://…`; created beforehand with the C collation */
  to: string;
  log?: (line: string) => void;
  /** for tests: runs inside the copy's transaction after the rows are in and before they are checked */
  beforeCheck?: (client: pg.Client) => Promise<void>;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function sqliteFileOf(from: string): string {
  return path.resolve(from.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export async function copySqliteToPg(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const file = sqliteFileOf(options.from);
  if (!fs.existsSync(file)) throw new CopyRefused(`${file}: no such SQLite database`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pending = pendingSqliteMigrations(sqlite);
    if (pending.length) {
      throw new CopyRefused(
        `the SQLite database lacks ${pending.length} migration(s) of this version of the app (${pending[0]}…): ` +
          `bring it up to date first (DATABASE_URL=file:${file} npm run setup), then copy it`,
      );
    }
    // Refused before the migrations touch the target, so a database in use is left exactly as it was.
    await refuseNonEmpty(options.to);
    const applied = await applyPgMigrations(options.to);
    if (applied.length) log(`applied ${applied.length} PostgreSQL migration(s)`);

    const client = new pg.Client({ connectionString: options.to });
    await client.connect();
    try {
      const tables = await pgTables(client);
      compareSchemas(sqlite, tables);
      // One snapshot of SQLite for every table: a writer meanwhile cannot make the copy inconsistent.
      sqlite.exec("BEGIN");
      await client.query("BEGIN");
      try {
        await setReplicaRole(client);
        await client.query(`LOCK TABLE ${[...tables.keys()].map(q).join(", ")} IN ACCESS EXCLUSIVE MODE`);
        // Checked again under the lock: another process may have written since the first check.
        await refuseNonEmptyTables(client, [...tables.keys()]);
        // Indexes are built once at the end, which is far faster than keeping them up to date row by row.
        const indexes = await dropIndexes(client);
        let rows = 0;
        for (const [table, columns] of tables) {
          const t0 = performance.now();
          const n = await copyTable(sqlite, client, table, columns);
          rows += n;
          if (n) log(`${table}: ${n} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        const t1 = performance.now();
        await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
        for (const def of indexes) await client.query(def);
        log(`${indexes.length} indexes built in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
        await resetSequences(sqlite, client);
        await options.beforeCheck?.(client);
        const checks = await check(sqlite, client, tables);
        const ok = checks.every((c) => c.ok);
        await client.query(ok ? "COMMIT" : "ROLLBACK");
        if (ok) await client.query("ANALYZE");
        return { tables: checks, ok, rows, ms: performance.now() - started };
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        if (sqlite.inTransaction) sqlite.exec("COMMIT");
      }
    } finally {
      await client.end();
    }
  } finally {
    sqlite.close();
  }
}

function pendingSqliteMigrations(sqlite: Database.Database): string[] {
  const dir = path.resolve("prisma/migrations");
  const all = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory());
  const hasTable = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  if (!hasTable) return all.sort();
  const done = new Set(
    (sqlite.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`).all() as { migration_name: string }[]).map((r) => r.migration_name),
  );
  return all.filter((n) => !done.has(n)).sort();
}

/** Every table of the app in the target, with its columns in order, from PostgreSQL's catalogue. */
async function pgTables(client: pg.Client): Promise<Map<string, Column[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, Column[]>();
  for (const r of rows) {
    if (SKIPPED.has(r.table_name)) continue;
    if (!tables.has(r.table_name)) tables.set(r.table_name, []);
    tables.get(r.table_name)!.push({ name: r.column_name, type: r.data_type });
  }
  return tables;
}

/** Both engines must hold the same tables with the same columns, or rows would be lost on the way. */
function compareSchemas(sqlite: Database.Database, tables: Map<string, Column[]>) {
  const problems: string[] = [];
  const sqliteTables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !SKIPPED.has(n));
  for (const name of sqliteTables) if (!tables.has(name)) problems.push(`table ${name} is in SQLite but not in PostgreSQL`);
  for (const [name, columns] of tables) {
    if (!sqliteTables.includes(name)) {
      problems.push(`table ${name} is in PostgreSQL but not in SQLite`);
      continue;
    }
    const have = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((r) => r.name));
    const want = new Set(columns.map((c) => c.name));
    for (const c of have) if (!want.has(c)) problems.push(`column ${name}.${c} is in SQLite but not in PostgreSQL`);
    for (const c of want) if (!have.has(c)) problems.push(`column ${name}.${c} is in PostgreSQL but not in SQLite`);
  }
  if (problems.length) throw new CopyRefused(`the two schemas differ (are both at this version of the app?):\n  ${problems.join("\n  ")}`);
}

async function refuseNonEmpty(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await refuseNonEmptyTables(client, [...(await pgTables(client)).keys()]);
  } finally {
    await client.end();
  }
}

async function refuseNonEmptyTables(client: pg.Client, tables: string[]) {
  if (!tables.length) return;
  const { rows } = await client.query<{ name: string }>(tables.map((t) => `SELECT ${pgString(t)} AS name WHERE EXISTS (SELECT 1 FROM ${q(t)})`).join(" UNION ALL "));
  if (rows.length) {
    throw new CopyRefused(
      `the target database already holds rows (${rows.map((r) => r.name).slice(0, 5).join(", ")}${rows.length > 5 ? ", …" : ""}): ` +
        `copy into a new, empty database (createdb --template=template0 --locale=C.UTF-8 --encoding=UTF8 <name>)`,
    );
  }
}

const pgString = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function setReplicaRole(client: pg.Client) {
  try {
    await client.query(`SET LOCAL session_replication_role = replica`);
  } catch (e) {
    throw new CopyRefused(
      `cannot switch off triggers and foreign-key checks for the copy (${(e as Error).message}): ` +
        `run it as a superuser of the PostgreSQL server (or a role allowed to set session_replication_role)`,
    );
  }
}

/** Drops the indexes that back no constraint and returns the statements that make them again. */
export async function dropIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
      WHERE n.nspname = current_schema() AND tc.relkind = 'r' AND tc.relname <> '_prisma_migrations'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  for (const r of rows) await client.query(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

type Convert = (v: unknown) => unknown;

/** How a SQLite value becomes a parameter for a column of PostgreSQL type `type`. */
export function converterFor(type: string, where: string): Convert {
  if (type === "boolean") {
    return (v) => {
      if (v === null || v === undefined) return null;
      if (typeof v === "bigint") return v !== 0n;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string") return v === "1" || v.toLowerCase() === "true";
      return Boolean(v);
    };
  }
  if (type.startsWith("timestamp") || type === "date") return (v) => (v === null || v === undefined ? null : instantOf(v, where));
  if (type === "integer" || type === "bigint" || type === "smallint" || type === "numeric" || type === "double precision" || type === "real") {
    return (v) => (v === null || v === undefined ? null : typeof v === "string" ? v : String(v));
  }
  if (type === "text" || type === "character varying" || type === "character") {
    return (v) => (v === null || v === undefined ? null : typeof v === "string" ? v : Buffer.isBuffer(v) ? v.toString("utf8") : String(v));
  }
  return (v) => (v === undefined ? null : v);
}

/**
 * A DateTime as SQLite holds it — Prisma's ISO text with its offset, epoch
 * milliseconds, or `YYYY-MM-DD HH:MM:SS` from CURRENT_TIMESTAMP (UTC) — as
 * ISO text in UTC. PostgreSQL's `timestamp(3)` (without zone) drops the zone
 * of a literal, and Prisma keeps UTC in it, so the text must already be UTC.
 */
export function instantOf(v: unknown, where = ""): string {
  let d: Date;
  if (typeof v === "bigint" || typeof v === "number") d = new Date(Number(v));
  else if (typeof v === "string" && /^-?\d+$/.test(v)) d = new Date(Number(v));
  else if (typeof v === "string") {
    let s = v.trim().replace(" ", "T");
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += "T00:00:00";
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(s)) s += "Z";
    d = new Date(s);
  } else d = new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new Error(`${where}: ${String(v)} is not a date and time`);
  return d.toISOString();
}

async function copyTable(sqlite: Database.Database, client: pg.Client, table: string, columns: Column[]): Promise<number> {
  const converters = columns.map((c) => converterFor(c.type, `${table}.${c.name}`));
  const width = columns.length;
  const batch = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / width)));
  const insert = (rows: number) => {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${columns.map((_, c) => `$${r * width + c + 1}`).join(",")})`);
    return `INSERT INTO ${q(table)} (${columns.map((c) => q(c.name)).join(",")}) VALUES ${tuples.join(",")}`;
  };
  const full = insert(batch);
  const select = sqlite.prepare(`SELECT ${columns.map((c) => q(c.name)).join(",")} FROM ${q(table)}`).raw(true).safeIntegers(true);
  let values: unknown[] = [];
  let inBatch = 0;
  let total = 0;
  // The next batch is read from SQLite while PostgreSQL writes the last one.
  let writing: Promise<unknown> | null = null;
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    for (let c = 0; c < width; c++) values.push(converters[c]!(row[c]));
    if (++inBatch === batch) {
      await writing;
      // A named statement is parsed and planned once per table, then only bound.
      writing = client.query({ name: `copy ${table}`, text: full, values });
      // awaited before the next batch; this only keeps a failure while SQLite is read from counting as unhandled
      writing.catch(() => {});
      values = [];
      total += inBatch;
      inBatch = 0;
    }
  }
  await writing;
  if (inBatch) {
    await client.query(insert(inBatch), values);
    total += inBatch;
  }
  return total;
}

/**
 * Each serial column's sequence continues after the highest id ever given
 * out: SQLite's AUTOINCREMENT never reuses the id of a deleted row (the audit
 * trail names rows by id), so its sqlite_sequence counts too.
 */
async function resetSequences(sqlite: Database.Database, client: pg.Client) {
  const { rows } = await client.query<{ table_name: string; column_name: string; seq: string }>(
    `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  const hasSequences = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get();
  const given = new Map<string, bigint>();
  if (hasSequences) {
    for (const r of sqlite.prepare(`SELECT name, seq FROM sqlite_sequence`).safeIntegers(true).all() as { name: string; seq: bigint }[]) given.set(r.name, r.seq);
  }
  for (const r of rows) {
    if (!r.seq || SKIPPED.has(r.table_name)) continue;
    const { rows: m } = await client.query<{ max: string | null }>(`SELECT MAX(${q(r.column_name)})::text AS max FROM ${q(r.table_name)}`);
    const max = BigInt(m[0]?.max ?? 0);
    const used = given.get(r.table_name) ?? 0n;
    const next = (max > used ? max : used) + 1n;
    await client.query(`SELECT setval($1, $2, false)`, [r.seq, next.toString()]);
  }
}

const INTEGER_TYPES = new Set(["integer", "bigint", "smallint"]);

async function check(sqlite: Database.Database, client: pg.Client, tables: Map<string, Column[]>): Promise<TableCheck[]> {
  const out: TableCheck[] = [];
  for (const [table, columns] of tables) {
    const ints = columns.filter((c) => INTEGER_TYPES.has(c.type));
    const bools = columns.filter((c) => c.type === "boolean");
    const sqliteParts = ["COUNT(*)", ...ints.map((c) => `SUM(${q(c.name)})`), ...bools.map((c) => `SUM(CASE WHEN ${q(c.name)} THEN 1 ELSE 0 END)`)];
    const pgParts = ["COUNT(*)::text", ...ints.map((c) => `SUM(${q(c.name)})::text`), ...bools.map((c) => `(COUNT(*) FILTER (WHERE ${q(c.name)}))::text`)];
    const a = (sqlite.prepare(`SELECT ${sqliteParts.join(", ")} FROM ${q(table)}`).raw(true).safeIntegers(true).get() as unknown[]).map(normalise);
    const { rows } = await client.query({ text: `SELECT ${pgParts.join(", ")} FROM ${q(table)}`, rowMode: "array" });
    const b = (rows[0] as unknown[]).map(normalise);
    const names = [...ints.map((c) => c.name), ...bools.map((c) => `${c.name} (true)`)];
    const sums = names.map((column, i) => ({ column, sqlite: a[i + 1]!, pg: b[i + 1]! }));
    out.push({ table, sqliteRows: a[0]!, pgRows: b[0]!, sums, ok: a[0] === b[0] && sums.every((s) => s.sqlite === s.pg) });
  }
  return out;
}

function normalise(v: unknown): string {
  if (v === null || v === undefined) return "0";
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v).toString();
  return String(v);
}

/** The report as a table: one line per table, then every sum that differs. */
export function formatReport(report: CopyReport): string {
  const lines = [`${"table".padEnd(24)} ${"SQLite rows".padStart(12)} ${"PostgreSQL".padStart(12)} ${"sums".padStart(5)}  result`];
  for (const t of report.tables) {
    lines.push(`${t.table.padEnd(24)} ${t.sqliteRows.padStart(12)} ${t.pgRows.padStart(12)} ${String(t.sums.length).padStart(5)}  ${t.ok ? "ok" : "DIFFERS"}`);
  }
  for (const t of report.tables) {
    if (t.sqliteRows !== t.pgRows) lines.push(`  ${t.table}: ${t.sqliteRows} rows in SQLite, ${t.pgRows} in PostgreSQL`);
    for (const s of t.sums) if (s.sqlite !== s.pg) lines.push(`  ${t.table}.${s.column}: sum ${s.sqlite} in SQLite, ${s.pg} in PostgreSQL`);
  }
  return lines.join("\n");
}
