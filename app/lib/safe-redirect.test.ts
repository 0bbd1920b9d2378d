import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it.each([
    ["/contracts?status=FILED", "/contracts?status=FILED"],
    ["/households/12#members", "/households/12#members"],
    ["/income/villages/3?year=2025", "/income/villages/3?year=2025"],
  ])("keeps a path of this site: %s", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it.each([
    // the one that reached evil.example in Chromium: the browser drops the tab
    "/\t/evil.example/phish",
    "/%09/evil.example/phish",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example".replace(" ", "\u0000"),
    "https://evil.example",
    "http:evil.example",
    "evil.example",
    "javascript:alert(1)",
    "",
    "/%E0%A4%A", // malformed escape
  ])("refuses %j", (to) => {
    expect(safeRedirect(to, "/home")).toBe("/home");
  });

  it("never returns a target that a browser would resolve to another host", () => {
    const chars = fc.constantFrom("/", "\\", "\t", "\n", "%", "2", "F", "5", "C", "0", "9", "e", "v", ".", ":", "@", "?", "#", " ", "x");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 14 }), (cs) => {
        const out = safeRedirect("/" + cs.join(""), "/home");
        // Resolve as a browser does (WHATWG URL parsing strips tabs and newlines, reads \ as /).
        expect(new URL(out, "http://app.example").host).toBe("app.example");
        expect(new URL(decodeURIComponent(out).replace(/[\t\n\r]/g, ""), "http://app.example").host).toBe("app.example");
      }),
      { numRuns: 2000 },
    );
  });
});
