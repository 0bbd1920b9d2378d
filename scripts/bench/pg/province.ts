import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { copySqliteToPg, dropIndexes, formatReport } from "../../lib/copy-to-pg.ts";
import { applyPgMigrations } from "../../lib/migrate.ts";
import { PG_BIN, startCluster, type Cluster } from "../../lib/pg-cluster.ts";
import { createDatabase } from "../../../tests/setup/pg.ts";

/**
 * The province-scale data set of the PostgreSQL bench (issue 16): a cluster
 * kept under tests/bench/pg/ between runs, holding 1,000,000 households or
 * more. It is made once from the district set (tests/bench/district.db, about
 * 100,000 households in 20 townships): copied into PostgreSQL with
 * `npm run migrate-to-pg`'s own code, then its townships are repeated inside
 * PostgreSQL with INSERT … SELECT until there are a million households. Copy k
 * adds k × ID_STRIDE to every id and every reference to one (accounts are not
 * repeated, so references to them stay), and changes the codes that must be
 * unique (township, village, parcel and credit codes, contract numbers), so
 * each copy is a county of its own with the same people and records.
 */

export const PROVINCE_DIR = path.resolve("tests/bench/pg");
const DB_NAME = "province";
const MARKER = path.join(PROVINCE_DIR, "province.json");
export const PROVINCE_HOUSEHOLDS = 1_000_000;
const ID_STRIDE = 10_000_000;

/**
 * A modest database server's settings (a machine with 8 GB or more for
 * PostgreSQL on SSD), on top of the throwaway cluster's (no fsync).
 */
const SERVER_SETTINGS: Record<string, string> = {
  shared_buffers: "2GB",
  effective_cache_size: "8GB",
  work_mem: "32MB",
  maintenance_work_mem: "1GB",
  random_page_cost: "1.1",
  // The cluster stops with `-m immediate`: a start after a crash replays at most this much WAL, within pg_ctl's minute.
  max_wal_size: "2GB",
};

/** The tables repeated per copy: everything that belongs to a township. Accounts, jobs, the audit trail and dividend runs are not. */
const REPLICATED = [
  "Township",
  "Village",
  "VillagerGroup",
  "Household",
  "Person",
  "HouseholdStatusChange",
  "HouseholdSearchTerm",
  "Cooperative",
  "CooperativeVillage",
  "ContractedPlot",
  "TransferContract",
  "ContractParty",
  "ContractPlot",
  "ReferencePrice",
  "RentInstallment",
  "RentPayment",
  "PenaltySettlement",
  "OrchardPlot",
  "OrchardPlotParcel",
  "Harvest",
  "WorkDay",
  "IncomeEntry",
  "IncomeFigure",
];

/** Columns that name an account: accounts are the same in every copy. */
const ACCOUNT_REFERENCE = /ById$|^actorId$|^userId$/;

/** Codes unique across the data set, made distinct per copy k (a SQL expression of the column and k). */
const UNIQUE_CODES: Record<string, Record<string, (column: string) => string>> = {
  // Shandong's "37" becomes 38, 39, …: a province code per copy, so township, village and parcel codes stay 12 and 19 digits.
  Township: { code: (c) => `overlay(${c} placing (37 + k)::text from 1 for 2)` },
  Village: { code: (c) => `overlay(${c} placing (37 + k)::text from 1 for 2)` },
  ContractedPlot: { parcelCode: (c) => `overlay(${c} placing (37 + k)::text from 1 for 2)` },
  Cooperative: { creditCode: (c) => `overlay(${c} placing (37 + k)::text from 3 for 2)` },
  TransferContract: { draftNo: (c) => `'P' || k || '-' || ${c}`, contractNo: (c) => `'P' || k || '-' || ${c}` },
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface Province {
  cluster: Cluster;
  url: string;
  /** writes everything out and stops the server, so that the next start replays nothing */
  stop(): Promise<void>;
  households: number;
  /** milliseconds spent building it in this run; null when an earlier run's set was reused */
  buildMs: number | null;
}

/** Starts the kept cluster and returns the province database, building it first if it is missing or incomplete. */
export async function provinceDatabase(district: string, log: (s: string) => void): Promise<Province> {
  fs.mkdirSync(PROVINCE_DIR, { recursive: true });
  const cluster = startKeptCluster(log);
  try {
    const url = cluster.urlOf(DB_NAME);
    const marker = fs.existsSync(MARKER) ? (JSON.parse(fs.readFileSync(MARKER, "utf8")) as { households?: number }) : null;
    if (marker?.households && marker.households >= PROVINCE_HOUSEHOLDS) {
      const households = await countHouseholds(cluster, url);
      if (households !== null && households >= PROVINCE_HOUSEHOLDS) {
        await applyPgMigrations(url);
        return { cluster, url, households, buildMs: null, stop: () => stopKept(cluster) };
      }
      log("the province data set is incomplete: building it again");
    }
    fs.rmSync(MARKER, { force: true });
    const t0 = performance.now();
    await admin(cluster, `DROP DATABASE IF EXISTS ${q(DB_NAME)} WITH (FORCE)`);
    await createDatabase(cluster.url, DB_NAME);
    log(`copying ${path.relative(".", district)} into PostgreSQL…`);
    const copy = await copySqliteToPg({ from: `file:${district}`, to: url });
    if (!copy.ok) throw new Error(`the district set did not copy exactly:\n${formatReport(copy)}`);
    log(`copied ${copy.rows} rows, every count and sum checked, in ${(copy.ms / 1000).toFixed(1)} s`);
    const households = await replicate(url, log);
    const t1 = performance.now();
    await run(url, [`VACUUM (ANALYZE)`]);
    log(`VACUUM ANALYZE in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const buildMs = performance.now() - t0;
    fs.writeFileSync(MARKER, JSON.stringify({ households, builtAt: new Date().toISOString(), buildMs: Math.round(buildMs) }, null, 2) + "\n");
    return { cluster, url, households, buildMs, stop: () => stopKept(cluster) };
  } catch (e) {
    await stopKept(cluster);
    throw e;
  }
}

async function stopKept(cluster: Cluster) {
  try {
    await admin(cluster, "CHECKPOINT");
  } finally {
    cluster.stop();
  }
}

/** The kept cluster, started; a server left running by an interrupted run is stopped first. */
function startKeptCluster(log: (s: string) => void): Cluster {
  const data = path.join(PROVINCE_DIR, "data");
  if (fs.existsSync(path.join(data, "postmaster.pid"))) {
    log("stopping a PostgreSQL server left running by an earlier bench");
    const args = [path.join(PG_BIN, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"];
    const [cmd, ...rest] = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...args] : args;
    spawnSync(cmd!, rest, { encoding: "utf8" });
  }
  return startCluster({ dir: PROVINCE_DIR, keep: true, settings: SERVER_SETTINGS });
}

async function admin(cluster: Cluster, sql: string) {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function run(url: string, statements: string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

async function countHouseholds(cluster: Cluster, url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DB_NAME]);
    if (!rows.length) return null;
  } finally {
    await client.end();
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "Household"`);
    return Number(rows[0]!.n);
  } catch {
    return null;
  } finally {
    await db.end();
  }
}

/**
 * Repeats the township data inside PostgreSQL until there are
 * PROVINCE_HOUSEHOLDS households, in one transaction with the indexes built
 * once at the end. The stored income figures are repeated with the records
 * they are computed from, so they stay exact without being computed again.
 */
async function replicate(url: string, log: (s: string) => void): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const base = Number((await client.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "Household"`)).rows[0]!.n);
    if (!base) throw new Error("the district data set has no households");
    const copies = Math.ceil(PROVINCE_HOUSEHOLDS / base);
    const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
      [REPLICATED],
    );
    const byTable = new Map<string, { name: string; type: string }[]>();
    for (const c of columns) {
      if (!byTable.has(c.table_name)) byTable.set(c.table_name, []);
      byTable.get(c.table_name)!.push({ name: c.column_name, type: c.data_type });
    }
    const isId = (c: { name: string; type: string }) => (c.type === "integer" || c.type === "bigint") && (c.name === "id" || (c.name.endsWith("Id") && !ACCOUNT_REFERENCE.test(c.name)));
    // The offsets must not reach another copy's ids, nor PostgreSQL's integer limit.
    for (const [table, cols] of byTable) {
      for (const c of cols.filter(isId)) {
        const max = Number((await client.query<{ m: string | null }>(`SELECT MAX(${q(c.name)})::text AS m FROM ${q(table)}`)).rows[0]!.m ?? 0);
        if (max >= ID_STRIDE) throw new Error(`${table}.${c.name} reaches ${max}: ids must stay under ${ID_STRIDE} to be repeated`);
      }
    }
    if (copies * ID_STRIDE >= 2 ** 31) throw new Error(`${copies} copies would pass PostgreSQL's integer ids`);
    log(`repeating ${base} households ${copies - 1} more times…`);

    await client.query("BEGIN");
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(`SET LOCAL maintenance_work_mem = '1GB'`);
    const indexes = await dropIndexes(client);
    for (const table of REPLICATED) {
      const cols = byTable.get(table);
      if (!cols) throw new Error(`table ${table} is missing`);
      const codes = UNIQUE_CODES[table] ?? {};
      const exprs = cols.map((c) => (isId(c) ? `${q(c.name)} + k * ${ID_STRIDE}` : codes[c.name] ? codes[c.name]!(q(c.name)) : q(c.name)));
      const t0 = performance.now();
      const r = await client.query(
        `INSERT INTO ${q(table)} (${cols.map((c) => q(c.name)).join(", ")}) SELECT ${exprs.join(", ")} FROM ${q(table)} CROSS JOIN generate_series(1, ${copies - 1}) AS copy(k)`,
      );
      log(`  ${table}: +${r.rowCount} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const t1 = performance.now();
    for (const def of indexes) await client.query(def);
    log(`  ${indexes.length} indexes built in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    // New rows the bench writes get ids after every copy's.
    const { rows: serials } = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1) AND column_default LIKE 'nextval(%'`,
      [REPLICATED],
    );
    for (const s of serials) await client.query(`SELECT setval($1, COALESCE((SELECT MAX(${q(s.column_name)}) FROM ${q(s.table_name)}), 0) + 1, false)`, [s.seq]);
    await client.query("COMMIT");
    return Number((await client.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "Household"`)).rows[0]!.n);
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}
