import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { deleteHarvest, harvestSalesFen, listHarvests, plotHarvests, recordHarvest, yieldReport } from "~/harvests/harvests.server";
import { prisma } from "~/lib/db.server";
import { Decimal } from "~/lib/money";
import { loader as dividendForm } from "~/routes/_app.dividends.new";
import { loader as harvestXlsx } from "~/routes/resources.harvests[.]xlsx";
import { salesFromPrice, toKg } from "~/harvests/harvest-form";
import { seedDatabase } from "../../scripts/lib/demo-data";
import { seedHarvests } from "../../scripts/lib/demo-harvests";
import { buildWorld, request, statusOf, type World } from "../factories";
import { extend } from "./access/harvests.world";

let w: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;
let area: Record<string, string>;

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await extend(w));
  for (const who of Object.keys(w.users) as (keyof typeof users)[]) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
  const plots = await prisma.orchardPlot.findMany({ select: { id: true, areaMu: true } });
  area = Object.fromEntries(plots.map((p) => [String(p.id), p.areaMu]));
});

const plot = (key: string) => String(w.extra[key]);
const form = (plotKey: string, over: Record<string, string> = {}) => ({ plotId: plot(plotKey), harvestedOn: "2025-07-18", quantity: "2501.5", unit: "JIN", grade: "FIRST", price: "1.6", priceUnit: "JIN", buyer: "菏泽果品批发市场", ...over });
const count = () => prisma.harvest.count();

describe("recording a harvest", () => {
  it("converts jin to kg, copies the plot's places and keeps the audit trail", async () => {
    const r = await recordHarvest(users.secretary, form("hPlotV1Coop"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const h = await prisma.harvest.findUniqueOrThrow({ where: { id: r.id } });
    expect(h).toMatchObject({
      plotId: w.extra.hPlotV1Coop,
      townshipId: w.t1.id,
      villageId: w.v1.id,
      cooperativeId: w.c1.id,
      householdId: null,
      crop: "PEACH",
      variety: "黄桃",
      year: 2025,
      harvestedOn: "2025-07-18",
      quantityKg: "1250.75",
      enteredQuantity: "2501.5",
      enteredUnit: "JIN",
      grade: "FIRST",
      price: "1.6",
      priceUnit: "JIN",
      // 2501.5 jin × 1.6 yuan/jin
      salesFen: 400240n,
      recordedById: users.secretary.id,
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Harvest", entityId: String(r.id), action: "create" } });
    expect(audit.villageId).toBe(w.v1.id);
    expect(JSON.parse(audit.after!)).toMatchObject({ quantityKg: "1250.75", salesFen: "400240" });
  });

  it("keeps a typed income and saves nothing from a bad form", async () => {
    const before = await count();
    const bad = await recordHarvest(users.secretary, form("hPlotV1House", { quantity: "-3", harvestedOn: "2099-01-01" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["harvestedOn", "quantity"]);
    expect(await count()).toBe(before);
    const typed = await recordHarvest(users.secretary, form("hPlotV1House", { harvestedOn: "2025-08-02", quantity: "1000", unit: "KG", price: "3", priceUnit: "KG", sales: "2,950", variety: "油桃" }));
    expect(typed.ok).toBe(true);
    if (typed.ok) expect(await prisma.harvest.findUniqueOrThrow({ where: { id: typed.id } })).toMatchObject({ salesFen: 295000n, variety: "油桃", householdId: w.h1.id, cooperativeId: null });
  });

  it("refuses a removed orchard", async () => {
    const r = await recordHarvest(users.secretary, form("hPlotV1Removed"));
    expect(r).toEqual({ ok: false, errors: { plotId: { key: "harvest.field.plot.removed" } } });
  });

  it("keeps each writer to their plots: 404 outside the scope, 403 for an accountant on a household's plot", async () => {
    const before = await count();
    expect(await statusOf(() => recordHarvest(users.secretary2, form("hPlotV1Coop")))).toBe(404);
    expect(await statusOf(() => recordHarvest(users.secretary, form("hPlotV3")))).toBe(404);
    expect(await statusOf(() => recordHarvest(users.accountant, form("hPlotV1House")))).toBe(403);
    expect(await statusOf(() => recordHarvest(users.accountant, form("hPlotV3")))).toBe(404);
    expect(await statusOf(() => recordHarvest(users.township, form("hPlotV1Coop")))).toBe(403);
    expect(await count()).toBe(before);
    // The accountant records on the cooperative's own plot.
    const r = await recordHarvest(users.accountant, form("hPlotV1Coop", { harvestedOn: "2025-07-25", quantity: "500", unit: "KG", price: "3.2", priceUnit: "KG" }));
    expect(r.ok).toBe(true);
  });
});

describe("yields", () => {
  it("shows a plot's harvests by year with the yield per mu", async () => {
    const p = await prisma.orchardPlot.findUniqueOrThrow({ where: { id: w.extra.hPlotV1Coop } });
    const h = await plotHarvests(users.secretary, p);
    expect(h.years.map((y) => y.year)).toEqual([2025, 2024]);
    const [y25, y24] = h.years;
    // 1250.75 kg + 500 kg in 2025; 1500 kg in 2024 (the world's record).
    expect(y25).toMatchObject({ records: 2, kg: "1750.75", sales: "5602.40" });
    const perMu = new Decimal("1750.75").dividedBy(p.areaMu);
    expect(y25!.kgPerMu).toBe(perMu.toFixed(2));
    expect(y25!.jinPerMu).toBe(perMu.times(2).toFixed(2));
    expect(y25!.change).toBe(`+${new Decimal(y25!.kgPerMu!).minus(y24!.kgPerMu!).dividedBy(y24!.kgPerMu!).times(100).toFixed(1)}`);
    expect(h.canWrite).toBe(true);
    expect((await plotHarvests(users.township, p)).canWrite).toBe(false);
  });

  it("sums the yield report of the scope by plot, variety and cooperative, with the two years before", async () => {
    const byPlot = await yieldReport(users.township.scope, 2025, "plot");
    expect(byPlot.years).toEqual([2025, 2024, 2023]);
    // T1 only: V1's two plots and V2's plot (2024); V3 is in another township.
    expect(byPlot.rows.map((r) => r.plot!.code).sort()).toEqual(["HV1-C1", "HV1-H1", "HV2-H2"]);
    const total25 = byPlot.totals[0]!;
    expect(total25).toMatchObject({ records: 3, kg: "2750.75", plots: 2 });
    const plots25 = new Decimal(area[plot("hPlotV1Coop")]!).plus(area[plot("hPlotV1House")]!);
    expect(total25.areaMu).toBe(plots25.toFixed(2));
    expect(total25.kgPerMu).toBe(new Decimal("2750.75").dividedBy(plots25).toFixed(2));
    expect(total25.sales).toBe("8552.40");
    expect(byPlot.totals[1]).toMatchObject({ records: 3, kg: "4500.00", plots: 3 });
    expect(byPlot.totals[2]).toMatchObject({ records: 0, kgPerMu: null });

    const byVariety = await yieldReport(users.township.scope, 2025, "variety");
    // Varieties in pinyin order: huang before you.
    expect(byVariety.rows.map((r) => [r.crop, r.variety, r.years[0]!.kg, r.years[1]!.kg])).toEqual([
      ["PEACH", "黄桃", "1750.75", "4500.00"],
      ["PEACH", "油桃", "1000.00", "0.00"],
    ]);
    const byCoop = await yieldReport(users.township.scope, 2025, "cooperative");
    expect(byCoop.rows.map((r) => [r.cooperative?.name ?? null, r.years[0]!.kg, r.years[1]!.kg])).toEqual([
      ["牡丹区续强合作社", "1750.75", "1500.00"],
      [null, "1000.00", "3000.00"],
    ]);
    expect(byCoop.rows[0]!.filter).toEqual({ cooperative: String(w.c1.id) });

    // A secretary sees their village only; the accountant the villages C1 serves.
    expect((await yieldReport(users.secretary2.scope, 2025, "plot")).rows.map((r) => r.plot!.code)).toEqual(["HV2-H2"]);
    expect((await yieldReport(users.accountant.scope, 2025, "plot")).rows.map((r) => r.plot!.code).sort()).toEqual(["HV1-C1", "HV1-H1"]);
  });

  it("lists the records behind a figure with the same total", async () => {
    const list = await listHarvests(users.township, { year: 2025, cooperative: w.c1.id });
    expect(list.total).toEqual({ records: 2, kg: "1750.75", sales: "5602.40", plots: 1 });
    expect(list.rows.map((r) => r.harvestedOn)).toEqual(["2025-07-25", "2025-07-18"]);
    expect(list.rows.every((r) => !r.canDelete)).toBe(true);
    expect((await listHarvests(users.secretary2, { year: 2025 })).total.records).toBe(0);
    expect((await listHarvests(users.township, { year: 2025, crop: "PEACH", variety: "" })).total.records).toBe(0);
  });

  it("gives a cooperative's harvest sales of a year for its dividend run", async () => {
    expect(await harvestSalesFen(w.c1.id, 2025)).toEqual({ salesFen: 560240n, records: 2 });
    expect(await harvestSalesFen(w.c1.id, 2024)).toEqual({ salesFen: 450000n, records: 1 });
    expect(await harvestSalesFen(w.c2.id, 2025)).toEqual({ salesFen: 0n, records: 0 });
  });

  it("pre-fills the dividend run's income with the harvest sales unless an income was typed", async () => {
    const load = async (query: string) => (await dividendForm({ request: request(`/dividends/new${query}`, { cookie: w.users.accountant.cookie }), params: {}, context: {} })) as Awaited<ReturnType<typeof dividendForm>>;
    const fresh = await load("?year=2025");
    expect(fresh.defaults.income).toBe("5602.40");
    expect(fresh.harvest).toMatchObject({ year: 2025, sales: "5602.40", records: 2, href: `/harvests/records?cooperative=${w.c1.id}&year=2025` });
    // The accountant changes the year: their untouched pre-fill follows it.
    expect((await load("?year=2024&income=5602.40&harvestIncome=5602.40&cost=0")).defaults.income).toBe("4500.00");
    const typed = await load("?year=2025&income=80000&harvestIncome=5602.40&cost=0");
    expect(typed.defaults.income).toBe("80000");
    expect(typed.sim).not.toBeNull();
  });

  it("exports the report as Excel with the page's figures", async () => {
    const res = (await harvestXlsx({ request: request("/resources/harvests.xlsx?year=2025", { cookie: w.users.township.cookie }), params: {}, context: {} })) as Response;
    expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((s) => s.name)).toEqual(["按地块", "按品种", "按合作社"]);
    const coop = wb.getWorksheet("按合作社")!;
    expect(String(coop.getCell("A1").value)).toContain("2025 年产量统计");
    expect(coop.getRow(3).values).toContain("2025年产量（公斤）");
    const rows = [4, 5, 6].map((n) => coop.getRow(n).values as unknown[]);
    expect(rows[0]).toEqual(expect.arrayContaining(["牡丹区续强合作社", 2, 1750.75, 5602.4]));
    expect(rows[2]).toEqual(expect.arrayContaining(["合计", 3, 2750.75]));
  });
});

describe("deleting a mistaken record", () => {
  it("keeps the record in the audit trail and lets only its writers delete it", async () => {
    const r = await recordHarvest(users.secretary, form("hPlotV1House", { harvestedOn: "2025-09-01", quantity: "30000" }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await statusOf(() => deleteHarvest(users.secretary2, r.id))).toBe(404);
    expect(await statusOf(() => deleteHarvest(users.accountant, r.id))).toBe(403);
    expect(await deleteHarvest(users.secretary, r.id)).toMatchObject({ plotId: w.extra.hPlotV1House, year: 2025 });
    expect(await prisma.harvest.findUnique({ where: { id: r.id } })).toBeNull();
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Harvest", entityId: String(r.id), action: "delete" } });
    expect(JSON.parse(audit.before!)).toMatchObject({ quantityKg: "15000.00", enteredQuantity: "30000", enteredUnit: "JIN" });
  });
});

describe("demo harvests", () => {
  it("fills three years of bearing peach, pear and hawthorn orchards with plausible, deterministic records", async () => {
    const file = path.join(process.env.CUNSHE_TEST_DIR!, `harvest-seed-${process.pid}.db`);
    await seedDatabase(file, { scale: "demo", force: true });
    const db = new Database(file);
    try {
      // The seed may already call seedHarvests: start from none.
      db.exec("DELETE FROM Harvest");
      const { harvests } = seedHarvests(db, { scale: "demo", seed: 20260415 });
      expect(harvests).toBeGreaterThan(20);
      const rows = db.prepare("SELECT h.*, p.areaMu, p.plantingYear, p.status FROM Harvest h JOIN OrchardPlot p ON p.id = h.plotId ORDER BY h.id").all() as Record<string, string | number | bigint>[];
      expect(rows.length).toBe(harvests);
      // Crabapple, nursery stock and grapes are not sold by weight here (see the seed's notes).
      expect(new Set(rows.map((r) => r.crop))).toEqual(new Set(["PEACH", "PEAR", "HAWTHORN"]));
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["BEARING"]));
      expect(new Set(rows.map((r) => r.year))).toEqual(new Set([2023, 2024, 2025]));
      const users = new Set((db.prepare("SELECT id FROM User").all() as { id: number }[]).map((u) => u.id));
      for (const r of rows) {
        expect(String(r.harvestedOn).slice(0, 4)).toBe(String(r.year));
        expect(users.has(Number(r.recordedById))).toBe(true);
        expect(toKg(String(r.enteredQuantity), r.enteredUnit as "JIN" | "KG").toFixed(2)).toBe(r.quantityKg);
        const computed = salesFromPrice(String(r.quantityKg), String(r.price), r.priceUnit as "JIN" | "KG");
        const sales = BigInt(r.salesFen as number);
        // As computed, or a round sum at most 10 yuan below it.
        expect(sales === computed || (sales % 1000n === 0n && sales <= computed && computed - sales < 1000n)).toBe(true);
      }
      // Yields per mu of full-bearing plots in DOMAIN.md §4's ranges, allowing for the year and the plot.
      const perMu = (crop: string) =>
        (db.prepare("SELECT h.plotId, h.year, SUM(CAST(h.quantityKg AS REAL)) / MAX(CAST(p.areaMu AS REAL)) * 2 AS jin FROM Harvest h JOIN OrchardPlot p ON p.id = h.plotId WHERE h.crop = ? AND h.year - p.plantingYear BETWEEN 8 AND 14 GROUP BY h.plotId, h.year").all(crop) as { jin: number }[]).map((r) => r.jin);
      const within = (crop: string, lo: number, hi: number) => {
        const values = perMu(crop);
        expect(values.length, crop).toBeGreaterThan(0);
        for (const jin of values) expect(jin > lo && jin < hi, `${crop} ${jin} jin/mu`).toBe(true);
      };
      within("PEACH", 1800, 3700);
      within("PEAR", 3900, 9800);
      within("HAWTHORN", 850, 1700);
      const again = () => db.prepare("SELECT plotId, harvestedOn, quantityKg, salesFen FROM Harvest ORDER BY plotId, harvestedOn, quantityKg").all();
      const first = again();
      db.exec("DELETE FROM Harvest");
      expect(seedHarvests(db, { scale: "demo", seed: 20260415 }).harvests).toBe(harvests);
      expect(again()).toEqual(first);
      // A second run adds nothing.
      expect(seedHarvests(db, { scale: "demo", seed: 20260415 }).harvests).toBe(0);
    } finally {
      db.close();
      fs.rmSync(file, { force: true });
    }
  }, 120_000);
});
