/**
 * npm run backup -- [create [--keep N] | list | check FILE | restore FILE]
 *
 * Backups go to BACKUP_DIR (default: a `backups` folder beside the
 * database, owner-only). Restoring checks the file first and keeps a copy
 * of the current database; stop the app while restoring so that nobody
 * writes to the old one meanwhile.
 */
import path from "node:path";
import { backupDirectory, checkBackup, createBackup, listBackups, restoreBackup } from "../app/admin/backup-files.server.ts";

const db = path.resolve((process.env.DATABASE_URL ?? "file:./prisma/data.db").replace(/^file:/, ""));
const dir = backupDirectory(db);
const [command = "create", ...args] = process.argv.slice(2);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

switch (command) {
  case "create": {
    const k = args.indexOf("--keep");
    const keep = k >= 0 ? Number(args[k + 1]) : 10;
    const b = await createBackup(db, dir, keep);
    console.log(`backup written: ${b.file} (${mb(b.bytes)}); keeping the newest ${keep}`);
    break;
  }
  case "list":
    for (const b of listBackups(dir)) console.log(`${b.createdAt}  ${mb(b.bytes).padStart(9)}  ${b.file}`);
    break;
  case "check": {
    const r = checkBackup(path.resolve(args[0] ?? ""));
    console.log(r.ok ? `ok: ${r.households} households, migrations match` : `not restorable: ${r.reason}`);
    process.exitCode = r.ok ? 0 : 1;
    break;
  }
  case "restore": {
    const { safetyCopy } = await restoreBackup(path.resolve(args[0] ?? ""), db, dir);
    console.log(`restored ${args[0]} into ${db}${safetyCopy ? `; the previous database is kept as ${safetyCopy.file}` : ""}`);
    break;
  }
  default:
    console.error("usage: npm run backup -- [create [--keep N] | list | check FILE | restore FILE]");
    process.exitCode = 2;
}
