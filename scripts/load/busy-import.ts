/**
 * Load generator: other users' work while one user imports a 20,000-row
 * roster (issue 12, ADR 016). It starts the built server (scripts/server.ts,
 * which forks the job runner) on a copy of the district database, on a free
 * loopback port, and through the real HTTP endpoints:
 *
 *   - secretary2 uploads a 20,000-row roster of 刘庄村 (the dry run job),
 *     then imports it (the import job), polling the batch page as a browser does;
 *   - meanwhile, at a fixed rate and whatever the answers' speed (open loop),
 *     other users sign in, record rent payments (POST to a contract page's
 *     action) and read pages (household list, contract list, arrears, home);
 *   - it records each of those requests' latency and failures (a network
 *     error or a status other than 2xx/3xx), and stops by itself once the
 *     import is done, or after `maxSeconds`, or after `maxRequests`.
 *
 * Loopback only, bounded in requests and time. The bench section
 * (scripts/bench/busy.ts) runs it; by hand:
 *
 *   tsx scripts/load/busy-import.ts [--db tests/bench/district.db] [--rows 20000] [--rate 5] [--max-seconds 300]
 *   tsx scripts/load/busy-import.ts --probe     (each kind of request a few times, one at a time)
 *   BUSY_TIMELINE=1 tsx scripts/load/busy-import.ts   (prints every request against the import's phases)
 *   --rows 0   (the same traffic for 20 s without an import, for comparison)
 */
import fs from "node:fs";
import path from "node:path";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { DEMO_PASSWORD } from "../lib/demo-data.ts";
import { applyMigrations } from "../lib/migrate.ts";
import { largeRoster } from "./roster.ts";
import { freePort } from "./loopback.ts";

export interface BusyImportOptions {
  /** the district data set; it is copied, never written */
  db: string;
  rows?: number;
  /** other users' requests per second */
  rate?: number;
  maxSeconds?: number;
  maxRequests?: number;
  /** seconds of the same traffic before the upload, so that a server just started is measured warm (default 10) */
  warmupSeconds?: number;
  /** only time each kind of request a few times, one at a time, without the import */
  probe?: boolean;
  log?: (line: string) => void;
}

export interface Sample {
  kind: "signIn" | "payment" | "read";
  path: string;
  at: number;
  ms: number;
  status: number;
}

export interface BusyImportResult {
  /** other users' requests from the upload until the import was done */
  other: { count: number; failed: number; p50Ms: number; p95Ms: number; maxMs: number; byKind: Record<string, { count: number; failed: number; p95Ms: number }>; byPath: Record<string, { count: number; failed: number; p50Ms: number; p95Ms: number }> };
  /** the same while the import job applied (from "import" until IMPORTED) */
  applying: { count: number; failed: number; p95Ms: number };
  uploadMs: number;
  dryRunMs: number;
  applyMs: number;
  batchStatus: string;
  created: number;
  /** the longest the import job held the write lock at a time, as it recorded */
  importLockMs: number;
  failures: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);

/** Builds the app when the build is missing or older than its sources, as `npm start` does. */
export function ensureBuild(log: (s: string) => void = () => undefined): void {
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  const built = "build/index.js";
  const sources = Math.max(newest("app"), fs.statSync("remix.config.js").mtimeMs, fs.statSync("package.json").mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  log("(building the app…)");
  execFileSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "build"], { stdio: "ignore" });
}

/** A client that keeps each user's session cookie and speaks as the app's own pages do (same origin). */
function client(base: string) {
  const origin = new URL(base).origin;
  return async (pathname: string, init: { cookie?: string; form?: Record<string, string> | FormData; method?: string } = {}) => {
    const headers: Record<string, string> = { Origin: origin, "Sec-Fetch-Site": "same-origin" };
    if (init.cookie) headers.Cookie = init.cookie;
    let body: BodyInit | undefined;
    if (init.form instanceof FormData) body = init.form;
    else if (init.form) {
      body = new URLSearchParams(init.form);
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    return fetch(base + pathname, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual", signal: AbortSignal.timeout(60_000) });
  };
}

export async function busyImport(opts: BusyImportOptions): Promise<BusyImportResult> {
  const log = opts.log ?? (() => undefined);
  const rows = opts.rows ?? 20_000;
  const rate = opts.rate ?? 5;
  const maxSeconds = opts.maxSeconds ?? 300;
  const maxRequests = opts.maxRequests ?? rate * maxSeconds;
  ensureBuild(log);

  // A copy of the data set, so that the run changes nothing a later run reads.
  const dir = path.resolve("tests/bench/busy");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, "busy.db");
  {
    const src = new Database(opts.db, { readonly: true });
    await src.backup(copy);
    src.close();
  }
  applyMigrations(copy);

  // What the users will touch: 刘庄村 for the import, 鲁谢庄村's open installments for the payments.
  const raw = new Database(copy, { readonly: true });
  const villageId = (raw.prepare(`SELECT v.id FROM Village v JOIN User u ON u.villageId = v.id WHERE u.username = 'secretary2'`).pluck().get() as number | undefined) ?? 0;
  const payVillage = (raw.prepare(`SELECT villageId FROM User WHERE username = 'secretary'`).pluck().get() as number | undefined) ?? 0;
  const installments = raw
    .prepare(
      `SELECT i.id, i.contractId FROM RentInstallment i JOIN TransferContract c ON c.id = i.contractId
        WHERE i.villageId = ? AND i.cancelledAt IS NULL AND i.amountFen IS NOT NULL AND i.amountFen - i.paidFen >= 50000 AND c.form <> 'EQUITY'
        ORDER BY i.dueDate LIMIT 200`,
    )
    .all(payVillage) as { id: number; contractId: number }[];
  const households = raw.prepare(`SELECT id FROM Household WHERE villageId = ? ORDER BY id LIMIT 50`).pluck().all(payVillage) as number[];
  raw.close();
  if (!villageId || installments.length === 0) throw new Error("the data set has no 刘庄村 secretary or no open installments in 鲁谢庄村");

  log(`(roster: ${rows} rows…)`);
  const roster = await largeRoster(rows, { areaBase: 80, codePrefix: "L" });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog: string[] = [];
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts", "build/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: `file:${copy}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      SESSION_SECRET: "busy-import-load-generator-secret-0123456789",
      JOBS_DIR: path.join(dir, "jobs"),
      IMPORT_REPORTS_DIR: path.join(dir, "import-reports"),
      JOB_RUNNER: "on",
      JOB_RUNNERS: "one",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (b: Buffer) => {
    serverLog.push(...b.toString().split("\n").filter(Boolean));
    if (serverLog.length > 200) serverLog.splice(0, serverLog.length - 200);
  };
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  const stopServer = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGTERM");
    const exited = new Promise((r) => server.once("exit", r));
    await Promise.race([exited, sleep(10_000)]);
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  };

  const http = client(base);
  const samples: Sample[] = [];
  const failures: string[] = [];
  try {
    // the server (and its job runner) is up
    const up = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await http("/login")).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > up) throw new Error(`the server did not start:\n${serverLog.join("\n")}`);
      await sleep(200);
    }
    const signIn = async (username: string) => {
      const res = await http("/login", { form: { username, password: DEMO_PASSWORD, redirectTo: "/home" } });
      const cookie = res.headers.get("set-cookie")?.split(";")[0];
      if (res.status !== 302 || !cookie) throw new Error(`${username} could not sign in: ${res.status}`);
      return cookie;
    };
    const cookies = Object.fromEntries(await Promise.all(["admin", "township", "secretary", "secretary2", "accountant"].map(async (u) => [u, await signIn(u)] as const)));
    const { today } = await import("../../app/lib/dates.ts");

    if (opts.probe) {
      for (const [page, who] of [["/login", ""], ["/households", "township"], ["/contracts", "secretary"], ["/home", "accountant"], ["/dividends", "accountant"], [`/households/${households[0] ?? 1}`, "secretary"], ["/households?q=王", "secretary"], ["/contracts/arrears", "secretary"], ["/imports", "admin"], [`/contracts/${installments[0]!.contractId}`, "secretary"]] as const) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          const res = page === "/login" ? await http("/login", { form: { username: "township", password: DEMO_PASSWORD, redirectTo: "/home" } }) : await http(page, { cookie: cookies[who] });
          await res.arrayBuffer();
          times.push(Math.round(performance.now() - t));
        }
        log(`${page}: ${times.join(" ")} ms`);
      }
      return { other: { count: 0, failed: 0, p50Ms: 0, p95Ms: 0, maxMs: 0, byKind: {}, byPath: {} }, applying: { count: 0, failed: 0, p95Ms: 0 }, uploadMs: 0, dryRunMs: 0, applyMs: 0, batchStatus: "", created: 0, importLockMs: 0, failures: [] };
    }

    // ── other users, at a fixed rate ───────────────────────────────────────
    // pages other users read all day (reports such as the arrears, several hundred ms each even on an idle server, are left out)
    const reads: [string, string][] = [
      ["/households", "township"],
      ["/contracts", "secretary"],
      ["/home", "accountant"],
      ["/dividends", "accountant"],
      [`/households/${households[0] ?? 1}`, "secretary"],
      ["/households?q=王", "secretary"],
      [`/contracts/${installments[0]!.contractId}`, "secretary"],
      ["/imports", "admin"],
    ];
    const signers = ["township", "secretary", "accountant", "admin"];
    let n = 0;
    let running = true;
    const inflight = new Set<Promise<void>>();
    const started = Date.now();
    const one = async (k: number) => {
      const t0 = performance.now();
      let kind: Sample["kind"];
      let where = "";
      let status = 0;
      try {
        if (k % 5 === 0) {
          kind = "signIn";
          where = "/login";
          const res = await http("/login", { form: { username: signers[(k / 5) % signers.length]!, password: DEMO_PASSWORD, redirectTo: "/home" } });
          status = res.status;
          await res.arrayBuffer();
        } else if (k % 5 === 1) {
          kind = "payment";
          const inst = installments[Math.floor(k / 5) % installments.length]!;
          where = "/contracts/:id pay";
          const res = await http(`/contracts/${inst.contractId}`, { cookie: cookies.secretary, form: { intent: "pay", installmentId: String(inst.id), paidOn: today(), amount: "1.00", method: "CASH", receiptNo: `LOAD-${k}` } });
          status = res.status;
          await res.arrayBuffer();
        } else {
          kind = "read";
          const [page, who] = reads[(Math.floor(k / 5) * 3 + (k % 5) - 2) % reads.length]!;
          where = page;
          const res = await http(page, { cookie: cookies[who] });
          status = res.status;
          await res.arrayBuffer();
        }
      } catch (e) {
        kind ??= "read";
        failures.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const sample: Sample = { kind: kind!, path: where, at: Date.now(), ms: performance.now() - t0, status };
      if (status < 200 || status >= 400) failures.push(`${sample.kind} #${k}: ${status}`);
      samples.push(sample);
    };
    const generator = (async () => {
      const period = 1000 / rate;
      while (running && n < maxRequests && Date.now() - started < maxSeconds * 1000) {
        const k = n++;
        const p = one(k).finally(() => inflight.delete(p));
        inflight.add(p);
        // open loop: the next request leaves on schedule, whether or not this one has answered
        const next = started + n * period;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();

    // ── the import, as the page does it ────────────────────────────────────
    // The importer's browser reloads the batch page while the job runs; its state is read from the database.
    const watch = new Database(copy, { readonly: true });
    const batchRow = watch.prepare(`SELECT status, createCount AS created, failure, substr(report, 1, 300) AS report FROM ImportBatch WHERE id = ?`);
    const batchData = async (id: number) => {
      const res = await http(`/imports/${id}`, { cookie: cookies.secretary2 });
      await res.arrayBuffer();
      const b = batchRow.get(id) as { status: string; created: number; failure: string; report: string };
      return { status: b.status, created: b.created, text: `${b.failure} ${b.report}` };
    };
    const until = async (id: number, done: (s: string) => boolean) => {
      for (;;) {
        const b = await batchData(id);
        if (done(b.status)) return b;
        if (Date.now() - started > maxSeconds * 1000) throw new Error(`timed out with the batch ${b.status}`);
        await sleep(500);
      }
    };
    if (rows === 0) {
      // the same traffic without any import, for comparison
      const from = Date.now();
      await sleep(Math.min(maxSeconds, 20) * 1000);
      running = false;
      await generator;
      await Promise.all(inflight);
      watch.close();
      const ms = samples.filter((s) => s.at >= from).map((s) => s.ms).sort((a, b) => a - b);
      return { other: { count: ms.length, failed: samples.filter((s) => s.status < 200 || s.status >= 400).length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), maxMs: ms[ms.length - 1] ?? 0, byKind: {}, byPath: {} }, applying: { count: 0, failed: 0, p95Ms: 0 }, uploadMs: 0, dryRunMs: 0, applyMs: 0, batchStatus: "none", created: 0, importLockMs: 0, failures: failures.slice(0, 20) };
    }
    await sleep((opts.warmupSeconds ?? 10) * 1000);
    const form = new FormData();
    form.set("kind", "HOUSEHOLDS");
    form.set("villageId", String(villageId));
    form.set("file", new Blob([new Uint8Array(roster)], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), "刘庄村花名册.xlsx");
    const windowStart = Date.now();
    const t0 = performance.now();
    const uploaded = await http("/resources/imports/upload", { cookie: cookies.secretary2, form });
    const uploadBody = (await uploaded.json()) as { id?: number; errors?: unknown };
    if (!uploadBody.id) throw new Error(`upload refused: ${uploaded.status} ${JSON.stringify(uploadBody)}`);
    const t1 = performance.now();
    const checked = await until(uploadBody.id, (s) => s !== "CHECKING");
    const t2 = performance.now();
    if (checked.status !== "CHECKED") throw new Error(`dry run: ${checked.status} ${checked.text.slice(0, 300)}`);
    const applyStart = Date.now();
    const started2 = await http(`/imports/${uploadBody.id}`, { cookie: cookies.secretary2, form: { intent: "import" } });
    await started2.arrayBuffer();
    const imported = await until(uploadBody.id, (s) => s !== "IMPORTING" && s !== "CHECKED");
    // the rows are in once the batch says IMPORTED; the job goes on to index them for search: the window ends with the job
    const applyJob = watch.prepare(`SELECT status FROM Job WHERE kind = 'IMPORT_APPLY' AND ref = ? ORDER BY id DESC LIMIT 1`).pluck();
    while (["QUEUED", "RUNNING"].includes(applyJob.get(`ImportBatch:${uploadBody.id}`) as string)) await sleep(100);
    const t3 = performance.now();
    const applyEnd = Date.now();
    // a moment more of traffic after it, then stop
    await sleep(1000);
    running = false;
    await generator;
    await Promise.all(inflight);
    const windowEnd = applyEnd;
    const applyResult = watch.prepare(`SELECT result FROM Job WHERE kind = 'IMPORT_APPLY' ORDER BY id DESC LIMIT 1`).pluck().get() as string | undefined;
    const importLockMs = (JSON.parse(applyResult || "{}") as { lockMs?: number }).lockMs ?? -1;
    if (process.env.BUSY_TIMELINE) {
      const marks = { upload: windowStart, checked: windowStart + (t2 - t0), apply: applyStart, imported: applyEnd };
      log(`marks: ${Object.entries(marks).map(([k, v]) => `${k}@${((v - windowStart) / 1000).toFixed(1)}s`).join(" ")}`);
      for (const x of samples.filter((x) => x.at >= windowStart - 2000)) log(`${((x.at - x.ms - windowStart) / 1000).toFixed(2)}s +${Math.round(x.ms)}ms ${x.status} ${x.path}`);
    }
    watch.close();

    const inWindow = samples.filter((s) => s.at >= windowStart && s.at - s.ms <= windowEnd);
    const stats = (xs: Sample[]) => {
      const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
      return { count: xs.length, failed: xs.filter((s) => s.status < 200 || s.status >= 400).length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), maxMs: ms[ms.length - 1] ?? 0 };
    };
    const byKind: BusyImportResult["other"]["byKind"] = {};
    for (const kind of ["signIn", "payment", "read"] as const) {
      const s = stats(inWindow.filter((x) => x.kind === kind));
      byKind[kind] = { count: s.count, failed: s.failed, p95Ms: s.p95Ms };
    }
    const byPath: BusyImportResult["other"]["byPath"] = {};
    for (const where of new Set(inWindow.map((x) => x.path))) {
      const s = stats(inWindow.filter((x) => x.path === where));
      byPath[where] = { count: s.count, failed: s.failed, p50Ms: Math.round(s.p50Ms), p95Ms: Math.round(s.p95Ms) };
    }
    const applying = stats(samples.filter((s) => s.at >= applyStart && s.at - s.ms <= applyEnd));
    return {
      other: { ...stats(inWindow), byKind, byPath },
      applying: { count: applying.count, failed: applying.failed, p95Ms: applying.p95Ms },
      uploadMs: t1 - t0,
      dryRunMs: t2 - t1,
      applyMs: t3 - t2,
      batchStatus: imported.status,
      created: imported.created,
      importLockMs,
      failures: [...failures.slice(0, 20), ...serverLog.filter((l) => /error|busy|timed out/i.test(l)).slice(0, 10)],
    };
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- server log ---\n${serverLog.slice(-40).join("\n")}`);
  } finally {
    await stopServer();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
  };
  const result = await busyImport({
    db: path.resolve(arg("db", "tests/bench/district.db")),
    rows: Number(arg("rows", "20000")),
    rate: Number(arg("rate", "5")),
    maxSeconds: Number(arg("max-seconds", "300")),
    probe: process.argv.includes("--probe"),
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(result, null, 2));
}
