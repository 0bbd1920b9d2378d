/**
 * A user's own account: changing their password and seeing and ending their
 * own sessions (ADR 015).
 */
import { prisma } from "~/lib/db.server";
import { formatInstant, now as clockNow } from "~/lib/dates";
import type { FieldErrors } from "~/lib/forms";
import { recordAudit } from "./audit.server";
import { hashPassword, verifyPassword } from "./password.server";
import { passwordProblem } from "./password-policy";
import type { CurrentUser } from "./session.server";

export interface PasswordChange {
  current: string;
  next: string;
  repeat: string;
}

/**
 * Changes the user's own password. The current one is required (a session
 * left open on a shared office PC must not be enough), and every other
 * session of the account ends: whoever else was signed in is signed out.
 */
export async function changeOwnPassword(user: CurrentUser, input: PasswordChange, keepSessionId: string | null): Promise<FieldErrors | null> {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, username: true } });
  const errors: FieldErrors = {};
  if (!input.current) errors.current = { key: "field.required" };
  else if (!(await verifyPassword(input.current, row.passwordHash))) errors.current = { key: "password.currentWrong" };
  const weak = passwordProblem(input.next, row.username);
  if (weak) errors.next = { key: weak, params: { min: 10 } };
  else if (input.next === input.current) errors.next = { key: "password.same" };
  if (!errors.next && input.repeat !== input.next) errors.repeat = { key: "password.repeat" };
  if (Object.keys(errors).length) return errors;
  const passwordHash = await hashPassword(input.next);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false, passwordChangedAt: clockNow() } });
    const { count } = await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null, ...(keepSessionId ? { NOT: { id: keepSessionId } } : {}) },
      data: { revokedAt: clockNow() },
    });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "password-change", entity: "User", entityId: user.id, after: { otherSessionsEnded: count } }, tx);
  });
  return null;
}

/** The user's open sessions, newest first; the id is shown only as a short tag. */
export async function ownSessions(user: CurrentUser, currentSessionId: string | null) {
  const rows = await prisma.session.findMany({
    where: { userId: user.id, revokedAt: null, expiresAt: { gt: clockNow() } },
    select: { id: true, createdAt: true, expiresAt: true, ip: true, userAgent: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((s) => ({
    tag: s.id.slice(0, 8),
    createdAt: formatInstant(s.createdAt),
    expiresAt: formatInstant(s.expiresAt),
    address: s.ip,
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  }));
}

/** Ends one of the user's own sessions, named by its tag; never another user's. */
export async function revokeOwnSession(user: CurrentUser, tag: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{8}$/.test(tag)) return false;
  // A user has a handful of sessions: match the tag here rather than with LIKE, where "_" is a wildcard.
  const open = (await prisma.session.findMany({ where: { userId: user.id, revokedAt: null }, select: { id: true } })).filter((s) => s.id.startsWith(tag));
  if (open.length !== 1) return false;
  await prisma.session.update({ where: { id: open[0]!.id }, data: { revokedAt: clockNow() } });
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "revoke", entity: "Session", entityId: tag, after: { own: true } });
  return true;
}
