import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { makeIdNumber } from "~/registry/id-number";
import { parseHouseholdForm, type RawForm } from "~/registry/household-form";
import { createHousehold, getHousehold, listHouseholds, updateHousehold } from "~/registry/households.server";
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
        statusDate: "2026-03-01",
        "members.0.id": String(head!.id),
        "members.0.name": head!.name,
        "members.0.relation": "HEAD",
        "members.0.idNumber": head!.idNumber,
      }),
    );
    expect(r.ok).toBe(true);
    const h = await getHousehold(secretary, h1.id);
    expect(h?.status).toBe("MONITORED");
    expect(h?.statusChanges.map((c) => c.status)).toEqual(["MONITORED", "ORDINARY"]);
    const left = h?.members.find((m) => m.id === child!.id);
    expect(left?.leftOn).not.toBeNull();
    // A member who left is no longer found by search.
    expect((await listHouseholds(secretary.scope, { q: child!.name })).total).toBe(0);
    expect((await listHouseholds(secretary.scope, { q: "13700001111" })).rows.map((x) => x.id)).toEqual([h1.id]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Household", entityId: String(h1.id), action: "update" } });
    expect(JSON.parse(audit.before!)).toMatchObject({ status: "ORDINARY" });
    expect(JSON.parse(audit.after!)).toMatchObject({ status: "MONITORED", statusReason: "因病", phone: "13700001111" });
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
    const partial = await listHouseholds(township.scope, { q: world.h2.members[0]!.idNumber.slice(0, 14) });
    expect(partial.rows.map((r) => r.id)).toContain(world.h2.id);
  });
});
