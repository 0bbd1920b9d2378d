import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildWorld, newSessionCookie, request, statusOf, type World } from "../factories";
import { hasPermission } from "~/auth/permissions";
import { permissionsOf, ROLE_OF, WHO, type Case } from "./access/types";

// Each capability lists its routes in tests/models/access/<capability>.cases.ts.
const caseModules = import.meta.glob<{ CASES: Case[] }>("./access/*.cases.ts", { eager: true });
const CASES: Case[] = Object.values(caseModules).flatMap((m) => m.CASES);

/**
 * The role × permission × scope matrix, checked against every route module
 * that exists: each loader and action is called with each role's session and
 * must answer with the expected status. A route file that is not listed here
 * fails the last test, so new routes cannot skip this.
 */
const modules = import.meta.glob("../../app/routes/*.tsx");
const load = async (route: string) => (await modules[`../../app/routes/${route}.tsx`]!()) as Record<string, (args: unknown) => Promise<unknown>>;

// Capabilities add the records their cases need (plots, contracts, …) in
// tests/models/access/<capability>.world.ts, into world.extra.
const extenders = import.meta.glob<{ extend: (w: World) => Promise<Record<string, number>> }>("./access/*.world.ts", { eager: true });

let world: World;
let calls = 0;
beforeAll(async () => {
  world = await buildWorld();
  for (const m of Object.values(extenders)) Object.assign(world.extra, await m.extend(world));
});

describe("route access matrix", () => {
  for (const c of CASES) {
    for (const who of WHO) {
      it(`${c.route} ${c.kind}: ${c.label} as ${who} → ${c.expect[who]}`, async () => {
        const mod = await load(c.route);
        const fn = mod[c.kind];
        expect(fn, `${c.route} has no ${c.kind}`).toBeTypeOf("function");
        const cookie = who === "anonymous" ? undefined : c.freshSession ? await newSessionCookie(world.users[who].id) : world.users[who].cookie;
        const req = request(c.path(world), { cookie, form: c.form?.(world), method: c.kind === "action" ? "POST" : "GET" });
        // each call from its own address, as the server would tell it: sign-in failures are throttled per address
        const status = await statusOf(() => fn!({ request: req, params: c.params(world), context: { clientAddress: `192.0.2.${(calls++ % 250) + 1}` } }));
        expect(status).toBe(c.expect[who]);
      });
    }
  }

  // The matrix reads the same policy table as the app: a case that names its
  // permission must refuse every role that app/auth/policy.ts does not give it.
  it("cases that name a permission refuse every role the policy table leaves out", () => {
    const named = CASES.filter((c) => permissionsOf(c).length > 0);
    expect(named.length).toBeGreaterThan(0);
    for (const c of named) {
      for (const [who, role] of Object.entries(ROLE_OF) as [keyof typeof ROLE_OF, (typeof ROLE_OF)[keyof typeof ROLE_OF]][]) {
        if (!permissionsOf(c).some((p) => hasPermission(role, p))) expect(c.expect[who], `${c.route} ${c.kind} (${c.label}) as ${who} lacks ${c.permission}`).toBe(403);
      }
    }
  });

  // Every action names what it asks for, and an action that changes anything
  // asks for a permission that says so (app/auth/policy.ts): a write, file,
  // issue, manage, import or set permission; a read:* one only for an action
  // that is marked as a read, with the reason.
  it("every action names its permission, and every action that writes a write permission", () => {
    const actions = CASES.filter((c) => c.kind === "action");
    for (const c of actions) {
      const where = `${c.route} action (${c.label})`;
      expect(c.permission, `${where} names no permission`).toBeDefined();
      for (const p of permissionsOf(c)) {
        const verb = p.split(":")[0]!;
        if (c.reads) expect(verb, `${where} is marked as a read`).toBe("read");
        else expect(["write", "file", "issue", "manage", "import", "set", "approve", "object", "check", "close"], `${where} writes with ${p}`).toContain(verb);
      }
      if (c.permission === "signed-in") expect(c.expect.anonymous, where).toBe(302);
    }
  });

  it("lists every route module's loader and action", async () => {
    for (const file of Object.keys(modules)) {
      const route = path.basename(file, ".tsx");
      const mod = await load(route);
      for (const kind of ["loader", "action"] as const) {
        if (typeof mod[kind] !== "function") continue;
        expect(CASES.some((c) => c.route === route && c.kind === kind), `${route} ${kind} is missing from the access matrix`).toBe(true);
      }
    }
  });
});
