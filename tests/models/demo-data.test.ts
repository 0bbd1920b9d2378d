import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { checkCreditCode } from "~/registry/credit-code";
import { checkIdNumber } from "~/registry/id-number";
import { checkPhone } from "~/registry/phone";
import { householdTerms } from "~/registry/search-index.server";
import { DEMO_ACCOUNTS, DEMO_CHILD, type DemoAccount, DEMO_COOPERATIVES, DEMO_TOWNSHIPS, seedDatabase } from "../../scripts/lib/demo-data";

const file = process.env.DATABASE_URL!.replace(/^file:/, "");
let db: Database.Database;
let counts: { households: number; people: number; ms: number };

interface PersonRow {
  id: number;
  householdId: number;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: string;
  relation: string;
  ableToWork: number;
  phone: string;
  joinedOn: string | null;
  leftOn: string | null;
}

beforeAll(async () => {
  counts = await seedDatabase(file, { scale: "demo" });
  db = new Database(file, { readonly: true });
}, 60_000);

afterAll(() => db?.close());

const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;

describe("demo seed", () => {
  it("creates the demo townships, villages and groups with statistical codes", () => {
    const townships = all<{ id: number; code: string; name: string; countyCode: string }>(`SELECT * FROM Township ORDER BY code`);
    expect(townships.map((t) => [t.name, t.code, t.countyCode])).toEqual(DEMO_TOWNSHIPS.map((t) => [t.name, t.code, "371702"]));
    const villages = all<{ code: string; parcelCode: string; name: string; tcode: string; groups: number }>(
      `SELECT v.code, v.parcelCode, v.name, t.code AS tcode, (SELECT COUNT(*) FROM VillagerGroup g WHERE g.villageId = v.id) AS groups
       FROM Village v JOIN Township t ON t.id = v.townshipId ORDER BY v.code`,
    );
    expect(villages.map((v) => v.name)).toEqual(DEMO_TOWNSHIPS.flatMap((t) => t.villages.map((v) => v.name)));
    for (const v of villages) {
      expect(v.code).toMatch(/^\d{12}$/);
      expect(v.code.slice(0, 9)).toBe(v.tcode.slice(0, 9));
      expect(v.parcelCode).toBe(v.code.slice(9));
      expect(v.groups).toBeGreaterThanOrEqual(4);
      expect(v.groups).toBeLessThanOrEqual(8);
    }
    expect(one<{ code: string }>(`SELECT code FROM Village WHERE name = '鲁谢庄村'`).code).toBe("371702102001");
    const groups = all<{ number: string; name: string }>(`SELECT number, name FROM VillagerGroup WHERE villageId = 1 ORDER BY number`);
    expect(groups[0]).toEqual({ number: "01", name: "第一村民小组" });
  });

  it("creates about 1,500 households of 1–6 members, about 3.5 on average", () => {
    expect(counts.households).toBe(one<{ n: number }>(`SELECT COUNT(*) AS n FROM Household`).n);
    expect(counts.people).toBe(one<{ n: number }>(`SELECT COUNT(*) AS n FROM Person`).n);
    expect(counts.households).toBeGreaterThanOrEqual(1300);
    expect(counts.households).toBeLessThanOrEqual(1700);
    const mean = counts.people / counts.households;
    expect(mean).toBeGreaterThan(3.2);
    expect(mean).toBeLessThan(3.8);
    const sizes = all<{ n: number }>(`SELECT COUNT(*) AS n FROM Person GROUP BY householdId`).map((r) => r.n);
    expect(sizes).toHaveLength(counts.households);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(6);
    for (const v of all<{ n: number }>(`SELECT COUNT(*) AS n FROM Household GROUP BY villageId`)) {
      expect(v.n).toBeGreaterThanOrEqual(150);
      expect(v.n).toBeLessThanOrEqual(230);
    }
  });

  it("gives every household one head, whose name, phone and place are on the household", () => {
    const rows = all<{ id: number; heads: number; headName: string; name: string; hphone: string; pphone: string; code: string; address: string; bad: number }>(
      `SELECT h.id, h.code, h.headName, h.phone AS hphone, h.address,
              (SELECT COUNT(*) FROM Person p WHERE p.householdId = h.id AND p.relation = 'HEAD') AS heads,
              (SELECT p.name FROM Person p WHERE p.householdId = h.id AND p.relation = 'HEAD') AS name,
              (SELECT p.phone FROM Person p WHERE p.householdId = h.id AND p.relation = 'HEAD') AS pphone,
              (SELECT COUNT(*) FROM VillagerGroup g WHERE g.id = h.groupId AND g.villageId = h.villageId) +
              (SELECT COUNT(*) FROM Village v WHERE v.id = h.villageId AND v.townshipId = h.townshipId) AS bad
       FROM Household h`,
    );
    let withPhone = 0;
    for (const r of rows) {
      expect(r.heads).toBe(1);
      expect(r.headName).toBe(r.name);
      expect(r.hphone).toBe(r.pphone);
      expect(r.code).toMatch(/^\d{4}$/);
      expect(r.address).toMatch(/^(小留镇|安兴镇).+村\d+号$/);
      expect(r.bad).toBe(2); // group in the village, village in the township
      if (r.hphone) withPhone++;
    }
    expect(withPhone / rows.length).toBeGreaterThan(0.8);
    expect(one<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT villageId, code FROM Household GROUP BY 1, 2 HAVING COUNT(*) > 1)`).n).toBe(0);
  });

  it("gives every person a valid, unique ID number matching birth date and sex", () => {
    const people = all<PersonRow>(`SELECT * FROM Person`);
    const ids = new Set<string>();
    for (const p of people) {
      const r = checkIdNumber(p.idNumber);
      expect(r, p.idNumber).toMatchObject({ ok: true, birthDate: p.birthDate, sex: p.sex, areaCode: "371702" });
      ids.add(p.idNumber);
      expect(p.leftOn).toBeNull();
      expect(p.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      if (p.phone) expect(checkPhone(p.phone)).toEqual({ ok: true, phone: p.phone, kind: "mobile" });
    }
    expect(ids.size).toBe(people.length);
    const accounts = all<{ bankAccount: string }>(`SELECT bankAccount FROM Household`).map((r) => r.bankAccount);
    for (const a of accounts) expect(a).toMatch(/^6230\d{15}$/);
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  it("keeps ages consistent: children 20–35 years younger than their parents", () => {
    const year = (p: PersonRow) => Number(p.birthDate.slice(0, 4));
    const byHousehold = new Map<number, PersonRow[]>();
    for (const p of all<PersonRow>(`SELECT * FROM Person ORDER BY id`)) {
      const list = byHousehold.get(p.householdId) ?? [];
      list.push(p);
      byHousehold.set(p.householdId, list);
    }
    const gap = (older: PersonRow, younger: PersonRow) => {
      const d = year(younger) - year(older);
      expect(d, `${older.name} → ${younger.name}`).toBeGreaterThanOrEqual(20);
      expect(d, `${older.name} → ${younger.name}`).toBeLessThanOrEqual(35);
    };
    for (const members of byHousehold.values()) {
      const head = members.find((m) => m.relation === "HEAD")!;
      const spouse = members.find((m) => m.relation === "SPOUSE");
      for (const m of members) {
        if (m.relation === "SON" || m.relation === "DAUGHTER") {
          gap(head, m);
          if (spouse) gap(spouse, m);
          if (spouse) expect(m.name[0]).toBe((head.sex === "M" ? head : spouse).name[0]);
        }
        if (m.relation === "FATHER" || m.relation === "MOTHER") gap(m, head);
        if (m.relation === "GRANDSON" || m.relation === "GRANDDAUGHTER") {
          const parents = members.filter((p) => ["DAUGHTER_IN_LAW", "SON_IN_LAW"].includes(p.relation));
          expect(parents.length).toBe(1);
          gap(parents[0]!, m);
        }
        expect(year(m)).toBeLessThan(2026);
        expect(2026 - year(m)).toBeLessThanOrEqual(98);
      }
    }
  });

  it("records a status history ending at each household's current status", () => {
    const households = all<{ id: number; status: string; statusYear: number | null; statusReason: string; statusDate: string }>(
      `SELECT id, status, statusYear, statusReason, statusDate FROM Household`,
    );
    const changes = all<{ householdId: number; status: string; year: number | null; reason: string; effectiveOn: string }>(
      `SELECT householdId, status, year, reason, effectiveOn FROM HouseholdStatusChange ORDER BY householdId, effectiveOn, id`,
    );
    const last = new Map<number, (typeof changes)[number]>();
    for (const c of changes) last.set(c.householdId, c);
    const n = { ORDINARY: 0, ALLEVIATED: 0, MONITORED: 0 } as Record<string, number>;
    for (const h of households) {
      n[h.status]!++;
      const c = last.get(h.id);
      expect(c, `household ${h.id}`).toMatchObject({ status: h.status, year: h.statusYear, reason: h.statusReason, effectiveOn: h.statusDate });
      if (h.status === "ALLEVIATED") {
        expect(h.statusYear).toBeGreaterThanOrEqual(2016);
        expect(h.statusYear).toBeLessThanOrEqual(2020);
      }
      if (h.status === "MONITORED") {
        expect(h.statusReason).toMatch(/^因/);
        expect(h.statusDate >= "2022-01-01" && h.statusDate < "2026-01-01").toBe(true);
      }
    }
    const total = households.length;
    expect(n.ALLEVIATED! / total).toBeGreaterThan(0.05);
    expect(n.ALLEVIATED! / total).toBeLessThan(0.12);
    expect(n.MONITORED! / total).toBeGreaterThan(0.01);
    expect(n.MONITORED! / total).toBeLessThan(0.06);
  });

  it("indexes every household's current members for search", () => {
    const people = all<PersonRow>(`SELECT * FROM Person ORDER BY id`);
    const members = new Map<number, PersonRow[]>();
    for (const p of people) members.set(p.householdId, [...(members.get(p.householdId) ?? []), p]);
    const stored = new Map<number, string[]>();
    for (const t of all<{ householdId: number; term: string }>(`SELECT householdId, term FROM HouseholdSearchTerm`)) {
      stored.set(t.householdId, [...(stored.get(t.householdId) ?? []), t.term]);
    }
    for (const h of all<{ id: number; phone: string }>(`SELECT id, phone FROM Household`)) {
      const expected = householdTerms({ phone: h.phone, members: members.get(h.id)! });
      expect(new Set(stored.get(h.id))).toEqual(new Set(expected));
    }
    const misplaced = one<{ n: number }>(
      `SELECT COUNT(*) AS n FROM HouseholdSearchTerm t JOIN Household h ON h.id = t.householdId WHERE h.townshipId <> t.townshipId OR h.villageId <> t.villageId`,
    );
    expect(misplaced.n).toBe(0);
  });

  it("finds DEMO_CHILD in exactly one household, as a child of its head", () => {
    const hits = all<{ householdId: number }>(`SELECT DISTINCT householdId FROM HouseholdSearchTerm WHERE term = ?`, "n:" + DEMO_CHILD.name);
    expect(hits).toHaveLength(1);
    const h = one<{ headName: string; village: string; township: string }>(
      `SELECT h.headName, v.name AS village, t.name AS township FROM Household h JOIN Village v ON v.id = h.villageId JOIN Township t ON t.id = h.townshipId WHERE h.id = ?`,
      hits[0]!.householdId,
    );
    expect(h).toEqual({ headName: DEMO_CHILD.headName, village: DEMO_CHILD.villageName, township: DEMO_CHILD.townshipName });
    expect(h.headName).not.toBe(DEMO_CHILD.name);
    const child = all<{ relation: string }>(`SELECT relation FROM Person WHERE name = ?`, DEMO_CHILD.name);
    expect(child).toHaveLength(1);
    expect(["SON", "DAUGHTER"]).toContain(child[0]!.relation);
  });

  it("creates the cooperatives with valid credit codes and the villages they serve", () => {
    const coops = all<{ id: number; name: string; creditCode: string; type: string; township: string; legalRepresentative: string }>(
      `SELECT c.*, t.name AS township FROM Cooperative c JOIN Township t ON t.id = c.townshipId ORDER BY c.id`,
    );
    expect(coops.map((c) => c.name)).toEqual(DEMO_COOPERATIVES.map((c) => c.name));
    for (const [i, c] of coops.entries()) {
      expect(checkCreditCode(c.creditCode), c.creditCode).toMatchObject({ ok: true, organizationType: "93", areaCode: "371702" });
      expect(c.type).toBe(DEMO_COOPERATIVES[i]!.type);
      expect(c.township).toBe(DEMO_COOPERATIVES[i]!.township);
      expect(c.legalRepresentative).not.toBe("");
      const served = all<{ name: string }>(
        `SELECT v.name FROM CooperativeVillage cv JOIN Village v ON v.id = cv.villageId WHERE cv.cooperativeId = ? ORDER BY v.code`,
        c.id,
      ).map((v) => v.name);
      expect(served).toEqual(DEMO_COOPERATIVES[i]!.villages);
    }
    expect(coops.find((c) => c.name === "牡丹区续强合作社")?.type).toBe("LAND_SHARE");
    expect(coops.find((c) => c.name === "菏泽市牡丹区梨王合作社")?.type).toBe("PROFESSIONAL");
  });

  it("creates one demo account per role, with its scope and the demo password", async () => {
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT", "CHAIR", "SUPERVISOR"]));
    for (const a of DEMO_ACCOUNTS as readonly DemoAccount[]) {
      const u = one<{ role: string; displayName: string; passwordHash: string; township: string | null; village: string | null; cooperative: string | null }>(
        `SELECT u.role, u.displayName, u.passwordHash, t.name AS township, v.name AS village, c.name AS cooperative
         FROM User u LEFT JOIN Township t ON t.id = u.townshipId LEFT JOIN Village v ON v.id = u.villageId LEFT JOIN Cooperative c ON c.id = u.cooperativeId
         WHERE u.username = ?`,
        a.username,
      );
      expect(u, a.username).toBeDefined();
      expect(u).toMatchObject({ role: a.role, displayName: a.displayName, township: a.township ?? null, village: a.village ?? null, cooperative: a.cooperative ?? null });
    }
    const admin = one<{ passwordHash: string }>(`SELECT passwordHash FROM User WHERE username = 'admin'`);
    expect(await verifyPassword("cunshe-demo-2026", admin.passwordHash)).toBe(true);
  });

  it("refuses a database that already has data unless forced", async () => {
    await expect(seedDatabase(file, { scale: "demo" })).rejects.toThrow(/already has data/);
  });

  it("is deterministic: fresh databases get identical households and people", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-seed-"));
    try {
      const other = path.join(dir, "again.db");
      const again = await seedDatabase(other, { scale: "demo" });
      expect({ households: again.households, people: again.people }).toEqual({ households: counts.households, people: counts.people });
      const db2 = new Database(other, { readonly: true });
      try {
        for (const table of ["Township", "Village", "VillagerGroup", "Household", "Person", "HouseholdStatusChange", "Cooperative", "CooperativeVillage"]) {
          const order = table === "CooperativeVillage" ? "cooperativeId, villageId" : "id";
          const a = db.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).all();
          const b = db2.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).all();
          expect(b.length, table).toBe(a.length);
          expect(b, table).toEqual(a);
        }
        const terms = (d: Database.Database) =>
          (d.prepare(`SELECT COUNT(*) AS n, SUM(householdId) AS s, MIN(term) AS lo, MAX(term) AS hi FROM HouseholdSearchTerm`).get() as object);
        expect(terms(db2)).toEqual(terms(db));
        // Forcing replaces everything with the same data again.
        db2.close();
        await seedDatabase(other, { scale: "demo", force: true });
        const db3 = new Database(other, { readonly: true });
        try {
          expect(db3.prepare(`SELECT * FROM Person ORDER BY id`).all()).toEqual(db.prepare(`SELECT * FROM Person ORDER BY id`).all());
          expect((db3.prepare(`SELECT COUNT(*) AS n FROM User`).get() as { n: number }).n).toBe(DEMO_ACCOUNTS.length);
        } finally {
          db3.close();
        }
      } finally {
        if (db2.open) db2.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
