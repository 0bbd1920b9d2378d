/**
 * Zip archives written byte by byte, for tests and the bench: ordinary ones,
 * and ones whose headers lie about an entry's size (a zip bomb's trick).
 * Large contents are generated and deflated as a stream, never held whole.
 */
import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

export interface Deflated {
  /** the raw deflate stream */
  bytes: Buffer;
  /** the true inflated size */
  size: number;
  crc: number;
}

export interface ZipEntrySpec {
  name: string;
  /** the content (deflated here), or a content deflated already */
  data?: Uint8Array | string;
  deflated?: Deflated;
  /** the uncompressed size written in both headers; the true size when omitted */
  declaredSize?: number;
}

export function deflate(data: Uint8Array | string): Deflated {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
  return { bytes: deflateRawSync(buf), size: buf.length, crc: crc32(buf) };
}

/** Deflates `total` bytes made by repeating `pattern` (then `tail`), streaming: memory stays at the compressed size. */
export async function deflateRepeated(head: string, pattern: string, total: number, tail = ""): Promise<Deflated> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on("data", (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on("end", resolve);
    z.on("error", reject);
  });
  const headBuf = Buffer.from(head);
  const tailBuf = Buffer.from(tail);
  const unit = Buffer.from(pattern);
  const block = Buffer.alloc(Math.max(unit.length, Math.floor((1 << 20) / unit.length) * unit.length));
  for (let i = 0; i < block.length; i += unit.length) unit.copy(block, i);
  let crc = crc32(headBuf);
  let size = headBuf.length;
  z.write(headBuf);
  const body = total - headBuf.length - tailBuf.length;
  for (let left = body; left > 0; ) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    size += piece.length;
    left -= piece.length;
    if (!z.write(piece)) await new Promise((r) => z.once("drain", r));
  }
  crc = crc32(tailBuf, crc);
  size += tailBuf.length;
  z.end(tailBuf);
  await done;
  return { bytes: Buffer.concat(out), size, crc };
}

/** A zip with every entry deflated, its sizes as declared (true unless overridden). */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const d = e.deflated ?? deflate(e.data ?? "");
    const name = Buffer.from(e.name, "utf8");
    const declared = e.declaredSize ?? d.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(d.crc >>> 0, 14);
    local.writeUInt32LE(d.bytes.length, 18);
    local.writeUInt32LE(declared >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(d.crc >>> 0, 16);
    central.writeUInt32LE(d.bytes.length, 20);
    central.writeUInt32LE(declared >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, d.bytes);
    centrals.push(central, name);
    offset += 30 + name.length + d.bytes.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of a minimal .xlsx around one sheet's XML (or its deflated form). */
export function xlsxEntries(sheet: string | Deflated, opts: { declaredSize?: number } = {}): ZipEntrySpec[] {
  const sheetEntry: ZipEntrySpec = typeof sheet === "string" ? { name: "xl/worksheets/sheet1.xml", data: sheet } : { name: "xl/worksheets/sheet1.xml", deflated: sheet };
  if (opts.declaredSize !== undefined) sheetEntry.declaredSize = opts.declaredSize;
  return [
    {
      name: "[Content_Types].xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    },
    {
      name: "_rels/.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: "xl/workbook.xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    sheetEntry,
  ];
}

/** One row of inline strings, as sheet XML. */
export function sheetRow(cells: string[]): string {
  return `<row>${cells.map((c) => `<c t="inlineStr"><is><t>${c}</t></is></c>`).join("")}</row>`;
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
export const SHEET_TAIL = `</sheetData></worksheet>`;
