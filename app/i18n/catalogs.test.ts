import { describe, expect, it } from "vitest";
import { catalog, translator } from "./index";

describe("message catalogs", () => {
  it("have the same keys in Chinese and English", () => {
    expect(Object.keys(catalog("en")).sort()).toEqual(Object.keys(catalog("zh-CN")).sort());
  });
  it("keep the same placeholders in both languages", () => {
    const zh = catalog("zh-CN");
    const en = catalog("en");
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zh)) expect(holes(en[key]!), key).toEqual(holes(zh[key]!));
  });
  it("fills placeholders and shows unknown keys as themselves", () => {
    const t = translator("zh-CN");
    expect(t("households.count", { count: 3 })).toBe("共 3 户");
    expect(t("no.such.key")).toBe("no.such.key");
  });
});
