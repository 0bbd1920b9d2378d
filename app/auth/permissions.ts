/**
 * One vocabulary for who may do what (docs/decisions/004-roles-and-scopes.md).
 * A permission says what; the user's scope says where. Routes check both on
 * the server with requirePermission(); the UI hides what can() refuses.
 */
import { POLICY } from "./policy";

export const ROLES = ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "read:household",
  "write:household",
  "read:cooperative",
  "write:cooperative",
  "read:audit-trail",
  "manage:account",
  "file:contract",
  "write:contract",
  "read:contract",
  "write:dividend",
  "issue:dividend",
  "read:audit-view",
  "read:plot",
  "write:plot",
  "read:dividend",
  "write:harvest",
  "write:income",
  "manage:monitoring-line",
  "import:records",
  "manage:backup",
  "set:reference-price",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Who holds each permission, and where, is the policy table in ./policy.ts;
// the per-role lists below are derived from it.
const BY_ROLE = new Map<Role, readonly Permission[]>(ROLES.map((role) => [role, PERMISSIONS.filter((p) => POLICY[p].roles.includes(role))]));

export type Scope =
  | { kind: "all" }
  | { kind: "township"; townshipId: number }
  | { kind: "village"; townshipId: number; villageId: number }
  | { kind: "cooperative"; townshipId: number; cooperativeId: number; villageIds: number[] };

export interface Actor {
  id: number;
  role: Role;
  scope: Scope;
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return POLICY[permission].roles.includes(role);
}

export function can(actor: Pick<Actor, "role"> | null | undefined, permission: Permission): boolean {
  return !!actor && hasPermission(actor.role, permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return BY_ROLE.get(role) ?? [];
}

/** Whether a row placed in (townshipId, villageId) lies inside the scope. */
export function scopeIncludes(scope: Scope, place: { townshipId: number; villageId?: number | null }): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "township":
      return place.townshipId === scope.townshipId;
    case "village":
      return place.villageId === scope.villageId;
    case "cooperative":
      return place.villageId != null && scope.villageIds.includes(place.villageId);
  }
}

/** The village ids a scope is limited to, or null when it spans whole townships. */
export function scopeVillageIds(scope: Scope): number[] | null {
  if (scope.kind === "village") return [scope.villageId];
  if (scope.kind === "cooperative") return scope.villageIds;
  return null;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
