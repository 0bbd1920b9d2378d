/**
 * The contract list's search box matches what was typed, literally (issue 13,
 * item 9): "%" and "_" are LIKE wildcards that Prisma's `contains` does not
 * escape. The list is paged with a count, so both must stay exact.
 */
import fc from "fast-check";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "~/auth/permissions";
import { listContracts } from "~/contracts/contracts.server";
import { prisma } from "~/lib/db.server";
import { loader as contractsXlsx } from "~/routes/resources.contracts[.]xlsx";
import { buildWorld, request, type World } from "../factories";
import { extend } from "./access/contracts.world";

let w: World;
let township: Scope;

const contract = (draftNo: string, endDate = "2033-12-31", over: Record<string, unknown> = {}) => ({
  townshipId: w.t1.id,
  villageId: w.v1.id,
  draftNo,
  transfereeKind: "GROWER",
  transfereeName: "王建设",
  form: "LEASE",
  use: "GRAIN",
  startDate: "2024-01-01",
  endDate,
  rentKind: "CASH",
  rentPerMu: "800.00",
  paymentTiming: "YEARLY",
  paymentMonthDay: "12-31",
  status: "DRAFT",
  createdById: w.users.secretary.id,
  ...over,
});

/** Every contract of the list, page by page. */
async function allPages(scope: Scope, q: string) {
  const first = await listContracts(scope, { q });
  const rows = [...first.rows];
  for (let page = 2; page <= first.pages; page++) rows.push(...(await listContracts(scope, { q, page })).rows);
  return { total: first.total, pages: first.pages, ids: rows.map((r) => r.id) };
}

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await extend(w));
  township = { kind: "township", townshipId: w.t1.id };
  await prisma.transferContract.createMany({
    data: [
      contract("PCT-50%-1"),
      contract("UND_A-1"),
      contract("UNDXA-1"),
      contract("UNDYA-1", "2030-06-30", { transfereeName: "刘_号" }),
      // another township's "%": never counted for this one
      contract("PCT-50%-3", "2033-12-31", { townshipId: w.t2.id, villageId: w.v3.id }),
    ],
  });
});

describe("contract search is literal", () => {
  it("'%' finds nothing unless a number holds it, and then only those", async () => {
    const plain = await listContracts(township, {});
    expect(plain.total).toBeGreaterThan(3);
    const pct = await listContracts(township, { q: "%" });
    expect(pct.rows.map((r) => r.draftNo)).toEqual(["PCT-50%-1"]);
    expect(pct.total).toBe(1);
    expect((await listContracts(township, { q: "0%" })).total).toBe(1);
    expect((await listContracts(township, { q: "%%" })).total).toBe(0);
    expect((await listContracts(township, { q: "D-%" })).total).toBe(0);
  });

  it("'_' matches an underscore, not any character", async () => {
    expect((await listContracts(township, { q: "UND_A" })).rows.map((r) => r.draftNo)).toEqual(["UND_A-1"]);
    // in a transferor's or transferee's name as well
    expect((await listContracts(township, { q: "_" })).rows.map((r) => r.draftNo).sort()).toEqual(["UNDYA-1", "UND_A-1"]);
    expect((await listContracts(township, { q: "_号" })).rows.map((r) => r.draftNo)).toEqual(["UNDYA-1"]);
    // case as LIKE: ASCII letters either way
    expect((await listContracts(township, { q: "und_a" })).total).toBe(1);
  });

  it("keeps the count and the pages exact with hundreds of matches, in the list's order", async () => {
    const many = Array.from({ length: 560 }, (_, i) => contract(`MANY_${String(i).padStart(4, "0")}`, `20${30 + (i % 9)}-12-31`));
    const decoys = Array.from({ length: 40 }, (_, i) => contract(`MANYX${String(i).padStart(4, "0")}`));
    await prisma.transferContract.createMany({ data: [...many, ...decoys] });
    const found = await allPages(township, "MANY_");
    expect(found.total).toBe(560);
    expect(found.pages).toBe(12);
    expect(new Set(found.ids).size).toBe(560);
    const expected = await prisma.transferContract.findMany({ where: { draftNo: { startsWith: "MANY" } }, orderBy: [{ endDate: "desc" }, { id: "desc" }], select: { id: true, draftNo: true } });
    expect(found.ids).toEqual(expected.filter((c) => c.draftNo.startsWith("MANY_")).map((c) => c.id));
    await prisma.transferContract.deleteMany({ where: { draftNo: { startsWith: "MANY" } } });
  });

  it("the Excel export of the list finds the same rows", async () => {
    const res = await contractsXlsx({ request: request(`/resources/contracts.xlsx?q=${encodeURIComponent("%")}`, { cookie: w.users.township.cookie }), params: {}, context: {} });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? ""))));
    expect(cells).toContain("PCT-50%-1");
    expect(cells).not.toContain("UND_A-1");
    expect(cells).not.toContain("PCT-50%-3");
  });

  it("property: the list holds exactly the scope's contracts whose fields contain the text", async () => {
    const alphabet = fc.constantFrom("A", "b", "%", "_", "-", "号", "\\");
    const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(""));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(word, { minLength: 1, maxLength: 8 }), word, async (names, q) => {
        run++;
        const prefix = `P${run}-`;
        await prisma.transferContract.createMany({ data: names.map((n, i) => contract(`${prefix}${i}`, "2031-01-01", { transfereeName: n })) });
        const mine = await prisma.transferContract.findMany({ where: { draftNo: { startsWith: prefix } }, select: { id: true, draftNo: true, transfereeName: true } });
        const { ids, total } = await allPages(township, q);
        const expected = mine.filter((c) => c.transfereeName.toLowerCase().includes(q.toLowerCase()) || c.draftNo.toLowerCase().includes(q.toLowerCase())).map((c) => c.id);
        const ours = new Set(mine.map((c) => c.id));
        expect(ids.filter((id) => ours.has(id)).sort()).toEqual(expected.sort());
        expect(total).toBe(ids.length);
        await prisma.transferContract.deleteMany({ where: { draftNo: { startsWith: prefix } } });
      }),
      { numRuns: 30 },
    );
  });
});
