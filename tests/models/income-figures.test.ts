/**
 * Stored income figures (issue 12, item 4; ADR 011 "Stored figures"): the
 * township audit reads IncomeFigure, kept current by triggers on every
 * source table, and what it reads must always equal the exact sums of
 * income.server.ts.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { recordPayment, reversePayment } from "~/contracts/rent.server";
import { deleteIncomeEntry, saveMonitoringLine, withdrawWorkDay } from "~/income/account.server";
import { auditVillage } from "~/income/audit";
import { townshipAudit, villageAudit } from "~/income/audit.server";
import { ensureFigures, marksOf, rebuildFigures, recompute, storedHouseholdYears, storedSummaryRows, storedTrend } from "~/income/figures.server";
import { householdYears, trend, type Place } from "~/income/income.server";
import { prisma } from "~/lib/db.server";
import { makeIdNumber } from "~/registry/id-number";
import { buildWorld, request, type World } from "../factories";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as dividendsWorld } from "./access/dividends.world";
import { extend as plotsWorld } from "./access/plots.world";

let w: World;
const users = {} as Record<"township" | "secretary" | "secretary2", CurrentUser>;
const ASOF = "2026-06-30";
const YEARS = [2023, 2024, 2025, 2026];
let idSeq = 500;
let codeSeq = 0;

/** Households of V1 and V2 with a rent installment each (large, so that payments are accepted), and the plots' owners. */
const installments: { id: number; villageId: number }[] = [];

async function addHousehold(v: World["v1"], members: { joinedOn?: string | null; leftOn?: string | null }[], status = "ORDINARY") {
  return prisma.household.create({
    data: {
      code: `F${String(codeSeq++).padStart(3, "0")}`,
      townshipId: v.townshipId,
      villageId: v.id,
      groupId: v.groups[0]!.id,
      headName: "冯存数",
      status,
      members: {
        create: members.map((m, i) => ({
          name: i === 0 ? "冯存数" : `冯存${i}`,
          relation: i === 0 ? "HEAD" : "SON",
          idNumber: makeIdNumber("371702", "19800101", String(idSeq++).padStart(3, "0")),
          birthDate: "1980-01-01",
          sex: "M",
          joinedOn: m.joinedOn ?? null,
          leftOn: m.leftOn ?? null,
        })),
      },
    },
  });
}

async function addInstallment(householdId: number, v: World["v1"], dueDate: string) {
  const seq = (await prisma.rentInstallment.count({ where: { contractId: w.extra.contractV1! } })) + 1;
  const i = await prisma.rentInstallment.create({
    data: { contractId: w.extra.contractV1!, householdId, townshipId: v.townshipId, villageId: v.id, seq, periodStart: dueDate, periodEnd: dueDate, dueDate, area: "1.00", rateNote: "CASH", amountFen: 100_000_000n },
  });
  installments.push({ id: i.id, villageId: v.id });
}

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await contractsWorld(w), await dividendsWorld(w), await plotsWorld(w));
  for (const who of ["township", "secretary", "secretary2"] as const) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
  await prisma.household.update({ where: { id: w.h1.id }, data: { status: "ALLEVIATED", statusYear: 2020 } });
  await saveMonitoringLine(users.township, { year: 2025, provinceCode: "37", amountFen: 600000n, source: "测试用监测线文件", sourceUrl: "" });
  const h4 = await addHousehold(w.v1, [{}, { joinedOn: "2024-07-01" }, { leftOn: "2025-03-01" }], "MONITORED");
  const h5 = await addHousehold(w.v2, [{}, {}]);
  await addInstallment(w.h1.id, w.v1, "2024-12-31");
  await addInstallment(h4.id, w.v1, "2025-12-31");
  await addInstallment(w.h2.id, w.v2, "2025-06-30");
  await addInstallment(h5.id, w.v2, "2026-03-31");
});

const places = (): Place[] => [
  { townshipId: w.t1.id, villageId: null },
  { townshipId: w.t1.id, villageId: w.v1.id },
  { townshipId: w.t1.id, villageId: w.v2.id },
  { townshipId: w.t2.id, villageId: null },
];
const summary = (year: number) => ({ villageId: 0, villageName: "", year, lineFen: 600000n, summaryOnly: true });

/** What the audit reads from the stored figures equals the exact sums, for every place and year. */
async function expectStoredEqualsExact() {
  for (const place of places()) {
    for (const year of YEARS) {
      const exact = await householdYears(place, year, ASOF);
      expect(await storedHouseholdYears(place, year, ASOF)).toEqual(exact);
      expect(auditVillage(await storedSummaryRows(place, year, ASOF), summary(year))).toEqual(auditVillage(exact, summary(year)));
    }
    expect(await storedTrend(place, YEARS)).toEqual(await trend(place, YEARS));
    // the memo never serves what the figures no longer say
    expect(await townshipAudit(place, 2025)).toEqual(await townshipAudit(place, 2025, { memo: false }));
  }
}

const userOf = (villageId: number) => (villageId === w.v1.id ? users.secretary : users.secretary2);
const date = (year: number, day: number) => `${year}-${String(1 + (day % 6)).padStart(2, "0")}-${String(1 + (day % 28)).padStart(2, "0")}`;

describe("stored figures equal the exact sums after any sequence of writes", () => {
  it("payments, reversals, dividends, entries, work days, withdrawals, harvests, members joining and leaving, status changes, new households, with reads between", async () => {
    const year = fc.constantFrom(2024, 2025, 2026);
    const op = fc.oneof(
      fc.record({ kind: fc.constant("rent" as const), pick: fc.nat(), year, day: fc.nat(200), yuan: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ kind: fc.constant("reverse" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("redate" as const), pick: fc.nat(), year, day: fc.nat(200) }),
      fc.record({ kind: fc.constant("dividend" as const), paid: fc.boolean(), year, day: fc.nat(200), yuan: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ kind: fc.constant("dividendStatus" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("entry" as const), pick: fc.nat(), year, category: fc.constantFrom("WAGE", "OPERATING", "PROPERTY", "TRANSFER"), yuan: fc.integer({ min: -50, max: 9000 }), cost: fc.nat(2000) }),
      fc.record({ kind: fc.constant("deleteEntry" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("work" as const), pick: fc.nat(), year, yuan: fc.integer({ min: 1, max: 4000 }) }),
      fc.record({ kind: fc.constant("withdraw" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("harvest" as const), pick: fc.nat(), year, yuan: fc.integer({ min: 0, max: 20000 }), coop: fc.boolean() }),
      fc.record({ kind: fc.constant("join" as const), pick: fc.nat(), year, day: fc.nat(200), unknown: fc.boolean() }),
      fc.record({ kind: fc.constant("leave" as const), pick: fc.nat(), year, day: fc.nat(200) }),
      fc.record({ kind: fc.constant("status" as const), pick: fc.nat(), status: fc.constantFrom("ORDINARY", "ALLEVIATED", "MONITORED") }),
      fc.record({ kind: fc.constant("household" as const), inV2: fc.boolean() }),
      fc.record({ kind: fc.constant("read" as const), pick: fc.nat(), year }),
    );
    const wrote = new Map<string, number>();
    const did = (kind: string) => wrote.set(kind, (wrote.get(kind) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
        for (const o of ops) {
          const hh = await prisma.household.findMany({ where: { townshipId: w.t1.id }, orderBy: { id: "asc" }, select: { id: true, villageId: true, townshipId: true } });
          const pickH = (n: number) => hh[n % hh.length]!;
          switch (o.kind) {
            case "rent": {
              const i = installments[o.pick % installments.length]!;
              if ((await recordPayment(userOf(i.villageId), i.id, { paidOn: date(o.year, o.day), amount: String(o.yuan), method: "BANK", receiptNo: "" })) === null) did(o.kind);
              break;
            }
            case "reverse": {
              const live = await prisma.rentPayment.findMany({ where: { reversesId: null, amountFen: { gt: 0n } }, orderBy: { id: "asc" } });
              const p = live[o.pick % Math.max(live.length, 1)];
              if (p && (await reversePayment(userOf(p.villageId), p.id)) === null) did(o.kind);
              break;
            }
            case "redate": {
              // a payment's date corrected in place (by SQL: the triggers see every write, whoever makes it)
              const all = await prisma.rentPayment.findMany({ where: { reversesId: null }, orderBy: { id: "asc" } });
              const p = all[o.pick % Math.max(all.length, 1)];
              if (p) await prisma.rentPayment.update({ where: { id: p.id }, data: { paidOn: date(o.year, o.day) } });
              break;
            }
            case "dividend":
              await prisma.dividendPayment.create({
                data: { lineId: w.extra.lineV1!, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, paidOn: date(o.year, o.day), amountFen: BigInt(o.yuan * 100), status: o.paid ? "PAID" : "FAILED", recordedById: w.users.accountant.id },
              });
              break;
            case "dividendStatus": {
              const all = await prisma.dividendPayment.findMany({ orderBy: { id: "asc" } });
              const d = all[o.pick % Math.max(all.length, 1)];
              if (d) await prisma.dividendPayment.update({ where: { id: d.id }, data: { status: d.status === "PAID" ? "FAILED" : "PAID" } });
              break;
            }
            case "entry": {
              const h = pickH(o.pick);
              await prisma.incomeEntry.create({
                data: { householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, year: o.year, category: o.category, kind: "OTHER", amountFen: BigInt(o.yuan * 100), costFen: o.category === "OPERATING" ? BigInt(o.cost * 100) : 0n, source: "属性测试", recordedById: w.users.secretary.id },
              });
              break;
            }
            case "deleteEntry": {
              const all = await prisma.incomeEntry.findMany({ where: { townshipId: w.t1.id }, orderBy: { id: "asc" } });
              const e = all[o.pick % Math.max(all.length, 1)];
              if (e) expect((await deleteIncomeEntry(userOf(e.villageId), e.householdId, e.id)).ok).toBe(true);
              if (e) did(o.kind);
              break;
            }
            case "work": {
              const h = pickH(o.pick);
              const person = await prisma.person.findFirst({ where: { householdId: h.id }, orderBy: { id: "asc" } });
              if (!person) break;
              await prisma.workDay.create({
                data: { personId: person.id, householdId: h.id, townshipId: h.townshipId, villageId: h.villageId, employer: "果品冷库", year: o.year, periodStart: `${o.year}-05-01`, periodEnd: `${o.year}-05-10`, days: "10", dailyWageFen: BigInt(o.yuan * 10), amountFen: BigInt(o.yuan * 100), recordedById: w.users.secretary.id },
              });
              break;
            }
            case "withdraw": {
              const live = await prisma.workDay.findMany({ where: { withdrawnAt: null, townshipId: w.t1.id }, orderBy: { id: "asc" } });
              const d = live[o.pick % Math.max(live.length, 1)];
              if (d) expect((await withdrawWorkDay(userOf(d.villageId), d.householdId, d.id, "属性测试")).ok).toBe(true);
              if (d) did(o.kind);
              break;
            }
            case "harvest": {
              const plot = [w.extra.plotV1!, w.extra.plotV2!][o.pick % 2]!;
              const p = await prisma.orchardPlot.findUniqueOrThrow({ where: { id: plot } });
              await prisma.harvest.create({
                data: { plotId: p.id, townshipId: p.townshipId, villageId: p.villageId, householdId: p.householdId, cooperativeId: o.coop ? w.c1.id : null, year: o.year, harvestedOn: `${o.year}-08-01`, crop: "PEACH", quantityKg: "100.00", enteredQuantity: "100", enteredUnit: "KG", salesFen: BigInt(o.yuan * 100), recordedById: w.users.secretary.id },
              });
              break;
            }
            case "join": {
              const h = pickH(o.pick);
              await prisma.person.create({
                data: { householdId: h.id, name: "冯新成", relation: "OTHER", idNumber: makeIdNumber("371702", "20000101", String(idSeq++ % 1000).padStart(3, "0")), birthDate: "2000-01-01", sex: "F", joinedOn: o.unknown ? null : date(o.year, o.day) },
              });
              break;
            }
            case "leave": {
              const current = await prisma.person.findMany({ where: { leftOn: null, household: { townshipId: w.t1.id } }, orderBy: { id: "asc" } });
              const p = current[o.pick % Math.max(current.length, 1)];
              const leftOn = date(o.year, o.day);
              if (p && (!p.joinedOn || p.joinedOn < leftOn)) {
                await prisma.person.update({ where: { id: p.id }, data: { leftOn } });
                did(o.kind);
              }
              break;
            }
            case "status":
              await prisma.household.update({ where: { id: pickH(o.pick).id }, data: { status: o.status } });
              break;
            case "household":
              await addHousehold(o.inV2 ? w.v2 : w.v1, [{}, { joinedOn: "2025-02-01" }]);
              break;
            case "read": {
              // reads between writes leave rows computed, so that later writes find them and mark them stale
              const place = places()[o.pick % 4]!;
              if (o.pick % 3 === 0) await townshipAudit(place, o.year);
              else if (o.pick % 3 === 1) await storedSummaryRows(place, o.year, ASOF);
              else await villageAudit(users.township, place.villageId ?? w.v1.id, o.year);
              break;
            }
          }
        }
        await expectStoredEqualsExact();
      }),
      {
        numRuns: 25,
        // first, one write of every kind in turn (reads between), whatever the random runs then draw
        examples: [
          [
            [
              { kind: "read", pick: 0, year: 2025 },
              { kind: "rent", pick: 0, year: 2025, day: 3, yuan: 800 },
              { kind: "read", pick: 1, year: 2025 },
              { kind: "reverse", pick: 0 },
              { kind: "rent", pick: 1, year: 2024, day: 9, yuan: 450 },
              { kind: "redate", pick: 1, year: 2025, day: 40 },
              { kind: "dividend", paid: true, year: 2025, day: 5, yuan: 1200 },
              { kind: "read", pick: 0, year: 2026 },
              { kind: "dividendStatus", pick: 0 },
              { kind: "entry", pick: 0, year: 2025, category: "OPERATING", yuan: 3000, cost: 900 },
              { kind: "entry", pick: 1, year: 2024, category: "TRANSFER", yuan: 2000, cost: 0 },
              { kind: "deleteEntry", pick: 1 },
              { kind: "work", pick: 0, year: 2025, yuan: 1500 },
              { kind: "read", pick: 2, year: 2025 },
              { kind: "withdraw", pick: 0 },
              { kind: "harvest", pick: 0, year: 2025, yuan: 5000, coop: false },
              { kind: "harvest", pick: 1, year: 2025, yuan: 5000, coop: true },
              { kind: "join", pick: 0, year: 2025, day: 50, unknown: false },
              { kind: "leave", pick: 1, year: 2025, day: 80 },
              { kind: "status", pick: 1, status: "MONITORED" },
              { kind: "household", inV2: true },
            ],
          ],
        ],
      },
    );
    // every mark of a year read has been processed
    expect(await prisma.incomeFigureStale.count({ where: { townshipId: w.t1.id, year: { in: YEARS } } })).toBe(0);
    // and the app's own writes that may refuse did happen (the others always write)
    expect([...wrote.keys()].sort()).toEqual(["deleteEntry", "leave", "rent", "reverse", "withdraw"]);
  }, 300_000);
});

describe("recomputation never loses a write and never adds twice", () => {
  const place = (): Place => ({ townshipId: w.t1.id, villageId: null });
  const entry = (yuan: number) =>
    prisma.incomeEntry.create({
      data: { householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, year: 2025, category: "TRANSFER", kind: "PENSION", amountFen: BigInt(yuan * 100), source: "养老金", recordedById: w.users.secretary.id },
    });
  const stored = async () => (await storedHouseholdYears(place(), 2025, ASOF)).find((r) => r.id === w.h1.id)!;
  const exact = async () => (await householdYears(place(), 2025, ASOF)).find((r) => r.id === w.h1.id)!;

  it("a write that lands while a recomputation sums keeps its mark, and the next read counts it", async () => {
    await ensureFigures(place(), [2025]);
    await entry(100);
    const marks = await marksOf(place(), [2025]);
    expect(marks.map((m) => m.h)).toContain(w.h1.id);
    // the recomputation has read its marks; another write lands before it writes
    await entry(7);
    await recompute(w.t1.id, marks);
    expect((await marksOf(place(), [2025])).map((m) => m.h)).toContain(w.h1.id);
    expect(await stored()).toEqual(await exact());
  });

  it("two recomputations of the same marks write the same row once: the second finds the mark gone", async () => {
    await ensureFigures(place(), [2025]);
    const before = (await exact()).transferFen;
    await entry(300);
    const marks = await marksOf(place(), [2025]);
    await Promise.all([recompute(w.t1.id, marks), recompute(w.t1.id, marks)]);
    await recompute(w.t1.id, marks);
    const row = await prisma.incomeFigure.findUniqueOrThrow({ where: { householdId_year: { householdId: w.h1.id, year: 2025 } } });
    expect(row.transferFen).toBe(before + 30000n);
    expect(await stored()).toEqual(await exact());
  });

  it("the township and a village recomputing the same marks at once agree with the exact sums", async () => {
    await entry(11);
    await prisma.person.create({ data: { householdId: w.h1.id, name: "冯并发", relation: "OTHER", idNumber: makeIdNumber("371702", "20010101", "901"), birthDate: "2001-01-01", sex: "F", joinedOn: "2025-05-05" } });
    await Promise.all([ensureFigures(place(), [2025]), ensureFigures({ townshipId: w.t1.id, villageId: w.v1.id }, [2025]), townshipAudit(place(), 2025)]);
    expect(await stored()).toEqual(await exact());
  });
});

describe("the township audit reads the stored figures", () => {
  it("reads no income record once the figures are current (before: every source table on every request)", async () => {
    const place: Place = { townshipId: w.t1.id, villageId: null };
    await townshipAudit(place, 2025, { memo: false });
    const queries: string[] = [];
    prisma.$on("query", (e) => queries.push(e.query));
    await townshipAudit(place, 2025, { memo: false });
    const read = queries.join("\n");
    for (const table of ["IncomeEntry", "WorkDay", "RentPayment", "DividendPayment", "Harvest", "Person"]) expect(read).not.toContain(table);
    expect(read).toContain(`"IncomeFigure"`);
  });

  it("a database whose figures are empty (as the migration leaves it) computes every row on first read", async () => {
    await prisma.$executeRaw`DELETE FROM "IncomeFigure"`;
    await expectStoredEqualsExact();
    const households = await prisma.household.count();
    expect(await prisma.incomeFigure.count({ where: { year: 2025 } })).toBe(households);
  });

  it("the rebuild command fills every household's years, equal to the exact sums", async () => {
    await prisma.$executeRaw`DELETE FROM "IncomeFigure"`;
    const r = await rebuildFigures([2024, 2025]);
    const households = await prisma.household.count();
    expect(r).toEqual({ townships: 2, rows: households * 2 });
    expect(await prisma.incomeFigureStale.count({ where: { year: { in: [2024, 2025] } } })).toBe(0);
    for (const place of places()) expect(await storedHouseholdYears(place, 2025, ASOF)).toEqual(await householdYears(place, 2025, ASOF));
  });

  it("the memo answers unchanged inputs with the same result and computes again after any change it reads", async () => {
    const place: Place = { townshipId: w.t1.id, villageId: null };
    const first = await townshipAudit(place, 2025);
    expect(await townshipAudit(place, 2025)).toBe(first);
    const changes: [string, () => Promise<unknown>][] = [
      ["an income entry", () => prisma.incomeEntry.create({ data: { householdId: w.h2.id, townshipId: w.t1.id, villageId: w.v2.id, year: 2025, category: "WAGE", kind: "OTHER", amountFen: 500n, recordedById: w.users.secretary.id } })],
      [
        "a status change",
        async () => {
          const { status } = await prisma.household.findUniqueOrThrow({ where: { id: w.h2.id } });
          await prisma.household.update({ where: { id: w.h2.id }, data: { status: status === "MONITORED" ? "ALLEVIATED" : "MONITORED" } });
        },
      ],
      ["a new household", () => addHousehold(w.v2, [{}])],
      ["the monitoring line", () => saveMonitoringLine(users.township, { year: 2025, provinceCode: "37", amountFen: 650000n, source: "测试用监测线文件（修订）", sourceUrl: "" })],
      ["rent falling due unpaid", () => addInstallment(w.h2.id, w.v2, "2025-01-31")],
      ["a village's name", () => prisma.village.update({ where: { id: w.v2.id }, data: { name: "刘庄新村" } })],
    ];
    let previous = first;
    for (const [what, change] of changes) {
      await change();
      const next = await townshipAudit(place, 2025);
      expect(next, what).not.toBe(previous);
      expect(next, what).toEqual(await townshipAudit(place, 2025, { memo: false }));
      previous = next;
    }
  });
});
