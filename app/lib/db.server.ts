import { remember } from "@epic-web/remember";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { createRequire } from "node:module";
import type { PrismaClient as PgPrismaClient } from ".prisma/client-pg";
import { databaseUrl, engine } from "./database-url.server";

export { databaseUrl, databaseFile, dataDirectory, engine, type Engine } from "./database-url.server";

/**
 * How long a statement waits for another connection's write lock before
 * failing (ADR 016). Every writer in the app (the job runner's imports
 * included) holds the lock for well under a second at a time, so a wait this
 * long means something is wrong; SQLite's default of 5 s, waited out
 * synchronously, failed sign-ins and payments while an import held the lock
 * for the whole import. 10 s rides out a slow disk or a backup's last step.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isBusy = (e: unknown) => {
  const x = e as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  return String(x?.cause?.originalCode ?? x?.code ?? "").startsWith("SQLITE_BUSY");
};

/** Runs `attempt` again while the database answers "busy", pausing a few milliseconds between tries, for up to SQLITE_BUSY_TIMEOUT_MS. */
async function waitForLock<T>(attempt: () => T | Promise<T>): Promise<T> {
  const until = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
    try {
      return await attempt();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= until) throw e;
    }
    await sleep(pause);
  }
}

/**
 * The web process's connection waits for the write lock without stopping:
 *
 * - better-sqlite3 waits for a lock synchronously, and the whole process
 *   (every other user's request) would stand still meanwhile. So the
 *   connection's own busy timeout is 0, and a statement answered "busy" is
 *   tried again after a pause of a few milliseconds — other requests run in
 *   the pauses — for up to SQLITE_BUSY_TIMEOUT_MS.
 * - Prisma's adapter opens a transaction with a plain (deferred) BEGIN: it
 *   reads without a lock and asks for the write lock at its first write. In
 *   WAL mode that request fails at once with SQLITE_BUSY_SNAPSHOT, without
 *   waiting, whenever another connection (the job runner finishing an
 *   import) committed since the transaction's first read: a payment or a
 *   sign-in failed with a 500 for it. So every transaction begins IMMEDIATE,
 *   taking the write lock first (waiting for it as above); its reads and
 *   writes then always go through. Transactions here are one save each, so
 *   holding the lock from their start costs others nothing.
 */
function waitingForLocks(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const db = (adapter as unknown as { client: { exec(sql: string): unknown } }).client;
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.queryRaw = (query) => waitForLock(() => queryRaw(query));
    adapter.executeRaw = (query) => waitForLock(() => executeRaw(query));
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await start(isolationLevel);
      // The adapter's own lock is held and its BEGIN has taken no database lock yet: trade it for BEGIN IMMEDIATE.
      try {
        db.exec("ROLLBACK");
        await waitForLock(() => db.exec("BEGIN IMMEDIATE"));
      } catch (e) {
        await tx.rollback();
        throw e;
      }
      return tx;
    };
    return adapter;
  };
  return factory;
}

/**
 * PostgreSQL through node-postgres (ADR 019). The app's transactions were
 * written for SQLite, where a transaction that writes holds the database's one
 * write lock from its start (BEGIN IMMEDIATE above): a check and the write it
 * guards can never interleave with another writer's. Every interactive
 * transaction on PostgreSQL takes one transaction-level advisory lock first,
 * which keeps exactly that guarantee across any number of app processes;
 * statements outside transactions run concurrently, as readers do on SQLite.
 * The transactions are one save each (milliseconds), so writers queue briefly.
 */
export const PG_WRITE_LOCK = 7216002;

function serialisingWriters(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await start(isolationLevel);
      try {
        await tx.executeRaw({ sql: `SELECT pg_advisory_xact_lock(${PG_WRITE_LOCK})`, args: [], argTypes: [] });
      } catch (e) {
        await tx.rollback();
        throw e;
      }
      return tx;
    };
    return adapter;
  };
  return factory;
}

function createPgClient() {
  // Loaded only on PostgreSQL, by Node's own resolution (bundlers do not follow `.prisma/…`).
  const { PrismaClient: PgClient } = createRequire(import.meta.url)(".prisma/client-pg") as { PrismaClient: typeof PgPrismaClient };
  const client = new PgClient({
    adapter: serialisingWriters(new PrismaPg({ connectionString: databaseUrl(), max: Number(process.env.PG_POOL_SIZE ?? 10) })),
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    log: [{ level: "query", emit: "event" }],
  });
  client.$on("query", (e) => {
    if (e.duration > 100) console.warn(`slow query ${e.duration}ms: ${e.query.slice(0, 200)}`);
  });
  return client;
}

function createClient() {
  // Both clients are made from the same models (prisma/postgres/schema.prisma is generated from ours).
  if (engine() === "postgres") return createPgClient() as unknown as ReturnType<typeof createSqliteClient>;
  return createSqliteClient();
}

function createSqliteClient() {
  const client = new PrismaClient({
    adapter: waitingForLocks(new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 0 })),
    // waiting for the lock happens when a transaction starts: allow it as long as a statement may wait
    transactionOptions: { maxWait: SQLITE_BUSY_TIMEOUT_MS + 2_000 },
    log: [{ level: "query", emit: "event" }],
  });
  // Slow queries are the first sign that a scope lost its index.
  client.$on("query", (e) => {
    if (e.duration > 100) console.warn(`slow query ${e.duration}ms: ${e.query.slice(0, 200)}`);
  });
  return client;
}

export const prisma = remember("prisma", createClient);
