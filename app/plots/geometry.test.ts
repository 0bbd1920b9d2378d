import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { Polygon } from "geojson";
import {
  areaDiscrepancy,
  areaMu,
  distanceM,
  findOverlaps,
  gcjToWgs,
  gcjToWgsPoint,
  normalizeGeometry,
  overlapM2,
  simplifyForLowZoom,
  wgsToGcj,
  wgsToGcjPoint,
  type PlotGeometry,
} from "./geometry";

const R = 6371008.8;
/** A rectangle of w × h metres with its south-west corner at (lon, lat). */
function rect(lon: number, lat: number, w: number, h: number): Polygon {
  const dLat = (h / R) * (180 / Math.PI);
  const dLon = (w / (R * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
  return {
    type: "Polygon",
    coordinates: [[[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]]],
  };
}

const fixture = JSON.parse(fs.readFileSync("tests/fixtures/plots/luxiezhuang.geojson", "utf8")) as {
  features: { geometry: PlotGeometry; properties: { code: string; ref_area_mu: number; declared_mu: number } }[];
};

describe("area in mu", () => {
  it("measures a 100 m × 66.667 m square as 10.00 mu within 0.5%", () => {
    const g = rect(115.4, 35.3, 100, 66.667);
    expect(Math.abs(Number(areaMu(g)) - 10) / 10).toBeLessThan(0.005);
    expect(areaMu(g)).toBe("10.00");
  });

  it("measures a hectare as 15 mu", () => {
    expect(areaMu(rect(115.5, 35.25, 100, 100))).toBe("15.00");
  });

  it("agrees with the ellipsoidal areas of the sample village to 0.01 mu", () => {
    for (const f of fixture.features) {
      const n = normalizeGeometry(f.geometry);
      expect(n.ok, f.properties.code).toBe(true);
      if (!n.ok) continue;
      expect(Math.abs(Number(n.areaMu) - f.properties.ref_area_mu), f.properties.code).toBeLessThanOrEqual(0.011);
    }
  });

  it("subtracts holes", () => {
    const outer = rect(115.4, 35.3, 100, 100).coordinates[0]!;
    const hole = rect(115.4002, 35.3002, 20, 20).coordinates[0]!.slice().reverse();
    const n = normalizeGeometry({ type: "Polygon", coordinates: [outer, hole] });
    expect(n.ok && n.areaMu).toBe("14.40");
  });

  it("gives areas as decimal strings with two places", () => {
    expect(areaMu(rect(115.4, 35.3, 10, 10))).toMatch(/^\d+\.\d\d$/);
  });
});

describe("geometry checks", () => {
  const problemKeys = (input: unknown) => {
    const n = normalizeGeometry(input);
    return n.ok ? [] : n.problems.map((p) => p.key);
  };

  it("refuses a self-intersecting (bow-tie) polygon", () => {
    const bowtie = { type: "Polygon", coordinates: [[[115.34, 35.16], [115.341, 35.161], [115.341, 35.16], [115.34, 35.161], [115.34, 35.16]]] };
    expect(problemKeys(bowtie)).toEqual(["plots.geometry.selfIntersection"]);
  });

  it("refuses a ring of fewer than 3 distinct points, also when points repeat", () => {
    expect(problemKeys({ type: "Polygon", coordinates: [[[115.34, 35.16], [115.341, 35.161], [115.34, 35.16]]] })).toEqual(["plots.geometry.tooFewPoints"]);
    expect(problemKeys({ type: "Polygon", coordinates: [[[115.34, 35.16], [115.341, 35.161], [115.341, 35.161], [115.34, 35.16], [115.34, 35.16]]] })).toEqual([
      "plots.geometry.tooFewPoints",
    ]);
  });

  it("refuses coordinates outside China, and says when latitude and longitude are swapped or projected", () => {
    expect(problemKeys(rect(2.35, 48.85, 100, 100))).toEqual(["plots.geometry.outsideChina"]);
    const swapped = { type: "Polygon", coordinates: [[[35.16, 115.34], [35.161, 115.34], [35.161, 115.341], [35.16, 115.341], [35.16, 115.34]]] };
    expect(problemKeys(swapped)).toEqual(["plots.geometry.swapped"]);
    const metres = { type: "Polygon", coordinates: [[[38530000, 3900000], [38530100, 3900000], [38530100, 3900100], [38530000, 3900000]]] };
    expect(problemKeys(metres)).toEqual(["plots.geometry.projected"]);
  });

  it("refuses absurd areas", () => {
    expect(problemKeys(rect(115.4, 35.3, 5, 5))).toEqual(["plots.geometry.tooSmall"]);
    expect(problemKeys(rect(115.4, 35.3, 3000, 2000))).toEqual(["plots.geometry.tooLarge"]);
  });

  it("refuses what is not a polygon, and malformed coordinates", () => {
    expect(problemKeys({ type: "Point", coordinates: [115, 35] })).toEqual(["plots.geometry.notPolygon"]);
    expect(problemKeys(null)).toEqual(["plots.geometry.notPolygon"]);
    expect(problemKeys({ type: "Polygon", coordinates: [[[115.4, "35"], [115.5, 35.3], [115.4, 35.4]]] })).toEqual(["plots.geometry.malformed"]);
    expect(problemKeys({ type: "Polygon", coordinates: [] })).toEqual(["plots.geometry.empty"]);
  });

  it("refuses a MultiPolygon whose parts cover each other", () => {
    const a = rect(115.4, 35.3, 100, 100).coordinates;
    const b = rect(115.4005, 35.3005, 100, 100).coordinates;
    expect(problemKeys({ type: "MultiPolygon", coordinates: [a, b] })).toEqual(["plots.geometry.partsOverlap"]);
  });

  it("closes rings, drops repeated points, winds outer rings counter-clockwise and unwraps a Feature", () => {
    const cw = { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[[115.4, 35.3], [115.4, 35.301], [115.4, 35.301], [115.401, 35.301], [115.401, 35.3]]] } };
    const n = normalizeGeometry(cw);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    const ring = (n.geometry as Polygon).coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(ring[1]).toEqual([115.401, 35.3]);
    expect(n.bbox).toEqual([115.4, 35.3, 115.401, 35.301]);
  });

  it("keeps a MultiPolygon of separate parts and sums their areas", () => {
    const a = rect(115.4, 35.3, 100, 100).coordinates;
    const b = rect(115.41, 35.3, 100, 50).coordinates;
    const n = normalizeGeometry({ type: "MultiPolygon", coordinates: [a, b] });
    expect(n.ok && n.geometry.type).toBe("MultiPolygon");
    expect(n.ok && n.areaMu).toBe("22.50");
  });
});

describe("overlaps", () => {
  it("measures the shared area of two plots", () => {
    const a = rect(115.4, 35.3, 100, 100);
    const b = rect(115.4, 35.3, 50, 100);
    expect(overlapM2(a, b)).toBeCloseTo(5000, -1);
  });

  it("does not count plots that only touch or lie apart", () => {
    const a = rect(115.4, 35.3, 100, 100);
    const east = a.coordinates[0]![1]!;
    const b = rect(east[0]!, 35.3, 100, 100);
    expect(overlapM2(a, b)).toBeLessThan(1);
    expect(findOverlaps([
      { id: 1, geometry: a, bbox: [0, 0, 0, 0] },
    ])).toEqual([]);
  });

  it("finds the overlapping pair of the sample village and nothing else", () => {
    const plots = fixture.features.map((f, i) => {
      const n = normalizeGeometry(f.geometry);
      if (!n.ok) throw new Error("bad fixture");
      return { id: i + 1, geometry: n.geometry, bbox: n.bbox };
    });
    const pairs = findOverlaps(plots);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[1, 12]]);
    expect(pairs[0]!.m2).toBeGreaterThan(400);
    expect(pairs[0]!.m2).toBeLessThan(550);
  });

  it("ignores slivers below the tolerance", () => {
    const a = rect(115.4, 35.3, 100, 100);
    // 5 cm over a 100 m boundary: 5 m²
    const b = rect(115.4 + (99.95 / (R * Math.cos((35.3 * Math.PI) / 180))) * (180 / Math.PI), 35.3, 100, 100);
    const n = [a, b].map((g, i) => {
      const r = normalizeGeometry(g);
      if (!r.ok) throw new Error("bad");
      return { id: i + 1, geometry: r.geometry, bbox: r.bbox };
    });
    expect(overlapM2(n[0]!.geometry, n[1]!.geometry)).toBeGreaterThan(1);
    expect(findOverlaps(n)).toEqual([]);
  });
});

describe("area discrepancy", () => {
  it("flags more than 5% either way, not exactly 5%", () => {
    expect(areaDiscrepancy("7.98", "8.70")).toEqual({ percent: "-8.3", flagged: true });
    expect(areaDiscrepancy("10.50", "10.00")).toEqual({ percent: "5.0", flagged: false });
    expect(areaDiscrepancy("10.51", "10.00")).toEqual({ percent: "5.1", flagged: true });
    expect(areaDiscrepancy("9.50", "10.00")).toEqual({ percent: "-5.0", flagged: false });
    expect(areaDiscrepancy("9.49", "10.00")?.flagged).toBe(true);
  });

  it("has nothing to say without a contract area", () => {
    expect(areaDiscrepancy("9.49", null)).toBeNull();
    expect(areaDiscrepancy("9.49", "0")).toBeNull();
  });

  it("flags plot 3 of the sample village only", () => {
    const flagged = fixture.features.filter((f) => {
      const n = normalizeGeometry(f.geometry);
      return n.ok && areaDiscrepancy(n.areaMu, String(f.properties.declared_mu))?.flagged;
    });
    expect(flagged.map((f) => f.properties.code)).toEqual(["3717020020010100003"]);
  });
});

describe("GCJ-02", () => {
  it("shifts a point near Heze by tens to hundreds of metres", () => {
    const p: [number, number] = [115.45, 35.25];
    const d = distanceM(p, wgsToGcjPoint(...p));
    expect(d).toBeGreaterThan(50);
    expect(d).toBeLessThan(1000);
  });

  it("round-trips points within 1 m", () => {
    for (let i = 0; i < 200; i++) {
      const p: [number, number] = [115.3 + (i % 20) * 0.015, 35.2 + Math.floor(i / 20) * 0.02];
      const back = gcjToWgsPoint(...wgsToGcjPoint(...p));
      expect(distanceM(p, back)).toBeLessThan(1);
    }
  });

  it("round-trips a plot within 1 m without touching the original", () => {
    const g = rect(115.42, 35.31, 120, 80);
    const before = JSON.stringify(g);
    const shown = wgsToGcj(g);
    expect(JSON.stringify(g)).toBe(before);
    const back = gcjToWgs(shown);
    back.coordinates[0]!.forEach((p, i) => {
      expect(distanceM(p as [number, number], g.coordinates[0]![i] as [number, number])).toBeLessThan(1);
    });
    expect(Math.abs(Number(areaMu(back)) - Number(areaMu(g)))).toBeLessThanOrEqual(0.01);
  });
});

describe("simplified geometry for low zoom", () => {
  it("drops vertices that a pixel cannot show and keeps small plots", () => {
    const ring: number[][] = [];
    for (let i = 0; i <= 40; i++) ring.push([115.4 + i * 0.00005, 35.3 + (i % 2) * 0.0000001]);
    ring.push([115.402, 35.301], [115.4, 35.301], [115.4, 35.3]);
    const simple = simplifyForLowZoom({ type: "Polygon", coordinates: [ring] }) as Polygon;
    expect(simple.coordinates[0]!.length).toBeLessThan(10);
    const tiny = rect(115.4, 35.3, 8, 9);
    expect((simplifyForLowZoom(tiny) as Polygon).coordinates[0]!.length).toBeGreaterThanOrEqual(4);
  });
});
