import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasPermission, PERMISSIONS, permissionsOf, ROLES, type Permission, type Role } from "./permissions";
import { POLICY } from "./policy";

// The role → permission matrix as it stood before the policy table replaced it:
// restating it as a table must not change who may do what.
const OLD_MATRIX: Record<Role, Permission[]> = {
  ADMIN: ["manage:account", "read:audit-trail", "read:household", "read:cooperative", "write:cooperative", "read:contract", "read:plot", "read:dividend", "import:records", "manage:backup", "manage:monitoring-line", "set:reference-price"],
  TOWNSHIP: ["read:household", "read:cooperative", "read:audit-trail", "read:contract", "file:contract", "read:audit-view", "read:plot", "read:dividend", "manage:monitoring-line", "set:reference-price"],
  SECRETARY: ["read:household", "write:household", "read:cooperative", "read:contract", "write:contract", "read:audit-view", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income", "import:records"],
  ACCOUNTANT: ["read:household", "read:cooperative", "write:cooperative", "read:contract", "write:dividend", "issue:dividend", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income"],
};

describe("policy table", () => {
  it("has exactly one row per permission", () => {
    expect(Object.keys(POLICY).sort()).toEqual([...PERMISSIONS].sort());
  });

  it("names each role at most once per row, and only known roles", () => {
    for (const p of PERMISSIONS) {
      const roles = POLICY[p].roles;
      expect(new Set(roles).size, p).toBe(roles.length);
      for (const r of roles) expect(ROLES, p).toContain(r);
    }
  });

  it("gives every permission the roles the old matrix gave it", () => {
    for (const p of PERMISSIONS) {
      const expected = ROLES.filter((r) => OLD_MATRIX[r].includes(p));
      expect([...POLICY[p].roles].sort(), p).toEqual([...expected].sort());
    }
  });

  it("derives each role's permissions exactly as the old matrix listed them", () => {
    for (const r of ROLES) expect([...permissionsOf(r)].sort(), r).toEqual([...OLD_MATRIX[r]].sort());
  });

  it("hasPermission and permissionsOf agree with the table for any role and permission", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...PERMISSIONS), (role, p) => {
        const inRow = POLICY[p].roles.includes(role);
        return hasPermission(role, p) === inRow && permissionsOf(role).includes(p) === inRow;
      }),
    );
  });

  it("states the scope relation of the permissions that are bound to one's own place", () => {
    expect(POLICY["write:contract"].scope).toBe("village");
    expect(POLICY["file:contract"].scope).toBe("township");
    expect(POLICY["write:dividend"].scope).toBe("cooperative");
    expect(POLICY["issue:dividend"].scope).toBe("cooperative");
  });
});
