import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { parseContractForm } from "~/contracts/contract-form";
import { createContract, fileContract, getContract, signContract } from "~/contracts/contracts.server";
import { filingQueue, setFilingPattern, suggestFilingNumber } from "~/contracts/filing.server";
import { pickerState, searchPlotOffers } from "~/contracts/plot-picker.server";
import { recordPayment } from "~/contracts/rent.server";
import { today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import * as contractPage from "~/routes/_app.contracts.$id._index";
import * as newContract from "~/routes/_app.contracts.new";
import { buildWorld, request, statusOf, type World } from "../factories";

/**
 * Issue 15 items 2, 4 and 5 on the contract pages: the plot picker's search
 * and free area, the township's filing numbers, and every save answering
 * with a redirect and a message (irreversible steps only with a reason).
 */
let w: World;
let secretary: CurrentUser;
let secretary2: CurrentUser;
let township: CurrentUser;
let plotA: number;
let plotB: number;
let plotFull: number;

const as = async (u: { cookie: string }) => (await getUser(request("/", { cookie: u.cookie })))!;

beforeAll(async () => {
  w = await buildWorld();
  secretary = await as(w.users.secretary);
  secretary2 = await as(w.users.secretary2);
  township = await as(w.users.township);
  const h = await prisma.household.create({ data: { code: "0002", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[1]!.id, headName: "鲁振东" } });
  const plot = async (householdId: number, code: string, name: string, area: string) =>
    (await prisma.contractedPlot.create({ data: { townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, householdId, parcelCode: code, name, contractArea: area, contractEnd: "2057-12-31" } })).id;
  plotA = await plot(w.h1.id, "3717021020010100001", "村东地", "3.20");
  plotB = await plot(h.id, "3717021020010100002", "南洼地", "4.33");
  plotFull = await plot(h.id, "3717021020010100003", "北岗地", "1.00");
});

const form = (over: RawForm = {}): RawForm => ({
  transfereeKind: "COOPERATIVE",
  cooperativeId: String(w.c1.id),
  form: "LEASE",
  use: "GRAIN",
  startDate: "2024-01-01",
  endDate: "2033-12-31",
  rentKind: "CASH",
  rentPerMu: "1000",
  stepPercent: "5",
  stepEveryYears: "1",
  paymentTiming: "YEARLY",
  paymentMonthDay: "12-31",
  penaltyPerTenThousand: "5",
  ...over,
});
const parse = (raw: RawForm) => {
  const r = parseContractForm(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
async function signed(raw: RawForm): Promise<number> {
  const r = await createContract(secretary, parse(form(raw)));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect(await signContract(secretary, r.id, "2024-01-01")).toBeNull();
  return r.id;
}

describe("the plot picker", () => {
  it("finds plots of the secretary's own village by parcel code, plot name or household head, each with its free area", async () => {
    await signed({ "lines.0.plotId": String(plotA), "lines.0.area": "1.20", "lines.1.plotId": String(plotFull), "lines.1.area": "1.00" });
    // a draft holds nothing
    const d = await createContract(secretary, parse(form({ "lines.0.plotId": String(plotB), "lines.0.area": "4.33" })));
    expect(d.ok).toBe(true);
    const byCode = await searchPlotOffers(secretary, { q: "0100001", start: "2026-01-01", end: "2030-12-31" });
    expect(byCode.offers.map((o) => [o.id, o.freeArea])).toEqual([[plotA, "2.00"]]);
    expect((await searchPlotOffers(secretary, { q: "南洼" })).offers.map((o) => [o.id, o.freeArea])).toEqual([[plotB, "4.33"]]);
    // 鲁振东's fully transferred plot is left out; his other plot is offered
    expect((await searchPlotOffers(secretary, { q: "鲁振东", start: "2026-01-01", end: "2030-12-31" })).offers.map((o) => o.id)).toEqual([plotB]);
    // after the contract's end the whole plot is free again
    expect((await searchPlotOffers(secretary, { q: "北岗", start: "2034-01-01", end: "2040-12-31" })).offers.map((o) => o.freeArea)).toEqual(["1.00"]);
    // a "%" is searched literally, not as a wildcard
    expect((await searchPlotOffers(secretary, { q: "%" })).offers).toEqual([]);
  });

  it("stays inside the village: another village's secretary finds none of its plots, a township official may not search", async () => {
    expect((await searchPlotOffers(secretary2, { q: "" })).offers).toEqual([]);
    await expect(searchPlotOffers(township, { q: "" })).rejects.toMatchObject({ status: 403 });
  });

  it("offers exactly what the save accepts: the free area passes, a fen more is refused next to the field", async () => {
    const [offer] = (await searchPlotOffers(secretary, { q: "村东地", start: "2025-01-01", end: "2027-12-31" })).offers;
    expect(offer!.freeArea).toBe("2.00");
    const over = await createContract(secretary, parse(form({ startDate: "2025-01-01", endDate: "2027-12-31", "lines.0.plotId": String(plotA), "lines.0.area": "2.01" })));
    expect(over).toMatchObject({ ok: false, errors: { "lines.0.area": { key: "contract.plotAlreadyTransferred", params: { free: "2.00" } } } });
    const ok = await createContract(secretary, parse(form({ startDate: "2025-01-01", endDate: "2027-12-31", "lines.0.plotId": String(plotA), "lines.0.area": offer!.freeArea })));
    expect(ok.ok).toBe(true);
  });

  it("works without JavaScript: choosing a plot reloads the form with it as a line holding its free area, the typed values kept", async () => {
    const url = new URL(`http://app.test/contracts/new?transfereeKind=COOPERATIVE&startDate=2026-01-01&endDate=2030-12-31&rentPerMu=900&plotQ=${encodeURIComponent("村东")}&pick=${plotA}`);
    const s = await pickerState(secretary, url, {}, null);
    expect(s.defaults).toMatchObject({ rentPerMu: "900", startDate: "2026-01-01", "lines.0.plotId": String(plotA), "lines.0.area": "2.00" });
    expect(s.defaults.pick).toBeUndefined();
    expect(s.search?.offers.map((o) => o.id)).toEqual([plotA]);
    expect(s.chosen.map((o) => o.id)).toEqual([plotA]);
    const removed = await pickerState(secretary, new URL(`http://app.test/contracts/new?lines.0.plotId=${plotA}&lines.0.area=2&lines.1.plotId=${plotB}&lines.1.area=1&remove=0`), {}, null);
    expect(removed.defaults).toEqual({ "lines.0.plotId": String(plotB), "lines.0.area": "1" });
  });
});

describe("filing numbers", () => {
  it("lists the township's signed contracts waiting to be filed, oldest first, and only for the township", async () => {
    const q = (await filingQueue(township))!;
    expect(q.total).toBeGreaterThanOrEqual(1);
    expect(q.rows[0]!.signedDate).toBe("2024-01-01");
    expect(await filingQueue(secretary)).toBeNull();
  });

  it("suggests the next free number of the year in the township's pattern, and a taken number is refused with the next one", async () => {
    expect(await setFilingPattern(township, "{seq}{seq}")).toMatchObject({ ok: false, errors: { filingPattern: { key: "filing.patternSeq" } } });
    expect(await setFilingPattern(township, "牡丹小留流转〔{year}〕{seq:3}号")).toMatchObject({ ok: true });
    const a = await signed({ startDate: "2040-01-01", endDate: "2041-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" });
    const b = await signed({ startDate: "2042-01-01", endDate: "2043-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" });
    expect(await suggestFilingNumber(a, "2026-03-01")).toBe("牡丹小留流转〔2026〕001号");
    expect(await fileContract(township, a, "牡丹小留流转〔2026〕007号", "2026-03-01")).toBeNull();
    expect(await suggestFilingNumber(b, "2026-03-02")).toBe("牡丹小留流转〔2026〕008号");
    expect(await suggestFilingNumber(b, "2027-01-02")).toBe("牡丹小留流转〔2027〕001号");
    const taken = await fileContract(township, b, "牡丹小留流转〔2026〕007号", "2026-03-02");
    expect(taken).toEqual({ contractNo: { key: "contract.contractNoTaken", params: { next: "牡丹小留流转〔2026〕008号" } } });
    expect((await prisma.transferContract.findUniqueOrThrow({ where: { id: b } })).status).toBe("SIGNED");
  });

  it("never gives two officials filing at once the same number: one is filed, the other told and nothing saved", async () => {
    const ids = [
      await signed({ startDate: "2044-01-01", endDate: "2045-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" }),
      await signed({ startDate: "2046-01-01", endDate: "2047-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" }),
    ];
    const no = await suggestFilingNumber(ids[0]!, "2026-05-01");
    expect(await suggestFilingNumber(ids[1]!, "2026-05-01")).toBe(no);
    const results = await Promise.all(ids.map((id) => fileContract(township, id, no, "2026-05-01")));
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)).toMatchObject({ contractNo: { key: "contract.contractNoTaken" } });
    const rows = await prisma.transferContract.findMany({ where: { id: { in: ids } }, select: { status: true, contractNo: true } });
    expect(rows.filter((r) => r.contractNo === no)).toHaveLength(1);
    expect(rows.map((r) => r.status).sort()).toEqual(["FILED", "SIGNED"]);
  });
});

describe("every save answers, irreversible steps ask for a reason", () => {
  const call = async (fn: (args: never) => Promise<unknown>, path: string, cookie: string, formData: Record<string, string>, params: Record<string, string> = {}) => {
    let body: unknown;
    const status = await statusOf(async () => {
      body = await fn({ request: request(path, { cookie, form: formData }), params, context: {} } as never);
      return body;
    });
    const data = body && typeof body === "object" && "data" in body ? (body as { data: Record<string, unknown> }).data : null;
    return { status, response: body instanceof Response ? body : null, data };
  };

  it("a new draft redirects to its page with a message naming it; an invalid one stays with its errors", async () => {
    const bad = await call(newContract.action, "/contracts/new", w.users.secretary.cookie, form({ rentPerMu: "-1", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" }) as Record<string, string>);
    expect(bad.status).toBe(400);
    expect(bad.data?.errors).toMatchObject({ rentPerMu: { key: "money.negative" } });
    const ok = await call(newContract.action, "/contracts/new", w.users.secretary.cookie, form({ startDate: "2048-01-01", endDate: "2049-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.10" }) as Record<string, string>);
    expect(ok.status).toBe(302);
    expect(ok.response!.headers.get("Location")).toMatch(/^\/contracts\/\d+$/);
    expect(ok.response!.headers.get("Set-Cookie")).toContain("__cunshe_flash=");
  });

  it("a reversal without a reason is refused and changes nothing; with one it is stored on the reversing row and shown", async () => {
    const id = await signed({ startDate: "2020-01-01", endDate: "2021-12-31", "lines.0.plotId": String(plotB), "lines.0.area": "0.20" });
    const inst = (await getContract(secretary, id))!.installments[0]!;
    expect(await recordPayment(secretary, inst.id, { paidOn: today(), amount: "10", method: "CASH", receiptNo: "R-1" })).toBeNull();
    const paymentId = (await prisma.rentPayment.findFirstOrThrow({ where: { installmentId: inst.id } })).id;
    const path = `/contracts/${id}`;
    const refused = await call(contractPage.action, path, w.users.secretary.cookie, { intent: "reverse", paymentId: String(paymentId), reason: "  " }, { id: String(id) });
    expect(refused.status).toBe(400);
    expect(refused.data?.errors).toEqual({ reason: { key: "confirm.reasonRequired" } });
    expect(await prisma.rentPayment.count({ where: { reversesId: paymentId } })).toBe(0);
    const done = await call(contractPage.action, path, w.users.secretary.cookie, { intent: "reverse", paymentId: String(paymentId), reason: "收据号录错" }, { id: String(id) });
    expect(done.status).toBe(302);
    const reversal = await prisma.rentPayment.findFirstOrThrow({ where: { reversesId: paymentId } });
    expect(reversal.reason).toBe("收据号录错");
    expect(reversal.amountFen).toBe(-1000n);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "RentPayment", entityId: String(reversal.id) } });
    expect(JSON.stringify(audit.after)).toContain("收据号录错");
    const page = (await contractPage.loader({ request: request(path, { cookie: w.users.secretary.cookie }), params: { id: String(id) }, context: {} } as never)) as Awaited<ReturnType<typeof contractPage.loader>>;
    expect(page.contract.installments[0]!.payments.find((p) => p.id === reversal.id)!.reason).toBe("收据号录错");
  });

  it("termination asks for a reason too, and the schedule shows totals and the actual step-up amounts", async () => {
    const id = await signed({ startDate: "2050-01-01", endDate: "2052-12-31", "lines.0.plotId": String(plotA), "lines.0.area": "1.00" });
    const path = `/contracts/${id}`;
    const refused = await call(contractPage.action, path, w.users.secretary.cookie, { intent: "terminate", terminatedOn: "2051-06-30", terminationReason: "MUTUAL_AGREEMENT" }, { id: String(id) });
    expect(refused.status).toBe(400);
    expect((await prisma.transferContract.findUniqueOrThrow({ where: { id } })).status).toBe("SIGNED");
    const page = (await contractPage.loader({ request: request(path, { cookie: w.users.secretary.cookie }), params: { id: String(id) }, context: {} } as never)) as Awaited<ReturnType<typeof contractPage.loader>>;
    // 1,000 a mu, +5 % a year: 1,000.00, 1,050.00, 1,102.50
    expect(page.totals.years.map((y) => y.total)).toEqual(["1,000.00", "1,050.00", "1,102.50"]);
    expect(page.totals.grand).toBe("3,152.50");
    expect(page.totals.households.map((h) => h.total)).toEqual(["3,152.50"]);
    const done = await call(contractPage.action, path, w.users.secretary.cookie, { intent: "terminate", terminatedOn: "2051-06-30", terminationReason: "MUTUAL_AGREEMENT", reason: "双方协商一致" }, { id: String(id) });
    expect(done.status).toBe(302);
    const c = await prisma.transferContract.findUniqueOrThrow({ where: { id } });
    expect([c.status, c.terminationReason]).toEqual(["TERMINATED", "MUTUAL_AGREEMENT"]);
  });
});
