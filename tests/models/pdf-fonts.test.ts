import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticCover, syntheticStatement } from "../statement-bench";
import { renderStatementBatch, renderStatementPdf } from "~/dividends/statement-pdf.server";
import { createPdf, FALLBACK_FONTS, FONT, fontRuns, loadFonts, pdfToBuffer } from "~/lib/pdf.server";
import { seedDatabase } from "../../scripts/lib/demo-data";

/**
 * Issue 11 item 13: a name with a rare character (刘𠈌, CJK Extension B)
 * printed as 刘□. Every character of every name must have a glyph in the
 * fonts the PDFs use (Noto Sans Hans, then the Hanazono fallbacks), and the
 * documents must draw it with the fallback. Set PDF_FONTS_OUT=/some/dir to
 * keep the PDFs (`pdftoppm -r 100 -png statement-rare.pdf page`).
 */

const fonts = loadFonts();
const chars = (s: string) => Array.from(s).filter((c) => c.codePointAt(0)! >= 0x80);
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`;
/** The characters neither the primary font nor a fallback can draw. */
function withoutGlyph(text: string, primary = fonts.regular): string[] {
  const fontsInOrder = [primary, ...fonts.fallbacks];
  return [...new Set(chars(text))].filter((c) => !fontsInOrder.some((f) => f.hasGlyphForCodePoint(c.codePointAt(0)!)));
}

const rareNames = fs
  .readFileSync(path.join(process.cwd(), "tests", "fixtures", "rare-names.txt"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

let dir: string;
beforeAll(() => {
  dir = process.env.PDF_FONTS_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), "pdf-fonts-"));
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  if (!process.env.PDF_FONTS_OUT) fs.rmSync(dir, { recursive: true, force: true });
});

describe("glyph coverage", () => {
  it("needs the fallback: the primary font has no 𠈌, the fallback has", () => {
    expect(fonts.regular.hasGlyphForCodePoint(0x2020c)).toBe(false);
    expect(fonts.bold.hasGlyphForCodePoint(0x2020c)).toBe(false);
    expect(fonts.fallbacks[0]!.hasGlyphForCodePoint(0x2020c)).toBe(true);
  });

  it("has a glyph for every character of every name in the rare-name fixture", () => {
    expect(rareNames.length).toBeGreaterThan(50);
    const text = rareNames.join("");
    for (const c of ["𠈌", "𡒄", "𨱏", "𪚥", "䶮", "㛃", "龑", "堃", "喆", "赟", "昇", "淼", "犇", "䲜", "𠮷"]) expect(text).toContain(c);
    // the fixture really holds characters beyond the BMP and from Extension A
    expect(chars(text).filter((c) => c.codePointAt(0)! > 0xffff).length).toBeGreaterThan(30);
    expect(chars(text).filter((c) => c.codePointAt(0)! >= 0x3400 && c.codePointAt(0)! <= 0x4dbf).length).toBeGreaterThan(10);
    expect(withoutGlyph(text).map(hex)).toEqual([]);
    expect(withoutGlyph(text, fonts.bold).map(hex)).toEqual([]);
  });

  it("covers every CJK ideograph of Unicode 10: the basic block, Extensions A–F and the compatibility ideographs", () => {
    const blocks: [string, number, number][] = [
      ["URO", 0x4e00, 0x9fea],
      ["Ext A", 0x3400, 0x4db5],
      ["Ext B", 0x20000, 0x2a6d6],
      ["Ext C", 0x2a700, 0x2b734],
      ["Ext D", 0x2b740, 0x2b81d],
      ["Ext E", 0x2b820, 0x2cea1],
      ["Ext F", 0x2ceb0, 0x2ebe0],
      ["Compatibility", 0xf900, 0xfa6d],
      ["Compatibility", 0xfa70, 0xfad9],
      ["Compatibility Supplement", 0x2f800, 0x2fa1d],
    ];
    const all = [fonts.regular, ...fonts.fallbacks];
    const missing: string[] = [];
    for (const [name, from, to] of blocks) {
      for (let cp = from; cp <= to; cp++) if (!all.some((f) => f.hasGlyphForCodePoint(cp))) missing.push(`${name} U+${cp.toString(16)}`);
    }
    expect(missing).toEqual([]);
  });

  it("has a glyph for every character of every name (and every other text) in the demo data", async () => {
    const file = path.join(dir, "demo.db");
    await seedDatabase(file, { scale: "demo", force: true });
    const db = new Database(file, { readonly: true });
    try {
      const seen = new Set<string>();
      const names: string[] = [];
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
      for (const { name: table } of tables) {
        const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[]).filter((c) => /TEXT/i.test(c.type));
        for (const { name: column } of columns) {
          const values = db.prepare(`SELECT DISTINCT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL`).pluck().all() as string[];
          for (const v of values) for (const c of chars(String(v))) seen.add(c);
          if (table === "Person" && column === "name") names.push(...values);
        }
      }
      // the demo really has its ~5,000 people and their names went through the check
      expect(names.length).toBeGreaterThan(1000);
      expect(seen.has("谢")).toBe(true);
      expect(withoutGlyph([...seen].join("")).map(hex)).toEqual([]);
      expect(withoutGlyph([...seen].join(""), fonts.bold).map(hex)).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});

describe("fontRuns", () => {
  const { regular: primary, fallbacks } = fonts;

  it("leaves text the primary font covers alone (the fast path)", () => {
    expect(fontRuns("分红明细单 王建国 15,577.57 元", primary, fallbacks)).toBeNull();
    expect(fontRuns("", primary, fallbacks)).toBeNull();
    // a character no font has (Extension G) stays with the primary rather than split off
    expect(fontRuns("王\u{30000}", primary, fallbacks)).toBeNull();
  });

  it("splits a name at each rare character, keeping surrogate pairs and variation selectors whole", () => {
    expect(fontRuns("户主：刘𠈌（张庄村）", primary, fallbacks)).toEqual([
      { text: "户主：刘", font: 0 },
      { text: "𠈌", font: 1 },
      { text: "（张庄村）", font: 0 },
    ]);
    // U+FA11 only in the compatibility subset (fallback 2); U+E0100 follows the character before it
    expect(fontRuns("𪚥\u{E0100}﨑a", primary, fallbacks)).toEqual([
      { text: "𪚥\u{E0100}", font: 1 },
      { text: "﨑", font: 2 },
      { text: "a", font: 0 },
    ]);
  });

  it("property: runs put back together give the text, neighbours differ, and each character is in a font that has it", () => {
    const pool = ["王", "建", "国", "a", " ", "1", "：", "（", "𠈌", "𪚥", "𫖯", "䶮", "﨑", "\u{2F800}", "\u{E0100}", "\u{30000}", "—", "…"];
    const all = [primary, ...fallbacks];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        const runs = fontRuns(text, primary, fallbacks);
        if (!runs) {
          // null only when the primary draws every character it can be given
          for (const c of Array.from(text)) {
            const cp = c.codePointAt(0)!;
            if (cp === 0xe0100) continue;
            expect(primary.hasGlyphForCodePoint(cp) || !fallbacks.some((f) => f.hasGlyphForCodePoint(cp))).toBe(true);
          }
          return;
        }
        expect(runs.map((r) => r.text).join("")).toBe(text);
        for (let i = 1; i < runs.length; i++) expect(runs[i]!.font).not.toBe(runs[i - 1]!.font);
        for (const r of runs) {
          expect(r.text.length).toBeGreaterThan(0);
          for (const c of Array.from(r.text)) {
            const cp = c.codePointAt(0)!;
            if (cp === 0xe0100 || cp < 0x80) continue;
            const best = all.findIndex((f) => f.hasGlyphForCodePoint(cp));
            expect(r.font).toBe(best < 0 ? 0 : best);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("PDFs print rare characters with the fallback font", () => {
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });
  const flat = (t: string) => t.replace(/\s+/g, "");
  async function save(name: string, stream: NodeJS.ReadableStream): Promise<string> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, await pdfToBuffer(stream));
    return file;
  }
  const embedded = (file: string) =>
    run("pdffonts", [file])
      .split("\n")
      .slice(2)
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ""));

  it("a statement: the head's name extracts back and both fonts are embedded", async () => {
    const file = await save("statement-rare.pdf", renderStatementPdf({ ...syntheticStatement(3), householdHead: "刘𠈌", preparer: "赵孟𫖯" }));
    const t = flat(run("pdftotext", ["-enc", "UTF-8", file, "-"]));
    expect(t).toContain("户主姓名刘𠈌");
    expect(t).toContain("制表：赵孟𫖯");
    expect(embedded(file)).toEqual(expect.arrayContaining(["NotoSansHans-Regular", "HanaMinB"]));
  });

  it("a statement without rare characters embeds no fallback font", async () => {
    const file = await save("statement-plain.pdf", renderStatementPdf(syntheticStatement(3)));
    expect(embedded(file).some((f) => f.startsWith("HanaMin"))).toBe(false);
  });

  it("the streamed batch (its own document set-up) prints them too", async () => {
    const names = ["王建国", "李𪚥", "陈㛃", "杜𫐐"];
    const file = await save(
      "batch-rare.pdf",
      renderStatementBatch(
        syntheticCover(names.length),
        names.map((householdHead, i) => ({ ...syntheticStatement(i), householdHead })),
      ),
    );
    const t = flat(run("pdftotext", ["-enc", "UTF-8", file, "-"]));
    for (const n of names) expect(t).toContain(`户主姓名${n}`);
    expect(embedded(file)).toContain("HanaMinB");
  });

  it("wrapped, centred and right-aligned text with every fixture name extracts back in order", async () => {
    const doc = createPdf({ title: "rare names" });
    const all = rareNames.join("、");
    doc.font(FONT.regular).fontSize(11);
    doc.text(`甲方（承包户）：${all}。`, { width: 300, lineGap: 2 });
    const h = doc.heightOfString(all, { width: 300, lineGap: 2 });
    expect(h).toBeGreaterThan(30);
    doc.moveDown();
    doc.font(FONT.bold).fontSize(14).text("户主 刘𠈌 签字", { width: 400, align: "center", characterSpacing: 2 });
    doc.font(FONT.regular).fontSize(9).text("经办人：𪚥𠈌", { width: 400, align: "right" });
    // compatibility ideographs come from the second fallback
    doc.text("备注：宫﨑\u{2F800}", { lineBreak: false });
    // widths count the fallback's advance: two full-width characters at 10 pt
    doc.fontSize(10);
    expect(doc.widthOfString("刘𠈌")).toBeCloseTo(20, 1);
    expect(doc.widthOfString("刘𠈌", { characterSpacing: 1 })).toBeCloseTo(21, 1);
    const file = await save("paragraph-rare.pdf", (doc.end(), doc));
    const t = flat(run("pdftotext", ["-enc", "UTF-8", file, "-"]));
    expect(t).toContain(flat(`甲方（承包户）：${all}。`));
    expect(t).toContain("户主刘𠈌签字");
    expect(t).toContain("经办人：𪚥𠈌");
    expect(t).toContain("备注：宫﨑\u{2F800}");
    expect(embedded(file)).toEqual(expect.arrayContaining(["NotoSansHans-Regular", "NotoSansHans-Bold", "HanaMinB", "HanaMinA"]));
    expect(FALLBACK_FONTS.map((f) => f.name)).toEqual(["CJK-Fallback-Plane2", "CJK-Fallback-Compat"]);
  });
});
