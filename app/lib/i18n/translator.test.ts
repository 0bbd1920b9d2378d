import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALE, isLocale, localeFromCookieHeader, translatorOver } from "./index";

describe("the translation machinery (no catalogs of its own)", () => {
  const t = translatorOver({ "a.count": "共 {count} 户", "a.two": "{x} 与 {y}" });

  it("fills placeholders, leaves unknown ones and shows unknown keys as themselves", () => {
    expect(t("a.count", { count: 3 })).toBe("共 3 户");
    expect(t("a.two", { x: 1 })).toBe("1 与 {y}");
    expect(t("no.such.key")).toBe("no.such.key");
  });

  it("reads the locale from the lang cookie, Chinese unless English was chosen", () => {
    expect(localeFromCookieHeader("x=1; lang=en")).toBe("en");
    expect(localeFromCookieHeader("lang=fr")).toBe(DEFAULT_LOCALE);
    expect(localeFromCookieHeader(null)).toBe("zh-CN");
    expect(isLocale("en")).toBe(true);
  });

  it("property: a message without placeholders comes back unchanged, whatever the params", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !/\{\w+\}/.test(s)), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string()), (text, params) => {
        return translatorOver({ k: text })("k", params) === text;
      }),
    );
  });
});
