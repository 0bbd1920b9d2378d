import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupDirectory, checkBackup, createBackup, listBackups, restoreBackup } from "~/admin/backup-files.server";
import { prisma } from "~/lib/db.server";
import { buildWorld } from "../factories";

const live = () => process.env.DATABASE_URL!.replace(/^file:/, "");

describe("backups", () => {
  it("copies the live database online, keeps the newest N, and restores a checked copy", async () => {
    await buildWorld();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-backup-"));
    const first = await createBackup(live(), dir, 10);
    expect(checkBackup(first.file)).toEqual({ ok: true, households: 3 });
    // Writes after the backup are not in it.
    await prisma.household.deleteMany({ where: { code: "__none__" } });
    const extra = await prisma.household.findFirstOrThrow();
    await prisma.household.update({ where: { id: extra.id }, data: { address: "备份之后改的地址" } });
    const rotating = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-backup-"));
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await createBackup(live(), rotating, 2);
    }
    expect(listBackups(rotating)).toHaveLength(2);

    const { safetyCopy } = await restoreBackup(first.file, live(), dir);
    expect(safetyCopy).not.toBeNull();
    const restored = new Database(live(), { readonly: true });
    const address = (restored.prepare("SELECT address FROM Household WHERE id = ?").get(extra.id) as { address: string }).address;
    restored.close();
    expect(address).not.toBe("备份之后改的地址");
  });

  it("refuses a file that is not a database, or one with other migrations", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-backup-"));
    const junk = path.join(dir, "junk.db");
    fs.writeFileSync(junk, "not sqlite at all, just text");
    expect(checkBackup(junk).ok).toBe(false);
    const b = await createBackup(live(), dir, 5);
    expect(checkBackup(b.file, ["20261126000000_init"])).toMatchObject({ ok: false, reason: expect.stringContaining("migrations differ") });
    await expect(restoreBackup(junk, path.join(dir, "target.db"), dir)).rejects.toThrow(/refusing to restore/);
  });

  it("keeps backups where only the app's owner can read them, beside the database by default", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-backup-"));
    expect(backupDirectory(path.join(root, "data", "cunshe.db"), undefined)).toBe(path.join(root, "data", "backups"));
    expect(backupDirectory("/srv/cunshe/data.db", "relative/dir")).toBe(path.resolve("relative/dir"));
    // an existing folder that was left open is closed too
    const dir = path.join(root, "backups");
    fs.mkdirSync(dir, { mode: 0o755 });
    const old = process.umask(0o022);
    try {
      const b = await createBackup(live(), dir, 5);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(b.file).mode & 0o777).toBe(0o600);
      const { safetyCopy } = await restoreBackup(b.file, path.join(root, "target.db"), dir);
      expect(safetyCopy).toBeNull();
      const again = await createBackup(path.join(root, "target.db"), dir, 5);
      expect(fs.statSync(again.file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
