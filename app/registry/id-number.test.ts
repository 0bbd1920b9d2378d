import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkIdNumber, idCheckDigit, makeIdNumber, normalizeIdNumber } from "./id-number";

describe("normalizeIdNumber", () => {
  it("trims and upper-cases", () => {
    expect(normalizeIdNumber("  11010519491231002x ")).toBe("11010519491231002X");
    expect(normalizeIdNumber(null)).toBe("");
    expect(normalizeIdNumber(undefined)).toBe("");
  });
});

describe("idCheckDigit", () => {
  it("computes the GB 11643 check character", () => {
    expect(idCheckDigit("11010519491231002")).toBe("X");
    expect(idCheckDigit("44052418800101001")).toBe("4");
  });

  it("throws on anything but 17 digits", () => {
    expect(() => idCheckDigit("1101051949123100")).toThrow(RangeError);
    expect(() => idCheckDigit("1101051949123100A")).toThrow(RangeError);
  });
});

describe("checkIdNumber", () => {
  it("accepts the documented examples", () => {
    expect(checkIdNumber("11010519491231002X")).toEqual({
      ok: true,
      id: "11010519491231002X",
      birthDate: "1949-12-31",
      sex: "F",
      areaCode: "110105",
    });
    expect(checkIdNumber("440524188001010014")).toEqual({
      ok: true,
      id: "440524188001010014",
      birthDate: "1880-01-01",
      sex: "M",
      areaCode: "440524",
    });
  });

  it("accepts a lower-case x and surrounding spaces", () => {
    const r = checkIdNumber(" 11010519491231002x ");
    expect(r.ok && r.id).toBe("11010519491231002X");
  });

  it("reads sex from the sequence parity", () => {
    const male = checkIdNumber(makeIdNumber("371702", "19900101", "123"));
    const female = checkIdNumber(makeIdNumber("371702", "19900101", "124"));
    expect(male.ok && male.sex).toBe("M");
    expect(female.ok && female.sex).toBe("F");
  });

  it.each([
    ["", "id.required"],
    ["   ", "id.required"],
    ["1101051949123100", "id.length"],
    ["110105194912310020X", "id.length"],
    ["110105491231002", "id.length"], // old 15-digit form
    ["11010519491231002A", "id.format"],
    ["1101051949123100X2", "id.format"],
    ["11010519491231 02X", "id.format"],
    ["110105199902300020", "id.birthdate"], // Feb 30
    ["110105199913010020", "id.birthdate"], // month 13
    ["110105199900010020", "id.birthdate"], // month 0
    ["110105199901320020", "id.birthdate"], // day 32
    ["110105199904310020", "id.birthdate"], // Apr 31
    ["110105199901000020", "id.birthdate"], // day 0
    ["110105190002290020", "id.birthdate"], // 1900 is not a leap year
    ["110105179901010020", "id.birthdate"], // before 1800
    ["110105194912310021", "id.checksum"],
    ["440524188001010015", "id.checksum"],
  ])("rejects %j with %s", (input, error) => {
    expect(checkIdNumber(input)).toEqual({ ok: false, error });
  });

  it("tolerates null and undefined", () => {
    expect(checkIdNumber(null)).toEqual({ ok: false, error: "id.required" });
    expect(checkIdNumber(undefined)).toEqual({ ok: false, error: "id.required" });
  });

  it("accepts leap days in leap years only", () => {
    expect(checkIdNumber(makeIdNumber("371702", "20000229", "001")).ok).toBe(true);
    expect(checkIdNumber(makeIdNumber("371702", "19880229", "001")).ok).toBe(true);
    const notLeap = "371702" + "19890229" + "001";
    expect(checkIdNumber(notLeap + "0")).toEqual({ ok: false, error: "id.birthdate" });
  });

  it("does not reject future birth dates (pure module, no clock)", () => {
    expect(checkIdNumber(makeIdNumber("371702", "20991231", "002")).ok).toBe(true);
  });

  it("property: a single changed digit is always caught", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (date, seq, pos, delta) => {
          const birth = date.toISOString().slice(0, 10).replace(/-/g, "");
          const id = makeIdNumber("371702", birth, String(seq).padStart(3, "0"));
          expect(checkIdNumber(id).ok).toBe(true);
          const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
          expect(checkIdNumber(changed).ok).toBe(false);
        },
      ),
    );
  });
});

describe("makeIdNumber", () => {
  it("builds a number with the right check digit", () => {
    expect(makeIdNumber("110105", "19491231", "002")).toBe("11010519491231002X");
    const id = makeIdNumber("371702", "19650308", "031");
    expect(checkIdNumber(id)).toMatchObject({ ok: true, birthDate: "1965-03-08", sex: "M", areaCode: "371702" });
  });

  it("refuses malformed parts", () => {
    expect(() => makeIdNumber("37170", "19900101", "001")).toThrow(RangeError);
    expect(() => makeIdNumber("371702", "19900230", "001")).toThrow(RangeError);
    expect(() => makeIdNumber("371702", "1990-01-01", "001")).toThrow(RangeError);
    expect(() => makeIdNumber("371702", "19900101", "1")).toThrow(RangeError);
  });
});
