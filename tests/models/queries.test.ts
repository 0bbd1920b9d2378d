/**
 * The data-access layer (docs/decisions/018-data-access-layer.md): every
 * query of the `*.queries.server.ts` modules against seeded rows, and
 * scopeSql against the Prisma `where` it mirrors. The model tests run on
 * SQLite (`npx vitest run`) and on PostgreSQL (`--config vitest.pg.config.ts`),
 * so each query and each per-engine variant is checked on both.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { householdScopeWhere } from "~/auth/permissions.server";
import { placeColumns, scopeSql } from "~/auth/scope-sql.server";
import { contractIdsHolding, likeLiteral } from "~/contracts/contracts.queries.server";
import { contractScopeWhere } from "~/contracts/contracts.server";
import { latePaidInstallmentIds } from "~/contracts/rent.queries.server";
import { HOLDING_STATUSES } from "~/contracts/status";
import { equityPlotsOf, insertDividendLines } from "~/dividends/runs.queries.server";
import {
  auditInputsText,
  countFigures,
  figureCoverage,
  figureTotals,
  householdStatuses,
  householdYearsJson,
  markFigures,
  staleMarks,
  summaryJson,
  villageNames,
  writeFigures,
  type FigureRow,
} from "~/income/figures.queries.server";
import {
  dividendsPaidByYear,
  entriesByYear,
  harvestSalesByYear,
  householdsOfPlace,
  memberDates,
  offYearDividends,
  offYearRent,
  owedJson,
  rentPaidByYear,
  workDaysByYear,
  type Place,
} from "~/income/income.queries.server";
import { prisma } from "~/lib/db.server";
import { flagCandidates, plotExtentOf, plotsInBox, plotStamp } from "~/plots/plots.queries.server";
import { plotScopeWhere, searchPlots } from "~/plots/plots.server";
import { currentMembersOf, householdsByIds, searchHouseholdIds } from "~/registry/households.queries.server";
import { makeIdNumber } from "~/registry/id-number";
import { replaceSearchTerms } from "~/registry/search-index.server";
import { idTerm } from "~/registry/search-terms";
import { buildWorld, type World } from "../factories";

let w: World;
let idSeq = 700;
let codeSeq = 0;
/** Beyond a double's exact integers: sums and figures must carry it exactly on both engines. */
const HUGE = 9_007_199_254_740_993n;

type Village = World["v1"];

async function addHousehold(v: Village, headName: string, members: { name?: string; joinedOn?: string | null; leftOn?: string | null; ableToWork?: boolean }[] = [{}], status = "ORDINARY") {
  const h = await prisma.household.create({
    data: {
      code: `Q${String(codeSeq++).padStart(4, "0")}`,
      townshipId: v.townshipId,
      villageId: v.id,
      groupId: v.groups[0]!.id,
      headName,
      status,
      members: {
        create: members.map((m, i) => ({
          name: m.name ?? (i === 0 ? headName : `${headName}${i}`),
          relation: i === 0 ? "HEAD" : "SON",
          idNumber: makeIdNumber("371702", "19800101", String(idSeq++).padStart(3, "0")),
          birthDate: "1980-01-01",
          sex: "M",
          ableToWork: m.ableToWork ?? false,
          joinedOn: m.joinedOn ?? null,
          leftOn: m.leftOn ?? null,
        })),
      },
    },
    include: { members: { orderBy: { id: "asc" } } },
  });
  await prisma.$transaction((tx) => replaceSearchTerms(tx, h.id));
  return h;
}

let contractSeq = 0;
async function addContract(v: Village, o: { cooperativeId?: number | null; form?: string; penalty?: string; status?: string; draftNo?: string; transfereeName?: string; householdId?: number; start?: string; end?: string } = {}) {
  return prisma.transferContract.create({
    data: {
      townshipId: v.townshipId,
      villageId: v.id,
      draftNo: o.draftNo ?? `QC-${contractSeq++}`,
      transfereeKind: o.cooperativeId ? "COOPERATIVE" : "GROWER",
      cooperativeId: o.cooperativeId ?? null,
      transfereeName: o.transfereeName ?? "王建设",
      form: o.form ?? "LEASE",
      use: "GRAIN",
      startDate: o.start ?? "2024-01-01",
      endDate: o.end ?? "2033-12-31",
      rentKind: "CASH",
      rentPerMu: "800.00",
      paymentTiming: "YEARLY",
      paymentMonthDay: "12-31",
      penaltyPerTenThousand: o.penalty ?? "0",
      status: o.status ?? "SIGNED",
      createdById: w.users.secretary.id,
      ...(o.householdId ? { parties: { create: { householdId: o.householdId } } } : {}),
    },
  });
}

async function addInstallment(contractId: number, h: { id: number; townshipId: number; villageId: number }, dueDate: string, amountFen: bigint, paidFen = 0n) {
  const seq = (await prisma.rentInstallment.count({ where: { contractId, householdId: h.id } })) + 1;
  return prisma.rentInstallment.create({
    data: { contractId, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, seq, periodStart: dueDate, periodEnd: dueDate, dueDate, area: "1.00", rateNote: "CASH", amountFen, paidFen },
  });
}

async function addRentPayment(i: { id: number; contractId: number; householdId: number; townshipId: number; villageId: number }, paidOn: string, amountFen: bigint, reversesId: number | null = null) {
  return prisma.rentPayment.create({
    data: { installmentId: i.id, contractId: i.contractId, householdId: i.householdId, townshipId: i.townshipId, villageId: i.villageId, paidOn, amountFen, method: "CASH", reversesId, recordedById: w.users.secretary.id },
  });
}

async function addRun(year: number, status = "ISSUED") {
  return prisma.dividendRun.create({
    data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year, method: "LAND_SHARE", status, incomeFen: 0n, costFen: 0n, createdById: w.users.accountant.id },
  });
}

async function addLine(runId: number, h: { id: number; townshipId: number; villageId: number }, netFen: bigint, paidFen = 0n) {
  return prisma.dividendLine.create({ data: { runId, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, areaMu: "1.00", shares: "1", weight: "1", netFen, paidFen } });
}

async function addDividendPayment(line: { id: number; householdId: number; townshipId: number; villageId: number }, paidOn: string, amountFen: bigint, status = "PAID") {
  return prisma.dividendPayment.create({
    data: { lineId: line.id, householdId: line.householdId, townshipId: line.townshipId, villageId: line.villageId, paidOn, amountFen, status, recordedById: w.users.accountant.id },
  });
}

const square = (lon: number, lat: number, d = 0.001) =>
  JSON.stringify({ type: "Polygon", coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

let plotSeq = 0;
async function addPlot(v: Village, lon: number, lat: number, o: { areaMu?: string; declaredMu?: string | null; status?: string; low?: boolean; cooperativeId?: number | null } = {}) {
  return prisma.orchardPlot.create({
    data: {
      townshipId: v.townshipId,
      villageId: v.id,
      code: `QP-${plotSeq++}`,
      crop: "PEACH",
      status: o.status ?? "BEARING",
      geometry: square(lon, lat),
      geometryLow: o.low ? square(lon, lat, 0.002) : null,
      areaMu: o.areaMu ?? "10.00",
      declaredMu: o.declaredMu === undefined ? "10.00" : o.declaredMu,
      cooperativeId: o.cooperativeId ?? null,
      minLon: lon,
      minLat: lat,
      maxLon: lon + 0.001,
      maxLat: lat + 0.001,
    },
  });
}

/** Runs a condition of raw SQL over a table and returns the ids it keeps, sorted. */
async function idsWhere(table: string, alias: string, condition: Prisma.Sql): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ id: number | bigint }[]>(Prisma.sql`SELECT ${Prisma.raw(`${alias}."id"`)} AS id FROM ${Prisma.raw(`"${table}"`)} ${Prisma.raw(alias)} WHERE ${condition}`);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const fen = (v: number | bigint | null | undefined) => (v == null ? null : BigInt(v));

beforeAll(async () => {
  w = await buildWorld();
});

describe("scopeSql says what the Prisma scope helpers say", () => {
  const scopes = (): Scope[] => [
    { kind: "all" },
    { kind: "township", townshipId: w.t1.id },
    { kind: "township", townshipId: w.t2.id },
    { kind: "village", townshipId: w.t1.id, villageId: w.v1.id },
    { kind: "village", townshipId: w.t1.id, villageId: w.v2.id },
    { kind: "village", townshipId: w.t2.id, villageId: w.v3.id },
    { kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [w.v1.id] },
    { kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [w.v1.id, w.v2.id] },
    { kind: "cooperative", townshipId: w.t2.id, cooperativeId: w.c2.id, villageIds: [w.v3.id] },
    { kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [] },
  ];
  const villages = () => [w.v1, w.v2, w.v3];

  async function expectSameRows(scope: Scope) {
    const [households, contracts, plots] = await Promise.all([
      prisma.household.findMany({ where: householdScopeWhere(scope), select: { id: true } }),
      prisma.transferContract.findMany({ where: contractScopeWhere(scope), select: { id: true } }),
      prisma.orchardPlot.findMany({ where: plotScopeWhere(scope), select: { id: true } }),
    ]);
    expect(await idsWhere("Household", "h", scopeSql(scope, placeColumns("h")))).toEqual(sorted(households.map((r) => r.id)));
    expect(await idsWhere("TransferContract", "c", scopeSql(scope, placeColumns("c", true)))).toEqual(sorted(contracts.map((r) => r.id)));
    expect(await idsWhere("OrchardPlot", "p", scopeSql(scope, placeColumns("p")))).toEqual(sorted(plots.map((r) => r.id)));
  }

  it("on every kind of scope, including a cooperative that serves no village", async () => {
    for (const v of villages()) {
      const h = await addHousehold(v, "范围户");
      await addContract(v, { householdId: h.id, cooperativeId: v.id === w.v1.id ? w.c1.id : v.id === w.v3.id ? w.c2.id : null });
      await addPlot(v, 115.4, 35.2);
    }
    for (const scope of scopes()) await expectSameRows(scope);
    expect(await idsWhere("Household", "h", scopeSql({ kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [] }, placeColumns("h")))).toEqual([]);
  });

  it("property: after any sequence of households, contracts and plots added anywhere, raw and Prisma scopes keep the same rows", async () => {
    const event = fc.record({ village: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom("household", "contract", "coopContract", "plot"), dx: fc.integer({ min: 0, max: 100 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 9 }), async (events, s) => {
        for (const e of events) {
          const v = villages()[e.village]!;
          if (e.kind === "household") await addHousehold(v, "随机户");
          else if (e.kind === "plot") await addPlot(v, 115.4 + e.dx / 10_000, 35.2);
          else await addContract(v, { cooperativeId: e.kind === "coopContract" ? (v.townshipId === w.t1.id ? w.c1.id : w.c2.id) : null });
        }
        await expectSameRows(scopes()[s]!);
      }),
      { numRuns: 12 },
    );
  });

  it("takes only column references, never other text", () => {
    expect(() => scopeSql({ kind: "all" }, { townshipId: `h."townshipId" OR 1=1`, villageId: `h."villageId"` })).toThrow(/column reference/);
    expect(() => scopeSql({ kind: "all" }, { townshipId: `"townshipId"`, villageId: `h."villageId"` })).not.toThrow();
  });
});

describe("registry queries", () => {
  const township = (): Scope => ({ kind: "township", townshipId: w.t1.id });

  it("search: exact terms all matching one household, prefixes, the scope and the filters", async () => {
    const h1 = w.h1;
    expect(await searchHouseholdIds(township(), { kind: "exact", terms: ["n:谢"] }, {}, { offset: 0, limit: 20 })).toEqual({ ids: [h1.id], total: 1 });
    expect((await searchHouseholdIds(township(), { kind: "exact", terms: ["n:谢雨轩", "n:谢建国"] }, {}, { offset: 0, limit: 20 })).ids).toEqual([h1.id]);
    expect((await searchHouseholdIds(township(), { kind: "exact", terms: ["n:谢建国", "n:刘振华"] }, {}, { offset: 0, limit: 20 })).ids).toEqual([]);
    const prefix = idTerm(h1.members[0]!.idNumber.slice(0, 10));
    expect((await searchHouseholdIds(township(), { kind: "prefix", prefixes: [prefix] }, {}, { offset: 0, limit: 20 })).ids).toEqual([h1.id]);
    expect((await searchHouseholdIds({ kind: "village", townshipId: w.t1.id, villageId: w.v2.id }, { kind: "prefix", prefixes: [prefix] }, {}, { offset: 0, limit: 20 })).ids).toEqual([]);
    expect((await searchHouseholdIds({ kind: "township", townshipId: w.t2.id }, { kind: "exact", terms: ["n:谢"] }, {}, { offset: 0, limit: 20 })).total).toBe(0);
  });

  it("search pages in the list's order and counts every match once", async () => {
    const made = [];
    for (let i = 0; i < 23; i++) made.push(await addHousehold(i % 2 ? w.v1 : w.v2, "翻页测", [{}, { name: "翻页测子" }], i === 5 ? "MONITORED" : "ORDINARY"));
    const expected = [...made].sort((a, b) => a.villageId - b.villageId || a.id - b.id).map((h) => h.id);
    const q = { kind: "exact" as const, terms: ["n:翻页"] };
    const p1 = await searchHouseholdIds(township(), q, {}, { offset: 0, limit: 20 });
    const p2 = await searchHouseholdIds(township(), q, {}, { offset: 20, limit: 20 });
    expect(p1.total).toBe(23);
    expect([...p1.ids, ...p2.ids]).toEqual(expected);
    expect((await searchHouseholdIds(township(), q, { status: "MONITORED" }, { offset: 0, limit: 20 })).ids).toEqual([made[5]!.id]);
    expect((await searchHouseholdIds(township(), q, { villageId: w.v1.id, groupId: w.v1.groups[0]!.id }, { offset: 0, limit: 20 })).total).toBe(11);
  });

  it("households by ids stay inside the scope; current members come in order, with ableToWork as a boolean", async () => {
    const h = await addHousehold(w.v1, "成员测", [{ ableToWork: true }, { name: "成员测乙", leftOn: "2025-01-01" }, { name: "成员测丙" }]);
    const rows = await householdsByIds({ kind: "village", townshipId: w.t1.id, villageId: w.v1.id }, [h.id, w.h2.id]);
    expect(rows).toEqual([expect.objectContaining({ id: h.id, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: "成员测", status: "ORDINARY", statusYear: null })]);
    expect(await householdsByIds({ kind: "all" }, [])).toEqual([]);
    const members = await currentMembersOf([h.id]);
    expect(members.map((m) => [m.name, m.ableToWork])).toEqual([
      ["成员测", true],
      ["成员测丙", false],
    ]);
    expect(members[0]).toMatchObject({ householdId: h.id, relation: "HEAD", birthDate: "1980-01-01" });
  });
});

describe("plot queries", () => {
  it("the extent, the plots in a box (simplified when low), candidates for flags and the stamp", async () => {
    const v1 = { kind: "village", townshipId: w.t1.id, villageId: w.v1.id } as const;
    const a = await addPlot(w.v1, 116.0, 36.0, { low: true });
    const b = await addPlot(w.v1, 116.01, 36.01, { areaMu: "10.00", declaredMu: "12.00", cooperativeId: w.c1.id });
    await addPlot(w.v1, 116.02, 36.02, { areaMu: "10.00", declaredMu: "20.00", status: "REMOVED" });
    await addPlot(w.v2, 116.03, 36.03, { declaredMu: "30.00" });
    const f = { townshipId: w.t1.id };
    const inBox = await plotsInBox(v1, f, [115.999, 35.999, 116.0115, 36.0115], false, 10);
    expect(inBox.map((p) => p.id).sort((x, y) => x - y)).toEqual([a.id, b.id]);
    expect(inBox.find((p) => p.id === b.id)).toMatchObject({ townshipId: w.t1.id, cooperativeId: w.c1.id, areaMu: "10.00", declaredMu: "12.00", shape: square(116.01, 36.01) });
    const low = await plotsInBox(v1, f, [115.999, 35.999, 116.0005, 36.0005], true, 10);
    expect(low).toEqual([expect.objectContaining({ id: a.id, shape: square(116.0, 36.0, 0.002), cooperativeId: null })]);
    expect(await plotsInBox(v1, f, [115.999, 35.999, 116.0115, 36.0115], false, 1)).toHaveLength(1);
    const extent = await plotExtentOf(v1, { villageId: w.v1.id });
    expect(extent?.[2]).toBeGreaterThanOrEqual(116.021);
    expect(await plotExtentOf({ kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [] }, {})).toBeNull();
    const candidates = await flagCandidates(v1, f, [a.id]);
    expect(candidates.map((c) => c.id).sort((x, y) => x - y)).toEqual([a.id, b.id]);
    expect(candidates.find((c) => c.id === b.id)).toEqual({ id: b.id, code: b.code, name: "", areaMu: "10.00", declaredMu: "12.00", villageId: w.v1.id });
    expect((await flagCandidates(v1, f, [])).map((c) => c.id)).toEqual([b.id]);

    const before = await plotStamp(w.t1.id);
    expect(await plotStamp(w.t1.id)).toBe(before);
    await new Promise((r) => setTimeout(r, 5));
    await prisma.orchardPlot.update({ where: { id: a.id }, data: { name: "改名" } });
    const after = await plotStamp(w.t1.id);
    expect(after).not.toBe(before);
    expect(after.split("|")[0]).toBe(before.split("|")[0]);
  });

  it("the map's search ignores the case of ASCII letters on both engines, as SQLite's LIKE does", async () => {
    const v1: Scope = { kind: "village", townshipId: w.t1.id, villageId: w.v1.id };
    const p = await addPlot(w.v1, 116.5, 36.5);
    await prisma.orchardPlot.update({ where: { id: p.id }, data: { code: "CASE-A1", name: "Peach East" } });
    expect((await searchPlots(v1, "case-a", {})).map((r) => r.id)).toEqual([p.id]);
    expect((await searchPlots(v1, "peach e", {})).map((r) => r.id)).toEqual([p.id]);
  });
});

describe("contract queries", () => {
  it("likeLiteral escapes LIKE's wildcards and its escape", () => {
    expect(likeLiteral("a%b_c\\d")).toBe("%a\\%b\\_c\\\\d%");
  });

  it("finds the text literally, ignoring ASCII case, in numbers, names and a transferor's name, inside the scope", async () => {
    const h = await addHousehold(w.v1, "字面测");
    const pct = await addContract(w.v1, { draftNo: "LIT%1", householdId: h.id });
    const x = await addContract(w.v1, { draftNo: "LITX1" });
    const under = await addContract(w.v1, { draftNo: "lit_a", cooperativeId: w.c1.id });
    const other = await addContract(w.v2, { draftNo: "LIT%2", transfereeName: "Back\\slash" });
    const t1: Scope = { kind: "township", townshipId: w.t1.id };
    expect(sorted(await contractIdsHolding(t1, "%"))).toEqual(sorted([pct.id, other.id]));
    expect(await contractIdsHolding(t1, "T_A")).toEqual([under.id]);
    expect(await contractIdsHolding(t1, "\\")).toEqual([other.id]);
    expect(await contractIdsHolding(t1, "字面")).toEqual([pct.id]);
    expect(sorted(await contractIdsHolding(t1, "litx"))).toEqual([x.id]);
    expect(await contractIdsHolding({ kind: "village", townshipId: w.t1.id, villageId: w.v1.id }, "LIT%")).toEqual([pct.id]);
    expect(await contractIdsHolding({ kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [w.v1.id] }, "lit")).toEqual([under.id]);
    expect(await contractIdsHolding({ kind: "township", townshipId: w.t2.id }, "LIT")).toEqual([]);
  });

  it("late-paid installments: paid in full after the due date, under a contract with a penalty", async () => {
    const h = await addHousehold(w.v1, "逾期测");
    const place = { id: h.id, townshipId: h.townshipId, villageId: h.villageId };
    const penalty = await addContract(w.v1, { penalty: "5", cooperativeId: w.c1.id });
    const none = await addContract(w.v1, { penalty: "0" });
    const equity = await addContract(w.v1, { penalty: "5", form: "EQUITY" });
    const late = await addInstallment(penalty.id, place, "2024-12-31", 1000n, 1000n);
    await addRentPayment(late, "2025-01-10", 1000n);
    const onTime = await addInstallment(penalty.id, place, "2025-06-30", 1000n, 1000n);
    await addRentPayment(onTime, "2025-06-30", 1000n);
    const partly = await addInstallment(penalty.id, place, "2025-09-30", 1000n, 400n);
    await addRentPayment(partly, "2025-10-05", 400n);
    for (const c of [none, equity]) await addRentPayment(await addInstallment(c.id, place, "2024-12-31", 1000n, 1000n), "2025-01-10", 1000n);
    const t1: Scope = { kind: "township", townshipId: w.t1.id };
    expect(await latePaidInstallmentIds(t1, "2026-01-01", { householdId: h.id })).toEqual([late.id]);
    expect(await latePaidInstallmentIds(t1, "2024-12-31", { householdId: h.id })).toEqual([]);
    expect(await latePaidInstallmentIds({ kind: "village", townshipId: w.t1.id, villageId: w.v2.id }, "2026-01-01")).toEqual([]);
    expect(await latePaidInstallmentIds({ kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c1.id, villageIds: [w.v1.id] }, "2026-01-01", { contractId: penalty.id })).toEqual([late.id]);
    expect(await latePaidInstallmentIds({ kind: "cooperative", townshipId: w.t1.id, cooperativeId: w.c2.id, villageIds: [] }, "2026-01-01", { contractId: penalty.id })).toEqual([]);
  });
});

describe("dividend queries", () => {
  it("the share register's equity plots, and lines written exactly", async () => {
    const h = await addHousehold(w.v1, "入股测");
    const plot = await prisma.contractedPlot.create({
      data: { townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, householdId: h.id, parcelCode: "3717021020019900001", name: "村西地", contractArea: "5.00", contractEnd: "2057-12-31" },
    });
    const equity = await addContract(w.v1, { cooperativeId: w.c1.id, form: "EQUITY", status: "FILED", start: "2025-03-01", end: "2030-12-31" });
    await prisma.contractPlot.create({ data: { contractId: equity.id, plotId: plot.id, householdId: h.id, area: "2.50" } });
    const lease = await addContract(w.v1, { cooperativeId: w.c1.id, form: "LEASE", status: "FILED" });
    await prisma.contractPlot.create({ data: { contractId: lease.id, plotId: plot.id, householdId: h.id, area: "1.00" } });
    const rows = await equityPlotsOf(prisma as unknown as Prisma.TransactionClient, w.c1.id, HOLDING_STATUSES, "2025-01-01", "2025-12-31");
    expect(rows).toEqual([
      { householdId: h.id, area: "2.50", startDate: "2025-03-01", endDate: "2030-12-31", terminatedOn: null, code: h.code, headName: "入股测", villageId: w.v1.id, townshipId: w.t1.id, status: "ORDINARY", bankAccount: "", villageName: "鲁谢庄村" },
    ]);
    expect(await equityPlotsOf(prisma as unknown as Prisma.TransactionClient, w.c1.id, HOLDING_STATUSES, "2024-01-01", "2024-12-31")).toEqual([]);
    expect(await equityPlotsOf(prisma as unknown as Prisma.TransactionClient, w.c1.id, ["DRAFT"], "2025-01-01", "2025-12-31")).toEqual([]);

    const run = await addRun(2025, "DRAFT");
    const line = { householdId: h.id, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "2.50", shares: "2.5", weight: "2.0833", guaranteedFen: 1n, surplusFen: 2n, transactionFen: 3n, capitalFen: 4n, providentShareFen: 5n, deductionFen: 6n, netFen: HUGE };
    const more = Array.from({ length: 450 }, () => ({ ...line, netFen: 7n }));
    await prisma.household.createMany({
      data: more.map((_, i) => ({ code: `B${String(i).padStart(4, "0")}`, townshipId: w.t1.id, villageId: w.v2.id, groupId: w.v2.groups[0]!.id, headName: `批量${i}` })),
    });
    const others = await prisma.household.findMany({ where: { villageId: w.v2.id, code: { startsWith: "B" } }, orderBy: { code: "asc" }, select: { id: true } });
    await insertDividendLines(prisma as unknown as Prisma.TransactionClient, run.id, [line, ...more.map((l, i) => ({ ...l, householdId: others[i]!.id, villageId: w.v2.id }))]);
    const saved = await prisma.dividendLine.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } });
    expect(saved).toHaveLength(451);
    expect(saved[0]).toMatchObject({ ...line, paidFen: 0n, deductionNote: "" });
  });
});

describe("income queries", () => {
  let h: Awaited<ReturnType<typeof addHousehold>>;
  let g: Awaited<ReturnType<typeof addHousehold>>;
  const place = (o: Partial<Place> = {}): Place => ({ townshipId: w.t1.id, villageId: w.v2.id, ...o });

  beforeAll(async () => {
    h = await addHousehold(w.v2, "收入测", [{ joinedOn: "2020-01-01" }, { name: "收入测乙", joinedOn: "2025-07-01" }, { name: "收入测丙", leftOn: "2025-03-01" }]);
    g = await addHousehold(w.v2, "收入乙");
    const hp = { id: h.id, townshipId: h.townshipId, villageId: h.villageId };
    const k = await addContract(w.v2);
    const i24 = await addInstallment(k.id, hp, "2024-12-31", 5000n, 5000n);
    const i25 = await addInstallment(k.id, hp, "2025-12-31", HUGE + 10_000n, 3000n);
    await addRentPayment(i24, "2025-01-05", 5000n); // paid in 2025 for 2024
    await addRentPayment(i25, "2025-06-01", 3000n);
    const wrong = await addRentPayment(i25, "2025-06-02", 700n);
    await addRentPayment(i25, "2025-06-03", -700n, wrong.id); // a reversal and what it reverses count nowhere
    await addRentPayment(i25, "2025-07-01", HUGE);
    await addInstallment(k.id, { id: g.id, townshipId: g.townshipId, villageId: g.villageId }, "2025-03-31", 900n);
    await addInstallment(k.id, hp, "2027-12-31", 1000n); // not due
    const run24 = await addRun(2024);
    const line = await addLine(run24.id, hp, 8000n, 6000n);
    await addDividendPayment(line, "2025-02-01", 6000n);
    await addDividendPayment(line, "2025-02-02", 2000n, "FAILED");
    const draft = await addRun(2025, "DRAFT");
    await addLine(draft.id, { id: g.id, townshipId: g.townshipId, villageId: g.villageId }, 500n);
    const person = h.members[0]!;
    const work = { personId: person.id, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, year: 2025, periodStart: "2025-03-01", periodEnd: "2025-03-10", days: "10", dailyWageFen: 10000n, recordedById: w.users.secretary.id };
    await prisma.workDay.create({ data: { ...work, amountFen: 100_000n } });
    await prisma.workDay.create({ data: { ...work, periodStart: "2025-04-01", amountFen: 50_000n, withdrawnAt: new Date() } });
    const entry = { householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, year: 2025, kind: "OTHER", recordedById: w.users.secretary.id };
    await prisma.incomeEntry.createMany({
      data: [
        { ...entry, category: "WAGE", amountFen: 11n },
        { ...entry, category: "OPERATING", amountFen: 1000n, costFen: 300n },
        { ...entry, category: "PROPERTY", amountFen: 13n },
        { ...entry, category: "TRANSFER", amountFen: 17n },
        { ...entry, category: "TRANSFER", amountFen: 19n, year: 2024 },
      ],
    });
    const orchard = await addPlot(w.v2, 117.0, 37.0);
    const harvest = { plotId: orchard.id, townshipId: h.townshipId, villageId: h.villageId, year: 2025, harvestedOn: "2025-08-01", crop: "PEACH", quantityKg: "100", enteredQuantity: "100", enteredUnit: "KG", recordedById: w.users.secretary.id };
    await prisma.harvest.create({ data: { ...harvest, householdId: h.id, salesFen: 4_000n } });
    await prisma.harvest.create({ data: { ...harvest, householdId: h.id, cooperativeId: w.c1.id, salesFen: 9_000n } });
  });

  const byKey = <R extends { h: unknown; y?: unknown }>(rows: R[]) => rows.map((r) => ({ ...r, h: Number(r.h) })).filter((r) => r.h === h.id);

  it("sums per household and year from each source table, exactly beyond 2^53", async () => {
    const rent = byKey(await rentPaidByYear(place(), "2024-01-01", "2026-01-01"));
    expect(rent.map((r) => [String(r.y), fen(r.s)])).toEqual([["2025", 5000n + 3000n + HUGE]]);
    expect(byKey(await rentPaidByYear(place({ householdIds: [h.id] }), "2025-06-02", "2025-06-04"))).toEqual([]);
    expect(byKey(await dividendsPaidByYear(place(), "2025-01-01", "2026-01-01")).map((r) => [String(r.y), fen(r.s)])).toEqual([["2025", 6000n]]);
    expect(byKey(await workDaysByYear(place(), 2024, 2025)).map((r) => [Number(r.y), fen(r.s)])).toEqual([[2025, 100_000n]]);
    const entries = byKey(await entriesByYear(place({ householdId: h.id }), 2024, 2025)).sort((a, b) => Number(a.y) - Number(b.y));
    expect(entries.map((r) => [Number(r.y), fen(r.w), fen(r.o), fen(r.c), fen(r.p), fen(r.t)])).toEqual([
      [2024, 0n, 0n, 0n, 0n, 19n],
      [2025, 11n, 700n, 300n, 13n, 17n],
    ]);
    expect(byKey(await harvestSalesByYear(place(), 2025, 2025)).map((r) => fen(r.s))).toEqual([4_000n]);
    expect(await rentPaidByYear(place({ householdIds: [] }), "2024-01-01", "2026-01-01")).toEqual([]);
  });

  it("what is owed, as JSON in household order, the same text twice", async () => {
    const { a, u } = await owedJson(place(), "2025-12-31");
    const arrears = JSON.parse(a) as [number, string][];
    expect(arrears.filter(([id]) => id === h.id || id === g.id)).toEqual([
      [h.id, String(HUGE + 10_000n - 3000n)],
      [g.id, "900"],
    ]);
    expect(arrears.map(([id]) => id)).toEqual(sorted(arrears.map(([id]) => id)));
    expect((JSON.parse(u) as [number, string][]).filter(([id]) => id === h.id || id === g.id)).toEqual([[h.id, "2000"]]);
    expect(await owedJson(place(), "2025-12-31")).toEqual({ a, u });
    expect(await owedJson(place({ householdIds: [] }), "2025-12-31")).toEqual({ a: "[]", u: "[]" });
  });

  it("off-year payments, members' dates and the place's households in order", async () => {
    const rent = byKey(await offYearRent(place(), "2024-01-01", "2026-01-01"));
    expect(rent.map((r) => [String(r.ry), String(r.b), fen(r.s)])).toEqual([["2025", "2024", 5000n]]);
    const dividends = byKey(await offYearDividends(place(), "2025-01-01", "2026-01-01", 2024, 2025));
    expect(dividends.map((r) => [String(r.ry), Number(r.b), fen(r.s)])).toEqual([["2025", 2024, 6000n]]);
    const dates = (await memberDates(place({ householdId: h.id }))).map((p) => [Number(p.h), p.j, p.l]);
    expect(dates).toEqual(
      expect.arrayContaining([
        [h.id, "2020-01-01", null],
        [h.id, "2025-07-01", null],
        [h.id, null, "2025-03-01"],
      ]),
    );
    expect(dates).toHaveLength(3);
    const households = await householdsOfPlace(place());
    expect(households.map((r) => r.code)).toEqual([...households.map((r) => r.code)].sort());
    expect(households.find((r) => Number(r.id) === h.id)).toMatchObject({ code: h.code, headName: "收入测", villageName: "刘庄村", status: "ORDINARY", statusYear: null });
  });
});

describe("stored figure queries", () => {
  it("marks, the guarded write, coverage and the JSON reads of the audit", async () => {
    const t2 = await prisma.township.create({ data: { code: "371702199000", name: "测试镇", countyCode: "371702" } });
    const v = await prisma.village.create({ data: { townshipId: t2.id, code: "371702199001", parcelCode: "001", name: "测试村", groups: { create: [{ number: "01", name: "第一村民小组" }] } }, include: { groups: true } });
    const a = await addHousehold(v, "标记甲");
    const b = await addHousehold(v, "标记乙");
    const place: Place = { townshipId: t2.id, villageId: null };
    const years = [2024, 2025];
    const version0 = await auditInputsText(t2.id, 2025);
    await markFigures(place, years, false);
    const marks = (await staleMarks(place, years)).map((m) => ({ h: Number(m.h), y: Number(m.y), seq: BigInt(m.q!) }));
    expect(marks.map((m) => [m.h, m.y]).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!)).toEqual([
      [a.id, 2024],
      [a.id, 2025],
      [b.id, 2024],
      [b.id, 2025],
    ]);
    expect(await auditInputsText(t2.id, 2025)).not.toBe(version0);
    expect(await staleMarks({ ...place, villageId: v.id, householdId: a.id }, years)).toHaveLength(2);
    expect((await householdStatuses({ ids: [a.id] })).map((r) => [Number(r.id), Number(r.v), r.s])).toEqual([[a.id, v.id, "ORDINARY"]]);
    expect(await householdStatuses({ townshipId: t2.id })).toHaveLength(2);
    expect(await householdStatuses({ ids: [] })).toEqual([]);

    const row = (m: { h: number; y: number; seq: bigint }, wage: bigint, seq = m.seq): FigureRow => [m.h, m.y, String(seq), v.id, "ORDINARY", String(wage), "0", "0", "0", "0", String(wage), m.y === 2025 ? "5" : null, 365, 1, 1];
    const stale = marks.find((m) => m.h === b.id && m.y === 2025)!;
    await writeFigures(
      t2.id,
      marks.map((m) => (m === stale ? row(m, 1n, m.seq - 1n) : row(m, m.y === 2025 ? HUGE : 7n))),
    );
    // the row whose mark changed since is not written, and its mark stays
    expect((await staleMarks(place, years)).map((m) => [Number(m.h), Number(m.y)])).toEqual([[b.id, 2025]]);
    expect(await countFigures(t2.id, years)).toBe(3);
    expect(await figureCoverage(place, years)).toEqual({ households: 2, rows: new Map([[2024, 2], [2025, 1]]) });
    const stored = await prisma.incomeFigure.findUnique({ where: { householdId_year: { householdId: a.id, year: 2025 } } });
    expect(stored).toMatchObject({ wageFen: HUGE, totalFen: HUGE, previousTotalFen: 5n, hasRecords: true, memberDays: 365, members: 1, status: "ORDINARY" });

    const summary = JSON.parse(await summaryJson(place, 2025)) as unknown[][];
    expect(summary.map((r) => [r[0], r[1], r[2], BigInt(r[3] as string), r[8], r[9]])).toEqual([[a.id, v.id, "ORDINARY", HUGE, 365, 1]]);
    expect(JSON.parse(await summaryJson(place, 2023))).toEqual([]);
    const years25 = JSON.parse(await householdYearsJson(place, 2025)) as unknown[][];
    expect(years25.map((r) => [r[0], r[1], Boolean(r[13])])).toEqual([
      [a.id, a.code, false],
      [b.id, b.code, true],
    ]);
    expect(BigInt(years25[0]![6] as string)).toBe(HUGE);
    expect(years25[1]!.slice(6, 13)).toEqual([null, null, null, null, null, null, null]);

    const totals = await figureTotals(place, years);
    const t = new Map(totals.map((r) => [Number(r.y), r]));
    expect([Number(t.get(2024)!.hh), Number(t.get(2024)!.md), fen(t.get(2024)!.w)]).toEqual([2, 730, 14n]);
    expect(fen(t.get(2025)!.w)).toBe(HUGE);
    expect((await villageNames(t2.id)).map((r) => [Number(r.id), r.name])).toEqual([[v.id, "测试村"]]);

    // only missing rows are marked again, and the clock moves with every mark
    const version1 = await auditInputsText(t2.id, 2025);
    await markFigures(place, [2023], true);
    expect(await auditInputsText(t2.id, 2025)).not.toBe(version1);
    expect(await staleMarks(place, [2023])).toHaveLength(2);
    await markFigures(place, [2024], true);
    expect(await staleMarks(place, [2024])).toHaveLength(0);
    // the engine decides only the spelling of the texts, never their meaning
    const version = JSON.parse(await auditInputsText(t2.id, 2025)) as unknown[];
    expect(version.slice(1, 4)).toEqual(["测试镇", "371702199000", [[v.id, "测试村", "371702199001"]]]);
    expect(version[4]).toBeNull();
  });
});
