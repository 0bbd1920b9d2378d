import { describe, expect, it } from "vitest";
import { can, hasPermission, PERMISSIONS, ROLES, scopeIncludes, type Permission, type Role } from "./permissions";

// The whole role × permission table, written out so that any change to it is a deliberate test change.
const EXPECTED: Record<Role, Permission[]> = {
  ADMIN: ["manage:account", "read:audit-trail", "read:household", "read:cooperative", "write:cooperative", "manage:cooperative", "read:contract", "read:plot", "read:dividend", "import:records", "manage:backup", "read:monitoring-line", "manage:monitoring-line", "set:reference-price", "read:all-jobs", "manage:reference-layer", "read:books"],
  TOWNSHIP: ["read:household", "read:cooperative", "read:audit-trail", "read:contract", "file:contract", "read:audit-view", "read:plot", "read:dividend", "read:monitoring-line", "manage:monitoring-line", "set:reference-price", "read:books"],
  SECRETARY: ["read:household", "write:household", "read:cooperative", "read:contract", "write:contract", "read:audit-view", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income", "write:work-days", "read:monitoring-line", "import:records"],
  ACCOUNTANT: ["read:household", "read:cooperative", "write:cooperative", "read:contract", "write:dividend", "object:dividend", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:work-days", "read:books", "write:voucher", "close:books"],
  CHAIR: ["read:household", "read:cooperative", "read:contract", "read:plot", "read:dividend", "approve:dividend", "issue:dividend", "read:books", "check:voucher"],
  SUPERVISOR: ["read:household", "read:cooperative", "read:contract", "read:plot", "read:dividend", "object:dividend", "read:books"],
};

describe("role × permission", () => {
  for (const role of ROLES) {
    for (const p of PERMISSIONS) {
      const allowed = EXPECTED[role].includes(p);
      it(`${role} ${allowed ? "may" : "may not"} ${p}`, () => {
        expect(hasPermission(role, p)).toBe(allowed);
      });
    }
  }
  it("nobody signed out can do anything", () => {
    expect(can(null, "read:household", { townshipId: 1, villageId: 11 })).toBe(false);
  });
  it("only township officials file contracts and only secretaries edit the registry", () => {
    expect(ROLES.filter((r) => hasPermission(r, "file:contract"))).toEqual(["TOWNSHIP"]);
    expect(ROLES.filter((r) => hasPermission(r, "write:household"))).toEqual(["SECRETARY"]);
    // maker-checker (issue 14): the accountant drafts and pays, the chair approves and issues
    expect(ROLES.filter((r) => hasPermission(r, "issue:dividend"))).toEqual(["CHAIR"]);
    expect(ROLES.filter((r) => hasPermission(r, "approve:dividend"))).toEqual(["CHAIR"]);
    expect(ROLES.filter((r) => hasPermission(r, "write:dividend"))).toEqual(["ACCOUNTANT"]);
    expect(ROLES.filter((r) => hasPermission(r, "object:dividend"))).toEqual(["ACCOUNTANT", "SUPERVISOR"]);
  });
  it("township officials only read the income audit; only administrators keep backups", () => {
    expect(hasPermission("TOWNSHIP", "read:audit-view")).toBe(true);
    expect(hasPermission("TOWNSHIP", "write:income")).toBe(false);
    expect(hasPermission("TOWNSHIP", "write:work-days")).toBe(false);
    expect(hasPermission("TOWNSHIP", "write:harvest")).toBe(false);
    expect(ROLES.filter((r) => hasPermission(r, "manage:backup"))).toEqual(["ADMIN"]);
  });
  it("typed income is the secretary's; base accountants record only work days; only administrators register cooperatives", () => {
    expect(ROLES.filter((r) => hasPermission(r, "write:income"))).toEqual(["SECRETARY"]);
    expect(ROLES.filter((r) => hasPermission(r, "write:work-days"))).toEqual(["SECRETARY", "ACCOUNTANT"]);
    expect(ROLES.filter((r) => hasPermission(r, "manage:cooperative"))).toEqual(["ADMIN"]);
  });
  it("reference prices change rent in every village: township officials and administrators set them, secretaries only read", () => {
    expect(ROLES.filter((r) => hasPermission(r, "set:reference-price"))).toEqual(["ADMIN", "TOWNSHIP"]);
  });
});

describe("scope", () => {
  const place = { townshipId: 1, villageId: 11 };
  it("includes a place by township, village or the cooperative's villages", () => {
    expect(scopeIncludes({ kind: "all" }, place)).toBe(true);
    expect(scopeIncludes({ kind: "township", townshipId: 1 }, place)).toBe(true);
    expect(scopeIncludes({ kind: "township", townshipId: 2 }, place)).toBe(false);
    expect(scopeIncludes({ kind: "village", townshipId: 1, villageId: 11 }, place)).toBe(true);
    expect(scopeIncludes({ kind: "village", townshipId: 1, villageId: 12 }, place)).toBe(false);
    expect(scopeIncludes({ kind: "cooperative", townshipId: 1, cooperativeId: 5, villageIds: [11, 13] }, place)).toBe(true);
    expect(scopeIncludes({ kind: "cooperative", townshipId: 1, cooperativeId: 5, villageIds: [13] }, place)).toBe(false);
  });
});
