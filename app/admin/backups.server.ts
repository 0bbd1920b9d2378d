/**
 * The administrator's backup page, over the same functions as
 * `npm run backup` (app/admin/backup-files.server.ts for SQLite,
 * backup-pg.server.ts for PostgreSQL), with the same settings: the live
 * database is DATABASE_URL, backups go to BACKUP_DIR (a `backups` folder
 * beside the database, or in DATA_DIR on PostgreSQL), the newest ten are
 * kept. The page shows the same on both engines. Restoring is left to the
 * script, with the app stopped: it replaces the database under every open
 * connection and session.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { recordAudit } from "~/auth/audit.server";
import type { CurrentUser } from "~/auth/session.server";
import { databaseFile, databaseUrl, dataDirectory, engine } from "~/lib/db.server";
import { BACKUP_NAME, backupDirectory, checkBackup, createBackup, expectedMigrations, listBackups, type CheckResult } from "./backup-files.server";
import { checkPgBackup, createPgBackup, shownUrl } from "./backup-pg.server";

export const KEEP_BACKUPS = 10;

/** This engine's backup files: SQLite copies (.db) or PostgreSQL dumps (.dump). */
const extension = () => (engine() === "postgres" ? "dump" : "db");

export function backupDir(): string {
  if (engine() === "postgres") return process.env.BACKUP_DIR ? path.resolve(process.env.BACKUP_DIR) : path.join(dataDirectory(), "backups");
  return backupDirectory(databaseFile());
}

/** The live database as the page shows it: the SQLite file, or PostgreSQL's URL without its password. */
function liveDatabase(): string {
  return engine() === "postgres" ? shownUrl(databaseUrl()) : path.resolve(databaseFile());
}

/** The migrations a restorable backup carries: this version's, of its engine. */
export function appMigrations(): string[] {
  return expectedMigrations(path.resolve(engine() === "postgres" ? "prisma/postgres/migrations" : "prisma/migrations"));
}

/** A path as the administrator types it in the app's folder: relative when inside it. */
function shown(file: string): string {
  if (/^postgres(ql)?:\/\//.test(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * The exact command that restores a backup into this app's database: the
 * settings the app runs with are repeated in front, so that the script
 * restores into the same file and keeps its safety copy in the same folder.
 */
export function restoreCommand(file: string): string {
  const env: string[] = [];
  // (never a password on the page: the command takes it from PGPASSWORD or ~/.pgpass)
  if (process.env.DATABASE_URL) env.push(`DATABASE_URL=${quote(engine() === "postgres" ? shownUrl(process.env.DATABASE_URL) : process.env.DATABASE_URL)}`);
  if (process.env.BACKUP_DIR) env.push(`BACKUP_DIR=${quote(process.env.BACKUP_DIR)}`);
  return [...env, "npm run backup -- restore", quote(shown(file))].join(" ");
}

/** A word for the shell, quoted only when it needs to be. */
function quote(word: string): string {
  return /^[\w./:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface BackupRow {
  name: string;
  bytes: number;
  createdAt: string;
  restoreCommand: string;
}

export function backupPage() {
  const rows: BackupRow[] = listBackups(backupDir(), extension()).map((b) => ({
    name: path.basename(b.file),
    bytes: b.bytes,
    createdAt: b.createdAt,
    restoreCommand: restoreCommand(b.file),
  }));
  return { rows, dir: shown(backupDir()), database: shown(liveDatabase()), keep: KEEP_BACKUPS, startCommand: "npm start", engine: engine() };
}

/** The file of a listed backup, or null: only names the backup script writes, only in the backup folder. */
export function backupFile(name: string): string | null {
  if (!BACKUP_NAME.test(name) || !name.endsWith(`.${extension()}`)) return null;
  const file = path.join(backupDir(), name);
  return fs.existsSync(file) ? file : null;
}

/**
 * Checking opens the copy read-only; as the copy is in WAL mode, SQLite
 * leaves empty -wal/-shm files beside it. They hold nothing (the WAL is
 * empty), so they are removed to keep the folder to one file per backup.
 */
function tidy(file: string): void {
  try {
    if (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size === 0) {
      fs.rmSync(`${file}-wal`, { force: true });
      fs.rmSync(`${file}-shm`, { force: true });
    }
  } catch {
    // leaving them is harmless
  }
}

/** An online backup of the live database (SQLite's backup API, or pg_dump), recorded in the audit trail. */
export async function createBackupNow(user: CurrentUser) {
  const b = engine() === "postgres" ? await createPgBackup(databaseUrl(), backupDir(), KEEP_BACKUPS) : await createBackup(liveDatabase(), backupDir(), KEEP_BACKUPS);
  const name = path.basename(b.file);
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "backup", entity: "Backup", entityId: name, after: { file: name, bytes: b.bytes } });
  return { name, bytes: b.bytes };
}

/** Opens the copy (or reads the dump through), checks its integrity and compares its migrations with this version of the app. */
export async function checkBackupFile(file: string): Promise<CheckResult> {
  if (engine() === "postgres") return checkPgBackup(file, appMigrations());
  const result = checkBackup(file, appMigrations());
  tidy(file);
  return result;
}

/** A backup as a download (the whole database, personal data included), recorded in the audit trail. */
export async function downloadBackup(user: CurrentUser, file: string) {
  const name = path.basename(file);
  const bytes = fs.statSync(file).size;
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "export", entity: "Export", entityId: `backup:${name}`, after: { list: "backup", file: name, bytes } });
  const body = Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  return {
    body,
    headers: {
      "Content-Type": name.endsWith(".dump") ? "application/octet-stream" : "application/vnd.sqlite3",
      "Content-Length": String(bytes),
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  };
}
