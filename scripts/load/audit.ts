/**
 * A bounded load generator for the township income audit (issue 12, item 4),
 * on loopback only: it copies the district data set, serves the production
 * build on it (`tsx scripts/server.ts`, JOB_RUNNER=off) at 127.0.0.1 on a
 * free port, signs in as a township official of the largest township (a user
 * made for the run in the copy), and fetches the township audit — the page
 * `/income` and its data route `/income.data`, in turn — from `concurrency`
 * clients at once until `requests` answers or `seconds` have passed. Then it
 * stops the server and deletes the copy.
 *
 *   tsx scripts/load/audit.ts [--db tests/bench/district.db] [--requests 400] [--seconds 60] [--concurrency 20] [--year YYYY] [--writes 0,10]
 *
 * With `--writes 0,10` it measures twice: first with nothing written, then
 * while 10 income entries a second are written to random households of the
 * township (through a connection of its own, as another process would):
 * each write moves the figures' clock, so audits are then computed again
 * from the figures rather than served from the township audit's memo.
 *
 * Prints requests/s, p50, p95 and failures; the bench's income section runs
 * it as `audit_township_c20_*`. The build must exist (`npx remix build`); it
 * is rebuilt first when older than app/.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { hashPassword } from "../../app/auth/password.server.ts";
import { currentYear } from "../../app/lib/dates.ts";
import { applyMigrations } from "../lib/migrate.ts";
import { freePort } from "./loopback.ts";

export interface AuditLoadOptions {
  /** the data set to copy (it is never written) */
  db: string;
  requests?: number;
  /** the run stops after this long even when fewer requests were answered */
  seconds?: number;
  concurrency?: number;
  year?: number;
  /** one measurement for each: income entries written per second while the audit is fetched (default [0]) */
  writesPerSecond?: number[];
  log?: (s: string) => void;
}

export interface AuditLoadResult {
  townshipId: number;
  households: number;
  writesPerSecond: number;
  requests: number;
  failed: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  writes: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** A township official of the largest township, added to the copy. */
async function addOfficial(file: string): Promise<{ username: string; password: string; townshipId: number; households: number }> {
  const db = new Database(file);
  try {
    const t = db.prepare(`SELECT "townshipId" AS id, COUNT(*) AS n FROM "Household" GROUP BY 1 ORDER BY 2 DESC LIMIT 1`).get() as { id: number; n: number } | undefined;
    if (!t) throw new Error(`${file} has no households: build the district data set first (npm run bench income)`);
    const username = `load-audit-${randomBytes(3).toString("hex")}`;
    const password = randomBytes(12).toString("base64url");
    const stamp = new Date().toISOString();
    db.prepare(`INSERT INTO "User" ("username", "displayName", "passwordHash", "role", "townshipId", "createdAt", "updatedAt") VALUES (?, ?, ?, 'TOWNSHIP', ?, ?, ?)`).run(
      username,
      "负载测试 乡镇干部",
      await hashPassword(password),
      t.id,
      stamp,
      stamp,
    );
    return { username, password, townshipId: t.id, households: t.n };
  } finally {
    db.close();
  }
}

async function startServer(file: string, log: (s: string) => void): Promise<{ base: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${file}`,
    NODE_ENV: "production",
    INSECURE_COOKIES: "1",
    JOB_RUNNER: "off",
    SESSION_SECRET: randomBytes(24).toString("hex"),
  };
  // builds when the build is missing or older than the sources, as `npm start` does; the copy is migrated already
  const setup = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/setup.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  if (setup.status !== 0) throw new Error("scripts/setup.ts failed: the app could not be built");
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/server.ts"], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    // the server's slow-query warnings are expected while it is loaded
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server stopped at start (exit ${child.exitCode})`);
    try {
      if ((await fetch(`${base}/login`)).ok) {
        log(`serving ${path.basename(file)} at ${base}`);
        return { base, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error("the server did not start within 60 s");
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ username, password, redirectTo: "/income" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`sign-in failed: HTTP ${res.status}`);
  return cookie;
}

/** Writes `perSecond` transfer entries a second to random households of the township until stopped; returns how many. */
function startWriter(file: string, townshipId: number, year: number, perSecond: number): { stop: () => number } {
  if (perSecond <= 0) return { stop: () => 0 };
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  const households = (db.prepare(`SELECT "id", "villageId" FROM "Household" WHERE "townshipId" = ?`).all(townshipId) as { id: number; villageId: number }[]);
  const insert = db.prepare(
    `INSERT INTO "IncomeEntry" ("householdId", "townshipId", "villageId", "year", "category", "kind", "amountFen", "source", "receivedOn", "recordedById", "createdAt")
     VALUES (?, ?, ?, ?, 'TRANSFER', 'PENSION', ?, '负载测试', ?, 1, ?)`,
  );
  let writes = 0;
  let seed = 12345;
  const timer = setInterval(() => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const h = households[seed % households.length]!;
    insert.run(h.id, townshipId, h.villageId, year, 10000 + (seed % 90000), `${year}-06-30`, new Date().toISOString());
    writes++;
  }, 1000 / perSecond);
  return {
    stop: () => {
      clearInterval(timer);
      db.close();
      return writes;
    },
  };
}

/**
 * Copies the data set, serves it and measures once for each entry of
 * `writesPerSecond` (default [0]), in that order, on the same server; the
 * server and the copy are gone when it returns or throws.
 */
export async function loadAudit(opts: AuditLoadOptions): Promise<AuditLoadResult[]> {
  const log = opts.log ?? (() => {});
  const total = opts.requests ?? 400;
  const seconds = opts.seconds ?? 60;
  const concurrency = opts.concurrency ?? 20;
  const year = opts.year ?? currentYear() - 1;
  if (!fs.existsSync(opts.db)) throw new Error(`${opts.db} is missing: build the district data set first (npm run bench income)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-load-audit-"));
  const file = path.join(dir, "district.db");
  let child: ChildProcess | null = null;
  try {
    // SQLite's online backup: a consistent copy even if the source has a WAL or is in use
    const src = new Database(opts.db, { readonly: true });
    await src.backup(file);
    src.close();
    applyMigrations(file);
    const official = await addOfficial(file);
    log(`township ${official.townshipId}: ${official.households} households; audit of ${year}`);
    const server = await startServer(file, log);
    child = server.child;
    const cookie = await signIn(server.base, official.username, official.password);
    const urls = [`${server.base}/income?year=${year}`, `${server.base}/income.data?year=${year}`];
    const get = async (url: string): Promise<boolean> => {
      try {
        const res = await fetch(url, { headers: { Cookie: cookie } });
        await res.arrayBuffer();
        return res.status === 200;
      } catch {
        return false;
      }
    };
    // warm-up, not measured: the first reads compute what is missing, then the server's code is compiled (JIT) under load
    for (let i = 0; i < 2; i++) if (!(await get(urls[i]!))) throw new Error(`warm-up request ${urls[i]} failed`);
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        for (let i = 0; i < 10; i++) await get(urls[(c + i) % 2]!);
      }),
    );

    const results: AuditLoadResult[] = [];
    for (const perSecond of opts.writesPerSecond ?? [0]) {
      const times: number[] = [];
      let failed = 0;
      let next = 0;
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      const writer = startWriter(file, official.townshipId, year, perSecond);
      const client = async () => {
        while (next < total && performance.now() < deadline) {
          const url = urls[next++ % 2]!;
          const s = performance.now();
          const ok = await get(url);
          times.push(performance.now() - s);
          if (!ok) failed++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, client));
      const elapsed = (performance.now() - t0) / 1000;
      const writes = writer.stop();
      times.sort((a, b) => a - b);
      results.push({
        townshipId: official.townshipId,
        households: official.households,
        writesPerSecond: perSecond,
        requests: times.length,
        failed,
        seconds: elapsed,
        rps: times.length / elapsed,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        maxMs: times[times.length - 1] ?? 0,
        writes,
      });
    }
    return results;
  } finally {
    if (child) await stopServer(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per run, for people. */
export function describe(r: AuditLoadResult): string {
  const writes = r.writes ? `, ${r.writes} writes meanwhile` : "";
  return `${r.requests} requests (${r.failed} failed${writes}) in ${r.seconds.toFixed(1)} s: ${r.rps.toFixed(1)} requests/s, p50 ${r.p50Ms.toFixed(0)} ms, p95 ${r.p95Ms.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const known = new Set(["--db", "--requests", "--seconds", "--concurrency", "--year", "--writes"]);
  for (let i = 0; i < args.length; i += 2) {
    if (!known.has(args[i]!) || args[i + 1] === undefined) {
      console.error("usage: tsx scripts/load/audit.ts [--db FILE] [--requests N] [--seconds S] [--concurrency C] [--year YYYY] [--writes N[,N…]]");
      process.exit(2);
    }
  }
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string) => (opt(name) === undefined ? undefined : Number(opt(name)));
  const results = await loadAudit({
    db: path.resolve(opt("--db") ?? path.join(ROOT, "tests/bench/district.db")),
    requests: num("--requests"),
    seconds: num("--seconds"),
    concurrency: num("--concurrency"),
    year: num("--year"),
    writesPerSecond: opt("--writes")?.split(",").map(Number),
    log: (s) => console.log(s),
  });
  for (const r of results) console.log(describe(r));
}
