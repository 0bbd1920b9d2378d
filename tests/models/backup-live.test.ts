import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { today } from "~/lib/dates";
import { arrears, recordPayment } from "~/contracts/rent.server";
import { recordDividendPayment } from "~/dividends/runs.server";
import { prisma } from "~/lib/db.server";
import { createHousehold, listHouseholds } from "~/registry/households.server";
import { makeIdNumber } from "~/registry/id-number";
import { listBackups, restoreBackup } from "~/admin/backup-files.server";
import { seedDatabase } from "../../scripts/lib/demo-data";
import { newSessionCookie, request, statusOf } from "../factories";
import * as backupsPage from "../../app/routes/_app.admin.backups";
import * as householdsPage from "../../app/routes/_app.households._index";
import * as backupDownload from "../../app/routes/resources.admin.backups.$name";

/**
 * Acceptance (issue 7): back up while the app serves requests, restore into
 * a fresh directory, and the restored app shows the same households,
 * contracts and payments.
 *
 * Writes go on while the backup runs, so which of them the copy holds
 * depends on timing. The check is still exact: after every write the source
 * is measured in one read transaction, and the restored database must equal
 * one of those measurements, one taken between the writes finished before
 * the backup began and those finished when it ended. Equal to a state the
 * source really had means no write is torn and none is half in.
 */

const live = process.env.DATABASE_URL!.replace(/^file:/, "");
// folders inside this test run's folder, which the global teardown removes
const runDir = process.env.CUNSHE_TEST_DIR ?? os.tmpdir();
const backupDir = fs.mkdtempSync(path.join(runDir, "live-backups-"));
const fresh = fs.mkdtempSync(path.join(runDir, "restored-"));
process.env.BACKUP_DIR = backupDir;

type Stats = Record<string, string>;

/** Counts and sums in one read transaction (fen as exact integers). */
function measure(db: Database.Database): Stats {
  const row = db
    .prepare(
      `SELECT
        (SELECT COUNT(*) FROM Household) AS households,
        (SELECT COUNT(*) FROM Person) AS people,
        (SELECT COUNT(*) FROM TransferContract) AS contracts,
        (SELECT COUNT(*) FROM ContractedPlot) AS contractedPlots,
        (SELECT COUNT(*) FROM RentInstallment) AS installments,
        (SELECT COALESCE(SUM(amountFen), 0) FROM RentInstallment) AS rentDueFen,
        (SELECT COALESCE(SUM(paidFen), 0) FROM RentInstallment) AS installmentsPaidFen,
        (SELECT COUNT(*) FROM RentPayment) AS rentPayments,
        (SELECT COALESCE(SUM(amountFen), 0) FROM RentPayment) AS rentPaidFen,
        (SELECT COUNT(*) FROM DividendPayment) AS dividendPayments,
        (SELECT COALESCE(SUM(amountFen), 0) FROM DividendPayment WHERE status = 'PAID') AS dividendPaidFen,
        (SELECT COALESCE(SUM(paidFen), 0) FROM DividendLine) AS dividendLinesPaidFen,
        (SELECT COUNT(*) FROM AuditEvent) AS auditEvents`,
    )
    .safeIntegers(true)
    .get() as Record<string, bigint>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]));
}

let watcher: Database.Database;
let secretary: CurrentUser;
let accountant: CurrentUser;
let adminCookie: string;
let secretaryCookie: string;
let villageId: number;
let lineIds: number[];

beforeAll(async () => {
  await seedDatabase(live, { scale: "demo" });
  const user = async (username: string) => prisma.user.findUniqueOrThrow({ where: { username }, include: { village: true, cooperative: { include: { villages: true } } } });
  const s = await user("secretary");
  villageId = s.villageId!;
  secretary = { id: s.id, username: s.username, displayName: s.displayName, role: "SECRETARY", scopeName: "", scope: { kind: "village", townshipId: s.village!.townshipId, villageId } };
  const a = await user("accountant");
  const coop = a.cooperative!;
  accountant = {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: "ACCOUNTANT",
    scopeName: "",
    scope: { kind: "cooperative", townshipId: coop.townshipId, cooperativeId: coop.id, villageIds: coop.villages.map((v) => v.villageId) },
  };
  adminCookie = await newSessionCookie((await user("admin")).id);
  secretaryCookie = await newSessionCookie(s.id);

  // The demo has no dividends paid yet: an issued run of the accountant's cooperative with some payments.
  const households = await prisma.household.findMany({ where: { villageId: { in: coop.villages.map((v) => v.villageId) } }, take: 40, orderBy: { id: "asc" }, select: { id: true, villageId: true } });
  const run = await prisma.dividendRun.create({
    data: { cooperativeId: coop.id, townshipId: coop.townshipId, year: 2025, method: "LAND_SHARE", status: "ISSUED", incomeFen: 40_000_000n, costFen: 0n, createdById: a.id, issuedAt: new Date() },
  });
  lineIds = [];
  for (const [i, h] of households.entries()) {
    const line = await prisma.dividendLine.create({
      data: { runId: run.id, householdId: h.id, townshipId: coop.townshipId, villageId: h.villageId, areaMu: "2.00", shares: "2", weight: "2", guaranteedFen: 100_000n, netFen: 100_000n + BigInt(i) * 137n },
    });
    lineIds.push(line.id);
    if (i % 3 === 0) {
      await prisma.dividendPayment.create({ data: { lineId: line.id, householdId: h.id, townshipId: coop.townshipId, villageId: h.villageId, paidOn: "2025-12-20", amountFen: 50_000n, status: "PAID", recordedById: a.id } });
      await prisma.dividendLine.update({ where: { id: line.id }, data: { paidFen: 50_000n } });
    }
  }
  watcher = new Database(live, { readonly: true });
}, 120_000);

afterAll(() => watcher?.close());

/** Overdue installments of the secretary's village with at least one yuan still owed. */
async function openInstallments(): Promise<number[]> {
  const a = await arrears(secretary.scope, today());
  return a.lines.filter((l) => l.outstandingFen >= 100n).map((l) => l.installmentId);
}

let groupIdOf: number | null = null;

/** A household of two as the form would send it, with valid ID numbers. */
function newHousehold(i: number) {
  return {
    code: `LIVE-${i}`,
    groupId: groupIdOf!,
    address: "",
    phone: "",
    bankName: "",
    bankAccount: "",
    status: "ORDINARY" as const,
    statusYear: null,
    statusReason: "",
    statusDate: null,
    members: [
      { row: 0, id: null, name: "备份中", relation: "HEAD" as const, idNumber: makeIdNumber("371702", "19800101", String(500 + i).slice(-3)), birthDate: "1980-01-01", sex: "M" as const, ableToWork: true, phone: "" },
      { row: 1, id: null, name: "备份后", relation: "SON" as const, idNumber: makeIdNumber("371702", "20100101", String(500 + i).slice(-3)), birthDate: "2010-01-01", sex: "M" as const, ableToWork: false, phone: "" },
    ],
  };
}
describe("backup while the app serves requests", () => {
  it("restores into a fresh directory with the same households, contracts and payments", async () => {
    groupIdOf = (await prisma.villagerGroup.findFirstOrThrow({ where: { villageId }, orderBy: { number: "asc" } })).id;
    const installments = await openInstallments();
    expect(installments.length).toBeGreaterThan(5);

    // snapshots[k] is the source after k writes
    const snapshots: Stats[] = [measure(watcher)];
    const writes: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(() => recordPayment(secretary, installments[i % installments.length]!, { paidOn: today(), amount: "1.00", method: "CASH", receiptNo: `LIVE-${i}` }));
      writes.push(() => recordDividendPayment(accountant, lineIds[i % lineIds.length]!, { paidOn: today(), amount: "3.21", reference: `LIVE-${i}`, status: "PAID", failureReason: "" }));
      writes.push(() => createHousehold(secretary, villageId, newHousehold(i)));
    }
    let reads = 0;
    let backupStartedAfter = -1;
    let backupEndedAfter = -1;
    let backupStatus = 0;

    const serve = async () => {
      for (const [k, write] of writes.entries()) {
        const result = await write();
        // recordPayment and recordDividendPayment answer null when saved, createHousehold { ok: true }
        expect(result === null || (result as { ok?: boolean }).ok === true, `write ${k}`).toBe(true);
        snapshots.push(measure(watcher));
        // Reads as the pages make them: the household search, arrears, and a list page's loader.
        await Promise.all([
          listHouseholds(secretary.scope, { q: "王" }),
          arrears(accountant.scope, today()),
          householdsPage.loader({ request: request("/households?status=MONITORED", { cookie: secretaryCookie }), params: {}, context: {} } as never),
        ]);
        reads += 3;
        await new Promise((r) => setTimeout(r, 2));
        if (k === 4) {
          // The administrator presses "create backup now" while the writes go on.
          backupStartedAfter = snapshots.length - 1;
          void statusOf(() => backupsPage.action({ request: request("/admin/backups", { cookie: adminCookie, form: { intent: "create" } }), params: {}, context: {} } as never)).then((s) => {
            backupStatus = s;
            // a write may have committed and not yet been measured: allow it
            backupEndedAfter = snapshots.length;
          });
        }
      }
    };
    await serve();
    // the backup may finish after the last write
    for (let i = 0; i < 600 && backupEndedAfter < 0; i++) await new Promise((r) => setTimeout(r, 50));
    // a backup made answers with a redirect and a message (issue 15)
    expect(backupStatus).toBe(302);
    expect(reads).toBe(writes.length * 3);
    const made = listBackups(backupDir);
    expect(made).toHaveLength(1);
    // some writes were made while the backup ran
    expect(backupEndedAfter).toBeGreaterThan(backupStartedAfter);

    const target = path.join(fresh, "data.db");
    const { safetyCopy } = await restoreBackup(made[0]!.file, target, fresh);
    expect(safetyCopy).toBeNull(); // nothing was there to keep

    const restored = new Database(target, { readonly: true });
    const got = measure(restored);
    restored.close();
    const k = snapshots.findIndex((s) => JSON.stringify(s) === JSON.stringify(got));
    expect(k, `restored ${JSON.stringify(got)} is none of the source's states`).toBeGreaterThanOrEqual(backupStartedAfter);
    expect(k).toBeLessThanOrEqual(backupEndedAfter);
    // payments and the amounts kept on installments and lines agree in the copy
    expect(got.rentPaidFen).toBe(got.installmentsPaidFen);
    expect(got.dividendPaidFen).toBe(got.dividendLinesPaidFen);
    expect(Number(got.households)).toBeGreaterThan(1400);
    expect(BigInt(got.dividendPaidFen)).toBeGreaterThan(0n);

    // The app over the restored file (its own client and adapter) shows the same.
    const app = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${target}` }) });
    try {
      const [households, people, contracts, installmentsCount, rent, dividends] = await Promise.all([
        app.household.count(),
        app.person.count(),
        app.transferContract.count(),
        app.rentInstallment.count(),
        app.rentPayment.aggregate({ _sum: { amountFen: true } }),
        app.dividendPayment.aggregate({ _sum: { amountFen: true }, where: { status: "PAID" } }),
      ]);
      expect({
        households: String(households),
        people: String(people),
        contracts: String(contracts),
        installments: String(installmentsCount),
        rentPaidFen: String(rent._sum.amountFen ?? 0n),
        dividendPaidFen: String(dividends._sum.amountFen ?? 0n),
      }).toEqual({
        households: got.households,
        people: got.people,
        contracts: got.contracts,
        installments: got.installments,
        rentPaidFen: got.rentPaidFen,
        dividendPaidFen: got.dividendPaidFen,
      });
      // and the household the writes made last before the copy is there with both members, or not at all
      const live = await app.household.findMany({ where: { code: { startsWith: "LIVE-" } }, select: { code: true, _count: { select: { members: true } } } });
      for (const h of live) expect(h._count.members, h.code).toBe(2);
    } finally {
      await app.$disconnect();
    }

    // The create was recorded, after the copy (so it is not in it).
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Backup" }, orderBy: { id: "desc" } });
    expect(audit.entityId).toBe(path.basename(made[0]!.file));
  }, 120_000);

  it("lists the backup, checks it, offers its restore command and its download", async () => {
    const [made] = listBackups(backupDir);
    const name = path.basename(made!.file);
    const page = (await backupsPage.loader({ request: request("/admin/backups", { cookie: adminCookie }), params: {}, context: {} } as never)) as Awaited<ReturnType<typeof backupsPage.loader>>;
    expect(page.rows.map((r) => r.name)).toEqual([name]);
    // the settings the app runs with are repeated, so the script restores into the same file
    expect(page.rows[0]!.restoreCommand).toBe(`DATABASE_URL=${process.env.DATABASE_URL} BACKUP_DIR=${backupDir} npm run backup -- restore ${path.relative(process.cwd(), made!.file)}`);

    const checked = (await backupsPage.action({ request: request("/admin/backups", { cookie: adminCookie, form: { intent: "check", name } }), params: {}, context: {} } as never)) as {
      check: { name: string; ok: boolean; households?: number };
    };
    expect(checked.check).toMatchObject({ name, ok: true });
    expect(checked.check.households).toBeGreaterThan(1400);
    // opening the copy leaves no empty -wal/-shm files beside it
    expect(fs.readdirSync(backupDir)).toEqual([name]);

    const res = await backupDownload.loader({ request: request(`/resources/admin/backups/${name}`, { cookie: adminCookie }), params: { name }, context: {} } as never);
    expect(res.headers.get("Content-Disposition")).toContain(name);
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(made!.file))).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Export", entityId: `backup:${name}` } });
    expect(audit.actorName).toBe("admin");
  });
});
