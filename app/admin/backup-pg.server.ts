/**
 * Backups of a PostgreSQL database (ADR 013, ADR 019), the counterpart of
 * backup-files.server.ts for SQLite, with the same promises:
 *
 * - `createPgBackup`: `pg_dump` in its custom format (`-Fc`, compressed, one
 *   consistent snapshot taken while the app runs — pg_dump reads in one
 *   repeatable-read transaction and blocks no writer) into the owner-only
 *   backup folder, keeping the newest N.
 * - `checkPgBackup`: the archive's table of contents (`pg_restore --list`),
 *   every block of it read through (a truncated or damaged archive fails),
 *   its migrations compared with this version of the app, its households
 *   counted.
 * - `restorePgBackup`: after the check, a dump of the current database is
 *   kept, then `pg_restore --clean --if-exists` replaces the database's
 *   objects in ONE transaction: a restore that fails half-way leaves the
 *   database as it was. As on SQLite it is done with the app stopped.
 *
 * The tools come from PG_BIN (Debian's /usr/lib/postgresql/15/bin by default,
 * or the PATH). The password of the URL goes to them in the environment,
 * never on a command line that `ps` shows.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { BACKUP_FILE_MODE, backupFileName, listBackups, privateDir, privateFile, type BackupInfo, type CheckResult } from "./backup-files.server";

/** A PostgreSQL client tool: from PG_BIN, Debian's PostgreSQL 15, or the PATH. */
export function pgTool(name: "pg_dump" | "pg_restore"): string {
  for (const dir of [process.env.PG_BIN, "/usr/lib/postgresql/15/bin"]) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return name;
}

/** What libpq understands of a connection URL's query (Prisma's `schema`, `connection_limit` … are not for the tools). */
const LIBPQ_PARAMS = new Set([
  "host",
  "hostaddr",
  "port",
  "dbname",
  "user",
  "passfile",
  "connect_timeout",
  "client_encoding",
  "options",
  "application_name",
  "keepalives",
  "keepalives_idle",
  "keepalives_interval",
  "keepalives_count",
  "tcp_user_timeout",
  "sslmode",
  "sslcert",
  "sslkey",
  "sslrootcert",
  "sslcrl",
  "sslcrldir",
  "sslsni",
  "requirepeer",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "gssencmode",
  "krbsrvname",
  "service",
  "target_session_attrs",
  "channel_binding",
]);

/** The URL for the tools (no password, only libpq's settings) and the environment that carries the password. */
export function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = "";
  for (const key of [...u.searchParams.keys()]) if (!LIBPQ_PARAMS.has(key)) u.searchParams.delete(key);
  return { dbname: u.toString(), env };
}

/** The URL as it may be shown: without its password. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "";
  return u.toString();
}

/** Runs a tool to its end; rejects with what it said on stderr when it fails. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, onStdout?: (out: NodeJS.ReadableStream) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", onStdout ? "pipe" : "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => void (err = (err + d.toString()).slice(-4000)));
    const reading = onStdout ? onStdout(child.stdout!) : Promise.resolve();
    child.once("error", reject);
    child.once("close", (code) => {
      reading.then(
        () => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${code}): ${err.trim()}`))),
        reject,
      );
    });
  });
}

export async function createPgBackup(url: string, dir: string, keep = 10): Promise<BackupInfo> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error("keep must be a positive whole number");
  privateDir(dir);
  const target = path.join(dir, backupFileName("dump"));
  // owner-only before pg_dump writes a byte into it
  privateFile(target);
  const { dbname, env } = toolConnection(url);
  try {
    await run(pgTool("pg_dump"), ["--format=custom", `--file=${target}`, `--dbname=${dbname}`], env);
  } catch (e) {
    fs.rmSync(target, { force: true });
    throw e;
  }
  fs.chmodSync(target, BACKUP_FILE_MODE);
  for (const old of listBackups(dir, "dump").slice(keep)) fs.rmSync(old.file, { force: true });
  return listBackups(dir, "dump").find((b) => b.file === target)!;
}

/** The rows of one table's COPY block in an archive, each as its columns' text (null for \N), as they stream by. */
async function eachRow(file: string, table: string, onRow: (row: Record<string, string | null>) => void): Promise<void> {
  await run(pgTool("pg_restore"), ["--data-only", `--table=${table}`, "--file=-", file], process.env, async (out) => {
    let columns: string[] | null = null;
    for await (const line of readline.createInterface({ input: out, crlfDelay: Infinity })) {
      if (columns === null) {
        const m = /^COPY \S+ \((.*)\) FROM stdin;$/.exec(line);
        if (m) columns = m[1]!.split(", ").map((c) => c.replace(/^"(.*)"$/, "$1"));
      } else if (line === "\\.") columns = [];
      else if (columns.length > 0) {
        const values = line.split("\t");
        onRow(Object.fromEntries(columns.map((c, i) => [c, values[i] === "\\N" ? null : (values[i] ?? null)])));
      }
    }
  });
}

/** Whether a dump can be restored into this version of the app (its migrations: prisma/postgres/migrations). */
export async function checkPgBackup(file: string, expected: string[]): Promise<CheckResult> {
  if (!fs.existsSync(file)) return { ok: false, reason: "cannot open: no such file" };
  try {
    await run(pgTool("pg_restore"), ["--list", file]);
  } catch (e) {
    return { ok: false, reason: `cannot open: ${(e as Error).message}` };
  }
  try {
    // every block read and inflated: a cut-off or damaged archive fails here
    await run(pgTool("pg_restore"), ["--file=/dev/null", file]);
  } catch (e) {
    return { ok: false, reason: `integrity check failed: ${(e as Error).message}` };
  }
  try {
    const applied: string[] = [];
    await eachRow(file, "_prisma_migrations", (r) => void (r.finished_at !== null && r.migration_name && applied.push(r.migration_name)));
    applied.sort();
    if (applied.join("\n") !== expected.join("\n")) {
      return { ok: false, reason: `migrations differ: backup has [${applied.join(", ")}], this app has [${expected.join(", ")}]` };
    }
    let households = 0;
    await eachRow(file, "Household", () => void households++);
    return { ok: true, households };
  } catch (e) {
    return { ok: false, reason: `not a Cunshe Ledger database: ${(e as Error).message}` };
  }
}

/**
 * Restores a checked dump over the database of `url`, in one transaction,
 * after keeping a dump of the current database in `dir` (so a restore can be
 * undone). Done with the app stopped: it replaces every table under whoever
 * is connected.
 */
export async function restorePgBackup(file: string, url: string, dir: string, expected: string[]): Promise<{ safetyCopy: BackupInfo }> {
  const check = await checkPgBackup(file, expected);
  if (!check.ok) throw new Error(`refusing to restore ${path.basename(file)}: ${check.reason}`);
  const safetyCopy = await createPgBackup(url, dir, Number.MAX_SAFE_INTEGER);
  const { dbname, env } = toolConnection(url);
  await run(pgTool("pg_restore"), ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", `--dbname=${dbname}`, file], env);
  return { safetyCopy };
}
