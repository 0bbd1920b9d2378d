import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CROP_PALETTES, cropColour, deltaE76, hexToLab, nextVarietyColour } from "./colours";
import { CROPS } from "./vocabulary";

describe("crop palettes", () => {
  it("keep every two shades of one crop at least ΔE 15 apart (CIE76)", () => {
    for (const crop of CROPS) {
      const pal = CROP_PALETTES[crop];
      expect(pal.length, crop).toBeGreaterThanOrEqual(8);
      expect(new Set(pal).size).toBe(pal.length);
      for (let i = 0; i < pal.length; i++) {
        for (let j = i + 1; j < pal.length; j++) expect(deltaE76(pal[i]!, pal[j]!), `${crop} ${pal[i]} ${pal[j]}`).toBeGreaterThanOrEqual(15);
      }
    }
  });

  it("give the crops base colours of clearly different hues", () => {
    const bases = CROPS.map((c) => cropColour(c));
    for (let i = 0; i < bases.length; i++) {
      for (let j = i + 1; j < bases.length; j++) expect(deltaE76(bases[i]!, bases[j]!), `${CROPS[i]} ${CROPS[j]}`).toBeGreaterThanOrEqual(25);
    }
    // Hue angles in CIELAB: each crop's base at least 25° from every other's.
    const hue = (hex: string) => {
      const [, a, b] = hexToLab(hex);
      return ((Math.atan2(b, a) * 180) / Math.PI + 360) % 360;
    };
    const hues = bases.map(hue);
    for (let i = 0; i < hues.length; i++) {
      for (let j = i + 1; j < hues.length; j++) {
        const d = Math.abs(hues[i]! - hues[j]!);
        expect(Math.min(d, 360 - d), `${CROPS[i]} ${CROPS[j]}`).toBeGreaterThanOrEqual(25);
      }
    }
  });

  it("measure ΔE as CIE76 does (white to black is 100)", () => {
    expect(deltaE76("#ffffff", "#000000")).toBeCloseTo(100, 1);
    expect(deltaE76("#dc759e", "#dc759e")).toBe(0);
  });
});

describe("the next variety colour", () => {
  it("hands out the crop's unused shades first, never its base colour, then reuses them in turn", () => {
    const taken: string[] = [];
    for (let i = 0; i < 7; i++) taken.push(nextVarietyColour("PEACH", taken));
    expect(new Set(taken).size).toBe(7);
    expect(taken).not.toContain(cropColour("PEACH"));
    expect(CROP_PALETTES.PEACH.slice(1)).toEqual(taken);
    expect(CROP_PALETTES.PEACH).toContain(nextVarietyColour("PEACH", taken));
  });

  it("fills a freed shade before reusing one, and depends only on the colours already taken", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CROPS), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (crop, pick) => {
        const shades = CROP_PALETTES[crop].slice(1);
        const taken = shades.filter((_, i) => pick[i]);
        fc.pre(taken.length < shades.length);
        const next = nextVarietyColour(crop, taken);
        expect(taken).not.toContain(next);
        expect(nextVarietyColour(crop, [...taken].reverse())).toBe(next);
      }),
    );
  });

  it("property: adding varieties one by one never changes a colour given before (each is stored once)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...CROPS), fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")), { maxLength: 40 }), (adds) => {
        // The store as ensureVarieties keeps it: (crop, name) → colour, given once.
        const store = new Map<string, string>();
        const history: Map<string, string>[] = [];
        for (const [crop, name] of adds) {
          const key = `${crop}|${name}`;
          if (!store.has(key)) {
            const taken = [...store.entries()].filter(([k]) => k.startsWith(`${crop}|`)).map(([, c]) => c);
            store.set(key, nextVarietyColour(crop, taken));
          }
          history.push(new Map(store));
        }
        for (const snapshot of history) for (const [k, c] of snapshot) expect(store.get(k)).toBe(c);
        // While a crop has at most 7 varieties, they all look different.
        for (const crop of CROPS) {
          const mine = [...store.entries()].filter(([k]) => k.startsWith(`${crop}|`)).map(([, c]) => c);
          if (mine.length <= 7) expect(new Set(mine).size).toBe(mine.length);
        }
      }),
    );
  });
});
