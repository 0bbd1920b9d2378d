import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { downloadQuery, positiveInt } from "./list-params";

describe("list parameters", () => {
  it("reads a positive whole number and nothing else", () => {
    expect(positiveInt("12")).toBe(12);
    for (const junk of [null, "", "0", "-3", "1.5", "012", "abc", "1234567890"]) expect(positiveInt(junk)).toBeUndefined();
  });

  it("keeps the page's filters in the download link, without the page number or blanks", () => {
    expect(downloadQuery(new URLSearchParams("q=王&page=3&village=7&status="))).toBe(`?${new URLSearchParams("q=王&village=7")}`);
    expect(downloadQuery(new URLSearchParams("page=2"))).toBe("");
  });

  it("property: the link carries every non-blank parameter but the page, in order", () => {
    const key = fc.constantFrom("q", "village", "group", "status", "page", "ending");
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 6 })), { maxLength: 8 }), (pairs) => {
        const link = downloadQuery(new URLSearchParams(pairs));
        const back = [...new URLSearchParams(link.replace(/^\?/, ""))];
        return JSON.stringify(back) === JSON.stringify(pairs.filter(([k, v]) => k !== "page" && v !== ""));
      }),
    );
  });
});
