import type { Prisma } from "@prisma/client";
import { prisma } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { recordAudit } from "./audit.server";
import { now as clockNow } from "~/lib/dates";
import { hashPassword } from "./password.server";
import { passwordProblem } from "./password-policy";
import { foldUsername, WINDOW_MINUTES } from "./throttle";
import { isRole, type Role, type Scope } from "./permissions";
import type { CurrentUser } from "./session.server";

/** Accounts an administrator may manage: all, or those scoped inside their township. */
function accountScopeWhere(scope: Scope): Prisma.UserWhereInput {
  if (scope.kind !== "township") return {};
  return {
    OR: [
      { townshipId: scope.townshipId },
      { village: { townshipId: scope.townshipId } },
      { cooperative: { townshipId: scope.townshipId } },
    ],
  };
}

export async function listAccounts(scope: Scope) {
  const now = clockNow();
  const users = await prisma.user.findMany({
    where: accountScopeWhere(scope),
    orderBy: { id: "asc" },
    select: {
      id: true,
      username: true,
      displayName: true,
      role: true,
      disabled: true,
      mustChangePassword: true,
      township: { select: { name: true } },
      village: { select: { name: true, township: { select: { name: true } } } },
      cooperative: { select: { name: true } },
      _count: { select: { sessions: { where: { revokedAt: null, expiresAt: { gt: now } } } } },
    },
  });
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  const failures = new Map(
    (await prisma.signInFailure.groupBy({ by: ["username"], where: { at: { gte: since }, username: { in: users.map((u) => foldUsername(u.username)) } }, _count: { _all: true } })).map((g) => [g.username, g._count._all]),
  );
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scope: u.village ? `${u.village.township.name} ${u.village.name}` : (u.cooperative?.name ?? u.township?.name ?? ""),
    recentFailures: failures.get(foldUsername(u.username)) ?? 0,
    mustChangePassword: u.mustChangePassword,
    disabled: u.disabled,
    sessions: u._count.sessions,
  }));
}

export async function scopeChoices(scope: Scope) {
  const townshipWhere = scope.kind === "township" ? { id: scope.townshipId } : {};
  const [townships, villages, cooperatives] = await Promise.all([
    prisma.township.findMany({ where: townshipWhere, select: { id: true, name: true }, orderBy: { code: "asc" } }),
    prisma.village.findMany({
      where: scope.kind === "township" ? { townshipId: scope.townshipId } : {},
      select: { id: true, name: true, township: { select: { name: true } } },
      orderBy: { code: "asc" },
    }),
    prisma.cooperative.findMany({
      where: scope.kind === "township" ? { townshipId: scope.townshipId } : {},
      select: { id: true, name: true },
      orderBy: { id: "asc" },
    }),
  ]);
  return { townships, villages: villages.map((v) => ({ id: v.id, name: `${v.township.name} ${v.name}` })), cooperatives };
}

export interface NewAccount {
  username: string;
  displayName: string;
  password: string;
  role: string;
  scopeId: string;
}

export async function createAccount(admin: CurrentUser, input: NewAccount): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  const username = input.username.trim();
  if (!/^[A-Za-z0-9_]{3,32}$/.test(username)) errors.username = { key: "accounts.usernameFormat" };
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 20) errors.displayName = { key: "name.format" };
  const weak = passwordProblem(input.password, username);
  if (weak) errors.password = { key: weak, params: { min: 10 } };
  const role = input.role;
  if (!isRole(role)) errors.role = { key: "field.required" };
  const choices = await scopeChoices(admin.scope);
  const scopeId = Number(input.scopeId);
  const scopeFields = isRole(role) ? scopeFor(role, scopeId, choices, admin.scope) : null;
  if (isRole(role) && !scopeFields) errors.scopeId = { key: "accounts.scopeRequired" };
  if (!errors.username && (await prisma.user.findUnique({ where: { username }, select: { id: true } }))) errors.username = { key: "accounts.usernameTaken" };
  if (Object.keys(errors).length || !scopeFields) return { ok: false, errors };
  const passwordHash = await hashPassword(input.password);
  await prisma.$transaction(async (tx) => {
    const u = await tx.user.create({ data: { username, displayName, passwordHash, role, ...scopeFields }, select: { id: true } });
    await recordAudit(
      { actor: { id: admin.id, name: admin.username }, action: "create", entity: "User", entityId: u.id, after: { username, displayName, role, ...scopeFields } },
      tx,
    );
  });
  return { ok: true };
}

function scopeFor(
  role: Role,
  id: number,
  choices: Awaited<ReturnType<typeof scopeChoices>>,
  adminScope: Scope,
): { townshipId?: number | null; villageId?: number; cooperativeId?: number } | null {
  switch (role) {
    case "ADMIN":
      if (!id) return adminScope.kind === "township" ? { townshipId: adminScope.townshipId } : { townshipId: null };
      return choices.townships.some((t) => t.id === id) ? { townshipId: id } : null;
    case "TOWNSHIP":
      return choices.townships.some((t) => t.id === id) ? { townshipId: id } : null;
    case "SECRETARY":
      return choices.villages.some((v) => v.id === id) ? { villageId: id } : null;
    case "ACCOUNTANT":
    case "CHAIR":
    case "SUPERVISOR":
      return choices.cooperatives.some((c) => c.id === id) ? { cooperativeId: id } : null;
  }
}

/** An account the administrator may manage (their scope), else 404. */
export async function requireManaged(admin: CurrentUser, userId: number) {
  const u = await prisma.user.findFirst({ where: { AND: [{ id: userId }, accountScopeWhere(admin.scope)] }, select: { id: true, username: true, displayName: true, disabled: true } });
  if (!u) throw new Response("Not Found", { status: 404 });
  return u;
}

/** Ends every open session of an account at once, e.g. for a lost phone. */
export async function revokeSessions(admin: CurrentUser, userId: number): Promise<number> {
  const u = await requireManaged(admin, userId);
  const { count } = await prisma.session.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: clockNow() } });
  await recordAudit({ actor: { id: admin.id, name: admin.username }, action: "revoke", entity: "User", entityId: u.id, after: { sessions: count } });
  return count;
}

/**
 * An administrator sets a temporary password (told to the user in person or
 * by phone): every session of the account ends, and the next sign-in must
 * choose a new password before anything else.
 */
export async function resetPassword(admin: CurrentUser, userId: number, temporary: string, reason = ""): Promise<FieldErrors | null> {
  const u = await requireManaged(admin, userId);
  const weak = passwordProblem(temporary, u.username);
  if (weak) return { temporaryPassword: { key: weak, params: { min: 10 } } };
  const passwordHash = await hashPassword(temporary);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { passwordHash, mustChangePassword: true, passwordChangedAt: clockNow() } });
    const { count } = await tx.session.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: clockNow() } });
    await tx.signInFailure.deleteMany({ where: { username: foldUsername(u.username) } });
    await recordAudit({ actor: { id: admin.id, name: admin.username }, action: "password-reset", entity: "User", entityId: u.id, after: { sessionsEnded: count, mustChangePassword: true, ...(reason ? { reason } : {}) } }, tx);
  });
  return null;
}

/**
 * Disables an account (every session ends, sign-in refused) or enables it
 * again, with the reason in the trail. An administrator cannot disable
 * their own account: nobody would be left to enable it.
 */
export async function setAccountDisabled(admin: CurrentUser, userId: number, disabled: boolean, reason: string): Promise<FieldErrors | null> {
  const u = await requireManaged(admin, userId);
  if (disabled && u.id === admin.id) return { reason: { key: "accounts.cannotDisableSelf" } };
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: u.id }, data: { disabled } });
    const { count } = disabled ? await tx.session.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: clockNow() } }) : { count: 0 };
    await recordAudit(
      { actor: { id: admin.id, name: admin.username }, action: "update", entity: "User", entityId: u.id, before: { disabled: u.disabled }, after: { disabled, reason, ...(disabled ? { sessionsEnded: count } : {}) } },
      tx,
    );
  });
  return null;
}
