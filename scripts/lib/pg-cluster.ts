import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL 15 cluster in a folder of its own, made with
 * Debian's tools (`postgresql-15`), for `npm run test:pg`, the PostgreSQL
 * bench and the generation of PostgreSQL migrations. It listens on a Unix
 * socket in its folder only (no TCP), trusts local connections, and keeps
 * the C collation so that text orders as it does in SQLite (ADR 019).
 * As root, the cluster runs as the `postgres` user, as initdb demands.
 */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface Cluster {
  /** connection URL of the `postgres` database; `urlOf(name)` for others */
  url: string;
  urlOf(database: string): string;
  dir: string;
  stop(): void;
}

export function hasPostgres(): boolean {
  return fs.existsSync(path.join(PG_BIN, "initdb")) && fs.existsSync(path.join(PG_BIN, "pg_ctl"));
}

function asOwner(args: string[]): string[] {
  if (process.getuid?.() !== 0) return args;
  return ["runuser", "-u", "postgres", "--", ...args];
}

function run(args: string[]) {
  const [cmd, ...rest] = asOwner(args);
  const r = spawnSync(cmd!, rest, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function startCluster(options: { dir?: string; keep?: boolean; settings?: Record<string, string> } = {}): Cluster {
  if (!hasPostgres()) throw new Error(`PostgreSQL 15 not found in ${PG_BIN}: apt-get install postgresql-15 (or set DATABASE_URL to a server)`);
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-pg-"));
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  if (!fs.existsSync(path.join(data, "PG_VERSION"))) {
    run([path.join(PG_BIN, "initdb"), "-D", data, "--locale=C.UTF-8", "--encoding=UTF8", "-A", "trust", "-U", "postgres"]);
  }
  // The socket lives in the cluster's own folder, so the port only names it.
  const port = 5432;
  const settings = {
    listen_addresses: "''",
    unix_socket_directories: `'${dir}'`,
    port: String(port),
    fsync: "off", // a throwaway cluster: losing it on a power cut costs nothing
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "200",
    ...options.settings,
  };
  const opts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(" ");
  run([path.join(PG_BIN, "pg_ctl"), "-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "start"]);
  const urlOf = (db: string) => `postgresql://postgres@localhost/${db}?host=${dir}&port=${port}`;
  return {
    url: urlOf("postgres"),
    urlOf,
    dir,
    stop() {
      try {
        run([path.join(PG_BIN, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
