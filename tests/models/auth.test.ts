import { beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "~/auth/password.server";
import { getUser, commitSessionCookie, requireUser, signIn } from "~/auth/session.server";
import { changeOwnPassword } from "~/auth/account.server";
import { resetPassword } from "~/auth/accounts.server";
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

  it("never locks an account: an address that keeps failing must wait longer each time, and the right password still works", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      let clock = Date.parse("2026-12-02T02:00:00Z");
      vi.setSystemTime(clock);
      const waits: number[] = [];
      const wait = async (ms: number) => void waits.push(ms);
      const attacker = { ip: "203.0.113.9", userAgent: "script" };
      const refusals: number[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await signIn("secretary2", `wrong-${i}`, attacker, { wait });
        if (r.ok) throw new Error("signed in with a wrong password");
        if (r.error === "auth.slowDown") {
          refusals.push(r.retryAfterSeconds);
          // a guess fired before the wait is over is refused unchecked: let the time pass, then go on
          clock += r.retryAfterSeconds * 1000;
          vi.setSystemTime(clock);
          i--;
        } else expect(r.error).toBe("auth.invalid");
      }
      // 3 free slips, then 1 s, 2 s, 4 s, 8 s, 16 s between guesses from that address
      expect(refusals).toEqual([1, 2, 4, 8, 16]);
      // The account's own pause is capped low.
      expect(Math.max(0, ...waits)).toBeLessThanOrEqual(4000);
      // The official, at their own PC, signs in (after a pause of seconds at most).
      const own: number[] = [];
      const r = await signIn("secretary2", "correct horse battery", meta, { wait: async (ms) => void own.push(ms) });
      expect(r.ok).toBe(true);
      expect(Math.max(0, ...own)).toBeLessThanOrEqual(4000);
      // Every failure is in the audit trail, with the address.
      const failures = await prisma.auditEvent.findMany({ where: { action: "sign-in-failed", entityId: String(world.users.secretary2.id) } });
      expect(failures).toHaveLength(8);
      expect(failures[0]!.after).toContain("203.0.113.9");
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers an unknown name exactly as a wrong password, after a real password check", async () => {
    const t0 = performance.now();
    const unknown = await signIn("no-such-official", "whatever-it-is", { ip: "198.51.100.7", userAgent: "x" });
    const t1 = performance.now();
    const wrong = await signIn("secretary", "whatever-it-is", { ip: "198.51.100.8", userAgent: "x" });
    const t2 = performance.now();
    expect(unknown).toEqual(wrong);
    // both spent a scrypt verification (tens of milliseconds), neither answered at once
    expect(t1 - t0).toBeGreaterThan(15);
    expect(t2 - t1).toBeGreaterThan(15);
    // failures under unknown names count for their address too
    expect(await prisma.signInFailure.count({ where: { username: "no-such-official" } })).toBe(1);
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

  it("an administrator's reset ends every session and forces a new password before anything else", async () => {
    const before = await signIn("secretary", "correct horse battery", meta);
    if (!before.ok) throw new Error("sign-in failed");
    const admin = (await getUser(request("/home", { cookie: world.users.admin.cookie })))!;
    expect(await resetPassword(admin, world.users.secretary.id, "aaaaaaaaaa")).toMatchObject({ temporaryPassword: { key: "password.common" } });
    expect(await resetPassword(admin, world.users.secretary.id, "Temp-Lxz-4821")).toBeNull();
    expect(await getUser(request("/home", { cookie: await cookieOf(before.sessionId) }))).toBeNull();
    expect(await signIn("secretary", "correct horse battery", meta)).toEqual({ ok: false, error: "auth.invalid" });
    const r = await signIn("secretary", "Temp-Lxz-4821", meta);
    expect(r).toMatchObject({ ok: true, mustChangePassword: true });
    if (!r.ok) return;
    const cookie = await cookieOf(r.sessionId);
    // any page but the password form sends them there
    await expect(requireUser(request("/households", { cookie }))).rejects.toMatchObject({ status: 302 });
    const user = await requireUser(request("/account", { cookie }));
    const other = await signIn("secretary", "Temp-Lxz-4821", { ip: "10.1.1.1", userAgent: "phone" });
    if (!other.ok) throw new Error("sign-in failed");
    expect(await changeOwnPassword(user, { current: "wrong", next: "secretary-new-1", repeat: "x" }, r.sessionId)).toMatchObject({
      current: { key: "password.currentWrong" },
      next: { key: "password.username" },
    });
    expect(await changeOwnPassword(user, { current: "Temp-Lxz-4821", next: "peach blossom 2027", repeat: "peach blossom 2027" }, r.sessionId)).toBeNull();
    // this session goes on, the one on the phone has ended, and the flag is gone
    expect((await requireUser(request("/households", { cookie }))).mustChangePassword).toBe(false);
    expect(await getUser(request("/home", { cookie: await cookieOf(other.sessionId) }))).toBeNull();
    const trail = await prisma.auditEvent.findMany({ where: { entity: "User", entityId: String(world.users.secretary.id), action: { in: ["password-reset", "password-change"] } } });
    expect(trail.map((e) => e.action)).toEqual(["password-reset", "password-change"]);
    await prisma.user.update({ where: { id: world.users.secretary.id }, data: { passwordHash: await hashPassword("correct horse battery") } });
  });
});
