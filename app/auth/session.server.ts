import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { recordAudit } from "./audit.server";
import { now as clockNow } from "~/lib/dates";
import { verifyPassword } from "./password.server";
import { accountPauseMs, addressWaitMs, foldUsername, WINDOW_MINUTES } from "./throttle";
import { COOPERATIVE_ROLES, isRole, type Actor, type Role, type Scope } from "./permissions";

const SESSION_HOURS = 12;

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
  /** an administrator reset the password: every page but the password form redirects there */
  mustChangePassword?: boolean;
}

export type SignInResult =
  | { ok: true; sessionId: string; userId: number; mustChangePassword: boolean }
  | { ok: false; error: "auth.invalid" | "auth.disabled" }
  | { ok: false; error: "auth.slowDown"; retryAfterSeconds: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks a password and opens a session (ADR 015). There is no lock that a
 * stranger could trigger: after a few failures an address must wait longer
 * and longer before its next attempt (attempts before then are refused
 * unchecked), and an account that others keep failing on is checked after a
 * short pause. An unknown name and a wrong password get the same answer
 * after the same work, so names cannot be told apart by status or timing.
 */
export async function signIn(
  username: string,
  password: string,
  meta: { ip: string; userAgent: string },
  opts: { wait?: (ms: number) => Promise<void> } = {},
): Promise<SignInResult> {
  const name = foldUsername(username);
  const address = meta.ip.slice(0, 64) || "unknown";
  const now0 = clockNow();
  const since = new Date(now0.getTime() - WINDOW_MINUTES * 60_000);
  const [fromAddress, byAccount] = await Promise.all([
    prisma.signInFailure.findMany({ where: { address, at: { gte: since } }, select: { at: true }, orderBy: { at: "desc" } }),
    prisma.signInFailure.count({ where: { username: name, at: { gte: since } } }),
  ]);
  const byAddress = fromAddress.length;
  const wait = addressWaitMs(byAddress);
  if (wait > 0) {
    const until = fromAddress[0]!.at.getTime() + wait;
    if (until > now0.getTime()) return { ok: false, error: "auth.slowDown", retryAfterSeconds: Math.ceil((until - now0.getTime()) / 1000) };
  }
  const delay = accountPauseMs(byAccount);
  if (delay > 0) await (opts.wait ?? sleep)(delay);

  const user = await prisma.user.findUnique({ where: { username: username.trim() } });
  // Spend the same time on an unknown name as on a real check.
  const good = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !good) {
    await prisma.signInFailure.create({ data: { username: name, address } });
    // Failures are what an attack looks like: each is in the audit trail, under the name typed.
    await recordAudit({
      actor: { id: user?.id ?? null, name: user?.username ?? name },
      action: "sign-in-failed",
      entity: "User",
      entityId: user ? user.id : name,
      after: { address, recentFailuresFromAddress: byAddress + 1, recentFailuresOnAccount: byAccount + 1, ...(delay ? { delayedMs: delay } : {}) },
    });
    return { ok: false, error: "auth.invalid" };
  }
  if (user.disabled) return { ok: false, error: "auth.disabled" };
  const sessionId = randomBytes(32).toString("base64url");
  const now = clockNow();
  await prisma.$transaction([
    // The slips before a success from this address are forgiven; failures elsewhere still count.
    prisma.signInFailure.deleteMany({ where: { username: name, address } }),
    prisma.session.create({
      data: {
        id: sessionId,
        userId: user.id,
        expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000),
        ip: address,
        userAgent: meta.userAgent.slice(0, 200),
      },
    }),
  ]);
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "sign-in", entity: "User", entityId: user.id, after: { address } });
  return { ok: true, sessionId, userId: user.id, mustChangePassword: user.mustChangePassword };
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

/** The id of the session a request carries (for "end my other sessions"). */
export async function sessionIdFrom(request: Request): Promise<string | null> {
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
          mustChangePassword: true,
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
    : COOPERATIVE_ROLES.includes(u.role) ? (u.cooperative?.name ?? "")
    : (u.township?.name ?? "");
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, scope, scopeName: scopeName.trim(), mustChangePassword: u.mustChangePassword };
}

/**
 * An account's role and scope as they stand now, or null when it is disabled
 * or gone: for work done later on someone's behalf (a queued job), which must
 * be allowed to its requester when it runs, not only when it was asked for.
 */
export async function actorById(id: number): Promise<Actor | null> {
  const u = await prisma.user.findUnique({
    where: { id },
    select: {
      id: true,
      role: true,
      disabled: true,
      townshipId: true,
      villageId: true,
      cooperativeId: true,
      village: { select: { townshipId: true } },
      cooperative: { select: { townshipId: true, villages: { select: { villageId: true } } } },
    },
  });
  if (!u || u.disabled || !isRole(u.role)) return null;
  const scope = scopeOf(u);
  return scope ? { id: u.id, role: u.role, scope } : null;
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
  // The cooperative's accountant, chair and supervisor share one kind of scope: the cooperative and the villages it serves.
  if (COOPERATIVE_ROLES.includes(role) && u.cooperativeId && u.cooperative)
    return {
      kind: "cooperative",
      cooperativeId: u.cooperativeId,
      townshipId: u.cooperative.townshipId,
      villageIds: u.cooperative.villages.map((v) => v.villageId),
    };
  return null;
}

export const CHANGE_PASSWORD_PATH = "/account";

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  // After an administrator's reset, nothing but choosing a new password.
  if (user.mustChangePassword && new URL(request.url).pathname.replace(/\.data$/, "") !== CHANGE_PASSWORD_PATH) throw redirect(CHANGE_PASSWORD_PATH);
  return user;
}
