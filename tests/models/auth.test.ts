import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/auth/password.server";
import { getUser, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, commitSessionCookie, signIn } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";

const meta = { ip: "127.0.0.1", userAgent: "vitest" };
let world: World;

beforeAll(async () => {
  world = await buildWorld();
  await prisma.user.update({ where: { id: world.users.secretary.id }, data: { passwordHash: await hashPassword("correct horse battery") } });
  await prisma.user.update({ where: { id: world.users.secretary2.id }, data: { passwordHash: await hashPassword("correct horse battery") } });
});

const cookieOf = async (sessionId: string) => (await commitSessionCookie(sessionId)).split(";")[0]!;

describe("sign-in", () => {
  it("opens a session stored in the database, and the cookie carries only its id", async () => {
    const r = await signIn("secretary", "correct horse battery", meta);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const row = await prisma.session.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row.userId).toBe(world.users.secretary.id);
    const cookie = await cookieOf(r.sessionId);
    const user = await getUser(request("/home", { cookie }));
    expect(user?.scope).toEqual({ kind: "village", villageId: world.v1.id, townshipId: world.t1.id });
    expect(cookie).not.toContain("secretary");
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect(await signIn("secretary", "wrong", meta)).toEqual({ ok: false, error: "auth.invalid" });
    expect(await signIn("nobody", "wrong", meta)).toEqual({ ok: false, error: "auth.invalid" });
  });

  it(`locks the account for ${LOCKOUT_MINUTES} minutes after ${MAX_FAILED_SIGN_INS} failures, even for the right password`, async () => {
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i++) expect((await signIn("secretary2", `wrong-${i}`, meta)).ok).toBe(false);
    const last = await signIn("secretary2", "wrong-last", meta);
    expect(last).toMatchObject({ ok: false, error: "auth.locked" });
    expect(await signIn("secretary2", "correct horse battery", meta)).toMatchObject({ ok: false, error: "auth.locked" });
    const u = await prisma.user.findUniqueOrThrow({ where: { id: world.users.secretary2.id } });
    const minutes = (u.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(LOCKOUT_MINUTES - 1);
    expect(minutes).toBeLessThanOrEqual(LOCKOUT_MINUTES);
    // When the lock has run out, the right password works again.
    await prisma.user.update({ where: { id: u.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await signIn("secretary2", "correct horse battery", meta)).ok).toBe(true);
    const failures = await prisma.auditEvent.count({ where: { action: "sign-in-failed", entityId: String(u.id) } });
    expect(failures).toBe(MAX_FAILED_SIGN_INS + 1);
  });

  it("treats revoked and expired sessions as signed out", async () => {
    const r = await signIn("secretary", "correct horse battery", meta);
    if (!r.ok) throw new Error("sign-in failed");
    const cookie = await cookieOf(r.sessionId);
    expect(await getUser(request("/home", { cookie }))).not.toBeNull();
    await prisma.session.update({ where: { id: r.sessionId }, data: { revokedAt: new Date() } });
    expect(await getUser(request("/home", { cookie }))).toBeNull();

    const r2 = await signIn("secretary", "correct horse battery", meta);
    if (!r2.ok) throw new Error("sign-in failed");
    await prisma.session.update({ where: { id: r2.sessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await getUser(request("/home", { cookie: await cookieOf(r2.sessionId) }))).toBeNull();
  });

  it("ignores a forged cookie", async () => {
    expect(await getUser(request("/home", { cookie: `__cunshe_session=${encodeURIComponent(JSON.stringify("guess"))}` }))).toBeNull();
  });

  it("stores passwords as salted scrypt hashes", async () => {
    const a = await hashPassword("same password");
    const b = await hashPassword("same password");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
  });
});
