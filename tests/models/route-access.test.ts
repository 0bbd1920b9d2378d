import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildWorld, newSessionCookie, request, statusOf, type World } from "../factories";

/**
 * The role × permission × scope matrix, checked against every route module
 * that exists: each loader and action is called with each role's session and
 * must answer with the expected status. A route file that is not listed here
 * fails the last test, so new routes cannot skip this.
 */
type Who = "anonymous" | "admin" | "township" | "secretary" | "secretary2" | "accountant";
const WHO: Who[] = ["anonymous", "admin", "township", "secretary", "secretary2", "accountant"];

interface Case {
  route: string;
  kind: "loader" | "action";
  label: string;
  path: (w: World) => string;
  params: (w: World) => Record<string, string>;
  form?: (w: World) => Record<string, string | string[]>;
  /** for actions that end the session they run in */
  freshSession?: true;
  expect: Record<Who, number>;
}

const modules = import.meta.glob("../../app/routes/*.tsx");
const load = async (route: string) => (await modules[`../../app/routes/${route}.tsx`]!()) as Record<string, (args: unknown) => Promise<unknown>>;
const all = (n: number, over: Partial<Record<Who, number>> = {}): Record<Who, number> => ({ ...Object.fromEntries(WHO.map((w) => [w, n])), ...over }) as Record<Who, number>;
const signedIn = (n: number, over: Partial<Record<Who, number>> = {}) => all(n, { anonymous: 302, ...over });
const none = () => ({});

const CASES: Case[] = [
  { route: "_index", kind: "loader", label: "root redirects", path: () => "/", params: none, expect: all(302) },
  { route: "login", kind: "loader", label: "sign-in page", path: () => "/login", params: none, expect: all(302, { anonymous: 200 }) },
  {
    route: "login",
    kind: "action",
    label: "wrong password",
    path: () => "/login",
    params: none,
    form: () => ({ username: "no-such-user", password: "wrong-password" }),
    expect: all(401),
  },
  { route: "logout", kind: "loader", label: "GET never signs out", path: () => "/logout", params: none, expect: all(302) },
  { route: "logout", kind: "action", label: "sign out", path: () => "/logout", params: none, form: () => ({}), freshSession: true, expect: all(302) },
  { route: "locale", kind: "loader", label: "locale GET", path: () => "/locale", params: none, expect: all(302) },
  { route: "locale", kind: "action", label: "switch language", path: () => "/locale", params: none, form: () => ({ locale: "en", redirectTo: "/home" }), expect: all(302) },
  { route: "_app", kind: "loader", label: "signed-in layout", path: () => "/home", params: none, expect: signedIn(200) },
  { route: "_app.home", kind: "loader", label: "home", path: () => "/home", params: none, expect: signedIn(200) },
  { route: "_app.households._index", kind: "loader", label: "household list", path: () => "/households?q=谢", params: none, expect: signedIn(200) },
  {
    route: "_app.households.$id._index",
    kind: "loader",
    label: "household of V1",
    path: (w) => `/households/${w.h1.id}`,
    params: (w) => ({ id: String(w.h1.id) }),
    expect: signedIn(200, { secretary2: 404 }),
  },
  {
    route: "_app.households.$id._index",
    kind: "loader",
    label: "household of V3 in another township",
    path: (w) => `/households/${w.h3.id}`,
    params: (w) => ({ id: String(w.h3.id) }),
    expect: signedIn(404, { admin: 200 }),
  },
  {
    route: "_app.households.$id._index",
    kind: "loader",
    label: "a junk id",
    path: () => "/households/abc",
    params: () => ({ id: "abc" }),
    expect: signedIn(404),
  },
  {
    route: "_app.households.$id.edit",
    kind: "loader",
    label: "edit household of V1",
    path: (w) => `/households/${w.h1.id}/edit`,
    params: (w) => ({ id: String(w.h1.id) }),
    expect: signedIn(403, { secretary: 200, secretary2: 404 }),
  },
  {
    route: "_app.households.$id.edit",
    kind: "action",
    label: "save household of V1 (invalid form: 400 means it got past access)",
    path: (w) => `/households/${w.h1.id}/edit`,
    params: (w) => ({ id: String(w.h1.id) }),
    form: () => ({ code: "" }),
    expect: signedIn(403, { secretary: 400, secretary2: 404 }),
  },
  { route: "_app.households.new", kind: "loader", label: "new household form", path: () => "/households/new", params: none, expect: signedIn(403, { secretary: 200, secretary2: 200 }) },
  {
    route: "_app.households.new",
    kind: "action",
    label: "create household (invalid form)",
    path: () => "/households/new",
    params: none,
    form: () => ({ code: "" }),
    expect: signedIn(403, { secretary: 400, secretary2: 400 }),
  },
  { route: "_app.cooperatives._index", kind: "loader", label: "cooperative list", path: () => "/cooperatives", params: none, expect: signedIn(200) },
  {
    route: "_app.cooperatives.$id",
    kind: "loader",
    label: "cooperative C1",
    path: (w) => `/cooperatives/${w.c1.id}`,
    params: (w) => ({ id: String(w.c1.id) }),
    expect: signedIn(200, { secretary2: 404 }),
  },
  {
    route: "_app.cooperatives.$id",
    kind: "loader",
    label: "cooperative C2 in another township",
    path: (w) => `/cooperatives/${w.c2.id}`,
    params: (w) => ({ id: String(w.c2.id) }),
    expect: signedIn(404, { admin: 200 }),
  },
  {
    route: "_app.cooperatives.$id",
    kind: "action",
    label: "edit C1 (invalid form)",
    path: (w) => `/cooperatives/${w.c1.id}`,
    params: (w) => ({ id: String(w.c1.id) }),
    form: () => ({ name: "" }),
    expect: signedIn(403, { admin: 400, accountant: 400 }),
  },
  {
    route: "_app.cooperatives.$id",
    kind: "action",
    label: "edit C2 (invalid form)",
    path: (w) => `/cooperatives/${w.c2.id}`,
    params: (w) => ({ id: String(w.c2.id) }),
    form: () => ({ name: "" }),
    expect: signedIn(403, { admin: 400, accountant: 404 }),
  },
  { route: "_app.cooperatives.new", kind: "loader", label: "new cooperative form", path: () => "/cooperatives/new", params: none, expect: signedIn(403, { admin: 200 }) },
  {
    route: "_app.cooperatives.new",
    kind: "action",
    label: "create cooperative (invalid form)",
    path: () => "/cooperatives/new",
    params: none,
    form: () => ({ name: "" }),
    expect: signedIn(403, { admin: 400 }),
  },
  { route: "_app.audit-trail", kind: "loader", label: "audit trail", path: () => "/audit-trail", params: none, expect: signedIn(403, { admin: 200, township: 200 }) },
  { route: "_app.accounts", kind: "loader", label: "accounts", path: () => "/accounts", params: none, expect: signedIn(403, { admin: 200 }) },
  {
    route: "_app.accounts",
    kind: "action",
    label: "create account (invalid form)",
    path: () => "/accounts",
    params: none,
    form: () => ({ intent: "create", username: "x" }),
    expect: signedIn(403, { admin: 400 }),
  },
];

let world: World;
beforeAll(async () => {
  world = await buildWorld();
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
        const status = await statusOf(() => fn!({ request: req, params: c.params(world), context: {} }));
        expect(status).toBe(c.expect[who]);
      });
    }
  }

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
