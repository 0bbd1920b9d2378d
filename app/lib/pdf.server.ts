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

let fonts: { regular: fontkit.Font; bold: fontkit.Font } | null = null;

/**
 * The package's `exports` hide its font files from require.resolve, so look
 * for node_modules from the working directory and from this module upwards
 * (the built server lives in build/, tests run from the repo root).
 */
function findFontDir(): string {
  const tried: string[] = [];
  const starts = [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, FONT_SUBDIR);
      tried.push(candidate);
      if (fs.existsSync(path.join(candidate, REGULAR))) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`CJK font not found (npm install @embedpdf/fonts-sc); looked in: ${tried.join(", ")}`);
}

/** Reads and parses the two fonts on first use and keeps them for the life of the process. */
export function loadFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  if (!fonts) {
    const dir = findFontDir();
    fonts = {
      regular: fontkit.create(fs.readFileSync(path.join(dir, REGULAR))),
      bold: fontkit.create(fs.readFileSync(path.join(dir, BOLD))),
    };
  }
  return fonts;
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
 * A new A4 document with the CJK fonts registered (FONT.regular is current)
 * and pages buffered, so that `numberPages` can write "第 N 页 共 M 页" once
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
  return doc;
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
