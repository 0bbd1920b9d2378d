import fs from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { cropColour } from "~/plots/colours";
import { FLAG_OVERLAP } from "~/plots/map-data";
import { parsePlotForm, type RawPlotForm } from "~/plots/plot-form";
import { createPlot, flaggedPlots, getPlot, mapPlots, previewImport, removePlot, saveImport } from "~/plots/plots.server";
import { createLayer, deleteLayer, layersForMap, listLayers } from "~/plots/reference-layers.server";
import { ensureVarieties } from "~/plots/varieties.server";
import { buildWorld, request, type World } from "../factories";
import { extend, plotData } from "./access/plots.world";

let world: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;
const fixture = (f: string) => new Uint8Array(fs.readFileSync(`tests/fixtures/plots/${f}`));
const square = (lon: number, lat: number, d = 0.001) => JSON.stringify({ type: "Polygon", coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const parse = (raw: RawPlotForm) => {
  const r = parsePlotForm(raw, 2026);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const everywhere = { bbox: [73, 18, 135, 54] as [number, number, number, number] };

beforeAll(async () => {
  world = await buildWorld();
  Object.assign(world.extra, await extend(world));
  for (const who of Object.keys(world.users) as (keyof typeof users)[]) users[who] = (await getUser(request("/", { cookie: world.users[who].cookie })))!;
});

describe("stored variety colours", () => {
  it("gives a variety its colour when its first plot is saved, the next unused shade of its crop", async () => {
    const a = await createPlot(users.secretary, world.v1.id, parse({ code: "C-1", crop: "PEACH", variety: "霞晖", geometry: square(115.3, 35.2) }));
    const b = await createPlot(users.secretary, world.v1.id, parse({ code: "C-2", crop: "PEACH", variety: "春雪", geometry: square(115.302, 35.2) }));
    expect(a.ok && b.ok).toBe(true);
    const rows = await prisma.cropVariety.findMany({ where: { crop: "PEACH", name: { in: ["霞晖", "春雪"] } } });
    expect(new Set(rows.map((r) => r.colour)).size).toBe(2);
    expect(rows.map((r) => r.colour)).not.toContain(cropColour("PEACH"));
    // The map colours each key with the stored colour.
    const payload = await mapPlots(users.secretary.scope, { ...everywhere, zoom: 17 });
    const stored = new Map(rows.map((r) => [`PEACH|${r.name}`, r.colour]));
    payload.keys.forEach((k, i) => {
      if (stored.has(k)) expect(payload.colours[i]).toBe(stored.get(k));
    });
  });

  it("property: over random sequences of varieties added, no colour ever changes and a crop's first 7 differ", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom("PEAR", "GRAPE", "NURSERY"), fc.constantFrom("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬")), { minLength: 1, maxLength: 8 }), async (adds) => {
        await prisma.cropVariety.deleteMany({ where: { crop: { in: ["PEAR", "GRAPE", "NURSERY"] } } });
        const seen = new Map<string, string>();
        for (const [crop, variety] of adds) {
          await prisma.$transaction((tx) => ensureVarieties(tx, [{ crop, variety }]));
          const all = await prisma.cropVariety.findMany({ where: { crop: { in: ["PEAR", "GRAPE", "NURSERY"] } } });
          for (const r of all) {
            const key = `${r.crop}|${r.name}`;
            if (seen.has(key)) expect(r.colour, key).toBe(seen.get(key));
            seen.set(key, r.colour);
          }
        }
        for (const crop of ["PEAR", "GRAPE", "NURSERY"]) {
          const colours = [...seen.entries()].filter(([k]) => k.startsWith(`${crop}|`)).map(([, c]) => c);
          expect(new Set(colours).size).toBe(colours.length);
        }
      }),
      { numRuns: 12 },
    );
  });

  it("colours an imported file's new varieties in the import's own transaction, once each", async () => {
    const parsed = await previewImport(users.secretary2, world.v2.id, "luxiezhuang.geojson", fixture("luxiezhuang.geojson"));
    if (!parsed.ok) throw new Error(parsed.error.key);
    const saved = await saveImport(users.secretary2, world.v2.id, parsed.preview.features, "valid", "luxiezhuang.geojson");
    expect(saved.ok).toBe(true);
    const varieties = [...new Set(parsed.preview.features.filter((f) => f.fields.variety).map((f) => `${f.fields.crop}|${f.fields.variety}`))];
    const rows = await prisma.cropVariety.findMany();
    for (const v of varieties) expect(rows.filter((r) => `${r.crop}|${r.name}` === v), v).toHaveLength(1);
  });
});

describe("labels", () => {
  it("come with the plots from village zoom on, and never at township zoom", async () => {
    const village = await mapPlots(users.secretary.scope, { ...everywhere, zoom: 15, villageId: world.v1.id });
    expect(village.labels).toHaveLength(village.plots.length);
    expect(village.labels).toContain("C-1");
    const township = await mapPlots(users.secretary.scope, { ...everywhere, zoom: 13 });
    expect(township.labels).toBeUndefined();
  });
});

describe("where an import lies", () => {
  it("warns of a plot moved 17 km: far from the village's plots and outside the township", async () => {
    const sample = await previewImport(users.secretary, world.v1.id, "luxiezhuang.geojson", fixture("luxiezhuang.geojson"));
    if (!sample.ok) throw new Error(sample.error.key);
    expect(await saveImport(users.secretary, world.v1.id, sample.preview.features, "valid", "luxiezhuang.geojson")).toMatchObject({ ok: true });
    const r = await previewImport(users.secretary, world.v1.id, "far-away.geojson", fixture("far-away.geojson"));
    if (!r.ok) throw new Error(r.error.key);
    const [near, far] = r.preview.features;
    expect(near!.warnings).toEqual([]);
    expect(far!.warnings.map((w) => w.key)).toEqual(["plots.warn.farFromVillage", "plots.warn.outsideTownshipExtent"]);
    expect(Number(far!.warnings[0]!.params!.km)).toBeGreaterThan(15);
    expect(r.preview.villageExtent).not.toBeNull();
  });

  it("judges the township by its boundary layer once an administrator loads one", async () => {
    const layer = await createLayer(users.admin, { name: "小留镇界（样例）", kind: "BOUNDARY", townshipId: world.t1.id, fileName: "township-boundary.geojson", bytes: fixture("township-boundary.geojson") });
    expect(layer).toMatchObject({ ok: true, featureCount: 2 });
    const r = await previewImport(users.secretary, world.v1.id, "far-away.geojson", fixture("far-away.geojson"));
    if (!r.ok) throw new Error(r.error.key);
    expect(r.preview.features[1]!.warnings.map((w) => w.key)).toEqual(["plots.warn.farFromVillage", "plots.warn.outsideTownshipBoundary"]);
    expect(r.preview.features[0]!.warnings).toEqual([]);
  });
});

describe("overlaps across township borders", () => {
  it("flags a plot laid exactly on a neighbouring township's plot, without naming it to those who may not see it (regression: only one township was checked)", async () => {
    // V3-001 lies in T2 at (115.53, 35.37); a copy of it is drawn in V1, in T1.
    const copy = await createPlot(users.secretary, world.v1.id, parse({ code: "COPY-V3", crop: "PEACH", geometry: JSON.stringify(JSON.parse(plotData(world.v3, "x", 115.53, 35.37).geometry)) }));
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    const flagged = await flaggedPlots(users.township.scope, { townshipId: world.t1.id });
    const row = flagged.find((f) => f.id === copy.id)!;
    expect(row.overlaps).toEqual([{ id: world.extra.plotV3, code: "", m2: expect.any(Number), otherTownship: true }]);
    expect(row.overlaps[0]!.m2).toBeGreaterThan(5000);
    // The other township sees its own plot flagged too.
    const admin = await flaggedPlots(users.admin.scope, { townshipId: world.t2.id });
    expect(admin.find((f) => f.id === world.extra.plotV3)!.overlaps.map((o) => o.code)).toEqual(["COPY-V3"]);
    // On the map and in the popup: flagged, the other plot unnamed.
    const payload = await mapPlots(users.secretary.scope, { ...everywhere, zoom: 17, villageId: world.v1.id });
    expect(payload.plots.find((r) => r[0] === copy.id)![4] & FLAG_OVERLAP).toBe(FLAG_OVERLAP);
    const detail = await getPlot(users.secretary, copy.id);
    expect(detail!.overlaps).toEqual([{ id: null, code: "", m2: expect.any(Number), otherTownship: true }]);
    expect(JSON.stringify(detail)).not.toContain("V3-001");
  });

  it("warns of the same in an import preview, naming only what the user may see", async () => {
    const v3 = JSON.parse(plotData(world.v3, "x", 115.53, 35.37).geometry);
    const file = { type: "FeatureCollection", features: [{ type: "Feature", geometry: v3, properties: { code: "ON-V3", crop: "桃" } }] };
    const r = await previewImport(users.secretary2, world.v2.id, "on-v3.geojson", new TextEncoder().encode(JSON.stringify(file)));
    if (!r.ok) throw new Error(r.error.key);
    const warnings = r.preview.features[0]!.warnings;
    // It overlaps V3-001 (another township) and COPY-V3 (V1, another village of this township the secretary of V2 may not see).
    expect(warnings.map((w) => w.key)).toEqual(expect.arrayContaining(["plots.warn.overlapHidden", "plots.warn.overlapOtherTownship"]));
    expect(warnings.filter((w) => w.key.startsWith("plots.warn.overlap"))).toHaveLength(2);
    expect(JSON.stringify(warnings)).not.toMatch(/V3-001|COPY-V3|郭守田/);
  });

  it("leaves a removed plot out of the checks, after a confirmed removal with its reason in the trail", async () => {
    const copy = await prisma.orchardPlot.findFirstOrThrow({ where: { code: "COPY-V3" } });
    await removePlot(users.secretary, copy.id, "画错了");
    const flagged = await flaggedPlots(users.admin.scope, { townshipId: world.t2.id });
    expect(flagged.find((f) => f.id === world.extra.plotV3)).toBeUndefined();
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "OrchardPlot", entityId: String(copy.id) }, orderBy: { id: "desc" } });
    expect(JSON.parse(event.after as string)).toMatchObject({ status: "REMOVED", reason: "画错了" });
    await expect(removePlot(users.secretary2, copy.id, "x")).rejects.toMatchObject({ status: 404 });
  });
});

describe("reference layers", () => {
  it("are read by the map users of their township, with the district's, and by no one else", async () => {
    const district = await createLayer(users.admin, { name: "全区道路", kind: "ROAD", townshipId: null, fileName: "roads.geojson", bytes: fixture("township-boundary.geojson") });
    expect(district.ok).toBe(true);
    const names = async (u: CurrentUser, f: { townshipId?: number; villageId?: number }) => (await layersForMap(u.scope, f)).map((l) => l.name).sort();
    expect(await names(users.secretary, { villageId: world.v1.id })).toEqual(["全区道路", "小留镇界（样例）"]);
    expect(await names(users.township, { townshipId: world.t1.id })).toEqual(["全区道路", "小留镇界（样例）"]);
    expect(await names(users.township, { townshipId: world.t2.id })).toEqual([]);
    expect(await names(users.admin, { townshipId: world.t2.id })).toEqual(["全区道路"]);
    expect((await layersForMap(users.secretary.scope, { villageId: world.v1.id }))[0]!.collection.type).toBe("FeatureCollection");
  });

  it("refuse a broken file or a missing name with field errors, and a non-administrator outright", async () => {
    expect(await createLayer(users.admin, { name: "", kind: "X", townshipId: world.t1.id, fileName: "t.geojson", bytes: fixture("broken/truncated.geojson") })).toEqual({
      ok: false,
      errors: { name: { key: "plots.layers.nameRequired" }, kind: { key: "plots.layers.kindRequired" } },
    });
    expect(await createLayer(users.admin, { name: "x", kind: "OTHER", townshipId: world.t1.id, fileName: "t.geojson", bytes: fixture("broken/truncated.geojson") })).toEqual({
      ok: false,
      errors: { file: { key: "plots.import.truncatedJson" } },
    });
    await expect(createLayer(users.township, { name: "x", kind: "OTHER", townshipId: world.t1.id, fileName: "b.geojson", bytes: fixture("township-boundary.geojson") })).rejects.toMatchObject({ status: 403 });
  });

  it("are deleted with a reason kept in the audit trail", async () => {
    const before = await listLayers(users.admin.scope);
    const road = before.find((l) => l.name === "全区道路")!;
    expect(road.townshipName).toBeNull();
    await expect(deleteLayer(users.secretary, road.id, "x")).rejects.toMatchObject({ status: 403 });
    expect(await deleteLayer(users.admin, road.id, "重复上传")).toEqual({ name: "全区道路" });
    expect((await listLayers(users.admin.scope)).map((l) => l.id)).not.toContain(road.id);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "ReferenceLayer", entityId: String(road.id), action: "delete" } });
    expect(JSON.parse(event.after as string)).toEqual({ reason: "重复上传" });
  });
});

describe("parcel codes in an import", () => {
  it("refuses a code that is not a contracted plot of the village, as the plot form does", async () => {
    const code = "3717021020010100999";
    const form = await createPlot(users.secretary, world.v1.id, parse({ code: "PC-1", crop: "PEAR", parcelCodes: code, geometry: square(115.31, 35.21) }));
    expect(form).toEqual({ ok: false, errors: { parcelCodes: { key: "plots.field.parcelCodes.unknown", params: { code } } } });
    const file = { type: "FeatureCollection", features: [{ type: "Feature", geometry: JSON.parse(square(115.31, 35.21)), properties: { code: "PC-1", crop: "梨", 承包地块编码: code } }] };
    const r = await previewImport(users.secretary, world.v1.id, "pc.geojson", new TextEncoder().encode(JSON.stringify(file)));
    if (!r.ok) throw new Error(r.error.key);
    expect(r.preview.features[0]!.errors).toEqual([{ key: "plots.field.parcelCodes.unknown", params: { code } }]);
    // A save of what the browser sends back checks again.
    const forged = [{ ...r.preview.features[0]!, errors: [] }];
    expect(await saveImport(users.secretary, world.v1.id, forged, "all", "pc.geojson")).toMatchObject({ ok: false, error: { key: "plots.field.parcelCodes.unknown" } });
  });
});
