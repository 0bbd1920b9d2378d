// fontkit 2.x ships no types; these are the parts app/lib/pdf.server.ts and its tests use.
declare module "fontkit" {
  /** A parsed font; pdfkit's registerFont accepts it as is (anything with a `layout` method). */
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
    /** true when the font's cmap maps the code point to a glyph */
    hasGlyphForCodePoint(codePoint: number): boolean;
    /** every code point the font maps */
    characterSet: number[];
    unitsPerEm: number;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
