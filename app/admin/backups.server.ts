/**
 * The administrator's backup page, over the same functions as
 * `npm run backup` (app/admin/backup-files.server.ts), with the same settings: the live
 * database is DATABASE_URL, backups go to BACKUP_DIR (a `backups` folder beside the database), the newest
 * ten are kept. Restoring is left to the script, with the app stopped: it
 * replaces the database under every open connection and session.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { recordAudit } from "~/auth/audit.server";
import type { CurrentUser } from "~/auth/session.server";
import { databaseFile } from "~/lib/db.server";
import { backupDirectory, checkBackup, createBackup, expectedMigrations, listBackups, type CheckResult } from "./backup-files.server";

export const KEEP_BACKUPS = 10;
const NAME = /^cunshe-\d{8}T\d{6}(?:\d{3})?Z\.db$/;

export function backupDir(): string {
  return backupDirectory(databaseFile());
}

function liveDatabase(): string {
  return path.resolve(databaseFile());
}

/** A path as the administrator types it in the app's folder: relative when inside it. */
function shown(file: string): string {
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
  if (process.env.DATABASE_URL) env.push(`DATABASE_URL=${quote(process.env.DATABASE_URL)}`);
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
  const rows: BackupRow[] = listBackups(backupDir()).map((b) => ({
    name: path.basename(b.file),
    bytes: b.bytes,
    createdAt: b.createdAt,
    restoreCommand: restoreCommand(b.file),
  }));
  return { rows, dir: shown(backupDir()), database: shown(liveDatabase()), keep: KEEP_BACKUPS, startCommand: "npm start" };
}

/** The file of a listed backup, or null: only names the backup script writes, only in the backup folder. */
export function backupFile(name: string): string | null {
  if (!NAME.test(name)) return null;
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

/** An online backup of the live database (SQLite's backup API), recorded in the audit trail. */
export async function createBackupNow(user: CurrentUser) {
  const b = await createBackup(liveDatabase(), backupDir(), KEEP_BACKUPS);
  const name = path.basename(b.file);
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "backup", entity: "Backup", entityId: name, after: { file: name, bytes: b.bytes } });
  return { name, bytes: b.bytes };
}

/** Opens the copy, runs SQLite's integrity check and compares its migrations with this version of the app. */
export function checkBackupFile(file: string): CheckResult {
  const result = checkBackup(file, expectedMigrations(path.resolve("prisma/migrations")));
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
      "Content-Type": "application/vnd.sqlite3",
      "Content-Length": String(bytes),
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  };
}
