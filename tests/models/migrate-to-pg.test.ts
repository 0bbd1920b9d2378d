import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient as PgPrismaClient } from ".prisma/client-pg";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { recordPayment } from "~/contracts/rent.server";
import { recordDividendPayment } from "~/dividends/runs.server";
import { addIncomeEntry } from "~/income/account.server";
import { townshipAudit } from "~/income/audit.server";
import { databaseFile, prisma } from "~/lib/db.server";
import { CopyRefused, copySqliteToPg, formatReport, instantOf } from "../../scripts/lib/copy-to-pg";
import { hasPostgres, startCluster, type Cluster } from "../../scripts/lib/pg-cluster";
import { buildWorld, request, type World } from "../factories";
import { createDatabase } from "../setup/pg";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as dividendsWorld } from "./access/dividends.world";

// `npm run migrate-to-pg` (scripts/lib/copy-to-pg.ts): a SQLite database of the
// app, made through the app's own writes, copied into PostgreSQL and read back
// by the app's PostgreSQL client.
const skip = !hasPostgres()
  ? "PostgreSQL 15 is not installed (no /usr/lib/postgresql/15/bin/initdb; apt-get install postgresql-15)"
  : process.env.CUNSHE_TEST_ENGINE === "postgres"
    ? "it copies from a SQLite database: it runs in the SQLite suite"
    : null;

/** Beyond 2^53: a number would lose it, so integers must be read from SQLite as BigInt. */
const HUGE = 9_007_199_254_740_993n;

let w: World;
let cluster: Cluster;
let deletedTownshipId: number;
const clients: PgPrismaClient[] = [];

function pgClient(connectionString: string): PgPrismaClient {
  const { PrismaClient } = createRequire(import.meta.url)(".prisma/client-pg") as { PrismaClient: typeof PgPrismaClient };
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  clients.push(client);
  return client;
}

const user = async (u: { cookie: string }): Promise<CurrentUser> => (await getUser(request("/", { cookie: u.cookie })))!;

/** Every row of every model, in a stable order, for comparing the two engines. */
async function everything(client: unknown) {
  const out: Record<string, string[]> = {};
  for (const model of Prisma.dmmf.datamodel.models) {
    const delegate = (client as Record<string, { findMany(): Promise<unknown[]> }>)[model.name[0]!.toLowerCase() + model.name.slice(1)]!;
    const rows = await delegate.findMany();
    out[model.name] = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))).sort();
  }
  return out;
}

describe.skipIf(skip)(`npm run migrate-to-pg${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    w = await buildWorld();
    Object.assign(w.extra, await contractsWorld(w), await dividendsWorld(w));
    const secretary = await user(w.users.secretary);
    const accountant = await user(w.users.accountant);
    // Stored income figures first, then writes that mark some stale: both tables must arrive as they are.
    await townshipAudit({ townshipId: w.t1.id, villageId: null }, 2024, { memo: false });
    expect(await recordPayment(secretary, w.extra.installmentV1!, { paidOn: "2024-12-20", amount: "1000.50", method: "BANK", receiptNo: "R1" })).toBeNull();
    expect(await recordPayment(secretary, w.extra.installmentV1!, { paidOn: "2024-12-21", amount: "99.50", method: "CASH", receiptNo: "R2" })).toBeNull();
    expect(await recordDividendPayment(accountant, w.extra.lineV1!, { paidOn: "2025-03-01", amount: "1500", reference: "NX-1", status: "PAID", failureReason: "" })).toBeNull();
    expect(await recordDividendPayment(accountant, w.extra.lineV1!, { paidOn: "2025-03-02", amount: "10", reference: "", status: "FAILED", failureReason: "账户冻结" })).toBeNull();
    const added = await addIncomeEntry(secretary, w.h1.id, { year: 2024, category: "TRANSFER", kind: "PENSION", personId: null, amountFen: 1_000_000n, costFen: 0n, source: "城乡居民基本养老保险", receivedOn: "2024-12-01", note: "" });
    expect(added.ok).toBe(true);
    await prisma.user.update({ where: { id: w.users.secretary.id }, data: { disabled: true, lockedUntil: new Date("2026-01-02T03:04:05.678Z") } });
    await prisma.$executeRaw`UPDATE IncomeFigureClock SET n = ${HUGE}`;
    // A township made and deleted: PostgreSQL must never give its id out again, as SQLite would not.
    const gone = await prisma.township.create({ data: { code: "371702199000", name: "已撤销镇", countyCode: "371702" } });
    await prisma.township.delete({ where: { id: gone.id } });
    deletedTownshipId = gone.id;
    cluster = startCluster();
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.$disconnect();
    cluster?.stop();
  }, 60_000);

  it("copies every table, checks every count and sum, and the app reads the same rows from PostgreSQL", async () => {
    const url = await createDatabase(cluster.url, "target");
    const report = await copySqliteToPg({ from: `file:${databaseFile()}`, to: url });
    expect(report.ok, formatReport(report)).toBe(true);
    const tables = Object.fromEntries(report.tables.map((t) => [t.table, t]));
    // The income-figure tables are copied although they are no Prisma models; the migrations table is not.
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(["IncomeFigure", "IncomeFigureStale", "IncomeFigureClock", "Household", "RentPayment", "DividendPayment"]));
    expect(tables._prisma_migrations).toBeUndefined();
    expect(Number(tables.IncomeFigure!.pgRows)).toBeGreaterThan(0);
    expect(Number(tables.IncomeFigureStale!.pgRows)).toBeGreaterThan(0);
    expect(tables.RentPayment!.sums.find((s) => s.column === "amountFen")).toEqual({ column: "amountFen", sqlite: "110000", pg: "110000" });
    expect(formatReport(report)).toMatch(/RentPayment\s+2\s+2\s+\d+\s+ok/);

    const copy = pgClient(url);
    // Every row of every model, as each engine's client reads it: booleans, instants, BigInt money and all.
    expect(await everything(copy)).toEqual(await everything(prisma));
    const households = await copy.household.findMany({ include: { members: true, statusChanges: true }, orderBy: { id: "asc" } });
    expect(households).toEqual(await prisma.household.findMany({ include: { members: true, statusChanges: true }, orderBy: { id: "asc" } }));
    expect(households.map((h) => h.headName)).toEqual(["谢建国", "刘振华", "郭守田"]);
    const secretary = await copy.user.findUniqueOrThrow({ where: { id: w.users.secretary.id } });
    expect(secretary.disabled).toBe(true);
    expect(secretary.lockedUntil).toEqual(new Date("2026-01-02T03:04:05.678Z"));

    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    try {
      // The triggers did not fire while copying: the clock is SQLite's, to the last unit.
      expect((await raw.query(`SELECT n::text FROM "IncomeFigureClock"`)).rows).toEqual([{ n: HUGE.toString() }]);
      // Ids continue after the highest ever given, the deleted township's included.
      const next = await copy.township.create({ data: { code: "371702198000", name: "新设镇", countyCode: "371702" } });
      expect(next.id).toBe(deletedTownshipId + 1);
      const h = await copy.household.create({ data: { code: "0002", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: "鲁新户" } });
      expect(h.id).toBeGreaterThan(w.h3.id);
    } finally {
      await raw.end();
    }

    // A target that holds rows is refused, and left as it was.
    const again = copySqliteToPg({ from: `file:${databaseFile()}`, to: url });
    await expect(again).rejects.toBeInstanceOf(CopyRefused);
    await expect(again).rejects.toThrow(/already holds rows/);
    expect(await copy.household.count()).toBe(households.length + 1);
  }, 60_000);

  it("keeps nothing when a count or a sum differs, so the copy can be run again", async () => {
    const url = await createDatabase(cluster.url, "target_mismatch");
    const report = await copySqliteToPg({
      from: `file:${databaseFile()}`,
      to: url,
      // a row lost on the way
      beforeCheck: async (client) => void (await client.query(`DELETE FROM "RentPayment" WHERE id = (SELECT MAX(id) FROM "RentPayment")`)),
    });
    expect(report.ok).toBe(false);
    expect(report.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(["RentPayment"]);
    expect(formatReport(report)).toMatch(/RentPayment: 2 rows in SQLite, 1 in PostgreSQL/);
    expect(formatReport(report)).toMatch(/RentPayment\.amountFen: sum 110000 in SQLite, 100050 in PostgreSQL/);
    const copy = pgClient(url);
    expect(await copy.household.count()).toBe(0);
    expect((await copySqliteToPg({ from: `file:${databaseFile()}`, to: url })).ok).toBe(true);
    expect(await copy.household.count()).toBe(3);
  }, 60_000);
});

describe("DateTime values as SQLite holds them", () => {
  it("become UTC instants for timestamp(3), whatever their form", () => {
    expect(instantOf("2026-01-01T00:00:00.000+00:00")).toBe("2026-01-01T00:00:00.000Z");
    expect(instantOf("2026-01-01T08:00:00.000+08:00")).toBe("2026-01-01T00:00:00.000Z");
    expect(instantOf("2026-01-01 12:34:56")).toBe("2026-01-01T12:34:56.000Z");
    expect(instantOf(1767225600123n)).toBe("2026-01-01T00:00:00.123Z");
    expect(instantOf("1767225600123")).toBe("2026-01-01T00:00:00.123Z");
    expect(instantOf("2026-01-01")).toBe("2026-01-01T00:00:00.000Z");
    expect(() => instantOf("not a date", "T.c")).toThrow(/T\.c: not a date/);
  });
});
