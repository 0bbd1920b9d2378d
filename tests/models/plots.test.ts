import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { plotsToGeoJson } from "~/plots/export";
import { parsePlotFile } from "~/plots/import";
import { decodeGeometry, FLAG_DISCREPANCY, FLAG_OVERLAP, type MapPayload } from "~/plots/map-data";
import { parsePlotForm, type RawPlotForm } from "~/plots/plot-form";
import {
  createPlot,
  exportPlots,
  flaggedPlots,
  getPlot,
  mapPlots,
  mapSettings,
  previewImport,
  saveImport,
  searchPlots,
  updatePlot,
} from "~/plots/plots.server";
import { buildWorld, request, type World } from "../factories";
import { extend } from "./access/plots.world";

let world: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;
const fixture = (f: string) => new Uint8Array(fs.readFileSync(`tests/fixtures/plots/${f}`));

beforeAll(async () => {
  world = await buildWorld();
  Object.assign(world.extra, await extend(world));
  for (const who of Object.keys(world.users) as (keyof typeof users)[]) users[who] = (await getUser(request("/", { cookie: world.users[who].cookie })))!;
});

const square = (lon: number, lat: number, d = 0.001) => JSON.stringify({ type: "Polygon", coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const form = (over: RawPlotForm = {}): RawPlotForm => ({ code: "T-1", crop: "PEAR", variety: "酥梨", status: "BEARING", plantingYear: "2018", trees: "400", geometry: square(115.41, 35.33), ...over });
const parse = (raw: RawPlotForm) => {
  const r = parsePlotForm(raw, 2026);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const everywhere = { bbox: [73, 18, 135, 54] as [number, number, number, number], zoom: 17 };
const ids = (p: MapPayload) => p.plots.map((r) => r[0]).sort((a, b) => a - b);

describe("the plot form", () => {
  it("names every problem next to its field", () => {
    const r = parsePlotForm({ code: "", crop: "APPLE", plantingYear: "1890", trees: "many", declaredMu: "3.456", parcelCodes: "123", geometry: "{" }, 2026);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.key]))).toEqual({
      code: "plots.field.code.required",
      crop: "plots.field.crop.required",
      plantingYear: "plots.field.plantingYear.invalid",
      trees: "plots.field.trees.invalid",
      declaredMu: "plots.field.declaredMu.precision",
      parcelCodes: "plots.field.parcelCodes.invalid",
      geometry: "plots.geometry.notPolygon",
    });
  });

  it("refuses a self-intersecting drawing under the geometry field", () => {
    const bowtie = JSON.stringify({ type: "Polygon", coordinates: [[[115.34, 35.16], [115.341, 35.161], [115.341, 35.16], [115.34, 35.161], [115.34, 35.16]]] });
    const r = parsePlotForm(form({ geometry: bowtie }), 2026);
    expect(!r.ok && r.errors.geometry?.key).toBe("plots.geometry.selfIntersection");
  });
});

describe("saving plots", () => {
  it("creates a plot with its area, simplified shape, box and audit record", async () => {
    const saved = await createPlot(users.secretary, world.v1.id, parse(form({ code: "T-create", householdId: String(world.h1.id), declaredMu: "22.00" })));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const p = await prisma.orchardPlot.findUniqueOrThrow({ where: { id: saved.id } });
    expect(p.areaMu).toMatch(/^\d+\.\d\d$/);
    expect(p.areaMu).toBe("15.13"); // 0.001° × 0.001° at 35.33°N: 111.2 m × 90.8 m
    expect(JSON.parse(p.geometryLow!).type).toBe("Polygon");
    expect([p.minLon, p.minLat]).toEqual([115.41, 35.33]);
    const audit = await prisma.auditEvent.findFirst({ where: { entity: "OrchardPlot", entityId: String(saved.id) } });
    expect(audit?.action).toBe("create");
    expect(audit?.after).not.toContain("coordinates");
    const detail = await getPlot(users.secretary, saved.id);
    // (15.13 − 22) / 22
    expect(detail?.discrepancy).toEqual({ percent: "-31.2", flagged: true });
    expect(detail?.household?.headName).toBe("谢建国");
  });

  it("refuses a code already used in the village, links outside it and unknown parcels; saves nothing", async () => {
    const before = await prisma.orchardPlot.count();
    const r = await createPlot(
      users.secretary,
      world.v1.id,
      parse(form({ code: "V1-001", householdId: String(world.h2.id), cooperativeId: String(world.c2.id), parcelCodes: "3717021020010100099", geometry: square(115.42, 35.33) })),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.key]))).toEqual({
      code: "plots.field.code.duplicate",
      householdId: "plots.field.link.invalid",
      cooperativeId: "plots.field.link.invalid",
      parcelCodes: "plots.field.parcelCodes.unknown",
    });
    expect(await prisma.orchardPlot.count()).toBe(before);
  });

  it("takes the contract area from the linked contracted plots when none is typed", async () => {
    const parcel = await prisma.contractedPlot.create({
      data: { townshipId: world.t1.id, villageId: world.v1.id, groupId: world.v1.groups[0]!.id, householdId: world.h1.id, parcelCode: "3717021020010100777", name: "东地", contractArea: "15.10", contractEnd: "2057-12-31" },
    });
    const saved = await createPlot(users.secretary, world.v1.id, parse(form({ code: "T-parcel", parcelCodes: parcel.parcelCode, geometry: square(115.43, 35.33) })));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const detail = await getPlot(users.secretary, saved.id);
    expect(detail?.declaredMu).toBe("15.10");
    expect(detail?.parcels.map((p) => p.parcelCode)).toEqual([parcel.parcelCode]);
    expect(detail?.discrepancy?.flagged).toBe(false);
  });

  it("lets an accountant keep plots of the villages the cooperative serves, and no others", async () => {
    const saved = await createPlot(users.accountant, world.v1.id, parse(form({ code: "T-acct", cooperativeId: String(world.c1.id), geometry: square(115.44, 35.33) })));
    expect(saved.ok).toBe(true);
    await expect(createPlot(users.accountant, world.v2.id, parse(form({ code: "T-acct2" })))).rejects.toMatchObject({ status: 404 });
    await expect(createPlot(users.township, world.v1.id, parse(form({ code: "T-town" })))).rejects.toMatchObject({ status: 403 });
  });

  it("answers 404 to an edit of another village's plot", async () => {
    await expect(updatePlot(users.secretary2, world.extra.plotV1!, parse(form({ code: "X" })))).rejects.toMatchObject({ status: 404 });
    expect(await getPlot(users.secretary2, world.extra.plotV1!)).toBeNull();
  });
});

describe("overlaps and discrepancies", () => {
  it("flags both plots of an overlapping pair, and clears the flag when one is moved", async () => {
    const a = await createPlot(users.secretary, world.v1.id, parse(form({ code: "T-ov-a", geometry: square(115.45, 35.33) })));
    const b = await createPlot(users.secretary, world.v1.id, parse(form({ code: "T-ov-b", geometry: square(115.4505, 35.3305) })));
    if (!a.ok || !b.ok) throw new Error("not saved");
    let flagged = await flaggedPlots(users.secretary.scope, { villageId: world.v1.id });
    const overlapOf = (id: number) => flagged.find((f) => f.id === id)?.overlaps.map((o) => o.code);
    expect(overlapOf(a.id)).toEqual(["T-ov-b"]);
    expect(overlapOf(b.id)).toEqual(["T-ov-a"]);
    const map = await mapPlots(users.secretary.scope, { ...everywhere, villageId: world.v1.id });
    expect(map.plots.find((r) => r[0] === a.id)![4] & FLAG_OVERLAP).toBeTruthy();

    await updatePlot(users.secretary, b.id, parse(form({ code: "T-ov-b", geometry: square(115.46, 35.33) })));
    flagged = await flaggedPlots(users.secretary.scope, { villageId: world.v1.id });
    expect(overlapOf(a.id)).toBeUndefined();
  });

  it("flags a plot whose measured area is more than 5% off the contract area", async () => {
    const d = await createPlot(users.secretary, world.v1.id, parse(form({ code: "T-disc", declaredMu: "16.50", geometry: square(115.47, 35.33) })));
    if (!d.ok) throw new Error("not saved");
    const flagged = await flaggedPlots(users.township.scope);
    expect(flagged.find((f) => f.id === d.id)?.discrepancy).toMatch(/^-\d+\.\d$/);
    const map = await mapPlots(users.township.scope, { ...everywhere, townshipId: world.t1.id });
    expect(map.plots.find((r) => r[0] === d.id)![4] & FLAG_DISCREPANCY).toBeTruthy();
  });
});

describe("the map's data", () => {
  it("carries only the plots inside the user's scope", async () => {
    const v1 = (await prisma.orchardPlot.findMany({ where: { villageId: world.v1.id }, select: { id: true } })).map((p) => p.id);
    expect(ids(await mapPlots(users.secretary2.scope, everywhere))).toEqual([world.extra.plotV2]);
    // Asking for another village does not widen the scope.
    expect(ids(await mapPlots(users.secretary2.scope, { ...everywhere, villageId: world.v1.id }))).toEqual([]);
    expect(ids(await mapPlots(users.accountant.scope, everywhere))).toEqual(v1.sort((a, b) => a - b));
    const township = ids(await mapPlots(users.township.scope, everywhere));
    expect(township).toContain(world.extra.plotV2);
    expect(township).not.toContain(world.extra.plotV3);
    expect(ids(await mapPlots(users.admin.scope, everywhere))).toContain(world.extra.plotV3);
  });

  it("sends only the plots of the visible area, simplified at low zoom and decodable to the stored shape", async () => {
    const near = await mapPlots(users.admin.scope, { bbox: [115.52, 35.36, 115.54, 35.38], zoom: 17 });
    expect(ids(near)).toEqual([world.extra.plotV3]);
    const stored = JSON.parse((await prisma.orchardPlot.findUniqueOrThrow({ where: { id: world.extra.plotV3! } })).geometry);
    expect(decodeGeometry(near.plots[0]![5], near.scale)[0]).toEqual(stored.coordinates);
    const low = await mapPlots(users.admin.scope, { bbox: [115.52, 35.36, 115.54, 35.38], zoom: 12 });
    expect(low.scale).toBe(1e5);
    expect(JSON.stringify(low).length).toBeLessThan(JSON.stringify(near).length);
  });

  it("finds plots by code or household head, inside the scope only", async () => {
    expect((await searchPlots(users.secretary.scope, "谢建国", {})).map((r) => r.code)).toContain("V1-001");
    expect(await searchPlots(users.secretary2.scope, "谢建国", {})).toEqual([]);
    expect((await searchPlots(users.township.scope, "V2-", {})).map((r) => r.code)).toEqual(["V2-001"]);
    expect(await searchPlots(users.township.scope, "V3-", {})).toEqual([]);
  });

  it("matches % and _ literally, never as wildcards", async () => {
    // before: "%" matched every plot and "V_-" matched V1- and V2-
    expect(await searchPlots(users.township.scope, "%", {})).toEqual([]);
    expect(await searchPlots(users.township.scope, "V_-", {})).toEqual([]);
    expect(await searchPlots(users.township.scope, "V%1", {})).toEqual([]);
    expect((await searchPlots(users.township.scope, "V2-", {})).map((r) => r.code)).toEqual(["V2-001"]);
  });

  it("offers no base layer unless configured; Tianditu (the default then) only with a key, never OpenStreetMap by default", () => {
    expect(mapSettings({})).toMatchObject({ defaultBase: "none", available: ["none"] });
    expect(mapSettings({ TIANDITU_KEY: "k" })).toMatchObject({ defaultBase: "tianditu", available: ["none", "tianditu", "tianditu-img"], tiandituKey: "k" });
    expect(mapSettings({ TIANDITU_KEY: "k" }).tiandituApprovalNo).toMatch(/^GS/);
    expect(mapSettings({ TIANDITU_KEY: "k", TIANDITU_APPROVAL_NO: "GS(2099)1号" }).tiandituApprovalNo).toBe("GS(2099)1号");
    expect(mapSettings({ TIANDITU_KEY: "k", MAP_BASE_LAYER: "tianditu-img" }).defaultBase).toBe("tianditu-img");
    // A tile server of one's own and AMap are further choices, never the opening one unless asked for.
    expect(mapSettings({ MAP_OSM_URL: "http://tiles.local/{z}/{x}/{y}.png", MAP_AMAP: "1" })).toMatchObject({ defaultBase: "none", available: ["none", "osm", "amap"] });
    expect(mapSettings({ MAP_BASE_LAYER: "osm" }).defaultBase).toBe("none");
    expect(mapSettings({ MAP_BASE_LAYER: "tianditu" }).defaultBase).toBe("none");
  });
});

describe("import into a village", () => {
  it("previews the sample village with its warnings and saves nothing", async () => {
    const before = await prisma.orchardPlot.count();
    const r = await previewImport(users.secretary, world.v1.id, "luxiezhuang.kml", fixture("luxiezhuang.kml"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.preview.features).toHaveLength(12);
    expect(r.preview.features.filter((f) => f.errors.length)).toEqual([]);
    expect(await prisma.orchardPlot.count()).toBe(before);
  });

  it("gives a clear message for a broken file and saves nothing", async () => {
    const before = await prisma.orchardPlot.count();
    for (const [file, key] of [
      ["broken/corrupt.zip", "plots.import.corruptZip"],
      ["broken/empty.geojson", "plots.import.empty"],
      ["broken/xian80-shp.zip", "plots.import.datumUnsupported"],
    ] as const) {
      const r = await previewImport(users.secretary, world.v1.id, file, fixture(file));
      expect(r.ok ? null : r.error.key).toBe(key);
    }
    expect(await prisma.orchardPlot.count()).toBe(before);
  });

  it("saves all or none: one self-intersecting feature keeps the whole file out unless the user saves only the valid ones", async () => {
    const good = await parsePlotFile("g.geojson", fixture("luxiezhuang.geojson"), { currentYear: 2026 });
    const bad = await parsePlotFile("b.geojson", fixture("broken/self-intersecting.geojson"), { currentYear: 2026 });
    if (!good.ok || !bad.ok) throw new Error("fixtures");
    const features = [...good.features.slice(0, 3), ...bad.features];
    const before = await prisma.orchardPlot.count();
    const all = await saveImport(users.secretary2, world.v2.id, features, "all", "mixed.geojson");
    expect(all).toMatchObject({ ok: false, error: { key: "plots.import.someInvalid", params: { count: 1 } } });
    expect(await prisma.orchardPlot.count()).toBe(before);

    const valid = await saveImport(users.secretary2, world.v2.id, features, "valid", "mixed.geojson");
    expect(valid).toEqual({ ok: true, saved: 3, skipped: 1 });
    expect(await prisma.orchardPlot.count()).toBe(before + 3);
    const saved = await prisma.orchardPlot.findFirstOrThrow({ where: { villageId: world.v2.id, code: "3717020020010100003" } });
    expect(saved).toMatchObject({ crop: "HAWTHORN", areaMu: "7.98", declaredMu: "8.70", plantingYear: 2017, trees: 239 });
    expect(await prisma.auditEvent.count({ where: { entity: "OrchardPlotImport", villageId: world.v2.id } })).toBe(1);

    // The same file again: its codes are taken, so the preview marks them and a save changes nothing.
    const again = await previewImport(users.secretary2, world.v2.id, "g.geojson", fixture("luxiezhuang.geojson"));
    if (!again.ok) throw new Error("preview");
    expect(again.preview.features[0]!.errors.map((e) => e.key)).toEqual(["plots.field.code.duplicate"]);
    expect(again.preview.features[0]!.warnings.map((w) => w.key)).toContain("plots.warn.overlapExisting");
    const twice = await saveImport(users.secretary2, world.v2.id, good.features, "all", "g.geojson");
    expect(twice).toMatchObject({ ok: false, error: { key: "plots.import.codesTaken" } });
    expect(await prisma.orchardPlot.count()).toBe(before + 3);
  });

  it("re-checks what the browser sends back: a forged area or geometry counts for nothing", async () => {
    const forged = [{ fields: { code: "F-1", crop: "PEACH", status: "PLANTED" }, geometry: { type: "Polygon", coordinates: [[[1, 1], [2, 2], [1, 1]]] }, errors: [] }];
    expect(await saveImport(users.secretary2, world.v2.id, forged, "valid", "forged.json")).toMatchObject({ ok: false, error: { key: "plots.import.nothingValid" } });
  });

  it("refuses an import into another village", async () => {
    await expect(previewImport(users.secretary2, world.v1.id, "x.kml", fixture("luxiezhuang.kml"))).rejects.toMatchObject({ status: 404 });
    await expect(saveImport(users.township, world.v1.id, [], "all", "x")).rejects.toMatchObject({ status: 403 });
  });
});

describe("export", () => {
  it("exports the village's plots, and an export imports back with the same areas", async () => {
    const plots = await exportPlots(users.secretary2.scope, world.v2.id);
    expect(plots.map((p) => p.code)).toContain("3717020020010100003");
    const back = await parsePlotFile("v2.geojson", new TextEncoder().encode(plotsToGeoJson(plots, { name: "刘庄村" })), { currentYear: 2026 });
    if (!back.ok) throw new Error("export unreadable");
    expect(back.features.map((f) => f.areaMu)).toEqual(plots.map((p) => p.areaMu));
    expect(await exportPlots(users.secretary.scope, world.v2.id)).toEqual([]);
  });
});
