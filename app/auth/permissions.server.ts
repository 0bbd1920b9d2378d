import type { Prisma } from "@prisma/client";
import { forbidden } from "~/lib/http";
import { can, hasPermission, type Actor, type Permission, type Scope, type Target } from "./permissions";
import { requireUser, type CurrentUser } from "./session.server";

/** The signed-in user if their role carries the permission; 403 otherwise. */
export async function requirePermission(request: Request, permission: Permission): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!hasPermission(user.role, permission)) forbidden();
  return user;
}

/**
 * For a page that serves holders of either permission for different ends
 * (the household's income account: readers of the audit, and accountants
 * who record work days there). 403 when the role holds none of them.
 */
export async function requireAnyPermission(request: Request, permissions: readonly Permission[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!permissions.some((p) => hasPermission(user.role, p))) forbidden();
  return user;
}

/**
 * For an action whose form names its intent: each intent needs its own
 * permission (`intents`). Anonymous users are sent to sign in, an intent
 * the action does not know is 400, a role without the intent's permission
 * 403, all before anything in the form is checked.
 */
export async function requireIntent<I extends string>(request: Request, intents: Record<I, Permission>): Promise<{ user: CurrentUser; intent: I; form: FormData }> {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "").trim();
  if (!Object.hasOwn(intents, intent)) throw new Response("Bad Request", { status: 400 });
  if (!hasPermission(user.role, intents[intent as I])) forbidden();
  return { user, intent: intent as I, form };
}

/** 403 unless the policy lets the user act on a record at `target` (./policy.ts). */
export function requireCan(user: Pick<Actor, "role" | "scope">, permission: Permission, target: Target | null): void {
  if (!can(user, permission, target)) forbidden();
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

/** The townships a scope reaches: every one, or the one its township, village or cooperative lies in. */
export function townshipScopeWhere(scope: Scope): Prisma.TownshipWhereInput {
  return scope.kind === "all" ? {} : { id: scope.townshipId };
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
