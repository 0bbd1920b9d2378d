import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Polygon } from "geojson";
import { distanceM, normalizeGeometry, type BBox, type PlotGeometry } from "./geometry";
import { parsePlotFile } from "./import";
import { bboxDistanceM, centreOf, FAR_FROM_VILLAGE_M, growBBox, nearestDistanceM, placeWarnings, plotDistanceM, pointInGeometry, type Placed } from "./proximity";

const dir = "tests/fixtures/plots";
const read = (f: string) => new Uint8Array(fs.readFileSync(`${dir}/${f}`));

const square = (lon: number, lat: number, side = 0.001): Polygon => ({
  type: "Polygon",
  coordinates: [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]],
});
const placed = (g: PlotGeometry): Placed => {
  const n = normalizeGeometry(g);
  if (!n.ok) throw new Error("bad");
  return { geometry: n.geometry, bbox: n.bbox };
};

async function sampleVillage(): Promise<Placed[]> {
  const r = await parsePlotFile("luxiezhuang.geojson", read("luxiezhuang.geojson"), { currentYear: 2026 });
  if (!r.ok) throw new Error("sample");
  return r.features.map((f) => ({ geometry: f.geometry!, bbox: f.bbox! }));
}

describe("distances between plots", () => {
  it("are 0 for plots that overlap, touch or hold one another", () => {
    expect(plotDistanceM(square(115, 35), square(115.0005, 35.0005))).toBe(0);
    expect(plotDistanceM(square(115, 35), square(115.001, 35))).toBeLessThan(1e-6);
    expect(plotDistanceM(square(115, 35, 0.01), square(115.004, 35.004, 0.001))).toBe(0);
  });

  it("measure on the WGS-84 ellipsoid (the sphere's haversine is 0.2 % off)", () => {
    // Two squares side by side along a parallel, 0.01° apart at 35.0005° N: N·cos φ·Δλ = 912.9 m on the ellipsoid.
    const d = plotDistanceM(square(115, 35), square(115.011, 35));
    expect(Math.abs(d - 912.9)).toBeLessThan(0.5);
    expect(Math.abs(d / distanceM([115.001, 35.0005], [115.011, 35.0005]) - 1)).toBeLessThan(0.003);
    // Along a meridian: 0.01° of latitude at 35° N is 1,109.4 m.
    expect(Math.abs(plotDistanceM(square(115, 35), square(115, 35.011)) - 1109.4)).toBeLessThan(1);
  });

  it("property: the box lower bound never exceeds the exact distance, and distance is symmetric", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 115, max: 115.2, noNaN: true }),
        fc.double({ min: 35, max: 35.2, noNaN: true }),
        fc.double({ min: 115, max: 115.2, noNaN: true }),
        fc.double({ min: 35, max: 35.2, noNaN: true }),
        (x1, y1, x2, y2) => {
          const a = placed(square(x1, y1));
          const b = placed(square(x2, y2));
          const d = plotDistanceM(a.geometry, b.geometry);
          expect(bboxDistanceM(a.bbox, b.bbox)).toBeLessThanOrEqual(d + 0.5);
          expect(Math.abs(d - plotDistanceM(b.geometry, a.geometry))).toBeLessThan(0.01);
          expect(nearestDistanceM(a, [b])).toBeCloseTo(d, 6);
        },
      ),
    );
  });

  it("find the nearest of many with the exact distance", () => {
    const others = [placed(square(115.02, 35)), placed(square(115.005, 35)), placed(square(115.1, 35.1))];
    expect(nearestDistanceM(placed(square(115, 35)), others)).toBeCloseTo(plotDistanceM(square(115, 35), square(115.005, 35)), 6);
    expect(nearestDistanceM(placed(square(115, 35)), [])).toBeNull();
  });

  it("grow a box by metres on every side", () => {
    const b: BBox = [115, 35, 115.01, 35.01];
    const g = growBBox(b, 2000);
    expect(Math.abs(distanceM([g[0], 35.005], [b[0], 35.005]) - 2000)).toBeLessThan(10);
    expect(Math.abs(distanceM([115.005, g[1]], [115.005, b[1]]) - 2000)).toBeLessThan(10);
  });

  it("tell inside from outside a polygon with a hole", () => {
    const holed: Polygon = { type: "Polygon", coordinates: [square(115, 35, 0.01).coordinates[0]!, square(115.004, 35.004, 0.002).coordinates[0]!] };
    expect(pointInGeometry([115.001, 35.001], holed)).toBe(true);
    expect(pointInGeometry([115.005, 35.005], holed)).toBe(false);
    expect(pointInGeometry([115.02, 35.005], holed)).toBe(false);
    expect(centreOf(square(115, 35))).toEqual([115.0005, 35.0005]);
  });
});

describe("where imported plots lie", () => {
  it("flags the sample file's plot moved 17 km, and not the one beside the village", async () => {
    const village = await sampleVillage();
    const r = await parsePlotFile("far-away.geojson", read("far-away.geojson"), { currentYear: 2026 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const plots = r.features.map((f) => ({ geometry: f.geometry!, bbox: f.bbox! }));
    const townshipExtent = village.reduce<BBox>((b, p) => [Math.min(b[0], p.bbox[0]), Math.min(b[1], p.bbox[1]), Math.max(b[2], p.bbox[2]), Math.max(b[3], p.bbox[3])], [180, 90, -180, -90]);
    const w = placeWarnings(plots, { villagePlots: village, townshipBoundary: [], townshipExtent });
    expect(w[0]).toEqual([]);
    expect(w[1]!.map((x) => x.key)).toEqual(["plots.warn.farFromVillage", "plots.warn.outsideTownshipExtent"]);
    const km = Number(w[1]![0]!.params!.km);
    expect(km).toBeGreaterThan(15);
    expect(km).toBeLessThan(18);
  });

  it("judges the township by its boundary when one is loaded", async () => {
    const village = await sampleVillage();
    const boundary = JSON.parse(fs.readFileSync(`${dir}/township-boundary.geojson`, "utf8")).features[0].geometry as Polygon;
    const near = placed(square(115.345, 35.175, 0.0008));
    const outsideBoundary = placed(square(115.362, 35.165, 0.0008));
    const w = placeWarnings([near, outsideBoundary], { villagePlots: village, townshipBoundary: [boundary], townshipExtent: null });
    expect(w[0]).toEqual([]);
    // 1.2 km from the village: near enough, but over the township's border.
    expect(w[1]!.map((x) => x.key)).toEqual(["plots.warn.outsideTownshipBoundary"]);
  });

  it("says nothing when there is nothing to compare with", () => {
    expect(placeWarnings([placed(square(116, 36))], { villagePlots: [], townshipBoundary: [], townshipExtent: null })).toEqual([[]]);
  });

  it("property: a plot within 2 km of a village plot is never flagged far; one beyond it always is", () => {
    const base = placed(square(115.3, 35.2));
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.06, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (r, angle) => {
        const p = placed(square(115.3 + r * Math.cos(angle), 35.2 + r * Math.sin(angle)));
        const d = plotDistanceM(p.geometry, base.geometry);
        fc.pre(Math.abs(d - FAR_FROM_VILLAGE_M) > 1);
        const keys = placeWarnings([p], { villagePlots: [base], townshipBoundary: [], townshipExtent: null })[0]!.map((x) => x.key);
        expect(keys.includes("plots.warn.farFromVillage")).toBe(d > FAR_FROM_VILLAGE_M);
      }),
    );
  });
});
