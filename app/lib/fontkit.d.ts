// fontkit 2.x ships no types; this is the one function app/lib/pdf.server.ts uses.
declare module "fontkit" {
  /** A parsed font; pdfkit's registerFont accepts it as is (anything with a `layout` method). */
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
