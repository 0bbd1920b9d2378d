import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_LAYERS } from "./map-data";
import { en, zhCN } from "./messages";
import { CROPS, PLOT_STATUSES } from "./vocabulary";

// Every message key the plot code names must exist, or the page would show the key itself.
describe("plot messages", () => {
  it("cover every key used in app/plots and the plot routes", () => {
    const files = [
      ...fs.readdirSync("app/plots").map((f) => path.join("app/plots", f)),
      ...fs.readdirSync("app/routes").filter((f) => /plots/.test(f)).map((f) => path.join("app/routes", f)),
    ].filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts") && !f.endsWith("messages.ts"));
    const used = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(f, "utf8").matchAll(/"(plots\.[A-Za-z]+(?:\.[A-Za-z0-9]+)+)"/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in zhCN));
    expect(missing).toEqual([]);
  });

  it("name every crop, status, base layer and colouring", () => {
    const keys = [
      ...CROPS.map((c) => `plots.crop.${c}`),
      ...PLOT_STATUSES.map((s) => `plots.status.${s}`),
      ...BASE_LAYERS.map((b) => `plots.map.base.${b}`),
      ...["variety", "cooperative", "status"].map((c) => `plots.map.colourBy.${c}`),
    ];
    expect(keys.filter((k) => !(k in zhCN))).toEqual([]);
  });

  it("have the declared-area errors that parseArea can return", () => {
    for (const e of ["required", "malformed", "nonpositive", "precision"]) expect(zhCN).toHaveProperty(`plots.field.declaredMu.${e}`);
  });

  it("say the same things in English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe("");
  });
});
