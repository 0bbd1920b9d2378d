/**
 * PDF documents with Chinese text: pdfkit plus the Noto Sans SC (思源黑体)
 * fonts shipped in @embedpdf/fonts-sc (OFL). pdfkit embeds only the glyphs a
 * document uses, so a page costs tens of KB, not the 8 MB of the font.
 *
 * The font files are read and parsed once per process and the parsed fonts
 * are shared by every document: parsing the 8 MB CFF font per document cost
 * ~0.8 s, a shared one ~50 ms per contract. Sharing is safe because pdfkit
 * only reads the font and writes each document's subset synchronously in
 * `doc.end()`. Nothing is fetched at run time (the offices may be offline).
 *
 * Rare characters: Noto Sans Hans lacks most ideographs outside the basic
 * block, and a name must never print as a box (刘𠈌 as 刘□). pdfkit has no
 * font fallback, so every document made here draws each run of characters
 * the current font lacks with the Hanazono fallback fonts committed in
 * app/lib/fonts/hanazono/ (Extensions B–F and the compatibility ideographs; see its
 * README). Text that the primary font covers takes pdfkit's own path.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";

/** Names the fonts are registered under in every document made by createPdf. */
export const FONT = { regular: "CJK", bold: "CJK-Bold" } as const;

/** A4 in points, and the margins our documents use (≈ 2 cm, a little more at the foot for page numbers). */
export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGINS = { top: 56, bottom: 62, left: 50, right: 50 } as const;

const FONT_SUBDIR = path.join("node_modules", "@embedpdf", "fonts-sc", "fonts");
const REGULAR = "NotoSansHans-Regular.otf";
const BOLD = "NotoSansHans-Bold.otf";

/**
 * Fallback fonts in the order they are tried for a character the current
 * font lacks (both are mincho and have no bold: a rare character in a bold
 * line prints regular weight, which beats a box).
 */
const FALLBACK_SUBDIR = path.join("app", "lib", "fonts", "hanazono");
export const FALLBACK_FONTS = [
  { name: "CJK-Fallback-Plane2", file: "HanaMinB.ttf" },
  { name: "CJK-Fallback-Compat", file: "HanaMinA-subset.ttf" },
] as const;

export interface LoadedFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
  /** parallel to FALLBACK_FONTS */
  fallbacks: fontkit.Font[];
}

let fonts: LoadedFonts | null = null;

/**
 * The package's `exports` hide its font files from require.resolve, so look
 * for node_modules (and the committed app/lib/fonts/) from the working directory and
 * from this module upwards (the built server lives in build/, tests run from
 * the repo root).
 */
function findFontDir(subdir: string, probe: string, hint: string): string {
  const tried: string[] = [];
  const starts = [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, subdir);
      tried.push(candidate);
      if (fs.existsSync(path.join(candidate, probe))) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`${probe} not found (${hint}); looked in: ${tried.join(", ")}`);
}

/** Reads and parses the fonts on first use and keeps them for the life of the process. */
export function loadFonts(): LoadedFonts {
  if (!fonts) {
    const dir = findFontDir(FONT_SUBDIR, REGULAR, "npm install @embedpdf/fonts-sc");
    const fallbackDir = findFontDir(FALLBACK_SUBDIR, FALLBACK_FONTS[0].file, "it is part of the repository");
    fonts = {
      regular: fontkit.create(fs.readFileSync(path.join(dir, REGULAR))),
      bold: fontkit.create(fs.readFileSync(path.join(dir, BOLD))),
      fallbacks: FALLBACK_FONTS.map((f) => fontkit.create(fs.readFileSync(path.join(fallbackDir, f.file)))),
    };
  }
  return fonts;
}

// ─── Rare characters: per-run font fallback ─────────────────────────────────

/** Characters drawn in the font of the character before them (variation selectors, joiners). */
function joinsPrevious(cp: number): boolean {
  return (
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || cp === 0x200d || cp === 0x200c || (cp >= 0x180b && cp <= 0x180d)
  );
}

/**
 * For one primary font, which font draws each code point: 0 the primary,
 * i > 0 fallback i - 1. Cached per code point (a typed array for the BMP), so
 * that checking a line costs one array read per character and the common
 * path, text the primary font covers, stays as fast as before.
 */
interface Chooser {
  bmp: Uint8Array; // 0 = not yet known, else 1 + font index
  astral: Map<number, number>;
}
const choosers = new WeakMap<fontkit.Font, Chooser>();

let lastPrimary: fontkit.Font | null = null;
let lastChooser: Chooser | null = null;

function chooser(primary: fontkit.Font): Chooser {
  // documents switch between two or three fonts: skip the WeakMap for the last one
  if (primary === lastPrimary) return lastChooser!;
  let c = choosers.get(primary);
  if (!c) {
    c = { bmp: new Uint8Array(0x10000), astral: new Map() };
    choosers.set(primary, c);
  }
  lastPrimary = primary;
  lastChooser = c;
  return c;
}

function resolve(primary: fontkit.Font, fallbacks: readonly fontkit.Font[], cp: number): number {
  if (primary.hasGlyphForCodePoint(cp)) return 0;
  const i = fallbacks.findIndex((f) => f.hasGlyphForCodePoint(cp));
  // a character no font has stays with the primary, which draws its .notdef as before
  return i < 0 ? 0 : i + 1;
}

function fontIndexOf(c: Chooser, primary: fontkit.Font, fallbacks: readonly fontkit.Font[], cp: number): number {
  if (cp < 0x10000) {
    const v = c.bmp[cp]!;
    if (v) return v - 1;
    const r = resolve(primary, fallbacks, cp);
    c.bmp[cp] = r + 1;
    return r;
  }
  let r = c.astral.get(cp);
  if (r === undefined) {
    r = resolve(primary, fallbacks, cp);
    c.astral.set(cp, r);
  }
  return r;
}

/** A piece of text and the font that draws it (0 the primary, i > 0 fallback i - 1). */
export interface FontRun {
  text: string;
  font: number;
}

/**
 * Splits `text` into runs by the font that has each character's glyph: the
 * primary first, then the fallbacks in order. Returns null when the primary
 * draws all of it (the common case, without allocating).
 */
export function fontRuns(text: string, primary: fontkit.Font, fallbacks: readonly fontkit.Font[]): FontRun[] | null {
  const c = chooser(primary);
  let i = 0;
  // fast scan: ASCII and characters known to be the primary's
  for (; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0x80) continue;
    if (u >= 0xd800 && u <= 0xdfff) break;
    const v = c.bmp[u]!;
    if (v === 1) continue;
    if (v === 0 && fontIndexOf(c, primary, fallbacks, u) === 0) continue;
    break;
  }
  if (i === text.length) return null;

  const runs: FontRun[] = [];
  let start = 0;
  let current = 0;
  let any = false;
  for (let k = 0; k < text.length; ) {
    const cp = text.codePointAt(k)!;
    const len = cp > 0xffff ? 2 : 1;
    const f = cp < 0x80 ? 0 : joinsPrevious(cp) && k > 0 ? current : fontIndexOf(c, primary, fallbacks, cp);
    if (f !== current) {
      if (k > start) runs.push({ text: text.slice(start, k), font: current });
      start = k;
      current = f;
    }
    if (f !== 0) any = true;
    k += len;
  }
  if (!any) return null;
  runs.push({ text: text.slice(start), font: current });
  return runs;
}

/** The parts of pdfkit's document and font objects the fallback uses (pdfkit 0.20 internals). */
interface PdfFontInternal {
  font?: fontkit.Font;
  ascender: number;
  descender: number;
  xHeight: number;
  widthOfString(text: string, size: number, features?: unknown): number;
}
interface FragmentOptions {
  align?: string;
  width?: number;
  lineWidth?: number;
  textWidth?: number;
  wordCount?: number;
  wordSpacing?: number;
  characterSpacing?: number;
  horizontalScaling?: number;
  baseline?: number | string;
  features?: unknown;
  destination?: string;
  [key: string]: unknown;
}
interface DocInternal {
  _font: PdfFontInternal;
  _fontSize: number;
  _fontSource: unknown;
  _fontFamily: unknown;
  _fontFamilies: Record<string, PdfFontInternal | undefined>;
  _fragment(text: string, x: number, y: number, options: FragmentOptions): void;
  widthOfString(text: string, options?: FragmentOptions): number;
  font(name: string): unknown;
}

/** The fallback's pdfkit font in this document, created on first use without changing the current font. */
function fallbackFont(d: DocInternal, index: number): PdfFontInternal {
  const name = FALLBACK_FONTS[index - 1]!.name;
  const known = d._fontFamilies[name];
  if (known) return known;
  const saved = [d._font, d._fontSource, d._fontFamily] as const;
  d.font(name);
  const f = d._font;
  [d._font, d._fontSource, d._fontFamily] = saved;
  return f;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0xdc00 || u > 0xdfff) n++;
  }
  return n;
}

/** The baseline offset pdfkit's _fragment would use for `font` (so every run sits on the primary's baseline). */
function baselineOffset(font: PdfFontInternal, size: number, baseline: FragmentOptions["baseline"]): number {
  if (typeof baseline === "number") return -baseline;
  let dy: number;
  switch (baseline) {
    case "svg-middle":
      dy = 0.5 * font.xHeight;
      break;
    case "middle":
    case "svg-central":
      dy = 0.5 * (font.descender + font.ascender);
      break;
    case "bottom":
    case "ideographic":
      dy = font.descender;
      break;
    case "alphabetic":
      dy = 0;
      break;
    case "mathematical":
      dy = 0.5 * font.ascender;
      break;
    case "hanging":
      dy = 0.8 * font.ascender;
      break;
    default:
      dy = font.ascender;
  }
  return (dy / 1000) * size;
}

/**
 * Registers the fallback fonts in `doc` and makes its text measuring
 * (widthOfString, hence line wrapping, heightOfString and alignment) and
 * drawing (each line fragment) use them for characters the current font
 * lacks. Patches only this document's instance; createPdf calls it, and so
 * must any other code that makes its own PDFDocument with our fonts.
 *
 * A fallback run is drawn at the measured position after the runs before it,
 * on the primary font's baseline. Justified lines with a fallback run are
 * drawn left-aligned (no document here justifies).
 */
export function withFontFallback(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  const f = loadFonts();
  for (let i = 0; i < FALLBACK_FONTS.length; i++) {
    doc.registerFont(FALLBACK_FONTS[i]!.name, f.fallbacks[i] as unknown as PDFKit.Mixins.PDFFontSource);
  }
  const d = doc as unknown as DocInternal;
  const fallbacks = f.fallbacks;
  const originalWidth = d.widthOfString;
  const originalFragment = d._fragment;
  const runsOf = (text: string): FontRun[] | null => {
    const primary = d._font?.font;
    return primary && typeof primary.hasGlyphForCodePoint === "function" ? fontRuns(text, primary, fallbacks) : null;
  };
  const runWidth = (run: FontRun, primary: PdfFontInternal, features: unknown): number =>
    (run.font === 0 ? primary : fallbackFont(d, run.font)).widthOfString(run.text, d._fontSize, features);

  d.widthOfString = function (this: DocInternal, text: string, options: FragmentOptions = {}): number {
    const s = typeof text === "string" ? text : String(text);
    const runs = runsOf(s);
    if (!runs) return originalWidth.call(this, s, options);
    const primary = this._font;
    let w = 0;
    for (const run of runs) w += runWidth(run, primary, options.features);
    const spacing = options.characterSpacing || 0;
    return ((w + spacing * (codePoints(s) - 1)) * (options.horizontalScaling || 100)) / 100;
  };

  d._fragment = function (this: DocInternal, text: string, x: number, y: number, options: FragmentOptions): void {
    if (!runsOf(typeof text === "string" ? text : String(text))) return originalFragment.call(this, text, x, y, options);
    const s = String(text).replace(/\n/g, "");
    const runs = runsOf(s);
    if (!runs) return originalFragment.call(this, s, x, y, options);
    const primary = this._font;
    const spacing = options.characterSpacing || 0;
    const scale = (options.horizontalScaling || 100) / 100;
    if (options.width) {
      // the same alignment as pdfkit's _fragment, measured with the fallback widths
      if (options.align === "right") x += (options.lineWidth ?? 0) - this.widthOfString(s.replace(/\s+$/, ""), options);
      else if (options.align === "center") x += (options.lineWidth ?? 0) / 2 - (options.textWidth ?? this.widthOfString(s, options)) / 2;
    }
    const baseline = -baselineOffset(primary, this._fontSize, options.baseline);
    let first = true;
    try {
      for (const run of runs) {
        const font = run.font === 0 ? primary : fallbackFont(this, run.font);
        const w = font.widthOfString(run.text, this._fontSize, options.features);
        this._font = font;
        originalFragment.call(this, run.text, x, y, {
          ...options,
          align: "left",
          wordSpacing: 0,
          textWidth: w,
          wordCount: undefined,
          baseline,
          destination: first ? options.destination : undefined,
        });
        first = false;
        x += (w + spacing * codePoints(run.text)) * scale;
      }
    } finally {
      this._font = primary;
    }
  };
  return doc;
}

export interface CreatePdfOptions {
  title?: string;
  subject?: string;
  author?: string;
  /** defaults to MARGINS */
  margins?: { top: number; bottom: number; left: number; right: number };
  layout?: "portrait" | "landscape";
}

/**
 * A new A4 document with the CJK fonts registered (FONT.regular is current,
 * rare characters fall back as described at withFontFallback) and pages buffered, so that `numberPages` can write "第 N 页 共 M 页" once
 * the page count is known. Call `doc.end()` when done; the document is a
 * Readable stream of the PDF bytes.
 */
export function createPdf(options: CreatePdfOptions = {}): PDFKit.PDFDocument {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: "A4",
    layout: options.layout ?? "portrait",
    margins: options.margins ?? { ...MARGINS },
    bufferPages: true,
    info: {
      Title: options.title ?? "",
      Subject: options.subject ?? "",
      Author: options.author ?? "村社账本 Cunshe Ledger",
      Creator: "村社账本 Cunshe Ledger",
    },
  });
  // pdfkit accepts a parsed fontkit font where its types only list files and buffers
  doc.registerFont(FONT.regular, f.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(FONT.bold, f.bold as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(FONT.regular);
  return withFontFallback(doc);
}

/**
 * Writes a footer on every buffered page: `center(n, total)` in the middle
 * (by default "第 N 页 共 M 页"), optional small texts left and right.
 * Call it last, just before `doc.end()`.
 */
export function numberPages(
  doc: PDFKit.PDFDocument,
  opts: {
    left?: string;
    right?: string;
    center?: (page: number, total: number) => string;
    /** drawn on every page after the content, e.g. a "草稿" watermark */
    overlay?: (doc: PDFKit.PDFDocument, page: number, total: number) => void;
  } = {},
): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  const center = opts.center ?? ((n: number, m: number) => `第 ${n} 页 共 ${m} 页`);
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const n = i - range.start + 1;
    // Writing inside the bottom margin would make pdfkit add a page: lift it for the footer.
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    const y = page.height - bottom + 22;
    const left = page.margins.left;
    const width = page.width - page.margins.left - page.margins.right;
    doc.save();
    doc.font(FONT.regular).fontSize(8).fillColor("#555555");
    doc.text(center(n, total), left, y, { width, align: "center", lineBreak: false });
    if (opts.left) doc.text(opts.left, left, y, { width: width / 3, align: "left", lineBreak: false });
    if (opts.right) doc.text(opts.right, left + (width * 2) / 3, y, { width: width / 3, align: "right", lineBreak: false });
    doc.restore();
    opts.overlay?.(doc, n, total);
    page.margins.bottom = bottom;
  }
  doc.fillColor("black");
}

/** Collects a document's bytes (call before or after `doc.end()`; the stream buffers until read). */
export function pdfToBuffer(doc: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

/**
 * Headers for a PDF download. The file name may be Chinese: RFC 6266/5987
 * `filename*` carries it in UTF-8, `filename` an ASCII fallback for old clients.
 */
export function pdfHeaders(fileName: string, disposition: "inline" | "attachment" = "inline"): Record<string, string> {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    "Content-Type": "application/pdf",
    "Content-Disposition": `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "private, no-store",
  };
}
