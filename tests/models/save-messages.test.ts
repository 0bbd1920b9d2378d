import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { getBatch, startDryRun, startImport } from "~/imports/imports.server";
import { prisma } from "~/lib/db.server";
import { action as accountsAction } from "~/routes/_app.accounts";
import { action as templatesAction } from "~/routes/_app.dividends.templates";
import { action as membersAction } from "~/routes/_app.dividends.members";
import { action as recordsAction } from "~/routes/_app.harvests.records";
import { action as batchAction } from "~/routes/_app.imports.$id";
import { action as incomeAction } from "~/routes/_app.income.households.$id";
import { action as linesAction } from "~/routes/_app.income.lines";
import { action as workDaysAction } from "~/routes/_app.income.work-days";
import { extend as harvestWorld } from "./access/harvests.world";
import { extend as bankWorld } from "./access/bank.world";
import { buildWorld, flashOf, newSessionCookie, request, statusOf, type World } from "../factories";
import { roster } from "../rosters";

// Issue 15 item 5, "every save answers": each save below redirects (POST →
// redirect → GET) with a message naming what was saved; destructive or
// irreversible steps refuse without a reason (400, field error, nothing
// changed), after access, and keep the reason in the audit trail.

let w: World;
const users = {} as Record<"admin" | "secretary" | "secretary2" | "accountant", CurrentUser>;

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await harvestWorld(w), await bankWorld(w));
  for (const who of ["admin", "secretary", "secretary2", "accountant"] as const) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
});

type Who = keyof World["users"];
const post = (fn: (args: never) => Promise<unknown>, path: string, who: Who, form: Record<string, string>, params: Record<string, string> = {}) =>
  fn({ request: request(path, { cookie: w.users[who].cookie, form }), params, context: {} } as never);
const errorsOf = (r: unknown) => (r as { data: { errors: Record<string, { key: string }> } }).data.errors;
const lastAudit = (entity: string, entityId: number) => prisma.auditEvent.findFirstOrThrow({ where: { entity, entityId: String(entityId) }, orderBy: { id: "desc" } });

describe("income", () => {
  const at = () => `/income/households/${w.h1.id}`;
  const call = (who: Who, form: Record<string, string>, id = w.h1.id) => post(incomeAction, `/income/households/${id}`, who, form, { id: String(id) });

  it("an income entry and work days name what was saved", async () => {
    const entry = await call("secretary", { intent: "entry", year: "2025", category: "TRANSFER", kind: "PENSION", amount: "1234.5", source: "养老金", receivedOn: "2025-03-01" });
    expect(await flashOf(entry)).toMatchObject({ key: "incomeAccount.saved.entry", params: { amount: "1,234.50", name: "谢建国", year: 2025 }, at: at() });
    const p = w.h1.members[1]!;
    const work = await call("secretary", { intent: "work", personId: String(p.id), employer: "冷库", periodStart: "2025-03-01", periodEnd: "2025-03-12", days: "12", dailyWage: "100" });
    expect(await flashOf(work)).toMatchObject({ key: "incomeAccount.saved.work", params: { days: "12", person: "谢雨轩", start: "2025-03-01", end: "2025-03-12" } });
  });

  it("withdrawing work days and deleting an entry ask a reason, after access, and keep it", async () => {
    const p = w.h1.members[0]!;
    await call("secretary", { intent: "work", personId: String(p.id), employer: "冷库", periodStart: "2025-06-01", periodEnd: "2025-06-02", days: "2", dailyWage: "100" });
    const wd = await prisma.workDay.findFirstOrThrow({ where: { personId: p.id, periodStart: "2025-06-01" } });
    const noReason = await call("secretary", { intent: "withdraw-work", year: "2025", workDayId: String(wd.id), withdrawReason: " " });
    expect(errorsOf(noReason).withdrawReason).toEqual({ key: "income.work.reasonRequired" });
    expect((await prisma.workDay.findUniqueOrThrow({ where: { id: wd.id } })).withdrawnAt).toBeNull();
    const done = await call("secretary", { intent: "withdraw-work", year: "2025", workDayId: String(wd.id), withdrawReason: "重复登记" });
    expect(await flashOf(done)).toMatchObject({ key: "incomeAccount.saved.withdraw", params: { person: "谢建国", days: "2", reason: "重复登记" } });

    const e = await prisma.incomeEntry.findFirstOrThrow({ where: { householdId: w.h1.id } });
    // another village's secretary gets 404 whatever the reason says
    expect(await statusOf(() => call("secretary2", { intent: "delete-entry", entryId: String(e.id) }))).toBe(404);
    expect(errorsOf(await call("secretary", { intent: "delete-entry", entryId: String(e.id) })).reason).toEqual({ key: "confirm.reasonRequired" });
    expect(await prisma.incomeEntry.count({ where: { id: e.id } })).toBe(1);
    const gone = await call("secretary", { intent: "delete-entry", entryId: String(e.id), reason: "录错户" });
    expect(await flashOf(gone)).toMatchObject({ key: "incomeAccount.saved.delete-entry", params: { amount: "1,234.50", reason: "录错户" } });
    expect(await prisma.incomeEntry.count({ where: { id: e.id } })).toBe(0);
    expect(JSON.parse((await lastAudit("IncomeEntry", e.id)).after!)).toEqual({ reason: "录错户" });
  });

  it("the base register and the monitoring lines answer too", async () => {
    const p = w.h1.members[0]!;
    const r = await post(workDaysAction, "/income/work-days", "secretary", { idNumber: p.idNumber, employer: "基地", periodStart: "2025-08-01", periodEnd: "2025-08-03", days: "3", dailyWage: "90" });
    expect(await flashOf(r)).toMatchObject({ key: "workDays.saved", params: { days: "3", who: "谢建国", start: "2025-08-01", end: "2025-08-03" }, at: "/income/work-days" });
    const line = await post(linesAction, "/income/lines", "admin", { year: "2024", provinceCode: "37", amount: "6500", source: "鲁乡振发〔2024〕1号" });
    expect(await flashOf(line)).toMatchObject({ key: "lines.saved", params: { year: 2024, province: "37", amount: "6,500.00", source: "鲁乡振发〔2024〕1号" } });
  });
});

describe("harvest records", () => {
  it("deleting one asks a reason after access, and the message and the trail name it", async () => {
    const id = w.extra.harvestV1House!;
    const call = (who: Who, form: Record<string, string>) => post(recordsAction, "/harvests/records?year=2024", who, { intent: "delete", id: String(id), ...form });
    expect(await statusOf(() => call("secretary2", {}))).toBe(404);
    expect(errorsOf(await call("secretary", { reason: "" })).reason).toEqual({ key: "confirm.reasonRequired" });
    expect(await prisma.harvest.count({ where: { id } })).toBe(1);
    const res = await call("secretary", { reason: "重复录入" });
    expect((res as Response).headers.get("Location")).toBe("/harvests/records?year=2024");
    expect(await flashOf(res)).toMatchObject({ key: "harvest.records.deleted", params: { reason: "重复录入" } });
    expect(await prisma.harvest.count({ where: { id } })).toBe(0);
    expect(JSON.parse((await lastAudit("Harvest", id)).after!)).toEqual({ reason: "重复录入" });
  });
});

describe("accounts", () => {
  const call = (form: Record<string, string>, who: Who = "admin") => post(accountsAction, "/accounts", who, form);

  it("a new account is named with its role in words", async () => {
    const res = await call({ intent: "create", username: "wangli", displayName: "王丽", password: "Peony-Harvest-2026", role: "SECRETARY", scopeId: String(w.v2.id) });
    expect(await flashOf(res)).toMatchObject({ key: "accounts.saved.created", params: { username: "wangli", name: "王丽", role: "村党支部书记" }, at: "/accounts" });
  });

  it("a password reset asks a reason (the password is kept without one), and the trail keeps it", async () => {
    // (accounts of their own: the tests after these still sign in as the world's users)
    const target = await prisma.user.findUniqueOrThrow({ where: { username: "wangli" } });
    const before = (await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).passwordHash;
    const refused = await call({ intent: "reset", userId: String(target.id), temporaryPassword: "Temp-Peony-2026" });
    expect(errorsOf(refused).reason).toEqual({ key: "confirm.reasonRequired" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).passwordHash).toBe(before);
    const res = await call({ intent: "reset", userId: String(target.id), temporaryPassword: "Temp-Peony-2026", reason: "手机丢失" });
    expect(await flashOf(res)).toMatchObject({ key: "accounts.saved.reset", params: { username: "wangli", reason: "手机丢失" } });
    expect(JSON.parse((await lastAudit("User", target.id)).after!)).toMatchObject({ reason: "手机丢失", mustChangePassword: true });
  });

  it("disabling asks a reason, ends the sessions, refuses one's own account; enabling and revoking answer", async () => {
    const u = await prisma.user.create({ data: { username: "zhaoyun", displayName: "赵云", role: "ACCOUNTANT", cooperativeId: w.c1.id, passwordHash: "scrypt$1$1$1$AA==$AA==" } });
    const target = { id: u.id, cookie: await newSessionCookie(u.id) };
    expect(errorsOf(await call({ intent: "disable", userId: String(target.id) })).reason).toEqual({ key: "confirm.reasonRequired" });
    expect(errorsOf(await call({ intent: "disable", userId: String(w.users.admin.id), reason: "试试" })).reason).toEqual({ key: "accounts.cannotDisableSelf" });
    const off = await call({ intent: "disable", userId: String(target.id), reason: "调离合作社" });
    expect(await flashOf(off)).toMatchObject({ key: "accounts.saved.disabled", params: { username: "zhaoyun", reason: "调离合作社" } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(true);
    expect(await prisma.session.count({ where: { userId: target.id, revokedAt: null } })).toBe(0);
    expect(await getUser(request("/", { cookie: target.cookie }))).toBeNull();
    expect(await flashOf(await call({ intent: "enable", userId: String(target.id) }))).toMatchObject({ key: "accounts.saved.enabled", params: { username: "zhaoyun" } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(false);
    expect(await flashOf(await call({ intent: "revoke", userId: String(w.users.township.id) }))).toMatchObject({ key: "accounts.saved.revoked", params: { username: "township", n: 1 } });
  });
});

describe("dividend templates and member accounts", () => {
  it("adopting, choosing and saving a template, and a capital entry, name what was saved", async () => {
    const adopt = await post(templatesAction, "/dividends/templates", "accountant", { intent: "adopt", example: "0" });
    const flash = await flashOf(adopt);
    expect(flash).toMatchObject({ key: "bank.saved.adopted" });
    expect(String(flash!.params!.name)).not.toBe("");
    expect(await flashOf(await post(templatesAction, "/dividends/templates", "accountant", { intent: "choose", id: String(w.extra.templateC1) }))).toMatchObject({ key: "bank.saved.chosen" });
    const capital = await post(membersAction, "/dividends/members", "accountant", { kind: "capital", villageId: String(w.v1.id), code: "0001", date: "2025-02-01", description: "入社出资", quantityKg: "", amount: "5000" });
    expect((capital as Response).headers.get("Location")).toBe("/dividends/members?year=2025");
    expect(await flashOf(capital)).toMatchObject({ key: "member.saved.capital", params: { amount: "5,000.00", code: "0001", head: "谢建国", date: "2025-02-01" } });
  });
});

describe("imports", () => {
  it("applying a batch asks a reason after access; the job carries it into the import's audit event", async () => {
    const r = await startDryRun(users.secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes: await roster(2), updateExisting: false }, { wait: true });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const call = (who: Who, form: Record<string, string>) => post(batchAction, `/imports/${r.id}`, who, form, { id: String(r.id) });
    expect(await statusOf(() => call("secretary2", { intent: "import", reason: "x" }))).toBe(404);
    expect(errorsOf(await call("secretary", { intent: "import" })).reason).toEqual({ key: "confirm.reasonRequired" });
    expect((await getBatch(users.secretary, r.id))!.status).toBe("CHECKED");
    const res = await call("secretary", { intent: "import", reason: "依据2025年花名册" });
    expect(await flashOf(res)).toMatchObject({ key: "importPage.saved.started", params: { file: "花名册.xlsx", reason: "依据2025年花名册" }, at: `/imports/${r.id}` });
    const job = await prisma.job.findFirstOrThrow({ where: { kind: "IMPORT_APPLY" }, orderBy: { id: "desc" } });
    expect(JSON.parse(job.input)).toMatchObject({ batchId: r.id, reason: "依据2025年花名册" });

    // the import itself writes the reason into its audit event
    const r2 = await startDryRun(users.secretary, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "第二批.xlsx", bytes: await roster(1, { from: 300 }), updateExisting: false }, { wait: true });
    if (!r2.ok) throw new Error(JSON.stringify(r2));
    expect(await startImport(users.secretary, r2.id, { wait: true, reason: "补录" })).toEqual({ ok: true });
    expect(JSON.parse((await lastAudit("ImportBatch", r2.id)).after!)).toMatchObject({ reason: "补录" });
  });
});

describe("reference prices", () => {
  it("recording a price names the year, the price and its source", async () => {
    const { action: pricesAction } = await import("~/routes/_app.contracts.prices");
    const r = await post(pricesAction as never, "/contracts/prices", "admin", { townshipId: String(w.t1.id), year: "2031", crop: "CORN", basis: "MARKET", price: "1.18", source: "镇农经站" }).catch((e: unknown) => e);
    if (r instanceof Response && !r.headers.get("Set-Cookie")) throw new Error(`redirected to ${r.headers.get("Location")}`);
    expect(await flashOf(r)).toMatchObject({ key: "prices.saved", params: { year: 2031, price: "1.18", source: "镇农经站" }, at: "/contracts/prices" });
    expect((r as Response).headers.get("Location")).toBe(`/contracts/prices?township=${w.t1.id}`);
    expect(await prisma.referencePrice.count({ where: { year: 2031, crop: "CORN" } })).toBe(1);
  });
});
