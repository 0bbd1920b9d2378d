import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { auditFilters } from "~/auth/audit-filters";
import { auditPage, auditWhere } from "~/auth/audit-trail.server";
import { getUser, type CurrentUser } from "~/auth/session.server";
import { translator } from "~/i18n";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import * as page from "../../app/routes/_app.audit-trail";
import * as exportRoute from "../../app/routes/resources.audit-trail[.]xlsx";

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;

const zh = translator("zh-CN");
let w: World;
let township: CurrentUser;
let admin: CurrentUser;
let fullId: string;

const FULL_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

beforeAll(async () => {
  w = await buildWorld();
  township = (await getUser(request("/", { cookie: w.users.township.cookie })))!;
  admin = (await getUser(request("/", { cookie: w.users.admin.cookie })))!;
  fullId = w.h1.members[0]!.idNumber;
  const ev = (at: string, data: { actorId: number | null; actorName: string; action: string; entity: string; entityId: string; townshipId: number | null; villageId: number | null; before?: unknown; after?: unknown }) =>
    prisma.auditEvent.create({
      data: { ...data, at: new Date(at), before: data.before === undefined ? null : JSON.stringify(data.before), after: data.after === undefined ? null : JSON.stringify(data.after) },
    });
  const sec = { actorId: w.users.secretary.id, actorName: "secretary" };
  // An old row from before snapshots were masked on the way in: it holds a full ID number.
  await ev("2026-03-01T16:30:00Z", {
    ...sec,
    action: "update",
    entity: "Household",
    entityId: String(w.h1.id),
    townshipId: w.t1.id,
    villageId: w.v1.id,
    before: { headName: "谢建国", status: "ORDINARY", members: [{ idNumber: fullId }] },
    after: { headName: "谢建华", status: "MONITORED", members: [{ idNumber: "371702199001010011" }] },
  });
  await ev("2026-03-05T02:00:00Z", { ...sec, action: "create", entity: "Harvest", entityId: "7", townshipId: w.t1.id, villageId: w.v1.id, after: { quantityKg: "1200", crop: "桃", note: "=HYPERLINK(\"x\")" } });
  await ev("2026-03-05T03:00:00Z", { actorId: w.users.secretary2.id, actorName: "secretary2", action: "create", entity: "Household", entityId: String(w.h2.id), townshipId: w.t1.id, villageId: w.v2.id, after: { headName: "刘振华", phone: "13800000999" } });
  await ev("2026-03-06T03:00:00Z", { actorId: null, actorName: "system", action: "update", entity: "Household", entityId: String(w.h3.id), townshipId: w.t2.id, villageId: w.v3.id, before: { headName: "郭守田" }, after: { headName: "郭守地" } });
  await ev("2026-03-06T04:00:00Z", { actorId: w.users.admin.id, actorName: "admin", action: "sign-in", entity: "User", entityId: String(w.users.admin.id), townshipId: null, villageId: null, after: { address: "127.0.0.1" } });
});

const ids = async (user: CurrentUser, query: string) =>
  (await prisma.auditEvent.findMany({ where: await auditWhere(user, auditFilters(new URLSearchParams(query))), orderBy: { id: "asc" }, select: { entityId: true, entity: true } })).map((e) => `${e.entity}:${e.entityId}`);

describe("audit trail filters", () => {
  it("keeps a township's reader to its township; an administrator sees everything", async () => {
    expect(await ids(township, "")).toEqual([`Household:${w.h1.id}`, "Harvest:7", `Household:${w.h2.id}`]);
    expect(await ids(admin, "")).toHaveLength(5);
  });
  it("filters by actor and by kind of record", async () => {
    expect(await ids(township, `actor=${w.users.secretary.id}`)).toEqual([`Household:${w.h1.id}`, "Harvest:7"]);
    expect(await ids(township, "entity=Household")).toEqual([`Household:${w.h1.id}`, `Household:${w.h2.id}`]);
    expect(await ids(township, `actor=${w.users.secretary.id}&entity=Harvest`)).toEqual(["Harvest:7"]);
  });
  it("filters by China dates, whatever the server's zone: 16:30 UTC on 1 March is 2 March in China", async () => {
    expect(await ids(township, "from=2026-03-02&to=2026-03-02")).toEqual([`Household:${w.h1.id}`]);
    expect(await ids(township, "to=2026-03-01")).toEqual([]);
    expect(await ids(township, "from=2026-03-03")).toEqual(["Harvest:7", `Household:${w.h2.id}`]);
  });
  it("finds a record by its id or its household number, only inside the scope", async () => {
    expect(await ids(township, "record=7")).toEqual(["Harvest:7"]);
    // 0001 is the number of h1 (V1), h2 (V2) and h3 (V3, another township)
    expect(await ids(township, "record=0001")).toEqual([`Household:${w.h1.id}`, `Household:${w.h2.id}`]);
    expect(await ids(admin, "record=0001&entity=Household")).toEqual([`Household:${w.h1.id}`, `Household:${w.h2.id}`, `Household:${w.h3.id}`]);
  });
});

describe("audit trail in words", () => {
  it("shows each changed field's old and new value in Chinese, masked", async () => {
    const { rows } = await auditPage(township, auditFilters(new URLSearchParams("entity=Household")), 1, zh);
    const h1 = rows.find((r) => r.entityId === String(w.h1.id))!;
    expect(h1.entityLabel).toBe("户");
    expect(h1.changes).toContainEqual({ field: "户主姓名", before: "谢建国", after: "谢建华" });
    expect(h1.changes).toContainEqual({ field: "状态", before: "一般户", after: "监测户" });
    const id = h1.changes.find((c) => c.field === "成员 1 · 身份证号")!;
    expect(id.before).not.toMatch(FULL_ID);
    expect(id.before).toContain("********");
    expect(JSON.stringify(rows)).not.toMatch(FULL_ID);
    expect(JSON.stringify(rows)).not.toContain("13800000999");
  });
  it("the page loader takes its filters from the URL", async () => {
    const data = (await (page.loader as unknown as Loader)({ request: request(`/audit-trail?actor=${w.users.secretary2.id}`, { cookie: w.users.township.cookie }), params: {}, context: {} })) as Awaited<ReturnType<typeof page.loader>>;
    expect(data.total).toBe(1);
    expect(data.rows[0]!.changes).toContainEqual({ field: "户主姓名", before: "—", after: "刘振华" });
    expect(data.actors.map((a) => a.name)).toEqual(["secretary", "secretary2"]);
    expect(data.exportHref).toBe(`/resources/audit-trail.xlsx?actor=${w.users.secretary2.id}`);
  });
});

describe("audit trail export", () => {
  const workbook = async (who: "township" | "admin", query: string) => {
    const res = (await (exportRoute.loader as unknown as Loader)({ request: request(`/resources/audit-trail.xlsx${query}`, { cookie: w.users[who].cookie }), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? "")))));
    return cells;
  };
  for (const who of ["township", "admin"] as const) {
    it(`is masked like the page for ${who}: no full ID number or phone anywhere in the workbook`, async () => {
      const cells = await workbook(who, "");
      expect(cells.some((c) => FULL_ID.test(c))).toBe(false);
      expect(cells.join("\n")).not.toContain(fullId);
      expect(cells.join("\n")).not.toContain("13800000999");
      expect(cells).toContain("户主姓名");
      expect(cells).toContain("谢建华");
    });
  }
  it("has the page's filters, keeps formula-looking text as text, and is recorded in the trail", async () => {
    const before = await prisma.auditEvent.count({ where: { entity: "Export", entityId: "audit-trail" } });
    const cells = await workbook("township", "?entity=Harvest");
    expect(cells).toContain("收获记录");
    expect(cells).not.toContain("户");
    expect(cells).toContain("'=HYPERLINK(\"x\")");
    expect(cells).not.toContain("郭守地");
    expect(await prisma.auditEvent.count({ where: { entity: "Export", entityId: "audit-trail" } })).toBe(before + 1);
  });
});
