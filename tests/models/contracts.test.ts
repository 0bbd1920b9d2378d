import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { parseContractForm } from "~/contracts/contract-form";
import { createContract, fileContract, getContract, recordReferencePrice, signContract, terminateContract } from "~/contracts/contracts.server";
import { parsePlotForm } from "~/contracts/plot-form";
import { savePlot } from "~/contracts/plots.server";
import { arrears, ledgerRows, recordPayment, reversePayment } from "~/contracts/rent.server";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import { buildWorld, request, type World } from "../factories";

let w: World;
let secretary: CurrentUser;
let township: CurrentUser;
let plotA: number;
let plotB: number;
let plotShort: number;

const as = async (u: { cookie: string }) => (await getUser(request("/", { cookie: u.cookie })))!;

beforeAll(async () => {
  w = await buildWorld();
  secretary = await as(w.users.secretary);
  township = await as(w.users.township);
  // A second household in V1, so that a contract can cover two households.
  const h = await prisma.household.create({
    data: { code: "0002", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[1]!.id, headName: "鲁振东", bankAccount: "6230580000000009999" },
  });
  const save = async (householdId: number, raw: RawForm) => {
    const p = parsePlotForm(raw);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const r = await savePlot(secretary, householdId, null, p.value);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  };
  const g1 = w.v1.groups[0]!;
  const g2 = w.v1.groups[1]!;
  plotA = await save(w.h1.id, { parcelCode: "3717021020010100001", groupId: String(g1.id), name: "村东地", category: "CONTRACTED", contractArea: "3.20", contractEnd: "2057-12-31" });
  plotB = await save(h.id, { parcelCode: "3717021020010200001", groupId: String(g2.id), name: "南洼地", category: "CONTRACTED", contractArea: "4.33", contractEnd: "2057-12-31", basicFarmland: "on" });
  plotShort = await save(w.h1.id, { parcelCode: "3717021020010100002", groupId: String(g1.id), name: "北岗地", category: "CONTRACTED", contractArea: "1.00", contractEnd: "2028-12-31" });
});

const contractForm = (over: RawForm = {}): RawForm => ({
  transfereeKind: "COOPERATIVE",
  cooperativeId: String(w.c1.id),
  form: "LEASE",
  use: "GRAIN",
  startDate: "2024-04-01",
  endDate: "2034-03-31",
  rentKind: "CASH",
  rentPerMu: "900",
  paymentTiming: "YEARLY",
  paymentMonthDay: "12-31",
  penaltyPerTenThousand: "5",
  "lines.0.plotId": String(plotA),
  "lines.0.area": "3.20",
  "lines.1.plotId": String(plotB),
  "lines.1.area": "4.33",
  ...over,
});
const parse = (raw: RawForm) => {
  const r = parseContractForm(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe("contracted plots", () => {
  it("refuses a parcel code that does not match the plot's village and group, and saves nothing", async () => {
    const before = await prisma.contractedPlot.count();
    const p = parsePlotForm({ parcelCode: "3717021020020100009", groupId: String(w.v1.groups[0]!.id), name: "x", category: "CONTRACTED", contractArea: "1", contractEnd: "2057-12-31" });
    if (!p.ok) throw new Error("form");
    expect(await savePlot(secretary, w.h1.id, null, p.value)).toMatchObject({ ok: false, errors: { parcelCode: { key: "parcel.village" } } });
    const q = parsePlotForm({ parcelCode: "3717021020010200009", groupId: String(w.v1.groups[0]!.id), name: "x", category: "CONTRACTED", contractArea: "1", contractEnd: "2057-12-31" });
    if (!q.ok) throw new Error("form");
    expect(await savePlot(secretary, w.h1.id, null, q.value)).toMatchObject({ ok: false, errors: { parcelCode: { key: "parcel.group" } } });
    expect(await prisma.contractedPlot.count()).toBe(before);
  });
});

describe("a contract for two households, from draft to payments", () => {
  let id: number;
  it("is created as a draft and signed, which writes a schedule that adds up per period", async () => {
    const r = await createContract(secretary, parse(contractForm()));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    id = r.id;
    expect(await signContract(secretary, id, "2024-03-20")).toBeNull();
    const c = (await getContract(secretary, id))!;
    expect(c.status).toBe("SIGNED");
    const first = c.installments.filter((i) => i.dueDate === "2024-12-31");
    expect(first).toHaveLength(2);
    // 7.53 mu × 900 × 275/366 (2024 is a leap year) = 5092.008…, split 3.20 : 4.33.
    const total = first.reduce((s, i) => s + i.amountFen!, 0n);
    expect(total).toBe(509201n);
    const second = c.installments.filter((i) => i.dueDate === "2025-12-31").reduce((s, i) => s + i.amountFen!, 0n);
    expect(second).toBe(677700n);
  });

  it("refuses the same plot in another contract for an overlapping period", async () => {
    const r = await createContract(secretary, parse(contractForm({ startDate: "2030-01-01", endDate: "2035-12-31", "lines.1.plotId": "", "lines.1.area": "", "lines.0.area": "0.10" })));
    expect(r).toMatchObject({ ok: false, errors: { "lines.0.area": { key: "contract.plotAlreadyTransferred" } } });
  });

  it("refuses a term past the plot's contract term, and an orchard on basic farmland", async () => {
    const r = await createContract(secretary, parse(contractForm({ "lines.0.plotId": String(plotShort), "lines.0.area": "1.00", "lines.1.plotId": "", "lines.1.area": "" })));
    expect(r).toMatchObject({ ok: false, errors: { "lines.0.plotId": { key: "contract.termPastPlot" } } });
    const o = await createContract(secretary, parse(contractForm({ use: "ORCHARD", startDate: "2040-01-01", endDate: "2045-12-31" })));
    expect(o).toMatchObject({ ok: false, errors: { "lines.1.plotId": { key: "contract.useOnBasicFarmland" } } });
  });

  it("is filed by the township with its number; the secretary cannot file", async () => {
    await expect(fileContract(secretary, id, "X-1", "2024-03-25")).rejects.toMatchObject({ status: 403 });
    expect(await fileContract(township, id, "牡丹小留流转〔2024〕099号", "2024-03-25")).toBeNull();
    expect((await getContract(township, id))!.contractNo).toBe("牡丹小留流转〔2024〕099号");
  });

  it("records a partial payment, shows the rest in arrears, and refuses paying more than is owed", async () => {
    const c = (await getContract(secretary, id))!;
    const inst = c.installments.find((i) => i.dueDate === "2024-12-31" && i.householdId === w.h1.id)!;
    const before = await arrears(secretary.scope, "2025-03-01", { contractId: id });
    expect(await recordPayment(secretary, inst.id, { paidOn: "2025-01-10", amount: "1000", method: "BANK", receiptNo: "R1" })).toBeNull();
    const after = await arrears(secretary.scope, "2025-03-01", { contractId: id });
    expect(before.total.outstandingFen - after.total.outstandingFen).toBe(100000n);
    const line = after.lines.find((l) => l.installmentId === inst.id)!;
    expect(line.outstandingFen).toBe(inst.amountFen! - 100000n);
    expect(line.bucket).toBe("D31_90");
    expect(line.penaltyFen).toBeGreaterThan(0n);
    expect(await recordPayment(secretary, inst.id, { paidOn: "2025-01-11", amount: "99999", method: "BANK", receiptNo: "" })).toMatchObject({ amount: { key: "payment.amountTooLarge" } });
    await expect(recordPayment(township, inst.id, { paidOn: "2025-01-11", amount: "1", method: "BANK", receiptNo: "" })).rejects.toMatchObject({ status: 403 });
    // A mistaken payment is reversed by a new row, never edited.
    const pay = await prisma.rentPayment.findFirstOrThrow({ where: { installmentId: inst.id } });
    expect(await reversePayment(secretary, pay.id)).toBeNull();
    expect(await reversePayment(secretary, pay.id)).toMatchObject({ payment: { key: "payment.alreadyReversed" } });
    const rows = await prisma.rentPayment.findMany({ where: { installmentId: inst.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.amountFen)).toEqual([100000n, -100000n]);
    expect((await prisma.rentInstallment.findUniqueOrThrow({ where: { id: inst.id } })).paidFen).toBe(0n);
  });

  it("lists the contract in the ledger with masked ID numbers", async () => {
    const rows = await ledgerRows(township.scope);
    const mine = rows.filter((r) => r.contractNo === "牡丹小留流转〔2024〕099号");
    expect(mine).toHaveLength(2);
    const h1 = mine.find((r) => r.householdHead === "谢建国")!;
    expect(h1.idNumberMasked).toMatch(/^371702\*{8}\d{3}[\dX]$/);
    expect(h1.parcelCodes).toEqual(["3717021020010100001"]);
  });

  it("is amended by a new version that supersedes it when filed", async () => {
    const r = await createContract(secretary, parse(contractForm({ rentPerMu: "950" })), { kind: "amend", id, changeNote: "租金调整为 950 元/亩" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await signContract(secretary, r.id, "2024-06-01")).toBeNull();
    expect(await fileContract(township, r.id, "牡丹小留流转〔2024〕100号", "2024-06-02")).toBeNull();
    const old = (await getContract(secretary, id))!;
    expect(old.status).toBe("SUPERSEDED");
    expect(old.rentPerMu).toBe("900.00");
    const v2 = (await getContract(secretary, r.id))!;
    expect(v2).toMatchObject({ amendsId: id, version: 2, changeNote: "租金调整为 950 元/亩" });
    // Early termination cuts the new version's schedule.
    expect(await terminateContract(secretary, r.id, "2026-06-30", "MUTUAL_AGREEMENT")).toBeNull();
    const cut = (await getContract(secretary, r.id))!;
    const live = cut.installments.filter((i) => !i.cancelledAt);
    expect(live.every((i) => i.periodEnd <= "2026-06-30")).toBe(true);
    expect(live.some((i) => i.periodEnd === "2026-06-30")).toBe(true);
    expect(cut.installments.some((i) => i.cancelledAt)).toBe(true);
  });
});

describe("rent in kind", () => {
  it("waits for the year's reference price, and is settled when it is recorded", async () => {
    const r = await createContract(
      secretary,
      parse(contractForm({ rentKind: "IN_KIND", rentPerMu: "", inKindCrop: "WHEAT", inKindJinPerMu: "950", priceBasis: "MINIMUM_PURCHASE", startDate: "2036-01-01", endDate: "2037-12-31", "lines.1.plotId": "", "lines.1.area": "" })),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(await signContract(secretary, r.id, "2035-12-01")).toBeNull();
    const before = (await getContract(secretary, r.id))!;
    expect(before.installments.every((i) => i.amountFen === null)).toBe(true);
    // a price settles rent in every village: the village secretary may not set it, the township official does
    await expect(recordReferencePrice(secretary, { crop: "WHEAT", year: 2036, basis: "MINIMUM_PURCHASE", price: "1.20", source: "测试" })).rejects.toMatchObject({ status: 403 });
    expect(await recordReferencePrice(township, { crop: "WHEAT", year: 2036, basis: "MINIMUM_PURCHASE", price: "1.20", source: "测试" })).toBeNull();
    const after = (await getContract(secretary, r.id))!;
    const y2036 = after.installments.find((i) => i.dueDate === "2036-12-31")!;
    // 3.20 mu × 950 jin × 1.20 yuan = 3,648.00 yuan
    expect(y2036.amountFen).toBe(364800n);
    expect(after.installments.find((i) => i.dueDate === "2037-12-31")!.amountFen).toBeNull();
    expect(await recordReferencePrice(township, { crop: "WHEAT", year: 2036, basis: "MINIMUM_PURCHASE", price: "9.99", source: "x" })).toMatchObject({ year: { key: "price.exists" } });
  });
});
