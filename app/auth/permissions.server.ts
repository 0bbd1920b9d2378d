import type { Prisma } from "@prisma/client";
import { forbidden } from "~/lib/http";
import { hasPermission, type Permission, type Scope } from "./permissions";
import { requireUser, type CurrentUser } from "./session.server";

/** The signed-in user if their role carries the permission; 403 otherwise. */
export async function requirePermission(request: Request, permission: Permission): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!hasPermission(user.role, permission)) forbidden();
  return user;
}

type CooperativeScope = Extract<Scope, { kind: "cooperative" }>;

/**
 * The scope as a `where` for any row that carries its own townshipId and
 * villageId columns. What a cooperative's accountant may see differs by
 * model (the villages it serves, or its own records), so each caller says.
 */
export function placeScopeWhere<C extends object>(scope: Scope, cooperative: (s: CooperativeScope) => C): C | { townshipId?: number; villageId?: number } {
  switch (scope.kind) {
    case "all":
      return {};
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { villageId: scope.villageId };
    case "cooperative":
      return cooperative(scope);
  }
}

/** The part of every household query's `where` that keeps it inside the scope. */
export function householdScopeWhere(scope: Scope): Prisma.HouseholdWhereInput {
  return placeScopeWhere(scope, (s) => ({ villageId: { in: s.villageIds } }));
}

export function villageScopeWhere(scope: Scope): Prisma.VillageWhereInput {
  switch (scope.kind) {
    case "all":
      return {};
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { id: scope.villageId };
    case "cooperative":
      return { id: { in: scope.villageIds } };
  }
}

export function cooperativeScopeWhere(scope: Scope): Prisma.CooperativeWhereInput {
  switch (scope.kind) {
    case "all":
      return {};
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { villages: { some: { villageId: scope.villageId } } };
    case "cooperative":
      return { id: scope.cooperativeId };
  }
}

export function auditScopeWhere(scope: Scope): Prisma.AuditEventWhereInput {
  return placeScopeWhere(scope, (s) => ({ villageId: { in: s.villageIds } }));
}
