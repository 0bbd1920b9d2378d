import { randomBytes } from "node:crypto";
import { commitSessionCookie } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { takeFlash } from "~/lib/flash.server";
import { replaceSearchTerms } from "~/registry/search-index.server";
import { makeCreditCode } from "~/registry/credit-code";
import { makeIdNumber } from "~/registry/id-number";

/**
 * A small world for model tests: two townships, three villages, a household
 * in each, two cooperatives and one account per role, with open sessions.
 *   T1 小留镇: V1 鲁谢庄村 (H1), V2 刘庄村 (H2);  T2 安兴镇: V3 船郭庄村 (H3)
 *   C1 serves V1; C2 serves V3.
 */
export async function buildWorld() {
  const t1 = await prisma.township.create({ data: { code: "371702102000", name: "小留镇", countyCode: "371702" } });
  const t2 = await prisma.township.create({ data: { code: "371702104000", name: "安兴镇", countyCode: "371702" } });
  const village = async (townshipId: number, code: string, name: string) =>
    prisma.village.create({
      data: { townshipId, code, parcelCode: code.slice(-3), name, groups: { create: [{ number: "01", name: "第一村民小组" }, { number: "02", name: "第二村民小组" }] } },
      include: { groups: true },
    });
  const v1 = await village(t1.id, "371702102001", "鲁谢庄村");
  const v2 = await village(t1.id, "371702102002", "刘庄村");
  const v3 = await village(t2.id, "371702104001", "船郭庄村");
  let seq = 100;
  const household = async (v: typeof v1, code: string, members: { name: string; relation: string; birth: string }[]) => {
    const h = await prisma.household.create({
      data: {
        code,
        townshipId: v.townshipId,
        villageId: v.id,
        groupId: v.groups[0]!.id,
        headName: members[0]!.name,
        phone: `1380000${String(seq).padStart(4, "0")}`,
        bankAccount: `6230580000${String(seq).padStart(9, "0")}`,
        members: {
          create: members.map((m) => {
            seq += 2;
            const id = makeIdNumber("371702", m.birth, String(seq).padStart(3, "0"));
            return { name: m.name, relation: m.relation, idNumber: id, birthDate: `${m.birth.slice(0, 4)}-${m.birth.slice(4, 6)}-${m.birth.slice(6)}`, sex: "M" };
          }),
        },
        statusChanges: { create: { status: "ORDINARY", effectiveOn: new Date("2020-01-01") } },
      },
      include: { members: true },
    });
    await prisma.$transaction((tx) => replaceSearchTerms(tx, h.id));
    return h;
  };
  const h1 = await household(v1, "0001", [
    { name: "谢建国", relation: "HEAD", birth: "19700101" },
    { name: "谢雨轩", relation: "SON", birth: "20100505" },
  ]);
  const h2 = await household(v2, "0001", [{ name: "刘振华", relation: "HEAD", birth: "19650303" }]);
  const h3 = await household(v3, "0001", [{ name: "郭守田", relation: "HEAD", birth: "19580808" }]);
  const c1 = await prisma.cooperative.create({
    data: {
      name: "牡丹区续强合作社",
      creditCode: makeCreditCode("93371702MA3C00001"),
      type: "LAND_SHARE",
      townshipId: t1.id,
      legalRepresentative: "鲁续强",
      villages: { create: [{ villageId: v1.id }] },
    },
  });
  const c2 = await prisma.cooperative.create({
    data: {
      name: "船郭庄土地股份合作社",
      creditCode: makeCreditCode("93371702MA3C00002"),
      type: "LAND_SHARE",
      townshipId: t2.id,
      legalRepresentative: "郭守田",
      villages: { create: [{ villageId: v3.id }] },
    },
  });
  const user = async (username: string, role: string, scope: { townshipId?: number; villageId?: number; cooperativeId?: number }) => {
    const u = await prisma.user.create({ data: { username, displayName: username, role, passwordHash: "scrypt$1$1$1$AA==$AA==", ...scope } });
    return { ...u, cookie: await newSessionCookie(u.id) };
  };
  const users = {
    admin: await user("admin", "ADMIN", {}),
    township: await user("township", "TOWNSHIP", { townshipId: t1.id }),
    secretary: await user("secretary", "SECRETARY", { villageId: v1.id }),
    secretary2: await user("secretary2", "SECRETARY", { villageId: v2.id }),
    accountant: await user("accountant", "ACCOUNTANT", { cooperativeId: c1.id }),
    // the board of C1 (maker-checker): approves and issues / reads and records objections
    chair: await user("chair", "CHAIR", { cooperativeId: c1.id }),
    supervisor: await user("supervisor", "SUPERVISOR", { cooperativeId: c1.id }),
  };
  return { t1, t2, v1, v2, v3, h1, h2, h3, c1, c2, users, extra: {} as Record<string, number> };
}

/** Opens a session for the user and returns the Cookie header that carries it. */
export async function newSessionCookie(userId: number): Promise<string> {
  const sessionId = randomBytes(16).toString("hex");
  await prisma.session.create({ data: { id: sessionId, userId, expiresAt: new Date(Date.now() + 3600_000) } });
  return (await commitSessionCookie(sessionId)).split(";")[0]!;
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

export function request(path: string, init: { cookie?: string; method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body: URLSearchParams | undefined;
  if (init.form) {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(`http://localhost${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** The HTTP status a loader or action ends with, whether it returns or throws. */
export async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run();
    if (result instanceof Response) return result.status;
    if (result && typeof result === "object" && "type" in result && (result as { type: unknown }).type === "DataWithResponseInit") {
      return (result as { init?: { status?: number } | null }).init?.status ?? 200;
    }
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

/** The message a redirect leaves for the page it lands on ("every save answers"), or null. */
export async function flashOf(res: unknown) {
  if (!(res instanceof Response)) return null;
  const cookie = res.headers.get("Set-Cookie")?.split(";")[0];
  if (!cookie?.startsWith("__cunshe_flash=")) return null;
  return (await takeFlash(request(res.headers.get("Location") ?? "/", { headers: { Cookie: cookie } }))).message;
}
