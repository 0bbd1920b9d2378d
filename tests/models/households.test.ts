import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { makeIdNumber } from "~/registry/id-number";
import { parseHouseholdForm } from "~/registry/household-form";
import type { RawForm } from "~/lib/forms";
import { createHousehold, getHousehold, listHouseholds, updateHousehold } from "~/registry/households.server";
import fc from "fast-check";
import { afterEach, vi } from "vitest";
import { loader as householdPage } from "~/routes/_app.households.$id._index";
import { formatInstantDate, today } from "~/lib/dates";
import { currentChange } from "~/registry/status-history";
import { buildWorld, request, type World } from "../factories";

let world: World;
let secretary: CurrentUser;
let secretary2: CurrentUser;
let township: CurrentUser;

beforeAll(async () => {
  world = await buildWorld();
  const as = async (u: { cookie: string }) => (await getUser(request("/", { cookie: u.cookie })))!;
  secretary = await as(world.users.secretary);
  secretary2 = await as(world.users.secretary2);
  township = await as(world.users.township);
});

const form = (over: RawForm = {}): RawForm => ({
  code: "0100",
  groupId: String(world.v1.groups[0]!.id),
  phone: "13912345678",
  status: "ORDINARY",
  "members.0.name": "谢家宝",
  "members.0.relation": "HEAD",
  "members.0.idNumber": "11010519491231002X",
  "members.1.name": "谢小朵",
  "members.1.relation": "DAUGHTER",
  "members.1.idNumber": "440524188001010014",
  ...over,
});

const parse = (raw: RawForm) => {
  const r = parseHouseholdForm(raw, 2026);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe("households against a real SQLite file", () => {
  it("creates a household with its members, status history, search terms and audit record", async () => {
    const saved = await createHousehold(secretary, world.v1.id, parse(form()));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const h = await getHousehold(secretary, saved.id);
    expect(h?.members.map((m) => m.name)).toEqual(["谢家宝", "谢小朵"]);
    expect(h?.statusChanges).toHaveLength(1);
    const found = await listHouseholds(secretary.scope, { q: "小朵" });
    expect(found.rows.map((r) => r.id)).toEqual([saved.id]);
    expect(found.rows[0]!.matched).toEqual([{ name: "谢小朵", relation: "DAUGHTER" }]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Household", entityId: String(saved.id), action: "create" } });
    expect(audit.actorName).toBe("secretary");
    expect(JSON.parse(audit.after!).members).toHaveLength(2);
  });

  it("refuses an ID number that belongs to a current member of another household, and saves nothing", async () => {
    const taken = world.h2.members[0]!.idNumber;
    const before = await prisma.household.count();
    const r = await createHousehold(secretary, world.v1.id, parse(form({ code: "0101", "members.1.idNumber": taken })));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors["members.1.idNumber"]).toMatchObject({ key: "id.duplicate" });
    expect(await prisma.household.count()).toBe(before);
  });

  it("refuses a household number already used in the village", async () => {
    const r = await createHousehold(secretary, world.v1.id, parse(form({ "members.0.idNumber": makeIdNumber("371702", "19700101", "017"), "members.1.idNumber": makeIdNumber("371702", "20000101", "016"), code: world.h1.code })));
    expect(r).toMatchObject({ ok: false, errors: { code: { key: "code.duplicate" } } });
  });

  it("records who changed what on edit, appends status history and keeps members who left", async () => {
    const h1 = world.h1;
    const [head, child] = h1.members;
    const r = await updateHousehold(
      secretary,
      h1.id,
      parse({
        code: h1.code,
        groupId: String(h1.groupId),
        phone: "13700001111",
        status: "MONITORED",
        statusReason: "因病",
        monitoringCategory: "MARGINAL",
        "riskTypes.ILLNESS": "on",
        statusDate: "2026-03-01",
        "members.0.id": String(head!.id),
        "members.0.name": head!.name,
        "members.0.relation": "HEAD",
        "members.0.idNumber": head!.idNumber,
        "members.1.id": String(child!.id),
        "members.1.name": child!.name,
        "members.1.remove": "1",
        "members.1.leftOn": "2026-03-15",
        "members.1.leaveReason": "婚嫁迁出",
      }),
    );
    expect(r.ok).toBe(true);
    const h = await getHousehold(secretary, h1.id);
    expect(h?.status).toBe("MONITORED");
    expect(h?.statusChanges.map((c) => c.status)).toEqual(["MONITORED", "ORDINARY"]);
    const left = h?.members.find((m) => m.id === child!.id);
    // the 迁出日期 typed, never the time of the edit
    expect(left?.leftOn).toBe("2026-03-15");
    // A member who left is no longer found by search.
    expect((await listHouseholds(secretary.scope, { q: child!.name })).total).toBe(0);
    expect((await listHouseholds(secretary.scope, { q: "13700001111" })).rows.map((x) => x.id)).toEqual([h1.id]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Household", entityId: String(h1.id), action: "update" } });
    expect(JSON.parse(audit.before!)).toMatchObject({ status: "ORDINARY" });
    // the trail stores personal numbers masked (ADR 004): that the phone changed, not the number
    expect(JSON.parse(audit.after!)).toMatchObject({ status: "MONITORED", statusReason: "因病", phone: "137****1111" });
  });

  it("never finds or reads households outside the scope, whatever the filters say", async () => {
    const name = world.h2.members[0]!.name;
    expect((await listHouseholds(secretary.scope, { q: name })).total).toBe(0);
    expect((await listHouseholds(secretary.scope, { villageId: world.v2.id })).total).toBe(0);
    expect((await listHouseholds(secretary.scope, { q: world.h2.members[0]!.idNumber })).total).toBe(0);
    expect(await getHousehold(secretary, world.h2.id)).toBeNull();
    expect((await listHouseholds(secretary2.scope, { q: name })).total).toBe(1);
    expect((await listHouseholds(township.scope, { q: world.h3.members[0]!.name })).total).toBe(0);
    await expect(updateHousehold(secretary2, world.h1.id, parse(form()))).rejects.toMatchObject({ status: 404 });
    await expect(updateHousehold(township, world.h1.id, parse(form()))).rejects.toMatchObject({ status: 403 });
  });

  it("masks ID numbers and bank accounts for readers who do not manage the household", async () => {
    const asTownship = await getHousehold(township, world.h2.id);
    expect(asTownship?.members[0]!.idNumber).toMatch(/^371702\*{8}\d{3}[\dX]$/);
    expect(asTownship?.bankAccount).toContain("****");
    const asSecretary = await getHousehold(secretary2, world.h2.id);
    expect(asSecretary?.members[0]!.idNumber).toBe(world.h2.members[0]!.idNumber);
  });

  it("finds a household by two names at once, and by a partial ID number", async () => {
    const both = await listHouseholds(township.scope, { q: "谢家宝 小朵" });
    expect(both.total).toBe(1);
    const none = await listHouseholds(township.scope, { q: "谢家宝 刘振华" });
    expect(none.total).toBe(0);
    // a start of 14 characters holds the birth date the masked ID hides: only the secretary who keeps the household searches by it
    const prefix = world.h2.members[0]!.idNumber.slice(0, 14);
    const partial = await listHouseholds(secretary2.scope, { q: prefix }, secretary2);
    expect(partial.rows.map((r) => r.id)).toContain(world.h2.id);
    const refused = await listHouseholds(township.scope, { q: prefix }, township);
    expect(refused).toMatchObject({ total: 0, rows: [], search: { problem: { key: "search.restricted.digits" } } });
  });
});

afterEach(() => {
  vi.useRealTimers();
});

/** Unique valid ID numbers for the households these tests create. */
let serial = 600;
const freshId = (birth: string) => makeIdNumber("371702", birth, String(++serial).padStart(3, "0"));
const pageOf = async (id: number) => {
  const res = await householdPage({ request: request(`/households/${id}`, { cookie: world.users.secretary.cookie }), params: { id: String(id) }, context: {} });
  return res as Exclude<Awaited<ReturnType<typeof householdPage>>, Response>;
};

describe("membership dates: 入户日期 and 迁出日期 are typed, never the time of typing", () => {
  it("stores the 入户日期 typed, and unknown (null) when blank, on create and on adding a member", async () => {
    const saved = await createHousehold(
      secretary,
      world.v1.id,
      parse(form({ code: "0200", "members.0.idNumber": freshId("19700101"), "members.1.idNumber": freshId("20100101"), "members.1.joinedOn": "2026-07-15" })),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const people = await prisma.person.findMany({ where: { householdId: saved.id }, orderBy: { id: "asc" } });
    // before the fix the head got the instant of typing (a mid-year household counted 0.08 person)
    expect(people.map((p) => [p.joinedOn, p.leftOn])).toEqual([
      [null, null],
      ["2026-07-15", null],
    ]);
    const [head, daughter] = people;
    const baby = freshId("20260301");
    const r = await updateHousehold(
      secretary,
      saved.id,
      parse({
        code: "0200",
        groupId: String(world.v1.groups[0]!.id),
        status: "ORDINARY",
        "members.0.id": String(head!.id),
        "members.0.name": head!.name,
        "members.0.relation": "HEAD",
        "members.0.idNumber": head!.idNumber,
        "members.1.id": String(daughter!.id),
        "members.1.name": daughter!.name,
        "members.1.relation": "DAUGHTER",
        "members.1.idNumber": daughter!.idNumber,
        "members.1.joinedOn": "2026-07-15",
        "members.2.name": "谢小宝",
        "members.2.relation": "GRANDSON",
        "members.2.idNumber": baby,
      }),
    );
    expect(r.ok).toBe(true);
    expect((await prisma.person.findFirstOrThrow({ where: { idNumber: baby } })).joinedOn).toBeNull();
    const page = await pageOf(saved.id);
    expect(page.household.members.map((m) => [m.name, m.joinedOn, m.leftOn])).toEqual([
      [head!.name, null, null],
      [daughter!.name, "2026-07-15", null],
      ["谢小宝", null, null],
    ]);
  });

  it("refuses to remove a member without a 迁出日期, and one before the stored 入户日期; nothing is saved", async () => {
    const saved = await createHousehold(
      secretary,
      world.v1.id,
      parse(form({ code: "0201", "members.0.idNumber": freshId("19700101"), "members.1.idNumber": freshId("20100101"), "members.1.joinedOn": "2020-05-02" })),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const [head, daughter] = await prisma.person.findMany({ where: { householdId: saved.id }, orderBy: { id: "asc" } });
    const headRow = { "members.0.id": String(head!.id), "members.0.name": head!.name, "members.0.relation": "HEAD", "members.0.idNumber": head!.idNumber };
    const base = { code: "0201", groupId: String(world.v1.groups[0]!.id), status: "ORDINARY", ...headRow };
    // left off the form (the old way of removing): no date, refused
    const missing = await updateHousehold(secretary, saved.id, parse(base));
    expect(missing).toEqual({ ok: false, errors: { members: { key: "member.leftOnMissing", params: { names: daughter!.name } } } });
    // removed with a date before the 入户日期 stored (the form's hidden copy of it left out)
    const early = await updateHousehold(secretary, saved.id, parse({ ...base, "members.1.id": String(daughter!.id), "members.1.name": daughter!.name, "members.1.remove": "1", "members.1.leftOn": "2020-05-01", "members.1.leaveReason": "迁出" }));
    expect(early).toEqual({ ok: false, errors: { "members.1.leftOn": { key: "member.leftOnBeforeJoined", params: { joinedOn: "2020-05-02" } } } });
    expect((await prisma.person.findUniqueOrThrow({ where: { id: daughter!.id } })).leftOn).toBeNull();
  });
});

describe("the clock at 00:30 China time (16:30 UTC the day before)", () => {
  it("stores and prints the China date of a new household, its status and a member's removal", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z"));
    expect(today()).toBe("2026-12-03");
    // 12月3日 is today in China: accepted, although it is still 12月2日 in UTC
    const saved = await createHousehold(secretary, world.v1.id, parse(form({ code: "0300", "members.0.idNumber": freshId("19700101"), "members.1.idNumber": freshId("20100101") })));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const stored = await prisma.household.findUniqueOrThrow({ where: { id: saved.id }, include: { statusChanges: true, members: { orderBy: { id: "asc" } } } });
    expect(stored.createdAt.toISOString()).toBe("2026-12-02T16:30:00.000Z");
    // the status took effect on the China day 12月3日, stored as the instant it begins
    expect(stored.statusDate?.toISOString()).toBe("2026-12-02T16:00:00.000Z");
    expect(stored.statusChanges.map((c) => c.effectiveOn.toISOString())).toEqual(["2026-12-02T16:00:00.000Z"]);
    expect(stored.members.map((m) => m.joinedOn)).toEqual([null, null]);

    const page = await pageOf(saved.id);
    expect(page.household.createdAt).toBe("2026-12-03 00:30");
    expect(page.household.statusDate).toBe("2026-12-03");
    expect(page.household.statusChanges.map((c) => [c.effectiveOn, c.recordedAt])).toEqual([["2026-12-03", "2026-12-03 00:30"]]);

    const [head, daughter] = stored.members;
    const edit = (over: RawForm) => ({
      code: "0300",
      groupId: String(world.v1.groups[0]!.id),
      "members.0.id": String(head!.id),
      "members.0.name": head!.name,
      "members.0.relation": "HEAD",
      "members.0.idNumber": head!.idNumber,
      "members.1.id": String(daughter!.id),
      "members.1.name": daughter!.name,
      "members.1.remove": "1",
      "members.1.leaveReason": "户口迁往外地",
      ...over,
    });
    const parseNow = (raw: RawForm) => parseHouseholdForm(raw, 2026);
    // 12月4日 has not come yet in China
    expect(parseNow(edit({ status: "ORDINARY", "members.1.leftOn": "2026-12-04" }))).toMatchObject({ ok: false, errors: { "members.1.leftOn": { key: "member.leftOnFuture", params: { today: "2026-12-03" } } } });
    expect(parseNow(edit({ status: "MONITORED", statusReason: "因病", monitoringCategory: "SUDDEN", "riskTypes.ILLNESS": "on", statusDate: "2026-12-04", "members.1.leftOn": "2026-12-03" }))).toMatchObject({
      ok: false,
      errors: { statusDate: { key: "status.dateFuture" } },
    });
    const r = await updateHousehold(secretary, saved.id, parse(edit({ status: "MONITORED", statusReason: "因病", monitoringCategory: "SUDDEN", "riskTypes.ILLNESS": "on", statusDate: "2026-12-03", "members.1.leftOn": "2026-12-03" })));
    expect(r.ok).toBe(true);
    expect((await prisma.person.findUniqueOrThrow({ where: { id: daughter!.id } })).leftOn).toBe("2026-12-03");
    const after = await pageOf(saved.id);
    expect(after.household.members.find((m) => m.id === daughter!.id)?.leftOn).toBe("2026-12-03");
    expect(after.household.statusChanges.map((c) => [c.status, c.effectiveOn])).toEqual([
      ["MONITORED", "2026-12-03"],
      ["ORDINARY", "2026-12-03"],
    ]);
    expect(after.household.statusDate).toBe("2026-12-03");
  });
});

describe("status changes: never after today, never behind the current status", () => {
  const householdForm = (code: string, head: { id: number; name: string; idNumber: string }, status: string, statusDate: string): RawForm => ({
    code,
    groupId: String(world.v1.groups[0]!.id),
    status,
    statusDate,
    ...(status === "ALLEVIATED" ? { statusYear: "2019" } : {}),
    ...(status === "MONITORED" ? { statusReason: "因病", monitoringCategory: "UNSTABLE", "riskTypes.ILLNESS": "on" } : {}),
    "members.0.id": String(head.id),
    "members.0.name": head.name,
    "members.0.relation": "HEAD",
    "members.0.idNumber": head.idNumber,
  });

  it("refuses a change dated before the current status's date, naming that date", async () => {
    const saved = await createHousehold(secretary, world.v1.id, parse({ ...form({ code: "0400", "members.0.idNumber": freshId("19700101") }), "members.1.name": "", "members.1.idNumber": "", "members.1.relation": "", statusDate: "2024-06-01" }));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const head = await prisma.person.findFirstOrThrow({ where: { householdId: saved.id } });
    const r = await updateHousehold(secretary, saved.id, parse(householdForm("0400", head, "MONITORED", "2024-05-31")));
    expect(r).toEqual({ ok: false, errors: { statusDate: { key: "status.dateBeforeCurrent", params: { date: "2024-06-01" } } } });
    expect((await prisma.household.findUniqueOrThrow({ where: { id: saved.id } })).status).toBe("ORDINARY");
  });

  it("property: for any sequence of changes with random dates, the current status is the latest change not after today and the page lists the history in date order", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ status: fc.constantFrom("ORDINARY", "ALLEVIATED", "MONITORED"), offset: fc.integer({ min: -3000, max: 5 }) }), { minLength: 1, maxLength: 6 }),
        async (attempts) => {
          const code = `P${++n}`;
          const asOf = today();
          const saved = await createHousehold(secretary, world.v1.id, parse({ ...form({ code, "members.0.idNumber": freshId("19700101") }), "members.1.name": "", "members.1.idNumber": "", "members.1.relation": "", statusDate: "2015-01-01" }));
          if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
          const head = await prisma.person.findFirstOrThrow({ where: { householdId: saved.id } });
          for (const a of attempts) {
            const date = formatInstantDate(new Date(Date.parse(`${asOf}T12:00:00+08:00`) + a.offset * 86_400_000));
            const parsed = parseHouseholdForm(householdForm(code, head, a.status, date), 2026);
            if (!parsed.ok) {
              expect(date > asOf).toBe(true);
              expect(parsed.errors.statusDate).toMatchObject({ key: "status.dateFuture" });
              continue;
            }
            await updateHousehold(secretary, saved.id, parsed.value);
          }
          const stored = await prisma.household.findUniqueOrThrow({ where: { id: saved.id }, include: { statusChanges: true } });
          const history = stored.statusChanges.map((c) => ({ id: c.id, status: c.status, effectiveOn: formatInstantDate(c.effectiveOn) }));
          for (const c of history) expect(c.effectiveOn <= asOf).toBe(true);
          expect(stored.status).toBe(currentChange(history, asOf)!.status);
          // the order recorded is the date order
          const byId = [...history].sort((a, b) => a.id - b.id).map((c) => c.effectiveOn);
          expect(byId).toEqual([...byId].sort());
          const page = await pageOf(saved.id);
          const shown = page.household.statusChanges.map((c) => c.effectiveOn);
          expect(shown).toEqual([...shown].sort().reverse());
          expect(page.household.statusChanges[0]!.status).toBe(stored.status);
        },
      ),
      { numRuns: 12 },
    );
  });
});
