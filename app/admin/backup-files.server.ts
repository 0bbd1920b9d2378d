/**
 * Consistent copies of the SQLite database while the app runs, with SQLite's
 * online backup (never a file copy, which can catch a half-written page),
 * keeping the newest N; and restoring one after checking that it opens, is
 * intact, and carries exactly the migrations of this version of the app.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Where backups go: BACKUP_DIR, or a `backups` folder beside the database
 * (never the working directory, which may be shared or served). Backups hold
 * ID numbers, bank accounts, password hashes and sessions, so the folder is
 * the owner's alone (0700) and so is each file (0600).
 */
export function backupDirectory(databaseFile: string, configured = process.env.BACKUP_DIR): string {
  return configured ? path.resolve(configured) : path.join(path.dirname(path.resolve(databaseFile)), "backups");
}

export const BACKUP_DIR_MODE = 0o700;
export const BACKUP_FILE_MODE = 0o600;

export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: BACKUP_DIR_MODE });
  // mkdir's mode is cut by the umask, and an existing folder keeps its own: set it outright.
  fs.chmodSync(dir, BACKUP_DIR_MODE);
}

/** An empty file that only the owner can read, for SQLite to write the copy into. */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, "wx", BACKUP_FILE_MODE));
  fs.chmodSync(file, BACKUP_FILE_MODE);
}

export interface BackupInfo {
  file: string;
  bytes: number;
  createdAt: string;
}

/** Backup files: `.db` copies of a SQLite database, `.dump` archives of a PostgreSQL one (backup-pg.server.ts). */
export const BACKUP_NAME = /^cunshe-(\d{8}T\d{6}(?:\d{3})?Z)\.(db|dump)$/;

/** The name of a new backup file, by the time it is taken. */
export const backupFileName = (extension: "db" | "dump") => `cunshe-${new Date().toISOString().replace(/[-:]/g, "").replace(".", "")}.${extension}`;

/** The backups in `dir`, newest first: SQLite's (`.db`) unless another extension is asked for. */
export function listBackups(dir: string, extension: "db" | "dump" = "db"): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => BACKUP_NAME.test(f) && f.endsWith(`.${extension}`))
    .sort()
    .reverse()
    .map((f) => {
      const stat = fs.statSync(path.join(dir, f));
      return { file: path.join(dir, f), bytes: stat.size, createdAt: stat.mtime.toISOString() };
    });
}

export async function createBackup(source: string, dir: string, keep = 10): Promise<BackupInfo> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error("keep must be a positive whole number");
  privateDir(dir);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(".", "");
  const target = path.join(dir, `cunshe-${stamp}.db`);
  privateFile(target);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // SQLite's online backup starts over whenever another connection writes,
    // so under steady writes a page-by-page copy may never finish. Copy in
    // steps while nothing writes; once a restart is seen, copy the rest in one
    // step (the writers wait for that step: about a second at district size).
    let last = Infinity;
    let restarted = false;
    await db.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > last) restarted = true;
        last = remainingPages;
        return restarted ? totalPages : 100;
      },
    });
  } finally {
    db.close();
  }
  // A backup is a single file: no -wal/-shm beside it when it is opened later.
  const copy = new Database(target);
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
  fs.chmodSync(target, BACKUP_FILE_MODE);
  for (const old of listBackups(dir).slice(keep)) fs.rmSync(old.file, { force: true });
  return listBackups(dir).find((b) => b.file === target)!;
}

/** The migration names the app expects, from prisma/migrations. */
export function expectedMigrations(migrationsDir = path.resolve("prisma/migrations")): string[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((n) => fs.statSync(path.join(migrationsDir, n)).isDirectory())
    .sort();
}

export type CheckResult = { ok: true; households: number } | { ok: false; reason: string };

/** Whether a backup can be restored into this version of the app. */
export function checkBackup(file: string, expected = expectedMigrations()): CheckResult {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    return { ok: false, reason: `cannot open: ${(e as Error).message}` };
  }
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return { ok: false, reason: `integrity check failed: ${String(integrity)}` };
    const applied = (db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name").all() as { migration_name: string }[]).map((r) => r.migration_name);
    if (applied.join("\n") !== expected.join("\n")) {
      return { ok: false, reason: `migrations differ: backup has [${applied.join(", ")}], this app has [${expected.join(", ")}]` };
    }
    const households = (db.prepare("SELECT COUNT(*) AS n FROM Household").get() as { n: number }).n;
    return { ok: true, households };
  } catch (e) {
    return { ok: false, reason: `not a Cunshe Ledger database: ${(e as Error).message}` };
  } finally {
    db.close();
  }
}

/**
 * Restores a checked backup over the live database with the online backup
 * API (so other connections see either the old or the new database, never a
 * mix). The current database is backed up first, so a restore can be undone.
 */
export async function restoreBackup(file: string, target: string, dir: string): Promise<{ safetyCopy: BackupInfo | null }> {
  const check = checkBackup(file);
  if (!check.ok) throw new Error(`refusing to restore ${path.basename(file)}: ${check.reason}`);
  const safetyCopy = fs.existsSync(target) ? await createBackup(target, dir, Number.MAX_SAFE_INTEGER) : null;
  const from = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await from.backup(target);
  } finally {
    from.close();
  }
  return { safetyCopy };
}
