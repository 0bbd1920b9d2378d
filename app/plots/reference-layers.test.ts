import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { readFeatures } from "./import";
import { layerFromFeatures, MAX_LAYER_FEATURES, polygonsOfLayer } from "./reference-layers";

const dir = "tests/fixtures/plots";
const read = (f: string) => new Uint8Array(fs.readFileSync(`${dir}/${f}`));

describe("reference layers from files", () => {
  it("keep polygons, lines and points with a short name each, in WGS-84 to 6 decimals", async () => {
    const r = await readFeatures("township-boundary.geojson", read("township-boundary.geojson"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const layer = layerFromFeatures(r.features);
    expect(layer.ok).toBe(true);
    if (!layer.ok) return;
    expect(layer.featureCount).toBe(2);
    expect(layer.collection.features.map((f) => [f.geometry.type, f.properties])).toEqual([
      ["Polygon", { name: "鲁谢庄村界" }],
      ["LineString", { name: "村道" }],
    ]);
    expect(layer.bbox).toEqual([115.335, 35.158, 115.36, 35.18]);
    expect(polygonsOfLayer(JSON.stringify(layer.collection))).toHaveLength(1);
  });

  it("read a projected Shapefile (the plot import's reader): the sample village's parcels as a layer", async () => {
    const r = await readFeatures("luxiezhuang-cgcs2000-gk38-shp.zip", read("luxiezhuang-cgcs2000-gk38-shp.zip"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const layer = layerFromFeatures(r.features);
    expect(layer.ok && layer.featureCount).toBe(12);
    expect(layer.ok && layer.bbox[0]).toBeGreaterThan(115.34);
  });

  it("refuse what cannot be a layer, with a message", () => {
    expect(layerFromFeatures([])).toEqual({ ok: false, error: { key: "plots.layers.empty" } });
    expect(layerFromFeatures([{ geometry: { type: "GeometryCollection", geometries: [] }, properties: {} }])).toEqual({ ok: false, error: { key: "plots.layers.noGeometry" } });
    // latitude and longitude swapped
    expect(layerFromFeatures([{ geometry: { type: "Point", coordinates: [35.2, 115.4] }, properties: {} }])).toEqual({ ok: false, error: { key: "plots.layers.outsideChina" } });
    const many = Array.from({ length: MAX_LAYER_FEATURES + 1 }, () => ({ geometry: { type: "Point", coordinates: [115.4, 35.2] }, properties: {} }));
    expect(layerFromFeatures(many).ok).toBe(false);
  });

  it("take a closed boundary line as an area, and nothing from broken JSON", () => {
    const ring = [[115, 35], [115.1, 35], [115.1, 35.1], [115, 35]];
    const fc = { type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: ring } }] };
    expect(polygonsOfLayer(JSON.stringify(fc))).toEqual([{ type: "Polygon", coordinates: [ring] }]);
    expect(polygonsOfLayer("{")).toEqual([]);
  });
});
