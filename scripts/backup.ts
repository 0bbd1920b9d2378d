/**
 * npm run backup -- [create [--keep N] | list | check FILE | restore FILE]
 *
 * Backups go to BACKUP_DIR (default: a `backups` folder beside the
 * database, owner-only; on PostgreSQL in DATA_DIR). SQLite's are copies made
 * with its online backup (`.db`); PostgreSQL's are `pg_dump` archives
 * (`.dump`). Restoring checks the file first and keeps a copy of the current
 * database; stop the app while restoring so that nobody writes to the old one
 * meanwhile.
 */
import path from "node:path";
import { backupDirectory, checkBackup, createBackup, expectedMigrations, listBackups, restoreBackup, type BackupInfo, type CheckResult } from "../app/admin/backup-files.server.ts";
import { checkPgBackup, createPgBackup, restorePgBackup, shownUrl } from "../app/admin/backup-pg.server.ts";
import { databaseFile, databaseUrl, dataDirectory, engine } from "../app/lib/database-url.server.ts";

const pg = engine() === "postgres";
const url = databaseUrl();
const db = pg ? shownUrl(url) : path.resolve(databaseFile());
const dir = pg ? (process.env.BACKUP_DIR ? path.resolve(process.env.BACKUP_DIR) : path.join(dataDirectory(), "backups")) : backupDirectory(db);
const migrations = () => expectedMigrations(path.resolve(pg ? "prisma/postgres/migrations" : "prisma/migrations"));
const [command = "create", ...args] = process.argv.slice(2);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

switch (command) {
  case "create": {
    const k = args.indexOf("--keep");
    const keep = k >= 0 ? Number(args[k + 1]) : 10;
    const b: BackupInfo = pg ? await createPgBackup(url, dir, keep) : await createBackup(db, dir, keep);
    console.log(`backup written: ${b.file} (${mb(b.bytes)}); keeping the newest ${keep}`);
    break;
  }
  case "list":
    for (const b of listBackups(dir, pg ? "dump" : "db")) console.log(`${b.createdAt}  ${mb(b.bytes).padStart(9)}  ${b.file}`);
    break;
  case "check": {
    const file = path.resolve(args[0] ?? "");
    const r: CheckResult = pg ? await checkPgBackup(file, migrations()) : checkBackup(file, migrations());
    console.log(r.ok ? `ok: ${r.households} households, migrations match` : `not restorable: ${r.reason}`);
    process.exitCode = r.ok ? 0 : 1;
    break;
  }
  case "restore": {
    const file = path.resolve(args[0] ?? "");
    const { safetyCopy } = pg ? await restorePgBackup(file, url, dir, migrations()) : await restoreBackup(file, db, dir);
    console.log(`restored ${args[0]} into ${db}${safetyCopy ? `; the previous database is kept as ${safetyCopy.file}` : ""}`);
    break;
  }
  default:
    console.error("usage: npm run backup -- [create [--keep N] | list | check FILE | restore FILE]");
    process.exitCode = 2;
}
