import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { Polygon } from "geojson";
import { distanceM } from "./geometry";
import { plotsToGeoJson, plotsToKml, type ExportPlot } from "./export";
import fc from "fast-check";
import { zhCN } from "./messages";
import { decodeXmlEntities, jsonError, parsePlotFile, transformFromPrj, type ImportResult } from "./import";
import { cropFromText, parsePlotForm } from "./plot-form";

const dir = "tests/fixtures/plots";
const read = (f: string) => new Uint8Array(fs.readFileSync(`${dir}/${f}`));
const parse = (f: string) => parsePlotFile(f, read(f), { currentYear: 2026 });
const reference = JSON.parse(fs.readFileSync(`${dir}/luxiezhuang.geojson`, "utf8")) as {
  features: { geometry: Polygon; properties: { code: string; name: string; planted: number; trees: number; declared_mu: number; ref_area_mu: number } }[];
};

function expectSampleVillage(r: ImportResult) {
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.features).toHaveLength(12);
  r.features.forEach((f, i) => {
    const ref = reference.features[i]!;
    expect(f.errors, f.fields.code).toEqual([]);
    expect(f.fields.code).toBe(ref.properties.code);
    expect(f.fields.name).toBe(ref.properties.name);
    expect(f.fields.plantingYear).toBe(ref.properties.planted);
    expect(f.fields.trees).toBe(ref.properties.trees);
    expect(f.fields.declaredMu).toBe(ref.properties.declared_mu.toFixed(2));
    expect(Math.abs(Number(f.areaMu) - ref.properties.ref_area_mu)).toBeLessThanOrEqual(0.011);
    // Every vertex lands within a few centimetres of the WGS-84 original.
    const got = f.geometry!.type === "Polygon" ? f.geometry!.coordinates[0]! : f.geometry!.coordinates[0]![0]!;
    const want = ref.geometry.type === "Polygon" ? ref.geometry.coordinates[0]! : (ref.geometry as unknown as { coordinates: number[][][][] }).coordinates[0]![0]!;
    expect(distanceM(got[0] as [number, number], want[0] as [number, number])).toBeLessThan(0.05);
  });
  expect(r.features.map((f) => f.fields.crop).slice(0, 4)).toEqual(["PEACH", "PEAR", "HAWTHORN", "CRABAPPLE"]);
  expect(r.features[10]!.geometry!.type).toBe("MultiPolygon");
  // Plot 12 overlaps plot 1; plot 3's contract area is 9% above its measured area.
  const warned = r.features.filter((f) => f.warnings.length).map((f) => [f.index, f.warnings.map((w) => w.key)]);
  expect(warned).toEqual([
    [1, ["plots.warn.overlap"]],
    [3, ["plots.warn.discrepancy"]],
    [12, ["plots.warn.overlap"]],
  ]);
  expect(r.features[0]!.warnings[0]!.params).toMatchObject({ other: "3717020020010100012" });
  expect(Number(r.features[0]!.warnings[0]!.params!.m2)).toBeGreaterThan(450);
}

describe("import of real files", () => {
  it("reads GeoJSON", async () => {
    const r = await parse("luxiezhuang.geojson");
    expectSampleVillage(r);
    expect(r.ok && r.format).toBe("geojson");
  });

  it("reads a KML with several placemarks, attributes in ExtendedData and a MultiGeometry", async () => {
    const r = await parse("luxiezhuang.kml");
    expectSampleVillage(r);
    expect(r.ok && r.format).toBe("kml");
  });

  it("reads a WGS-84 shapefile zip made by GDAL", async () => {
    const r = await parse("luxiezhuang-wgs84-shp.zip");
    expectSampleVillage(r);
    expect(r.ok && r.format).toBe("shapefile");
    expect(r.ok && r.crs).toEqual({ key: "plots.import.crs.geographic", params: { name: "GCS_WGS_1984" } });
  });

  it("converts a CGCS2000 3-degree Gauss-Krüger zone 38 shapefile (EPSG:4526) to WGS-84", async () => {
    const r = await parse("luxiezhuang-cgcs2000-gk38-shp.zip");
    expectSampleVillage(r);
    expect(r.ok && r.crs).toEqual({ key: "plots.import.crs.projected", params: { name: "CGCS2000_3_Degree_GK_Zone_38" } });
  });

  it("converts a GeoJSON whose crs names EPSG:4526", async () => {
    expectSampleVillage(await parse("luxiezhuang-gk38.geojson"));
  });

  it("reads a KMZ (a zip holding a KML)", async () => {
    const JSZip = (await import("jszip")).default;
    const zip = new JSZip();
    zip.file("doc.kml", read("luxiezhuang.kml"));
    const bytes = await zip.generateAsync({ type: "uint8array" });
    const r = await parsePlotFile("plots.kmz", bytes, { currentYear: 2026 });
    expectSampleVillage(r);
    expect(r.ok && r.format).toBe("kmz");
  });
});

describe("import of broken files: a clear message, nothing half-read", () => {
  const fileError = async (f: string) => {
    const r = await parse(f);
    return r.ok ? null : r.error.key;
  };

  it.each([
    ["broken/empty.geojson", "plots.import.empty"],
    // Both are cut off: the user hears that, in Chinese, never the parser's "Unexpected end of JSON input".
    ["broken/not-geojson.geojson", "plots.import.truncatedJson"],
    ["broken/truncated.geojson", "plots.import.truncatedJson"],
    ["broken/corrupt.zip", "plots.import.corruptZip"],
    ["broken/no-shp.zip", "plots.import.noShp"],
    ["broken/no-prj-shp.zip", "plots.import.noPrj"],
    ["broken/xian80-shp.zip", "plots.import.datumUnsupported"],
    ["broken/unknown-projection-shp.zip", "plots.import.projectionUnsupported"],
    ["broken/epsg2383.geojson", "plots.import.crsUnsupported"],
    ["broken/truncated.kml", "plots.import.badXml"],
  ])("%s → %s", async (file, key) => {
    expect(await fileError(file)).toBe(key);
  });

  it.each([
    ["broken/self-intersecting.geojson", "plots.geometry.selfIntersection"],
    ["broken/two-points.geojson", "plots.geometry.tooFewPoints"],
    ["broken/lat-lon-swapped.geojson", "plots.geometry.swapped"],
  ])("%s: the feature carries %s", async (file, key) => {
    const r = await parse(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.features).toHaveLength(1);
    expect(r.features[0]!.errors.map((e) => e.key)).toEqual([key]);
    expect(r.features[0]!.geometry).toBeNull();
  });

  it("refuses a file of an unknown kind and one with no features", async () => {
    const r = await parsePlotFile("plots.txt", new TextEncoder().encode("code,area\n1,2\n"), { currentYear: 2026 });
    expect(r.ok ? null : r.error.key).toBe("plots.import.unknownFormat");
    const none = await parsePlotFile("x.geojson", new TextEncoder().encode('{"type":"FeatureCollection","features":[]}'), { currentYear: 2026 });
    expect(none.ok ? null : none.error.key).toBe("plots.import.noFeatures");
  });

  it("lists field problems and duplicate codes per feature", async () => {
    const ring = [[115.4, 35.3], [115.401, 35.3], [115.401, 35.301], [115.4, 35.301], [115.4, 35.3]];
    const doc = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: { code: "A1", crop: "黄桃", planted: 1800, trees: -3, declared_mu: "1.234" }, geometry: { type: "Polygon", coordinates: [ring] } },
        { type: "Feature", properties: { code: "A1", crop: "苹果" }, geometry: null },
      ],
    };
    const r = await parsePlotFile("x.json", new TextEncoder().encode(JSON.stringify(doc)), { currentYear: 2026 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.features[0]!.fields).toMatchObject({ crop: "PEACH", variety: "黄桃" });
    expect(r.features[0]!.errors.map((e) => e.key)).toEqual(["plots.field.plantingYear.invalid", "plots.field.trees.invalid", "plots.field.declaredMu.precision"]);
    expect(r.features[1]!.errors.map((e) => e.key)).toEqual(["plots.import.duplicateCode", "plots.import.noGeometry"]);
    expect(r.features[1]!.warnings.map((e) => e.key)).toEqual(["plots.warn.cropUnknown"]);
  });
});

describe("coordinate systems from .prj", () => {
  it("accepts WGS-84 and CGCS2000, refuses Beijing 1954 and Xi'an 1980", () => {
    expect(transformFromPrj('GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]]').ok).toBe(true);
    const beijing = transformFromPrj('GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]');
    expect(beijing.ok ? null : beijing.error.key).toBe("plots.import.datumUnsupported");
    const junk = transformFromPrj("not a prj");
    expect(junk.ok ? null : junk.error.key).toBe("plots.import.projectionUnsupported");
  });
});

describe("crops from the words people write", () => {
  it.each([
    ["桃", "PEACH", ""],
    ["黄桃", "PEACH", "黄桃"],
    ["酥梨", "PEAR", "酥梨"],
    ["山楂", "HAWTHORN", ""],
    ["海棠", "CRABAPPLE", ""],
    ["葡萄", "GRAPE", ""],
    ["苗木", "NURSERY", ""],
    ["pear", "PEAR", ""],
    ["GRAPE", "GRAPE", ""],
  ])("%s → %s %s", (text, crop, variety) => {
    expect(cropFromText(text)).toEqual({ crop, variety });
  });

  it("does not take walnut or cherry for peach", () => {
    expect(cropFromText("核桃")).toBeNull();
    expect(cropFromText("樱桃")).toBeNull();
  });
});

describe("export", () => {
  it("writes GeoJSON and KML that import back with the same plots", async () => {
    const r = await parse("luxiezhuang.geojson");
    if (!r.ok) throw new Error("fixture");
    const plots: ExportPlot[] = r.features.map((f) => ({
      ...f.fields,
      areaMu: f.areaMu!,
      household: "谢建国 & <子>",
      cooperative: "",
      geometry: f.geometry!,
    }));
    for (const [name, text] of [
      ["v.geojson", plotsToGeoJson(plots, { name: "鲁谢庄村" })],
      ["v.kml", plotsToKml(plots, { name: "鲁谢庄村" })],
    ] as const) {
      const back = await parsePlotFile(name, new TextEncoder().encode(text), { currentYear: 2026 });
      expect(back.ok, name).toBe(true);
      if (!back.ok) continue;
      expect(back.features.map((f) => f.fields)).toEqual(r.features.map((f) => f.fields));
      expect(back.features.map((f) => f.geometry)).toEqual(r.features.map((f) => f.geometry));
      expect(back.features.map((f) => f.areaMu)).toEqual(r.features.map((f) => f.areaMu));
    }
    expect(plotsToKml(plots, { name: "鲁谢庄村" })).toContain("谢建国 &amp; &lt;子&gt;");
  });
});

describe("KML text", () => {
  it("decodes the predefined entities and character references once", async () => {
    expect(decodeXmlEntities("谢建国 &amp; &lt;子&gt; &#x6843;&#26519; &amp;lt;")).toBe("谢建国 & <子> 桃林 &lt;");
    expect(decodeXmlEntities("&#0; &#xD800; &nbsp;")).toBe("&#0; &#xD800; &nbsp;");
  });

  it("reads a placemark name written with entities as the name it means", async () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>东&lt;桃园&gt; &amp; 梨园</name><Polygon><outerBoundaryIs><LinearRing><coordinates>115.5,35.3 115.501,35.3 115.501,35.301 115.5,35.301 115.5,35.3</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>`;
    const r = await parsePlotFile("a.kml", new TextEncoder().encode(kml), { currentYear: 2026 });
    expect(JSON.stringify(r)).toContain("东<桃园> & 梨园");
    expect(JSON.stringify(r)).not.toContain("&lt;");
  });
});

describe("a GeoJSON that is not JSON", () => {
  it("cut off anywhere is called incomplete, with a Chinese message (regression: the parser's English was shown)", async () => {
    const text = fs.readFileSync(`${dir}/luxiezhuang.geojson`, "utf8");
    const r = await parsePlotFile("cut.geojson", read("broken/truncated.geojson"), { currentYear: 2026 });
    expect(r.ok ? null : r.error).toEqual({ key: "plots.import.truncatedJson" });
    expect(zhCN["plots.import.truncatedJson"]).toMatch(/^GeoJSON 文件不完整（可能上传中断），请重新导出/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: text.length - 2 }), (n) => {
        const cut = text.slice(0, n);
        fc.pre(cut.trim().length > 0);
        expect(jsonError(cut).key).toBe("plots.import.truncatedJson");
      }),
      { numRuns: 200 },
    );
  });

  it("malformed in the middle names the line, not the parser's words", async () => {
    const bad = '{"type": "FeatureCollection",\n "features": [\n {"type": "Feature", oops}\n ]}';
    const r = await parsePlotFile("bad.geojson", new TextEncoder().encode(bad), { currentYear: 2026 });
    expect(r.ok ? null : r.error).toEqual({ key: "plots.import.badJson", params: { line: 3 } });
    expect(zhCN["plots.import.badJson"]).not.toMatch(/detail|Unexpected/);
  });
});

describe("parcel codes: the import refuses what the plot form refuses", () => {
  const square = { type: "Polygon", coordinates: [[[115.3421, 35.1642], [115.3431988, 35.1641901], [115.3432109, 35.1650884], [115.3421121, 35.1650983], [115.3421, 35.1642]]] };
  const importOne = async (parcels: string) => {
    const file = { type: "FeatureCollection", features: [{ type: "Feature", geometry: square, properties: { code: "P-1", crop: "桃", parcels } }] };
    const r = await parsePlotFile("p.geojson", new TextEncoder().encode(JSON.stringify(file)), { currentYear: 2026 });
    if (!r.ok) throw new Error(r.error.key);
    return r.features[0]!;
  };
  const formOne = (parcels: string) => parsePlotForm({ code: "P-1", crop: "PEACH", parcelCodes: parcels, geometry: JSON.stringify(square) }, 2026);

  it("reads the codes of a parcels column (承包地块编码) as the form reads its field", async () => {
    const f = await importOne("3717020020010100001，3717020020010100002");
    expect(f.errors).toEqual([]);
    expect(f.parcelCodes).toEqual(["3717020020010100001", "3717020020010100002"]);
    const bad = await importOne("371702002001010001");
    expect(bad.errors).toEqual([{ key: "plots.field.parcelCodes.invalid", params: { code: "371702002001010001" } }]);
  });

  it("property: for any text, the import's parcel error is the form's", async () => {
    const piece = fc.oneof(fc.stringMatching(/^\d{17,21}$/), fc.constant("3717020020010100001"), fc.string({ maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 4 }), fc.constantFrom(",", "，", " ", "、"), async (pieces, sep) => {
        const text = pieces.join(sep);
        const form = formOne(text);
        const formError = form.ok ? undefined : form.errors.parcelCodes;
        const imported = await importOne(text);
        const importError = imported.errors.find((e) => e.key.startsWith("plots.field.parcelCodes"));
        expect(importError).toEqual(formError);
        if (!formError && form.ok) expect(imported.parcelCodes).toEqual(form.value.parcelCodes);
      }),
      { numRuns: 150 },
    );
  });
});
