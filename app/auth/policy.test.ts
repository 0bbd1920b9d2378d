import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { can, hasPermission, ownPlace, PERMISSIONS, permissionsOf, relationHolds, ROLES, type Permission, type Role, type Scope, type Target } from "./permissions";
import { POLICY, SCOPE_RELATIONS, type ScopeRelation } from "./policy";

// The role → permission matrix before the policy table (issue 15), and what
// issue 16 changed on purpose: the accountant's part of write:income is
// write:work-days (typed income stays the secretary's), registering a
// cooperative is manage:cooperative (administrators; it was a role test in
// the route), reading the monitoring lines is read:monitoring-line (it was
// "read:audit-view or manage:monitoring-line"), and watching every job is
// read:all-jobs (it borrowed manage:backup).
const OLD_MATRIX: Record<Role, Permission[]> = {
  ADMIN: ["manage:account", "read:audit-trail", "read:household", "read:cooperative", "write:cooperative", "read:contract", "read:plot", "read:dividend", "import:records", "manage:backup", "manage:monitoring-line", "set:reference-price"],
  TOWNSHIP: ["read:household", "read:cooperative", "read:audit-trail", "read:contract", "file:contract", "read:audit-view", "read:plot", "read:dividend", "manage:monitoring-line", "set:reference-price"],
  SECRETARY: ["read:household", "write:household", "read:cooperative", "read:contract", "write:contract", "read:audit-view", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income", "import:records"],
  ACCOUNTANT: ["read:household", "read:cooperative", "write:cooperative", "read:contract", "write:dividend", "issue:dividend", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income"],
  CHAIR: [],
  SUPERVISOR: [],
};
// Issue 14 (the board's sign-off, maker-checker) added the cooperative's chair
// and supervisor: both read what an accountant reads; the chair approves and
// issues (issuing left the accountant); the supervisor and the accountant
// record objections.
const COOPERATIVE_READS: Permission[] = ["read:household", "read:cooperative", "read:contract", "read:plot", "read:dividend"];
const ADDED: Record<Role, Permission[]> = {
  // issue 15: reference layers under the plot maps
  ADMIN: ["manage:cooperative", "read:monitoring-line", "read:all-jobs", "read:books", "manage:reference-layer"],
  TOWNSHIP: ["read:monitoring-line", "read:books"],
  SECRETARY: ["write:work-days", "read:monitoring-line"],
  // issue 17: the books (ADR 021)
  ACCOUNTANT: ["write:work-days", "object:dividend", "read:books", "write:voucher", "close:books"],
  CHAIR: [...COOPERATIVE_READS, "approve:dividend", "issue:dividend", "read:books", "check:voucher"],
  SUPERVISOR: [...COOPERATIVE_READS, "object:dividend", "read:books"],
};
const REMOVED: Record<Role, Permission[]> = { ADMIN: [], TOWNSHIP: [], SECRETARY: [], ACCOUNTANT: ["write:income", "issue:dividend"], CHAIR: [], SUPERVISOR: [] };
const NOW: Record<Role, Permission[]> = Object.fromEntries(ROLES.map((r) => [r, [...OLD_MATRIX[r].filter((p) => !REMOVED[r].includes(p)), ...ADDED[r]]])) as Record<Role, Permission[]>;

/** Verbs of permissions that change something; every other permission is read:*. */
const WRITE_VERBS = ["write", "file", "issue", "manage", "import", "set", "approve", "object", "check", "close"];

describe("policy table", () => {
  it("has exactly one row per permission, each named verb:object", () => {
    expect(Object.keys(POLICY).sort()).toEqual([...PERMISSIONS].sort());
    for (const p of PERMISSIONS) expect([...WRITE_VERBS, "read"], p).toContain(p.split(":")[0]);
  });

  it("names only known roles and known scope relations, and gives every permission to someone", () => {
    for (const p of PERMISSIONS) {
      const entries = Object.entries(POLICY[p].roles);
      expect(entries.length, p).toBeGreaterThan(0);
      for (const [r, rel] of entries) {
        expect(ROLES, p).toContain(r);
        expect(SCOPE_RELATIONS, p).toContain(rel);
      }
    }
  });

  it("changes the old role matrix only where issue 16 meant to", () => {
    for (const r of ROLES) expect([...permissionsOf(r)].sort(), r).toEqual([...NOW[r]].sort());
  });

  it("hasPermission and permissionsOf agree with the table for any role and permission", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...PERMISSIONS), (role, p) => {
        const inRow = POLICY[p].roles[role] !== undefined;
        return hasPermission(role, p) === inRow && permissionsOf(role).includes(p) === inRow;
      }),
    );
  });

  it("binds the book-keeping permissions to one's own place", () => {
    expect(POLICY["write:household"].roles).toEqual({ SECRETARY: "village" });
    expect(POLICY["write:contract"].roles).toEqual({ SECRETARY: "village" });
    expect(POLICY["file:contract"].roles).toEqual({ TOWNSHIP: "township" });
    expect(POLICY["write:dividend"].roles).toEqual({ ACCOUNTANT: "cooperative" });
    expect(POLICY["issue:dividend"].roles).toEqual({ CHAIR: "cooperative" });
    expect(POLICY["approve:dividend"].roles).toEqual({ CHAIR: "cooperative" });
    expect(POLICY["object:dividend"].roles).toEqual({ ACCOUNTANT: "cooperative", SUPERVISOR: "cooperative" });
    expect(POLICY["write:plot"].roles).toEqual({ SECRETARY: "village", ACCOUNTANT: "served-villages" });
    expect(POLICY["write:harvest"].roles).toEqual({ SECRETARY: "village", ACCOUNTANT: "cooperative" });
    expect(POLICY["write:cooperative"].roles).toEqual({ ADMIN: "any", ACCOUNTANT: "cooperative" });
  });

  it("explains in its note every row whose roles do not all act anywhere in their scope", () => {
    for (const p of PERMISSIONS) {
      const relations = Object.values(POLICY[p].roles);
      if (relations.some((r) => r !== "any") && relations.length > 1) expect(POLICY[p].note, p).not.toBe("");
    }
  });
});

// ─── can(): one reading of the table for one record ─────────────────────────

const townshipId = fc.integer({ min: 1, max: 2 });
const villageId = fc.integer({ min: 11, max: 14 });
const cooperativeId = fc.integer({ min: 1, max: 3 });
const scopeArb: fc.Arbitrary<Scope> = fc.oneof(
  fc.constant<Scope>({ kind: "all" }),
  townshipId.map((t): Scope => ({ kind: "township", townshipId: t })),
  fc.tuple(townshipId, villageId).map(([t, v]): Scope => ({ kind: "village", townshipId: t, villageId: v })),
  fc.tuple(townshipId, cooperativeId, fc.subarray([11, 12, 13, 14])).map(([t, c, vs]): Scope => ({ kind: "cooperative", townshipId: t, cooperativeId: c, villageIds: vs })),
);
const targetArb: fc.Arbitrary<Target> = fc.record(
  { townshipId, villageId: fc.option(villageId, { nil: undefined }), cooperativeId: fc.option(cooperativeId, { nil: null }) },
  { requiredKeys: ["townshipId"] },
);

/**
 * The table read by hand: which of the user's own places the record is in,
 * then the relation the row names for the user's role as a list of those
 * facts. Written apart from permissions.ts, so that the two must agree.
 */
function plainReading(role: Role, scope: Scope, p: Permission, t: Target): boolean {
  const relation: ScopeRelation | undefined = POLICY[p].roles[role];
  if (!relation) return false;
  const own = {
    township: scope.kind === "township" ? scope.townshipId : null,
    village: scope.kind === "village" ? scope.villageId : null,
    cooperative: scope.kind === "cooperative" ? scope.cooperativeId : null,
    served: scope.kind === "cooperative" ? scope.villageIds : [],
  };
  const inOwnTownship = own.township !== null && t.townshipId === own.township;
  const inOwnVillage = own.village !== null && t.villageId === own.village;
  const inServedVillage = t.villageId != null && own.served.includes(t.villageId);
  const ofOwnCooperative = own.cooperative !== null && t.cooperativeId === own.cooperative;
  const insideScope = scope.kind === "all" || inOwnTownship || inOwnVillage || inServedVillage;
  const facts: Record<ScopeRelation, boolean> = {
    any: insideScope,
    township: inOwnTownship,
    village: inOwnVillage,
    "served-villages": inServedVillage,
    cooperative: ofOwnCooperative && (t.villageId == null || inServedVillage),
  };
  return facts[relation];
}

describe("property: can() is the table", () => {
  it("agrees with a plain reading of the table for any user (role × scope), permission and record", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), scopeArb, fc.constantFrom(...PERMISSIONS), targetArb, (role, scope, p, t) => {
        expect(can({ role, scope }, p, t)).toBe(plainReading(role, scope, p, t));
      }),
      { numRuns: 2000 },
    );
  });

  it("never allows what the role does not hold, nor anything without a record or a user", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), scopeArb, fc.constantFrom(...PERMISSIONS), targetArb, (role, scope, p, t) => {
        if (!hasPermission(role, p)) expect(can({ role, scope }, p, t)).toBe(false);
        expect(can({ role, scope }, p, null)).toBe(false);
        expect(can(null, p, t)).toBe(false);
      }),
    );
  });

  it("keeps every change inside the user's own place: a secretary's village, a township official's township, an accountant's cooperative or the villages it serves", () => {
    const writes = PERMISSIONS.filter((p) => WRITE_VERBS.includes(p.split(":")[0]!));
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), scopeArb, fc.constantFrom(...writes), targetArb, (role, scope, p, t) => {
        if (!can({ role, scope }, p, t)) return;
        if (scope.kind === "village") expect(t.villageId).toBe(scope.villageId);
        if (scope.kind === "township") expect(t.townshipId).toBe(scope.townshipId);
        if (scope.kind === "cooperative") expect(t.cooperativeId === scope.cooperativeId || (t.villageId != null && scope.villageIds.includes(t.villageId))).toBe(true);
      }),
    );
  });

  it("an accountant's cooperative records are theirs only in the villages it serves; another cooperative's never", () => {
    fc.assert(
      fc.property(scopeArb, targetArb, (scope, t) => {
        if (scope.kind !== "cooperative") return;
        const mine = can({ role: "ACCOUNTANT", scope }, "write:harvest", t);
        if (t.cooperativeId !== scope.cooperativeId) expect(mine).toBe(false);
        if (t.villageId != null && !scope.villageIds.includes(t.villageId)) expect(mine).toBe(false);
      }),
    );
  });

  it("one's own place is where one's new records go: a secretary's new contract, an accountant's new run", () => {
    fc.assert(
      fc.property(scopeArb, (scope) => {
        expect(can({ role: "SECRETARY", scope }, "write:contract", ownPlace(scope))).toBe(scope.kind === "village");
        expect(can({ role: "ACCOUNTANT", scope }, "write:dividend", ownPlace(scope))).toBe(scope.kind === "cooperative");
        expect(can({ role: "TOWNSHIP", scope }, "file:contract", ownPlace(scope))).toBe(scope.kind === "township");
      }),
    );
  });

  it("each relation, on examples", () => {
    const v: Scope = { kind: "village", townshipId: 1, villageId: 11 };
    const c: Scope = { kind: "cooperative", townshipId: 1, cooperativeId: 5, villageIds: [11, 12] };
    const t: Scope = { kind: "township", townshipId: 1 };
    expect(relationHolds("village", v, { townshipId: 1, villageId: 11 })).toBe(true);
    expect(relationHolds("village", v, { townshipId: 1, villageId: 12 })).toBe(false);
    expect(relationHolds("village", t, { townshipId: 1, villageId: 11 })).toBe(false);
    expect(relationHolds("township", t, { townshipId: 1, villageId: 11 })).toBe(true);
    expect(relationHolds("township", { kind: "all" }, { townshipId: 1 })).toBe(false);
    expect(relationHolds("any", { kind: "all" }, { townshipId: 2 })).toBe(true);
    expect(relationHolds("served-villages", c, { townshipId: 1, villageId: 12, cooperativeId: 9 })).toBe(true);
    expect(relationHolds("served-villages", c, { townshipId: 1, villageId: 13, cooperativeId: 5 })).toBe(false);
    expect(relationHolds("cooperative", c, { townshipId: 1, cooperativeId: 5 })).toBe(true);
    expect(relationHolds("cooperative", c, { townshipId: 1, villageId: 12, cooperativeId: 5 })).toBe(true);
    expect(relationHolds("cooperative", c, { townshipId: 1, villageId: 13, cooperativeId: 5 })).toBe(false);
    expect(relationHolds("cooperative", c, { townshipId: 1, villageId: 12, cooperativeId: 6 })).toBe(false);
  });
});
