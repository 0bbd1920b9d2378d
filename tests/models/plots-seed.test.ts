import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { areaDiscrepancy, findOverlaps, normalizeGeometry, type BBox, type PlotGeometry } from "~/plots/geometry";
import { seedDatabase } from "../../scripts/lib/demo-data";
import { seedOrchardPlots } from "../../scripts/lib/demo-plots";

const file = process.env.DATABASE_URL!.replace(/^file:/, "");
let db: Database.Database;

interface Row {
  id: number;
  code: string;
  name: string;
  village: string;
  township: string;
  geometry: string;
  areaMu: string;
  declaredMu: string | null;
  status: string;
  householdId: number | null;
  cooperativeId: number | null;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}
const rows = () =>
  db
    .prepare(
      `SELECT p.*, v.name AS village, t.name AS township FROM OrchardPlot p JOIN Village v ON v.id = p.villageId JOIN Township t ON t.id = p.townshipId ORDER BY p.id`,
    )
    .all() as Row[];
const overlaps = (rs: Row[]) =>
  findOverlaps(rs.filter((r) => r.status !== "REMOVED").map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) as PlotGeometry, bbox: [r.minLon, r.minLat, r.maxLon, r.maxLat] as BBox })));

// What the demo seed itself put in, if it calls seedOrchardPlots; the tests below start from none.
let fromSeed: string[][] = [];

beforeAll(async () => {
  await seedDatabase(file, { scale: "demo" });
  db = new Database(file);
  fromSeed = rows().map((p) => [p.code, p.areaMu, p.geometry]);
  // harvests hang on the plots; the test re-imports the plots alone
  db.exec("DELETE FROM Harvest; DELETE FROM OrchardPlot");
}, 120_000);
afterAll(() => db?.close());

describe("demo orchard plots", () => {
  it("puts a few dozen valid plots in 鲁谢庄村, 梨高庄村 and 刘庄村 near Heze, and is deterministic", () => {
    const r = seedOrchardPlots(db, { scale: "demo" });
    expect(r.skipped).toBe(false);
    const all = rows();
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(all.length).toBeLessThanOrEqual(60);
    expect(new Set(all.map((p) => p.village))).toEqual(new Set(["鲁谢庄村", "梨高庄村", "刘庄村"]));
    for (const p of all) {
      const n = normalizeGeometry(JSON.parse(p.geometry));
      expect(n.ok, p.code).toBe(true);
      expect(n.ok && n.areaMu).toBe(p.areaMu);
      expect(p.minLat).toBeGreaterThan(35.2);
      expect(p.maxLat).toBeLessThan(35.4);
      expect(p.minLon).toBeGreaterThan(115.3);
      expect(p.maxLon).toBeLessThan(115.6);
      expect(p.code).toMatch(/^\d{19}$/);
      expect(p.householdId ?? p.cooperativeId).not.toBeNull();
    }
    if (fromSeed.length) expect(all.map((p) => [p.code, p.areaMu, p.geometry])).toEqual(fromSeed);
    const first = all.map((p) => [p.code, p.areaMu, p.declaredMu, p.geometry]);
    // harvests hang on the plots; the test re-imports the plots alone
  db.exec("DELETE FROM Harvest; DELETE FROM OrchardPlot");
    seedOrchardPlots(db, { scale: "demo" });
    expect(rows().map((p) => [p.code, p.areaMu, p.declaredMu, p.geometry])).toEqual(first);
  });

  it("has exactly one overlapping pair and one plot more than 5% off its contract area", () => {
    const all = rows();
    const pairs = overlaps(all);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.m2).toBeGreaterThan(100);
    const byId = new Map(all.map((p) => [p.id, p]));
    expect(byId.get(pairs[0]!.b)!.village).toBe("鲁谢庄村");
    expect(all.filter((p) => areaDiscrepancy(p.areaMu, p.declaredMu)?.flagged).map((p) => p.village)).toEqual(["鲁谢庄村"]);
  });

  it("leaves a database that already has plots alone", () => {
    const n = rows().length;
    expect(seedOrchardPlots(db, { scale: "demo" })).toEqual({ plots: 0, skipped: true, byTownship: {} });
    expect(rows()).toHaveLength(n);
  });
});

describe("district-scale orchard plots", () => {
  it("puts at least 5,000 plots of 2–60 mu in 小留镇 and more elsewhere, overlapping only where meant to", () => {
    // harvests hang on the plots; the test re-imports the plots alone
  db.exec("DELETE FROM Harvest; DELETE FROM OrchardPlot");
    const r = seedOrchardPlots(db, { scale: "district" });
    expect(r.byTownship["小留镇"]).toBeGreaterThanOrEqual(5000);
    expect(Object.keys(r.byTownship).length).toBeGreaterThan(1);
    const all = rows();
    const areas = all.map((p) => Number(p.areaMu));
    expect(Math.min(...areas)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...areas)).toBeLessThanOrEqual(60);
    const byId = new Map(all.map((p) => [p.id, p]));
    const pairs = overlaps(all);
    expect(pairs.length).toBeGreaterThan(0);
    // Every overlap involves one of the deliberately overlapping plots (补划, "drawn again").
    for (const pair of pairs) expect([byId.get(pair.a)!.name, byId.get(pair.b)!.name].some((n) => n.includes("补划"))).toBe(true);
    const flagged = all.filter((p) => areaDiscrepancy(p.areaMu, p.declaredMu)?.flagged).length;
    expect(flagged / all.length).toBeGreaterThan(0.01);
    expect(flagged / all.length).toBeLessThan(0.06);
  }, 60_000);
});
