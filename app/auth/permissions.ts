/**
 * One vocabulary for who may do what (docs/decisions/004-roles-and-scopes.md).
 * A permission says what; the user's scope says where. Routes check both on
 * the server with requirePermission(); the UI hides what can() refuses.
 */
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

const MATRIX: Record<Role, readonly Permission[]> = {
  // Administrators manage accounts and scopes; they read the registry to do so
  // but keep no books themselves.
  // They import a township's existing records and keep the backups.
  ADMIN: ["manage:account", "read:audit-trail", "read:household", "read:cooperative", "write:cooperative", "read:contract", "read:plot", "read:dividend", "import:records", "manage:backup", "manage:monitoring-line", "set:reference-price"],
  // Township officials read everything in their township and file contracts.
  // The income audit is read-only for them; they set the monitoring line and
  // the township-wide reference prices that settle rent in kind in every village.
  TOWNSHIP: ["read:household", "read:cooperative", "read:audit-trail", "read:contract", "file:contract", "read:audit-view", "read:plot", "read:dividend", "manage:monitoring-line", "set:reference-price"],
  // Village secretaries keep their village's registry, contracts, harvests and
  // household income accounts, and import their village's existing records.
  SECRETARY: ["read:household", "write:household", "read:cooperative", "read:contract", "write:contract", "read:audit-view", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income", "import:records"],
  // Cooperative accountants keep their cooperative's members, dividends and books.
  // Accountants also draw and keep their cooperative's orchard plots.
  // They record their plots' harvests and the base's work days.
  ACCOUNTANT: ["read:household", "read:cooperative", "write:cooperative", "read:contract", "write:dividend", "issue:dividend", "read:plot", "write:plot", "read:dividend", "write:harvest", "write:income"],
};

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
  return MATRIX[role].includes(permission);
}

export function can(actor: Pick<Actor, "role"> | null | undefined, permission: Permission): boolean {
  return !!actor && hasPermission(actor.role, permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return MATRIX[role];
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
