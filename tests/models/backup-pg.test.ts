/**
 * Backups on PostgreSQL (ADR 013, ADR 019): pg_dump's custom format into the
 * owner-only backup folder, checked with pg_restore, restored in one
 * transaction after a dump of the current state is kept. SQLite's backups
 * have their own tests (backup.test.ts, backup-live.test.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPgBackup, createPgBackup, restorePgBackup } from "~/admin/backup-pg.server";
import { listBackups } from "~/admin/backup-files.server";
import { appMigrations, backupDir, backupFile, backupPage, checkBackupFile, createBackupNow, downloadBackup } from "~/admin/backups.server";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { databaseUrl, engine, prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";

let w: World;
let admin: CurrentUser;

beforeAll(async () => {
  if (engine() !== "postgres") return;
  w = await buildWorld();
  admin = (await getUser(request("/", { cookie: w.users.admin.cookie })))!;
});

describe.skipIf(engine() !== "postgres")("backups of a PostgreSQL database", () => {
  let taken: string;

  it("the page makes a dump into the owner-only folder, lists it with its restore command, and checks it", async () => {
    const made = await createBackupNow(admin);
    expect(made.name).toMatch(/^cunshe-\d{8}T\d{6}\d{3}Z\.dump$/);
    taken = backupFile(made.name)!;
    expect(taken).toBe(path.join(backupDir(), made.name));
    expect(fs.statSync(backupDir()).mode & 0o777).toBe(0o700);
    expect(fs.statSync(taken).mode & 0o777).toBe(0o600);
    // a custom-format archive
    expect(fs.readFileSync(taken).subarray(0, 5).toString()).toBe("PGDMP");
    const page = backupPage();
    expect(page.engine).toBe("postgres");
    expect(page.rows.map((r) => r.name)).toEqual([made.name]);
    expect(page.rows[0]!.restoreCommand).toContain(`npm run backup -- restore`);
    expect(page.rows[0]!.restoreCommand).toContain(made.name);
    expect(page.database).toMatch(/^postgresql:\/\//);
    // only this engine's files, only the backup script's names
    expect(backupFile("cunshe-20260101T000000000Z.db")).toBeNull();
    expect(backupFile("../x.dump")).toBeNull();
    expect(await checkBackupFile(taken)).toEqual({ ok: true, households: await prisma.household.count() });
    expect(await prisma.auditEvent.count({ where: { action: "backup", entity: "Backup", entityId: made.name } })).toBe(1);
    const download = await downloadBackup(admin, taken);
    expect(download.headers["Content-Length"]).toBe(String(fs.statSync(taken).size));
    await new Response(download.body).arrayBuffer();
  });

  it("restoring brings back the data of the backup, after keeping a dump of the state it replaces", async () => {
    const before = await prisma.household.findUniqueOrThrow({ where: { id: w.h1.id } });
    const households = await prisma.household.count();
    // changes after the backup: an edit and a new household
    await prisma.household.update({ where: { id: w.h1.id }, data: { headName: "改后的户主" } });
    await prisma.household.create({ data: { code: "9901", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: "备份后新户" } });
    expect(await prisma.household.count()).toBe(households + 1);

    const { safetyCopy } = await restorePgBackup(taken, databaseUrl(), backupDir(), appMigrations());
    expect((await prisma.household.findUniqueOrThrow({ where: { id: w.h1.id } })).headName).toBe(before.headName);
    expect(await prisma.household.count()).toBe(households);
    expect(await prisma.household.count({ where: { code: "9901" } })).toBe(0);
    // the app writes on as before (sequences restored with the rows)
    const again = await prisma.household.create({ data: { code: "9902", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: "恢复后新户" } });
    expect(again.id).toBeGreaterThan(w.h3.id);
    await prisma.household.delete({ where: { id: again.id } });

    // the state that was replaced is kept, and can be restored in turn
    expect(await checkPgBackup(safetyCopy.file, appMigrations())).toEqual({ ok: true, households: households + 1 });
    expect(listBackups(backupDir(), "dump").map((b) => b.file)).toContain(safetyCopy.file);
  }, 60_000);

  it("a damaged dump, something else, or a dump of another version is refused, and the database is left alone", async () => {
    const dir = backupDir();
    const cut = path.join(dir, "cut.dump");
    const whole = fs.readFileSync(taken);
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(await checkPgBackup(cut, appMigrations())).toMatchObject({ ok: false });
    const junk = path.join(dir, "junk.dump");
    fs.writeFileSync(junk, "SQLite format 3\0 not a dump");
    expect(await checkPgBackup(junk, appMigrations())).toMatchObject({ ok: false, reason: expect.stringMatching(/^cannot open/) });
    expect(await checkPgBackup(taken, [...appMigrations(), "29990101000000_later"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^migrations differ/) });

    await prisma.household.update({ where: { id: w.h1.id }, data: { headName: "恢复被拒" } });
    const dumps = listBackups(dir, "dump").length;
    await expect(restorePgBackup(cut, databaseUrl(), dir, appMigrations())).rejects.toThrow(/refusing to restore cut\.dump/);
    expect((await prisma.household.findUniqueOrThrow({ where: { id: w.h1.id } })).headName).toBe("恢复被拒");
    // refused before any safety dump was taken
    expect(listBackups(dir, "dump").length).toBe(dumps);
  }, 60_000);

  it("keeps the newest N", async () => {
    const dir = path.join(backupDir(), "rotation");
    for (let i = 0; i < 3; i++) {
      await createPgBackup(databaseUrl(), dir, 2);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(listBackups(dir, "dump").length).toBe(2);
  }, 60_000);
});
