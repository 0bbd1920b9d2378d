import { describe, expect, it } from "vitest";
import type { Polygon } from "geojson";
import { decodePayload, project0 } from "./map-decode";
import { decodeGeometry, encodeGeometry, FULL_SCALE, LOW_SCALE, openingRequest, overlapMessage, parseBBox, plotLabel, type MapPayload } from "./map-data";

const plot: Polygon = { type: "Polygon", coordinates: [[[115.3421, 35.1642], [115.3431988, 35.1641901], [115.3432109, 35.1650884], [115.3421121, 35.1650983], [115.3421, 35.1642]]] };

describe("the map's compact plot rows", () => {
  it("round-trip a ring exactly at 1e-6° and to about a metre at 1e-5°", () => {
    const full = decodeGeometry(encodeGeometry(plot, FULL_SCALE), FULL_SCALE)[0]!;
    full[0]!.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(plot.coordinates[0]![i]![0]!, 6);
      expect(p[1]).toBeCloseTo(plot.coordinates[0]![i]![1]!, 6);
    });
    const low = decodeGeometry(encodeGeometry(plot, LOW_SCALE), LOW_SCALE)[0]!;
    expect(Math.abs(low[0]![1]![0]! - 115.3431988)).toBeLessThan(1e-5);
  });

  it("are much shorter than GeoJSON", () => {
    expect(JSON.stringify(encodeGeometry(plot, LOW_SCALE)).length * 2).toBeLessThan(JSON.stringify(plot.coordinates).length);
  });

  it("decode to Web Mercator zoom-0 pixels as Leaflet projects them", () => {
    expect(project0(0, 0)).toEqual([128, 128]);
    const [x, y] = project0(115.45, 35.25);
    expect(x).toBeCloseTo(256 * (0.5 + 115.45 / 360), 9);
    // Leaflet: y = 0.5 − ln(tan(π/4 + φ/2)) / 2π, times 256
    expect(y).toBeCloseTo(256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + (35.25 * Math.PI) / 360)) / (2 * Math.PI)), 9);
    const payload: MapPayload = { scale: FULL_SCALE, keys: ["PEACH"], colours: ["#dc759e"], cooperatives: [], plots: [[7, 0, -1, 2, 0, encodeGeometry(plot, FULL_SCALE)]], truncated: false };
    const [d] = decodePayload(payload, false);
    expect(d!.rings[0]!.length).toBe(8);
    expect(d!.latLngBox[0]).toBeCloseTo(35.1641901, 6);
    expect(decodePayload(payload, false)).toBe(decodePayload(payload, false));
    // Shown over AMap tiles the plot moves by hundreds of metres, but only on screen.
    expect(decodePayload(payload, true)[0]!.latLngBox[1]).toBeGreaterThan(d!.latLngBox[1] + 0.003);
  });
});

describe("the opening request", () => {
  it("asks for the whole extent with a margin, simplified when the extent is township-wide", () => {
    const town = openingRequest({ townshipId: 13 }, [115.36, 35.29, 115.46, 35.37])!;
    expect(town.low).toBe(true);
    expect(town.url).toMatch(/^\/resources\/plots\/map\?bbox=115\.33\d+%2C35\.26\d+%2C115\.49\d+%2C35\.39\d+&zoom=14&township=13$/);
    expect(town.labelled).toBe(false);
    const one = openingRequest({ villageId: 1 }, [115.4, 35.3, 115.401, 35.3006])!;
    expect(one.low).toBe(false);
    expect(one.labelled).toBe(true);
    // A village of a few kilometres opens at village zoom: simplified shapes, but labelled.
    const village = openingRequest({ villageId: 1 }, [115.342, 35.164, 115.37, 35.175])!;
    expect([village.low, village.labelled]).toEqual([true, true]);
    expect(village.url).toMatch(/&zoom=15&village=1$/);
    expect(openingRequest({ villageId: 1 }, null)).toBeNull();
  });

  it("refuses a malformed box", () => {
    expect(parseBBox("115,35,116,36")).toEqual([115, 35, 116, 36]);
    expect(parseBBox("116,35,115,36")).toBeNull();
    expect(parseBBox("a,b,c,d")).toBeNull();
    expect(parseBBox(null)).toBeNull();
  });
});

describe("labels and overlap texts", () => {
  it("label a plot by a short name, else by its code (a parcel code by group and parcel)", () => {
    expect(plotLabel("A-03", "东坡")).toBe("东坡");
    expect(plotLabel("3717020020010100012", "鲁谢庄12号地(重叠)")).toBe("01-00012");
    expect(plotLabel("A-03", "")).toBe("A-03");
  });

  it("name the other plot only when the user may see it", () => {
    expect(overlapMessage({ code: "A-1", m2: 12 })).toEqual({ key: "plots.flag.overlap", params: { other: "A-1", m2: 12 } });
    expect(overlapMessage({ code: "", m2: 12, otherTownship: true })).toEqual({ key: "plots.flag.overlapOtherTownship", params: { m2: 12 } });
    expect(overlapMessage({ code: "", m2: 12 }).key).toBe("plots.flag.overlapHidden");
  });
});
