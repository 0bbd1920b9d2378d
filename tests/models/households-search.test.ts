/**
 * Issue 15 items 6, 10 and 5 for households: search by the end of an ID
 * number or a birth date (and why nothing matched), the standard monitoring
 * categories and risk types, and every save answering with a message.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { takeFlash } from "~/lib/flash.server";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import { parseHouseholdForm } from "~/registry/household-form";
import { createHousehold, getHouseholdPage, listHouseholds, updateHousehold } from "~/registry/households.server";
import { makeIdNumber } from "~/registry/id-number";
import { seesPersonalData } from "~/registry/privacy";
import { upgradeSearchIndex } from "~/registry/search-index-upgrade.server";
import { action as newHousehold } from "~/routes/_app.households.new";
import { action as editHousehold } from "~/routes/_app.households.$id.edit";
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

let serial = 300;
const freshId = (birth: string) => makeIdNumber("371702", birth, String(++serial % 1000).padStart(3, "0"));

const householdForm = (village: World["v1"], code: string, members: { name: string; relation: string; id: string }[], over: RawForm = {}): RawForm => {
  const raw: RawForm = { code, groupId: String(village.groups[0]!.id), status: "ORDINARY", ...over };
  members.forEach((m, i) => {
    raw[`members.${i}.name`] = m.name;
    raw[`members.${i}.relation`] = m.relation;
    raw[`members.${i}.idNumber`] = m.id;
  });
  return raw;
};
const parse = (raw: RawForm) => {
  const r = parseHouseholdForm(raw, 2026);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const ids = async (user: CurrentUser, q: string, f: Record<string, unknown> = {}) => (await listHouseholds(user.scope, { q, ...f }, user)).rows.map((r) => r.id);

describe("search by the end of an ID number or a birth date", () => {
  it("finds a household by the last 4–6 characters of any member's ID or a birth date, however it is written", async () => {
    const childId = freshId("20120229");
    const saved = await createHousehold(secretary, world.v1.id, parse(householdForm(world.v1, "0501", [{ name: "鲁守业", relation: "HEAD", id: freshId("19650308") }, { name: "鲁小满", relation: "DAUGHTER", id: childId }])));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    for (const q of [childId.slice(-4), childId.slice(-5), childId.slice(-6), "2012-02-29", "20120229", "2012年2月29日", "2012/2/29"]) {
      expect(await ids(secretary, q), q).toContain(saved.id);
    }
    // the row says which member matched
    const found = await listHouseholds(secretary.scope, { q: "2012年2月29日" }, secretary);
    expect(found.rows.find((r) => r.id === saved.id)!.matched).toEqual([{ name: "鲁小满", relation: "DAUGHTER" }]);
    // the township sees the last 4 on its list, so it may search by them; not by more, nor by birth date
    expect(await ids(township, childId.slice(-4))).toContain(saved.id);
    expect((await listHouseholds(township.scope, { q: childId.slice(-6) }, township)).search).toEqual({ problem: { key: "search.restricted.idSuffix", params: { n: 6 } } });
    expect((await listHouseholds(township.scope, { q: "2012-02-29" }, township)).search).toEqual({ problem: { key: "search.restricted.birthDate", params: {} } });
    // a member who moved out is no longer found by their numbers
    const daughter = await prisma.person.findFirstOrThrow({ where: { idNumber: childId } });
    const head = await prisma.person.findFirstOrThrow({ where: { householdId: saved.id, relation: "HEAD" } });
    const left = await updateHousehold(
      secretary,
      saved.id,
      parse({
        ...householdForm(world.v1, "0501", [{ name: head.name, relation: "HEAD", id: head.idNumber }]),
        "members.0.id": String(head.id),
        "members.1.id": String(daughter.id),
        "members.1.name": daughter.name,
        "members.1.remove": "1",
        "members.1.leftOn": "2026-01-02",
        "members.1.leaveReason": "婚嫁迁出",
      }),
    );
    expect(left.ok).toBe(true);
    expect(await ids(secretary, childId.slice(-6))).not.toContain(saved.id);
  });

  it("says what it searched for when nothing matches, and why it did not search", async () => {
    const none = await listHouseholds(secretary.scope, { q: "9999" }, secretary);
    // (no ID of the world ends in 9999: the sequence digits are below 1000 and the check digit follows them)
    expect(none.total === 0 ? none.search : null).toEqual({ criteria: [{ kind: "idSuffix", digits: "9999" }] });
    expect((await listHouseholds(secretary.scope, { q: "123" }, secretary)).search).toEqual({ problem: { key: "search.idSuffixTooShort", params: { text: "123", count: 3 } } });
    expect((await listHouseholds(secretary.scope, { q: "1965-02-30" }, secretary)).search).toMatchObject({ problem: { key: "search.dateInvalid" } });
  });

  it("property: searching any member's last 4–6 characters or birth date finds the household for a permitted user, and never one outside their scope", async () => {
    const villages = [world.v1, world.v2, world.v3];
    let code = 700;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            village: fc.constantFrom(0, 1, 2),
            births: fc.array(fc.date({ min: new Date("1930-01-01T00:00:00Z"), max: new Date("2025-12-31T00:00:00Z"), noInvalidDate: true }), { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.nat(),
        fc.constantFrom(4, 5, 6, 0),
        fc.constantFrom("iso", "compact", "chinese", "slash"),
        async (households, pick, n, style) => {
          const made: { id: number; villageId: number; townshipId: number; members: string[] }[] = [];
          for (const h of households) {
            const v = villages[h.village]!;
            const members = h.births.map((b, i) => ({ name: `测${"甲乙丙"[i]}`, relation: i === 0 ? "HEAD" : "SON", id: freshId(b.toISOString().slice(0, 10).replace(/-/g, "")) }));
            const raw = householdForm(v, String(++code), members);
            const r = parseHouseholdForm(raw, 2026);
            if (!r.ok) return; // (a date fast-check drew that an ID cannot carry)
            const writer = h.village === 0 ? secretary : h.village === 1 ? secretary2 : null;
            let id: number;
            if (writer) {
              const saved = await createHousehold(writer, v.id, r.value);
              if (!saved.ok) return;
              id = saved.id;
            } else {
              // 船郭庄村 has no secretary in the world: written as the import would, terms included
              const created = await prisma.household.create({
                data: { code: String(code), townshipId: v.townshipId, villageId: v.id, groupId: v.groups[0]!.id, headName: members[0]!.name, members: { create: r.value.members.map((m) => ({ name: m.name, relation: m.relation, idNumber: m.idNumber, birthDate: m.birthDate, sex: m.sex })) } },
              });
              const { replaceSearchTerms } = await import("~/registry/search-index.server");
              await prisma.$transaction((tx) => replaceSearchTerms(tx, created.id));
              id = created.id;
            }
            made.push({ id, villageId: v.id, townshipId: v.townshipId, members: members.map((m) => m.id) });
          }
          const target = made[pick % made.length]!;
          const memberId = target.members[pick % target.members.length]!;
          const [y, m, d] = [memberId.slice(6, 10), memberId.slice(10, 12), memberId.slice(12, 14)];
          const q = n ? memberId.slice(-n) : { iso: `${y}-${m}-${d}`, compact: `${y}${m}${d}`, chinese: `${y}年${Number(m)}月${Number(d)}日`, slash: `${y}/${Number(m)}/${Number(d)}` }[style];
          // a compact date before 1900 reads as a number start: not this property's case
          if (!n && style === "compact" && Number(y) < 1900) return;
          checked++;
          for (const user of [secretary, secretary2, township]) {
            const result = await listHouseholds(user.scope, { q }, user);
            const allowed = !("problem" in (result.search ?? {}));
            if (!allowed) {
              // refused only where the digits are hidden from this user
              expect(n === 4).toBe(false);
              expect(result.rows).toEqual([]);
              continue;
            }
            const inScope = user.scope.kind === "village" ? target.villageId === user.scope.villageId : target.townshipId === (user.scope as { townshipId: number }).townshipId;
            if (inScope) expect(result.rows.map((r) => r.id)).toContain(target.id);
            for (const row of result.rows) {
              const h = await prisma.household.findUniqueOrThrow({ where: { id: row.id } });
              // never outside the scope; and a search by hidden digits only ever shows households whose numbers the user sees whole
              if (user.scope.kind === "village") expect(h.villageId).toBe(user.scope.villageId);
              else expect(h.townshipId).toBe((user.scope as { townshipId: number }).townshipId);
              if (n !== 4) expect(seesPersonalData(user, h)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
    expect(checked).toBeGreaterThan(8);
  });

  it("brings the terms of a database made before them up to date", async () => {
    await prisma.householdSearchTerm.deleteMany({ where: { OR: [{ term: { startsWith: "s:" } }, { term: { startsWith: "b:" } }] } });
    const idOfH1 = world.h1.members[0]!.idNumber;
    expect(await ids(secretary, idOfH1.slice(-4))).toEqual([]);
    const n = await upgradeSearchIndex();
    expect(n).toBeGreaterThan(0);
    expect(await ids(secretary, idOfH1.slice(-4))).toContain(world.h1.id);
    expect(await upgradeSearchIndex()).toBe(0);
  });
});

describe("monitoring categories and risk types", () => {
  it("stores the category and risk types on the household and copies them into each status change; the list filters by category", async () => {
    const head = freshId("19580606");
    const saved = await createHousehold(
      secretary,
      world.v1.id,
      parse(householdForm(world.v1, "0601", [{ name: "鲁守田", relation: "HEAD", id: head }], { status: "MONITORED", statusDate: "2025-03-01", monitoringCategory: "MARGINAL", "riskTypes.ILLNESS": "on", "riskTypes.EDUCATION": "on" })),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const person = await prisma.person.findFirstOrThrow({ where: { householdId: saved.id } });
    const changed = await updateHousehold(
      secretary,
      saved.id,
      parse({
        ...householdForm(world.v1, "0601", [{ name: "鲁守田", relation: "HEAD", id: head }], { status: "MONITORED", statusDate: "2025-09-01", monitoringCategory: "SUDDEN", "riskTypes.DISASTER": "on", "riskTypes.OTHER": "on", statusReason: "房屋倒塌" }),
        "members.0.id": String(person.id),
      }),
    );
    expect(changed.ok).toBe(true);
    const page = (await getHouseholdPage(secretary, saved.id))!;
    expect(page).toMatchObject({ monitoringCategory: "SUDDEN", riskTypes: "DISASTER,OTHER", statusReason: "房屋倒塌" });
    expect(page.statusChanges.map((c) => [c.effectiveOn, c.monitoringCategory, c.riskTypes])).toEqual([
      ["2025-09-01", "SUDDEN", "DISASTER,OTHER"],
      ["2025-03-01", "MARGINAL", "ILLNESS,EDUCATION"],
    ]);
    expect(await ids(secretary, "", { status: "MONITORED", category: "SUDDEN" })).toContain(saved.id);
    expect(await ids(secretary, "", { category: "MARGINAL" })).not.toContain(saved.id);
    expect(await ids(secretary, "鲁守田", { category: "SUDDEN" })).toEqual([saved.id]);
    expect(await ids(secretary, "鲁守田", { category: "UNSTABLE" })).toEqual([]);
  });
});

describe("every save answers", () => {
  it("a new household redirects to its page with a message naming it; a refused one keeps the form", async () => {
    const form = householdForm(world.v1, "0801", [{ name: "鲁新户", relation: "HEAD", id: freshId("19800101") }]);
    const res = (await newHousehold({ request: request("/households/new", { cookie: world.users.secretary.cookie, form: form as Record<string, string> }), params: {}, context: {} } as never)) as Response;
    expect(res.status).toBe(302);
    const to = res.headers.get("Location")!;
    const flash = await takeFlash(request(to, { headers: { Cookie: res.headers.get("Set-Cookie")!.split(";")[0]! } }));
    expect(flash.message).toMatchObject({ key: "household.createdFlash", params: { code: "0801", name: "鲁新户" }, at: to });
    const refused = await newHousehold({ request: request("/households/new", { cookie: world.users.secretary.cookie, form: { ...form, code: "" } }), params: {}, context: {} } as never);
    expect(refused).not.toBeInstanceOf(Response);
  });

  it("an edit that moves a member out asks for a reason, and says who moved out", async () => {
    const headId = freshId("19700707");
    const sonId = freshId("20000101");
    const saved = await createHousehold(secretary, world.v1.id, parse(householdForm(world.v1, "0802", [{ name: "鲁有田", relation: "HEAD", id: headId }, { name: "鲁小田", relation: "SON", id: sonId }])));
    if (!saved.ok) throw new Error("not saved");
    const [head, son] = await prisma.person.findMany({ where: { householdId: saved.id }, orderBy: { id: "asc" } });
    const form = {
      ...householdForm(world.v1, "0802", [{ name: head!.name, relation: "HEAD", id: headId }]),
      "members.0.id": String(head!.id),
      "members.1.id": String(son!.id),
      "members.1.name": son!.name,
      "members.1.remove": "1",
      "members.1.leftOn": "2026-01-02",
    };
    const call = (f: RawForm) => editHousehold({ request: request(`/households/${saved.id}/edit`, { cookie: world.users.secretary.cookie, form: f as Record<string, string> }), params: { id: String(saved.id) }, context: {} } as never);
    const refused = (await call(form)) as unknown as { data: { errors: Record<string, { key: string }> } };
    expect(refused.data.errors["members.1.leaveReason"]).toEqual({ key: "confirm.reasonRequired" });
    expect((await prisma.person.findUniqueOrThrow({ where: { id: son!.id } })).leftOn).toBeNull();
    const res = (await call({ ...form, "members.1.leaveReason": "参军" })) as Response;
    expect(res.status).toBe(302);
    const flash = await takeFlash(request(res.headers.get("Location")!, { headers: { Cookie: res.headers.get("Set-Cookie")!.split(";")[0]! } }));
    expect(flash.message).toMatchObject({ key: "household.savedLeftFlash", params: { code: "0802", name: "鲁有田", names: "鲁小田" } });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Household", entityId: String(saved.id), action: "update" } });
    expect(JSON.parse(audit.after!).members).toEqual([{ id: son!.id, leftOn: "2026-01-02", reason: "参军" }]);
  });
});
