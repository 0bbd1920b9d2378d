/**
 * One vocabulary for who may do what (docs/decisions/004-roles-and-scopes.md).
 * A permission says what; the user's scope says where; the policy table
 * (./policy.ts) says which roles hold each permission and what a record must
 * be to them. Routes name the permission they need
 * with requirePermission(); the server modules decide on one record with
 * can()/requireCan(); the UI only hides what the server would refuse.
 */
import { POLICY, type ScopeRelation } from "./policy";

export const ROLES = ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT", "CHAIR", "SUPERVISOR"] as const;
export type Role = (typeof ROLES)[number];

/** The roles of one cooperative's officers: each account holds a cooperative (User.cooperativeId) and a scope of kind "cooperative". */
export const COOPERATIVE_ROLES: readonly Role[] = ["ACCOUNTANT", "CHAIR", "SUPERVISOR"];

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
  "approve:dividend",
  "object:dividend",
  "read:audit-view",
  "read:plot",
  "write:plot",
  "read:dividend",
  "write:harvest",
  "write:income",
  "write:work-days",
  "read:monitoring-line",
  "manage:monitoring-line",
  "import:records",
  "manage:backup",
  "set:reference-price",
  "manage:cooperative",
  "read:all-jobs",
  "manage:reference-layer",
  "read:books",
  "write:voucher",
  "check:voucher",
  "close:books",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Who holds each permission, and where, is the policy table in ./policy.ts;
// the per-role lists below are derived from it.
const BY_ROLE = new Map<Role, readonly Permission[]>(ROLES.map((role) => [role, PERMISSIONS.filter((p) => POLICY[p].roles[role] !== undefined)]));

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

/** Whether the role holds the permission somewhere (the route's check, before any record is known). */
export function hasPermission(role: Role, permission: Permission): boolean {
  return POLICY[permission].roles[role] !== undefined;
}

/**
 * Where a record lies: its township, and its village and the cooperative it
 * belongs to when it has them. A new record's target is where it will lie.
 */
export interface Target {
  townshipId: number;
  villageId?: number | null;
  cooperativeId?: number | null;
}

/** Whether a record at `target` bears the relation to the scope (the definitions are in ./policy.ts). */
export function relationHolds(relation: ScopeRelation, scope: Scope, target: Target): boolean {
  switch (relation) {
    case "any":
      return scopeIncludes(scope, target);
    case "township":
      return scope.kind === "township" && target.townshipId === scope.townshipId;
    case "village":
      return scope.kind === "village" && target.villageId === scope.villageId;
    case "served-villages":
      return scope.kind === "cooperative" && target.villageId != null && scope.villageIds.includes(target.villageId);
    case "cooperative":
      return (
        scope.kind === "cooperative" && target.cooperativeId === scope.cooperativeId && (target.villageId == null || scope.villageIds.includes(target.villageId))
      );
  }
}

/**
 * The one access decision on a record: the user's role holds the permission
 * and the record bears the relation the policy table gives that role. No
 * target (null), no access.
 */
export function can(user: Pick<Actor, "role" | "scope"> | null | undefined, permission: Permission, target: Target | null): boolean {
  if (!user || !target) return false;
  const relation = POLICY[permission].roles[user.role];
  return relation !== undefined && relationHolds(relation, user.scope, target);
}

/**
 * The place a user's scope is rooted in, as a target: where the records a
 * user makes without naming a place (a secretary's new contract, an
 * accountant's new run) will lie. Null for a scope of the whole system.
 */
export function ownPlace(scope: Scope): Target | null {
  switch (scope.kind) {
    case "all":
      return null;
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { townshipId: scope.townshipId, villageId: scope.villageId };
    case "cooperative":
      return { townshipId: scope.townshipId, cooperativeId: scope.cooperativeId };
  }
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
