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

/** The part of every household query's `where` that keeps it inside the scope. */
export function householdScopeWhere(scope: Scope): Prisma.HouseholdWhereInput {
  switch (scope.kind) {
    case "all":
      return {};
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { villageId: scope.villageId };
    case "cooperative":
      return { villageId: { in: scope.villageIds } };
  }
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
  switch (scope.kind) {
    case "all":
      return {};
    case "township":
      return { townshipId: scope.townshipId };
    case "village":
      return { villageId: scope.villageId };
    case "cooperative":
      return { villageId: { in: scope.villageIds } };
  }
}
