import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { errorFileXlsx } from "~/imports/error-file.server";
import { batchFileAndReport, getBatch, startDryRun, startImport } from "~/imports/imports.server";
import { translator } from "~/i18n";
import { prisma } from "~/lib/db.server";
import { afterEach, vi } from "vitest";
import { loader as importsPage } from "~/routes/_app.imports._index";
import { loader as batchPage } from "~/routes/_app.imports.$id";
import { buildWorld, request, type World } from "../factories";
import { id, roster } from "../rosters";

let w: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;

beforeAll(async () => {
  w = await buildWorld();
  for (const who of Object.keys(w.users) as (keyof typeof users)[]) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
});

async function snapshot() {
  const tables = ["Household", "Person", "HouseholdSearchTerm", "HouseholdStatusChange", "AuditEvent"];
  const out: Record<string, unknown> = {};
  // (the search index has no id of its own: the sum of its households' ids stands in)
  for (const t of tables) out[t] = await prisma.$queryRawUnsafe(`SELECT COUNT(*) AS n, COALESCE(SUM("${t === "HouseholdSearchTerm" ? "householdId" : "id"}"), 0) AS s FROM "${t}"`);
  out.people = await prisma.person.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, idNumber: true, householdId: true } });
  return JSON.stringify(out, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

const dryRun = async (bytes: Uint8Array, who: CurrentUser = users.secretary, updateExisting = false, villageId = w.v1.id) => {
  const r = await startDryRun(who, { kind: "HOUSEHOLDS", villageId, fileName: "花名册.xlsx", bytes, updateExisting }, { wait: true });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return (await getBatch(who, r.id))!;
};

describe("household roster import", () => {
  it("a clean roster imports in one go, and the import is recorded", async () => {
    const b = await dryRun(await roster(3));
    expect(b.status).toBe("CHECKED");
    expect([b.rowCount, b.errorCount, b.createCount]).toEqual([9, 0, 3]);
    expect(await prisma.household.count({ where: { villageId: w.v1.id } })).toBe(1); // the dry run wrote nothing
    expect(await startImport(users.secretary, b.id, { wait: true })).toEqual({ ok: true });
    const after = (await getBatch(users.secretary, b.id))!;
    expect([after.status, after.createCount]).toEqual(["IMPORTED", 3]);
    const hs = await prisma.household.findMany({ where: { villageId: w.v1.id, code: { in: ["0100", "0101", "0102"] } }, include: { members: true, statusChanges: true } });
    expect(hs.map((h) => [h.code, h.headName, h.members.length, h.status, h.statusChanges.length])).toEqual([
      ["0100", "张一零零", 3, "ALLEVIATED", 1],
      ["0101", "张一零一", 3, "ORDINARY", 1],
      ["0102", "张一零二", 3, "ORDINARY", 1],
    ]);
    // Found by the household search like any other household.
    expect(await prisma.householdSearchTerm.count({ where: { householdId: hs[0]!.id, term: "n:张小一零零" } })).toBe(1);
    const trail = await prisma.auditEvent.findMany({ where: { action: "import", entity: "ImportBatch", entityId: String(b.id) } });
    expect(trail).toHaveLength(1);
    expect(JSON.parse(trail[0]!.after!)).toMatchObject({ kind: "HOUSEHOLDS", fileName: "花名册.xlsx", rows: 9, created: 3 });
  });

  it("importing the same file again duplicates nothing", async () => {
    const before = await prisma.person.count();
    const b = await dryRun(await roster(3));
    expect([b.errorCount, b.createCount, b.updateCount, b.unchangedCount]).toEqual([0, 0, 0, 3]);
    await startImport(users.secretary, b.id, { wait: true });
    expect(await prisma.person.count()).toBe(before);
  });

  it("changed rows update existing records only when the user asks", async () => {
    const file = await roster(3, { address: "新址 1 号" });
    const b = await dryRun(file);
    expect([b.createCount, b.updateCount]).toEqual([0, 3]);
    const report = JSON.parse(b.report) as { items: { changes: { field: string; before: string; after: string }[] }[] };
    expect(report.items[0]!.changes).toContainEqual({ field: "address", before: "村东街 100 号", after: "新址 1 号" });
    await startImport(users.secretary, b.id, { wait: true });
    expect((await prisma.household.findFirstOrThrow({ where: { villageId: w.v1.id, code: "0100" } })).address).toBe("村东街 100 号");
    const b2 = await dryRun(file, users.secretary, true);
    expect(b2.updateExisting).toBe(true);
    expect(await startImport(users.secretary, b2.id, { wait: true })).toEqual({ ok: true });
    const done = (await getBatch(users.secretary, b2.id))!;
    expect([done.status, done.failure, done.updateCount]).toEqual(["IMPORTED", "", 3]);
    expect((await prisma.household.findFirstOrThrow({ where: { villageId: w.v1.id, code: "0100" } })).address).toBe("新址 1 号");
  });

  it("a roster with an error imports nothing", async () => {
    const before = await snapshot();
    const b = await dryRun(await roster(5, { from: 300, badIdAt: 2 }));
    expect(b.errorCount).toBe(1);
    expect(await startImport(users.secretary, b.id, { wait: true })).toEqual({ ok: false, error: { key: "importPage.hasErrors", params: { n: 1 } } });
    expect(await snapshot()).toBe(before);
  });

  it("a database error in the middle of an import leaves the database exactly as before", async () => {
    const b = await dryRun(await roster(600, { from: 1000 }));
    expect([b.errorCount, b.createCount]).toEqual([0, 600]);
    const before = await snapshot();
    let reached = 0;
    await startImport(users.secretary, b.id, {
      wait: true,
      apply: {
        chunk: 50,
        beforeRecord: async (db, i) => {
          reached = i;
          // a real database error on the 500th household, after 499 were written
          if (i === 499) await db.run(`INSERT INTO "Household" ("id", "code", "townshipId", "villageId", "groupId", "headName", "createdAt", "updatedAt") VALUES (?, 'x', ?, ?, ?, 'x', ?, ?)`, [w.h1.id, w.t1.id, w.v1.id, w.v1.groups[0]!.id, new Date(), new Date()]);
        },
      },
    });
    expect(reached).toBe(499);
    const failed = (await getBatch(users.secretary, b.id))!;
    expect(failed.status).toBe("FAILED");
    expect(failed.failure).toMatch(/UNIQUE|constraint/i);
    expect(await snapshot()).toBe(before);
  });

  it("a roster saved by Chinese Excel as a GBK CSV imports; a member listed in two households imports nothing", async () => {
    const head = id("19600606", 7001);
    const spouse = id("19610707", 7002);
    const rows = [
      ["户编号", "村民小组", "姓名", "与户主关系", "身份证号码", "户类型"],
      ["0700", "第一村民小组", "周七零零", "户主", head, "一般户"],
      ["0700", "第一村民小组", "吴七零零", "配偶", spouse, "一般户"],
    ];
    const gbk = (r: string[][]) => new Uint8Array(iconv.encode(r.map((x) => x.join(",")).join("\r\n") + "\r\n", "gbk"));
    const dup = await startDryRun(users.secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.csv", bytes: gbk([...rows, ["0701", "1", "吴七零零", "户主", spouse, "一般户"]]), updateExisting: false }, { wait: true });
    if (!dup.ok) throw new Error("not started");
    const dupBatch = (await getBatch(users.secretary, dup.id))!;
    expect(dupBatch.errorCount).toBeGreaterThan(0);
    expect(dupBatch.report).toContain("0700");
    expect(await startImport(users.secretary, dup.id, { wait: true })).toMatchObject({ ok: false });
    expect(await prisma.person.count({ where: { idNumber: spouse } })).toBe(0);

    const ok = await startDryRun(users.secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.csv", bytes: gbk(rows), updateExisting: false }, { wait: true });
    if (!ok.ok) throw new Error("not started");
    expect((await getBatch(users.secretary, ok.id))!.errorCount).toBe(0);
    await startImport(users.secretary, ok.id, { wait: true });
    const h = await prisma.household.findFirstOrThrow({ where: { villageId: w.v1.id, code: "0700" }, include: { members: true } });
    expect(h.members.map((m) => m.name).sort()).toEqual(["吴七零零", "周七零零"].sort());
  });

  it("a missing required column is reported in the error file and nothing is imported", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("花名册");
    ws.addRow(["户编号", "村民小组", "姓名", "与户主关系"]);
    ws.addRow(["0800", "1", "冯八零零", "户主"]);
    const b = await dryRun(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(b.errorCount).toBe(1);
    const f = (await batchFileAndReport(users.secretary, b.id))!;
    const out = await errorFileXlsx(f.table, f.rowErrors, translator("zh-CN"));
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(out as unknown as ArrayBuffer);
    const texts: string[] = [];
    back.worksheets[0]!.eachRow((row) => row.eachCell((c) => void texts.push(String(c.value))));
    expect(texts.join("\n")).toContain("身份证号");
    expect(texts.join("\n")).toMatch(/缺少/);
    expect(await startImport(users.secretary, b.id, { wait: true })).toMatchObject({ ok: false });
    expect(await prisma.household.count({ where: { villageId: w.v1.id, code: "0800" } })).toBe(0);
  });

  it("dates in Excel's serial form and trailing empty rows import as the user meant", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("花名册");
    ws.addRow(["户编号", "村民小组", "姓名", "与户主关系", "身份证号", "入户日期"]);
    ws.addRow(["0900", "1", "陈九零零", "户主", id("19590909", 9001), 45352]); // 45352 = 2024-03-01
    for (let i = 0; i < 5; i++) ws.addRow(["", "", "", "", "", ""]);
    ws.getColumn(5).numFmt = "@";
    const b = await dryRun(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect([b.rowCount, b.errorCount, b.createCount]).toEqual([1, 0, 1]);
    await startImport(users.secretary, b.id, { wait: true });
    const p = await prisma.person.findFirstOrThrow({ where: { name: "陈九零零" } });
    expect(p.joinedOn).toBe("2024-03-01");
  });

  it("nobody imports into a village outside their scope, or sees its batches", async () => {
    const r = await startDryRun(users.secretary2, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "x.xlsx", bytes: await roster(1), updateExisting: false }, { wait: true });
    expect(r).toEqual({ ok: false, field: "villageId", error: { key: "importPage.chooseVillage" } });
    const mine = await dryRun(await roster(1, { from: 5000 }));
    expect(await getBatch(users.secretary2, mine.id)).toBeNull();
    expect(await getBatch(users.township, mine.id)).not.toBeNull();
    expect(await startImport(users.secretary2, mine.id)).toBeNull();
  });
});

describe("membership and status dates of an import", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a member added by an update has no 入户日期 unless the file gives one; the file's 入户日期 updates a saved member", async () => {
    const wb = (rows: (string | number)[][]) => {
      const book = new ExcelJS.Workbook();
      const ws = book.addWorksheet("花名册");
      ws.addRow(["户编号", "村民小组", "姓名", "与户主关系", "身份证号", "入户日期"]);
      for (const r of rows) ws.addRow(r);
      ws.getColumn(5).numFmt = "@";
      ws.getColumn(6).numFmt = "@";
      return book.xlsx.writeBuffer().then((b) => new Uint8Array(b));
    };
    const head = id("19610101", 8101);
    const wife = id("19620202", 8102);
    const child = id("20200303", 8103);
    const first = await dryRun(await wb([["0810", "1", "孙八一零", "户主", head, ""]]));
    expect(first.errorCount).toBe(0);
    await startImport(users.secretary, first.id, { wait: true });
    const b = await dryRun(
      await wb([
        ["0810", "1", "孙八一零", "户主", head, "1990-01-01"],
        ["0810", "1", "钱八一零", "配偶", wife, ""],
        ["0810", "1", "孙小八", "子", child, "2020-03-03"],
      ]),
      users.secretary,
      true,
    );
    expect([b.errorCount, b.updateCount]).toEqual([0, 1]);
    await startImport(users.secretary, b.id, { wait: true });
    const people = await prisma.person.findMany({ where: { idNumber: { in: [head, wife, child] } }, orderBy: { id: "asc" } });
    // before the fix the spouse got the instant of the import as her 入户日期
    expect(people.map((p) => [p.name, p.joinedOn])).toEqual([
      ["孙八一零", "1990-01-01"],
      ["钱八一零", null],
      ["孙小八", "2020-03-03"],
    ]);
  });

  it("at 00:30 China time: the status takes effect on the China day, and the import history prints China times", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z"));
    const b = await dryRun(await roster(1, { from: 820 }));
    expect(b.errorCount).toBe(0);
    await startImport(users.secretary, b.id, { wait: true });
    const h = await prisma.household.findFirstOrThrow({ where: { villageId: w.v1.id, code: "0820" }, include: { statusChanges: true, members: true } });
    expect(h.statusDate?.toISOString()).toBe("2026-12-02T16:00:00.000Z");
    expect(h.statusChanges.map((c) => c.effectiveOn.toISOString())).toEqual(["2026-12-02T16:00:00.000Z"]);
    expect(h.members.map((m) => m.joinedOn)).toEqual([null, null, null]);
    const cookie = w.users.secretary.cookie;
    const list = (await importsPage({ request: request("/imports", { cookie }), params: {}, context: {} })) as Exclude<Awaited<ReturnType<typeof importsPage>>, Response>;
    const row = list.batches.find((x) => x.id === b.id)!;
    expect([row.createdAt, row.importedAt]).toEqual(["2026-12-03 00:30", "2026-12-03 00:30"]);
    const page = (await batchPage({ request: request(`/imports/${b.id}`, { cookie }), params: { id: String(b.id) }, context: {} })) as Exclude<Awaited<ReturnType<typeof batchPage>>, Response>;
    expect([page.batch.createdAt, page.batch.importedAt]).toEqual(["2026-12-03 00:30", "2026-12-03 00:30"]);
  });
});
