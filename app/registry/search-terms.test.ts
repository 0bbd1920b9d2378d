import { describe, expect, it } from "vitest";
import { nameTerms, parseSearch } from "./search-terms";

describe("nameTerms", () => {
  it("stores every substring of a Chinese name", () => {
    expect(nameTerms("李小明").sort()).toEqual(["n:小", "n:小明", "n:明", "n:李", "n:李小", "n:李小明"].sort());
  });
  it("keeps long names bounded but still findable whole", () => {
    const terms = nameTerms("阿卜杜热合曼买买提");
    expect(terms).toContain("n:阿卜杜热合曼买买提");
    expect(terms.length).toBeLessThan(40);
  });
});

describe("parseSearch", () => {
  it("treats 18 characters as an ID number and upper-cases x", () => {
    expect(parseSearch("11010519491231002x")).toEqual({ kind: "exact", terms: ["i:11010519491231002X"] });
  });
  it("treats 11 digits starting with 1 as a mobile phone", () => {
    expect(parseSearch("13812345678")).toEqual({ kind: "exact", terms: ["p:13812345678"] });
  });
  it("matches partial numbers by prefix", () => {
    expect(parseSearch("371702198")).toEqual({ kind: "prefix", prefixes: ["i:371702198", "p:371702198"] });
  });
  it("requires every word to match the same household", () => {
    expect(parseSearch("李小明 李建国")).toEqual({ kind: "exact", terms: ["n:李小明", "n:李建国"] });
    expect(parseSearch("  ")).toEqual({ kind: "none" });
  });
});
