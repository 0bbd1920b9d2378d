import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROLES, type Role, type Scope } from "~/auth/permissions";
import { idCheckDigit } from "./id-number";
import { maskIdNumber } from "./masking";
import {
  birthYear,
  forbiddenCriterion,
  FULL_VIEW,
  MASKED_VIEW,
  maskSnapshotJson,
  mayRevealingSearch,
  personalView,
  searchRevealsHidden,
  seesPersonalData,
  snapshotReplacer,
} from "./privacy";

const village = (villageId: number): Scope => ({ kind: "village", townshipId: 1, villageId });
const place = { townshipId: 1, villageId: 11 };

describe("who sees personal numbers in full", () => {
  it("only the secretary who keeps the household's village", () => {
    expect(seesPersonalData({ role: "SECRETARY", scope: village(11) }, place)).toBe(true);
    expect(seesPersonalData({ role: "SECRETARY", scope: village(12) }, place)).toBe(false);
    expect(seesPersonalData({ role: "TOWNSHIP", scope: { kind: "township", townshipId: 1 } }, place)).toBe(false);
    expect(seesPersonalData({ role: "ACCOUNTANT", scope: { kind: "cooperative", townshipId: 1, cooperativeId: 5, villageIds: [11] } }, place)).toBe(false);
    expect(seesPersonalData({ role: "ADMIN", scope: { kind: "all" } }, place)).toBe(false);
    expect(seesPersonalData(null, place)).toBe(false);
    expect(personalView(null, place)).toBe(MASKED_VIEW);
    expect(personalView({ role: "SECRETARY", scope: village(11) }, place)).toBe(FULL_VIEW);
  });

  it("masked, a birth date is its year and nothing more", () => {
    expect(MASKED_VIEW.birthDate("1970-01-01")).toBe("1970");
    expect(birthYear("19700101")).toBe("1970");
    expect(birthYear("1970")).toBe("1970");
    expect(birthYear("")).toBe("");
    expect(birthYear("1月1日")).toBe("");
    expect(FULL_VIEW.birthDate("1970-01-01")).toBe("1970-01-01");
  });

  it("masks a person's ID number as a transferee's code, never a credit code", () => {
    expect(MASKED_VIEW.code("37170219700101102X")).toBe("371702********102X");
    expect(MASKED_VIEW.code("93371702MA3C00001X")).toBe("93371702MA3C00001X");
  });
});

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
const date = fc.record({ y: fc.integer({ min: 1900, max: 2025 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const idNumber = fc.tuple(digits(6), date, digits(3)).map(([area, b, seq]) => {
  const first17 = `${area}${b.replace(/-/g, "")}${seq}`;
  return first17 + idCheckDigit(first17);
});
const mobile = fc.tuple(fc.constantFrom("13", "15", "18", "19"), digits(9)).map(([p, rest]) => p + rest);
const account = digits(17).map((d) => `62${d}`);
const scope: fc.Arbitrary<Scope> = fc.oneof(
  fc.constant<Scope>({ kind: "all" }),
  fc.integer({ min: 1, max: 2 }).map((townshipId): Scope => ({ kind: "township", townshipId })),
  fc.integer({ min: 11, max: 13 }).map((villageId): Scope => ({ kind: "village", townshipId: 1, villageId })),
  fc.subarray([11, 12, 13]).map((villageIds): Scope => ({ kind: "cooperative", townshipId: 1, cooperativeId: 1, villageIds })),
);

describe("property: a masked view never gives a number back", () => {
  it("whatever the viewer, full values only when they keep the place; masked ones hold no full number and no birth date", () => {
    fc.assert(
      fc.property(fc.constantFrom<Role>(...ROLES), scope, fc.integer({ min: 11, max: 13 }), idNumber, mobile, account, (role, s, villageId, id, phone, bank) => {
        const view = personalView({ role, scope: s }, { townshipId: 1, villageId });
        // whole only for the secretary of that very village (write:household's "village" relation)
        expect(view.full).toBe(role === "SECRETARY" && s.kind === "village" && s.villageId === villageId);
        if (view.full) return;
        const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
        const shown = [view.idNumber(id), view.phone(phone), view.bankAccount(bank), view.birthDate(birth)].join(" ");
        for (const secret of [id, phone, bank, birth, id.slice(6, 14)]) expect(shown).not.toContain(secret);
        // the masked ID hides exactly the birth date; the birth year alone is what may stand beside it
        expect(view.idNumber(id)).toBe(maskIdNumber(id));
        expect(view.birthDate(birth)).toBe(id.slice(6, 10));
      }),
    );
  });

  it("a snapshot of any shape, masked, holds none of its IDs, mobiles, accounts or birth dates", () => {
    const person = fc.record({ name: fc.constantFrom("谢建国", "刘振华"), idNumber: idNumber, phone: mobile, birthDate: date });
    const snapshot = fc.record({
      phone: mobile,
      bankAccount: account,
      receivingAccount: account,
      note: fc.tuple(fc.string({ maxLength: 5 }), idNumber, mobile).map(([a, id, m]) => `${a} ${id}，${m}`),
      members: fc.array(person, { maxLength: 3 }),
      amountFen: digits(10).map((d) => `1${d}`),
      parcelCode: digits(15).map((d) => `3717${d}`),
    });
    fc.assert(
      fc.property(snapshot, (snap) => {
        const json = JSON.stringify(snap);
        const shown = maskSnapshotJson(json);
        const secrets = [snap.phone, snap.bankAccount, snap.receivingAccount, ...snap.members.flatMap((m) => [m.idNumber, m.phone, m.birthDate])];
        const inNote = snap.note.match(/\d{17}[\dX]|1\d{10}/g) ?? [];
        for (const secret of [...secrets, ...inNote]) expect(shown).not.toContain(secret);
        // what is not personal stays as stored
        const back = JSON.parse(shown);
        expect(back.amountFen).toBe(snap.amountFen);
        expect(back.parcelCode).toBe(snap.parcelCode);
        expect(back.members.map((m: { name: string }) => m.name)).toEqual(snap.members.map((m) => m.name));
        // masking twice changes nothing (rows stored masked are masked again on display)
        expect(maskSnapshotJson(shown)).toBe(shown);
        expect(maskSnapshotJson(json, FULL_VIEW)).toBe(json);
        expect(JSON.stringify(snap, snapshotReplacer())).toBe(shown);
      }),
    );
  });

  it("shows nothing for empty or broken input", () => {
    expect(maskSnapshotJson(null)).toBe("");
    expect(maskSnapshotJson("{")).toBe("");
  });
});

describe("searching by personal numbers (ADR 005)", () => {
  const secretary = { role: "SECRETARY" as Role, scope: village(11) };
  const others: { role: Role; scope: Scope }[] = [
    { role: "TOWNSHIP", scope: { kind: "township", townshipId: 1 } },
    { role: "ADMIN", scope: { kind: "all" } },
    { role: "ACCOUNTANT", scope: { kind: "cooperative", townshipId: 1, cooperativeId: 5, villageIds: [11] } },
  ];
  it("the last 4 digits, names and whole numbers are for everyone; 5–6 digits, birth dates and number starts only for the secretary", () => {
    const open = [{ kind: "idSuffix", digits: "1234" }, { kind: "name", text: "谢" }, { kind: "id", id: "11010519491231002X" }, { kind: "phone", phone: "13800000000" }] as const;
    const hidden = [{ kind: "idSuffix", digits: "01234" }, { kind: "idSuffix", digits: "081234" }, { kind: "birthDate", date: "1965-03-08" }, { kind: "digits", digits: "3717021965" }] as const;
    for (const c of open) expect(searchRevealsHidden(c)).toBe(false);
    for (const c of hidden) expect(searchRevealsHidden(c)).toBe(true);
    expect(forbiddenCriterion(secretary, [...open, ...hidden])).toBeNull();
    for (const v of [...others, null]) {
      expect(forbiddenCriterion(v, [...open])).toBeNull();
      for (const c of hidden) expect(forbiddenCriterion(v, [open[1], c])).toEqual(c);
    }
  });
  it("property: whoever may search by hidden digits sees every household of their scope whole", () => {
    const scopes: fc.Arbitrary<Scope> = fc.oneof(
      fc.constant<Scope>({ kind: "all" }),
      fc.integer({ min: 1, max: 3 }).map((t): Scope => ({ kind: "township", townshipId: t })),
      fc.integer({ min: 1, max: 3 }).map((v): Scope => ({ kind: "village", townshipId: 1, villageId: v })),
      fc.integer({ min: 1, max: 3 }).map((v): Scope => ({ kind: "cooperative", townshipId: 1, cooperativeId: 9, villageIds: [v] })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), scopes, fc.integer({ min: 1, max: 3 }), (role, scope, villageId) => {
        const viewer = { role, scope };
        if (!mayRevealingSearch(viewer)) return;
        const inScope = scope.kind === "village" && scope.villageId === villageId;
        if (inScope) expect(seesPersonalData(viewer, { townshipId: 1, villageId })).toBe(true);
        // and the only scope it holds for is a single village
        expect(scope.kind).toBe("village");
      }),
    );
  });
});
