import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { World } from "../../factories";
import { createBackup } from "~/admin/backup-files.server";
import { createPgBackup } from "~/admin/backup-pg.server";
import { databaseUrl, engine } from "~/lib/db.server";

/** A backup with a fixed name, so the cases can ask for it (a SQLite copy, or a PostgreSQL dump). */
export const BACKUP_NAME = `cunshe-20260101T000000000Z.${engine() === "postgres" ? "dump" : "db"}`;

/**
 * Backups made by the access cases go to a folder of this run, never to the
 * project's ./backups (whose newest ten would otherwise be rotated).
 */
export async function extend(_w: World): Promise<Record<string, number>> {
  // inside this test run's folder, which the global teardown removes
  const dir = fs.mkdtempSync(path.join(process.env.CUNSHE_TEST_DIR ?? os.tmpdir(), "access-backups-"));
  process.env.BACKUP_DIR = dir;
  const b = engine() === "postgres" ? await createPgBackup(databaseUrl(), dir, 10) : await createBackup(process.env.DATABASE_URL!.replace(/^file:/, ""), dir, 10);
  fs.renameSync(b.file, path.join(dir, BACKUP_NAME));
  return {};
}
