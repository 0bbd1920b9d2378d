import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { recordAudit } from "./audit.server";
import { verifyPassword } from "./password.server";
import { isRole, type Actor, type Role, type Scope } from "./permissions";

const SESSION_HOURS = 12;
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

function sessionCookie() {
  return createCookie("__cunshe_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
    secrets: [env().SESSION_SECRET],
    maxAge: SESSION_HOURS * 3600,
  });
}

export interface CurrentUser extends Actor {
  username: string;
  displayName: string;
  scopeName: string;
}

export type SignInResult =
  | { ok: true; sessionId: string; userId: number }
  | { ok: false; error: "auth.invalid" | "auth.locked" | "auth.disabled"; lockedUntil?: Date };

/**
 * Checks a password and opens a session. Failed attempts are counted per
 * account; after MAX_FAILED_SIGN_INS the account is locked for
 * LOCKOUT_MINUTES, and even the right password is refused until then.
 */
export async function signIn(username: string, password: string, meta: { ip: string; userAgent: string }): Promise<SignInResult> {
  const user = await prisma.user.findUnique({ where: { username: username.trim() } });
  const now = new Date();
  if (!user) {
    // Spend the same time as a real check so that timing does not reveal accounts.
    await verifyPassword(password, DUMMY_HASH);
    return { ok: false, error: "auth.invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    // Attempts against a locked account are recorded too: they are what an attack looks like.
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "sign-in-failed", entity: "User", entityId: user.id, after: { locked: true } });
    return { ok: false, error: "auth.locked", lockedUntil: user.lockedUntil };
  }
  const good = await verifyPassword(password, user.passwordHash);
  if (!good) {
    const failed = user.failedLogins + 1;
    const lock = failed >= MAX_FAILED_SIGN_INS;
    const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
    await prisma.user.update({ where: { id: user.id }, data: { failedLogins: lock ? 0 : failed, lockedUntil } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "sign-in-failed", entity: "User", entityId: user.id });
    return lock ? { ok: false, error: "auth.locked", lockedUntil: lockedUntil! } : { ok: false, error: "auth.invalid" };
  }
  if (user.disabled) return { ok: false, error: "auth.disabled" };
  const sessionId = randomBytes(32).toString("base64url");
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } }),
    prisma.session.create({
      data: {
        id: sessionId,
        userId: user.id,
        expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000),
        ip: meta.ip.slice(0, 64),
        userAgent: meta.userAgent.slice(0, 200),
      },
    }),
  ]);
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "sign-in", entity: "User", entityId: user.id });
  return { ok: true, sessionId, userId: user.id };
}

// A valid scrypt hash of a random string, so that unknown users cost a real verification.
const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export async function commitSessionCookie(sessionId: string): Promise<string> {
  return sessionCookie().serialize(sessionId);
}

export async function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

async function sessionIdFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function signOut(request: Request): Promise<void> {
  const id = await sessionIdFrom(request);
  if (!id) return;
  await prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** The signed-in user with their scope, or null. Revoked and expired sessions count as none. */
export async function getUser(request: Request): Promise<CurrentUser | null> {
  const id = await sessionIdFrom(request);
  if (!id) return null;
  const session = await prisma.session.findUnique({
    where: { id },
    select: {
      expiresAt: true,
      revokedAt: true,
      user: {
        select: {
          id: true,
          username: true,
          displayName: true,
          role: true,
          disabled: true,
          townshipId: true,
          villageId: true,
          cooperativeId: true,
          township: { select: { name: true } },
          village: { select: { name: true, townshipId: true, township: { select: { name: true } } } },
          cooperative: { select: { name: true, townshipId: true, villages: { select: { villageId: true } } } },
        },
      },
    },
  });
  if (!session || session.revokedAt || session.expiresAt < new Date() || session.user.disabled) return null;
  const u = session.user;
  if (!isRole(u.role)) return null;
  const scope = scopeOf(u);
  if (!scope) return null;
  const scopeName =
    u.role === "SECRETARY" ? `${u.village?.township.name ?? ""} ${u.village?.name ?? ""}`
    : u.role === "ACCOUNTANT" ? (u.cooperative?.name ?? "")
    : (u.township?.name ?? "");
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, scope, scopeName: scopeName.trim() };
}

function scopeOf(u: {
  role: string;
  townshipId: number | null;
  villageId: number | null;
  cooperativeId: number | null;
  village: { townshipId: number } | null;
  cooperative: { townshipId: number; villages: { villageId: number }[] } | null;
}): Scope | null {
  const role = u.role as Role;
  if (role === "ADMIN") return u.townshipId ? { kind: "township", townshipId: u.townshipId } : { kind: "all" };
  if (role === "TOWNSHIP") return u.townshipId ? { kind: "township", townshipId: u.townshipId } : null;
  if (role === "SECRETARY") return u.villageId && u.village ? { kind: "village", villageId: u.villageId, townshipId: u.village.townshipId } : null;
  if (role === "ACCOUNTANT" && u.cooperativeId && u.cooperative)
    return {
      kind: "cooperative",
      cooperativeId: u.cooperativeId,
      townshipId: u.cooperative.townshipId,
      villageIds: u.cooperative.villages.map((v) => v.villageId),
    };
  return null;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}
