/**
 * Limits that hold while an upload arrives and while it is unpacked, so that
 * no file can make the server hold more than a bounded amount of memory:
 *
 * - request bodies: refused by their Content-Length before a byte is read,
 *   and counted while they stream in, so a body without a length (chunked)
 *   is stopped at the limit instead of being buffered whole;
 * - zip archives (.xlsx, .kmz, zipped Shapefiles): entries are found from the
 *   central directory and inflated with a ceiling on the bytes actually
 *   produced, never trusting the sizes the archive declares;
 * - XML with a DOCTYPE is refused (entities are the classic bomb and leak).
 */
import { StringDecoder } from "node:string_decoder";
import { createInflateRaw, inflateRawSync } from "node:zlib";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

export const MiB = 1024 * 1024;

/** Room for the form's other fields and the multipart framing around the file. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/** The body (or one file in it) is larger than the limit. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** An archive inflates to more than its budget. */
export class InflateLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`archive inflates to more than ${limit} bytes`);
  }
}

/** Not a zip this reader can open: damaged, encrypted, or an unknown compression. */
export class ZipFormatError extends Error {}

// ─── Request bodies ─────────────────────────────────────────────────────────

/** The Content-Length the client declared, or null (chunked bodies have none). */
export function declaredLength(request: Request): number | null {
  const v = request.headers.get("Content-Length");
  if (v === null || !/^\d+$/.test(v.trim())) return null;
  return Number(v);
}

/**
 * The stream, erroring with BodyTooLarge once more than maxBytes have come
 * through. Cancelling it does not cancel the source: cancelling a Node
 * request destroys its socket, and the client would then see a reset instead
 * of the 413. The unread rest is left to the server, which closes the
 * connection after the response.
 */
export function limitStream(source: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let seen = 0;
  const release = () => {
    try {
      reader.releaseLock();
    } catch {
      // a read is still pending: the lock goes with the request
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await reader.read();
      if (r.done) {
        release();
        controller.close();
        return;
      }
      seen += r.value.byteLength;
      if (seen > maxBytes) {
        release();
        controller.error(new BodyTooLarge(maxBytes));
        return;
      }
      controller.enqueue(r.value);
    },
    cancel() {
      release();
    },
  });
}

export interface FormLimits {
  /** the whole body */
  maxBodyBytes: number;
  /** each uploaded file */
  maxFileBytes: number;
}

/** tooLarge names the file limit, for the message; malformed is a body that is not the form it says it is. */
export type LimitedForm = { ok: true; form: FormData } | { ok: false; reason: "tooLarge"; limit: number } | { ok: false; reason: "malformed" };

/** Text fields of a multipart form beyond this are not form fields but an attack. */
const MAX_MULTIPART_FIELD_BYTES = 64 * 1024;

/**
 * Reads a form body (multipart or URL-encoded) without ever holding more than
 * the limits: the Content-Length is checked first, then the body is counted
 * while it streams; multipart files are collected part by part and refused as
 * soon as one passes maxFileBytes.
 */
export async function readLimitedForm(request: Request, limits: FormLimits): Promise<LimitedForm> {
  const declared = declaredLength(request);
  if (declared !== null && declared > limits.maxBodyBytes) return { ok: false, reason: "tooLarge", limit: limits.maxFileBytes };
  if (!request.body) return { ok: true, form: new FormData() };
  const body = limitStream(request.body, limits.maxBodyBytes);
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  try {
    if (type.startsWith("multipart/form-data")) {
      const limited = new Request(request.url, { method: request.method, headers: request.headers, body: keepDashesTogether(body), duplex: "half" } as RequestInit);
      return { ok: true, form: await unstable_parseMultipartFormData(limited, limitedUploadHandler(limits.maxFileBytes)) };
    }
    const text = await new Response(body).text();
    const form = new FormData();
    if (type.startsWith("application/x-www-form-urlencoded") || type === "") for (const [k, v] of new URLSearchParams(text)) form.append(k, v);
    return { ok: true, form };
  } catch (e) {
    if (e instanceof BodyTooLarge) return { ok: false, reason: "tooLarge", limit: limits.maxFileBytes };
    if (e instanceof TypeError || (e instanceof Error && /malformed|unexpected end/i.test(e.message))) return { ok: false, reason: "malformed" };
    throw e;
  }
}

/**
 * The multipart parser under unstable_parseMultipartFormData recognises the
 * end of a form only when the "--" after the last boundary arrives in one
 * chunk: a network chunk ending between those two dashes failed the whole
 * upload as malformed. Dashes at the end of a chunk therefore wait for the
 * next one (a few KB at most).
 */
export function keepDashesTogether(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let carry: Uint8Array | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          if (carry) controller.enqueue(carry);
          controller.close();
          return;
        }
        let chunk: Uint8Array = r.value;
        if (carry) {
          const joined = new Uint8Array(carry.length + chunk.length);
          joined.set(carry);
          joined.set(chunk, carry.length);
          chunk = joined;
          carry = null;
        }
        let end = chunk.length;
        while (end > 0 && chunk[end - 1] === 0x2d && chunk.length - end < 4096) end--;
        if (end < chunk.length) {
          carry = chunk.slice(end);
          chunk = chunk.subarray(0, end);
        }
        if (chunk.length) {
          controller.enqueue(chunk);
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Keeps each part in memory up to its limit: files up to maxFileBytes, text fields up to 64 KB. */
export function limitedUploadHandler(maxFileBytes: number): UploadHandler {
  return async ({ filename, contentType, data }) => {
    const limit = typeof filename === "string" ? maxFileBytes : MAX_MULTIPART_FIELD_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > limit) throw new BodyTooLarge(limit);
      chunks.push(chunk);
    }
    if (typeof filename === "string") return new File(chunks as BlobPart[], filename, { type: contentType });
    return new TextDecoder().decode(Buffer.concat(chunks));
  };
}

// ─── Zip archives ───────────────────────────────────────────────────────────

export interface ZipLimits {
  /** bytes all reads together may inflate to */
  maxInflatedBytes: number;
  /** entries in the central directory */
  maxEntries?: number;
}

interface Entry {
  name: string;
  dir: boolean;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export interface ZipArchive {
  /** entry names in directory order, folders excluded */
  readonly names: string[];
  /** the entry whose name equals `name`, ignoring case when no exact match exists */
  find(name: string): string | null;
  /** the entry's bytes; throws InflateLimitExceeded once all reads together pass the budget */
  read(name: string): Buffer;
  /**
   * The entry as UTF-8 text, inflated as a stream and decoded chunk by chunk:
   * about half the peak memory of read() then toString(), which holds the
   * chunks, their concatenation and the string at once.
   */
  readText(name: string): Promise<string>;
  /** bytes inflated so far */
  readonly inflated: number;
}

const u16 = (b: Buffer, at: number) => b.readUInt16LE(at);
const u32 = (b: Buffer, at: number) => b.readUInt32LE(at);
function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("zip64 value out of range");
  return Number(v);
}

function fileName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString("utf8");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    // Chinese Windows zips names in GBK without saying so.
    return new TextDecoder("gb18030").decode(raw);
  }
}

/**
 * Opens a zip from its central directory. Reads inflate with a ceiling taken
 * from the budget left, so an entry that declares 1 KB and inflates to 1 GiB
 * stops at the budget: memory grows by at most the budget, whatever the
 * headers say.
 */
export function openZip(bytes: Uint8Array, limits: ZipLimits): ZipArchive {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const maxEntries = limits.maxEntries ?? 20_000;
  // End of central directory: 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (u32(b, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no end of central directory");
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  let shift = 0;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) throw new ZipFormatError("zip64 locator missing");
    const z = u64(b, loc + 8);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) throw new ZipFormatError("zip64 directory missing");
    count = u64(b, z + 32);
    cdSize = u64(b, z + 40);
    cdOffset = u64(b, z + 48);
  } else if (cdOffset + cdSize < eocd) {
    // bytes before the archive (a self-extracting stub): offsets are relative to its start
    shift = eocd - (cdOffset + cdSize);
  }
  if (count > maxEntries) throw new ZipFormatError(`more than ${maxEntries} entries`);
  const entries = new Map<string, Entry>();
  const names: string[] = [];
  let p = cdOffset + shift;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) throw new ZipFormatError("damaged central directory");
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    let compressedSize = u32(b, p + 20);
    const uncompressed32 = u32(b, p + 24);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    let localOffset = u32(b, p + 42);
    if (p + 46 + nameLen + extraLen > b.length) throw new ZipFormatError("damaged central directory");
    const name = fileName(b.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    // Zip64 sizes and offsets sit in extra field 0x0001, in this order, for the fields marked 0xFFFFFFFF.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = u16(b, e);
      const len = u16(b, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed32 === 0xffffffff) q += 8;
        if (compressedSize === 0xffffffff) compressedSize = u64(b, (q += 8) - 8);
        if (localOffset === 0xffffffff) localOffset = u64(b, q);
      }
      e += 4 + len;
    }
    if (flags & 0x1) throw new ZipFormatError("encrypted entry");
    const dir = name.endsWith("/") || name.endsWith("\\");
    if (!dir) {
      if (method !== 0 && method !== 8) throw new ZipFormatError(`compression method ${method}`);
      if (!entries.has(name)) names.push(name);
      entries.set(name, { name, dir, method, compressedSize, localOffset: localOffset + shift });
    }
    p += 46 + nameLen + extraLen + commentLen;
  }

  let inflated = 0;
  const lower = new Map<string, string>();
  for (const n of names) if (!lower.has(n.toLowerCase())) lower.set(n.toLowerCase(), n);
  return {
    names,
    get inflated() {
      return inflated;
    },
    find(name) {
      return entries.has(name) ? name : (lower.get(name.toLowerCase()) ?? null);
    },
    read(name) {
      const { e, data } = locate(name);
      const left = limits.maxInflatedBytes - inflated;
      let out: Buffer;
      if (e.method === 0) {
        if (data.length > left) throw new InflateLimitExceeded(limits.maxInflatedBytes);
        out = Buffer.from(data);
      } else {
        try {
          // maxOutputLength is a ceiling on what zlib produces, not on what the header claims.
          out = inflateRawSync(data, { maxOutputLength: Math.max(1, left), chunkSize: 64 * 1024 });
        } catch (err) {
          if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) throw new InflateLimitExceeded(limits.maxInflatedBytes);
          throw new ZipFormatError(`damaged entry ${name}`);
        }
        if (out.length > left) throw new InflateLimitExceeded(limits.maxInflatedBytes);
      }
      inflated += out.length;
      return out;
    },
    readText(name) {
      const { e, data } = locate(name);
      const left = limits.maxInflatedBytes - inflated;
      if (e.method === 0) {
        if (data.length > left) return Promise.reject(new InflateLimitExceeded(limits.maxInflatedBytes));
        inflated += data.length;
        return Promise.resolve(data.toString("utf8"));
      }
      return new Promise<string>((resolve, reject) => {
        const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
        const decoder = new StringDecoder("utf8");
        const parts: string[] = [];
        let produced = 0;
        let stopped = false;
        inflater.on("data", (chunk: Buffer) => {
          if (stopped) return;
          produced += chunk.length;
          if (produced > left) {
            stopped = true;
            inflater.destroy();
            reject(new InflateLimitExceeded(limits.maxInflatedBytes));
            return;
          }
          parts.push(decoder.write(chunk));
        });
        inflater.on("end", () => {
          if (stopped) return;
          inflated += produced;
          parts.push(decoder.end());
          const text = parts.join("");
          // the inflater (and so these listeners) can outlive the read: do not let it hold the pieces
          parts.length = 0;
          resolve(text);
        });
        inflater.on("error", () => {
          if (stopped) return;
          stopped = true;
          reject(new ZipFormatError(`damaged entry ${name}`));
        });
        inflater.end(data);
      });
    },
  };

  function locate(name: string): { e: Entry; data: Buffer } {
    const e = entries.get(name);
    if (!e) throw new ZipFormatError(`no entry ${name}`);
    const at = e.localOffset;
    if (at + 30 > b.length || u32(b, at) !== 0x04034b50) throw new ZipFormatError("damaged local header");
    const start = at + 30 + u16(b, at + 26) + u16(b, at + 28);
    const end = start + e.compressedSize;
    if (end > b.length) throw new ZipFormatError("entry runs past the end of the file");
    return { e, data: b.subarray(start, end) };
  }
}

export const isZip = (b: Uint8Array) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

// ─── XML ────────────────────────────────────────────────────────────────────

/**
 * Whether an XML text declares a DOCTYPE. A DOCTYPE may only stand in the
 * prolog, before the root element; neither KML nor the parts of an .xlsx
 * ever needs one, and its entities are how XML bombs and file leaks work.
 */
export function hasDoctype(xml: string): boolean {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  // the prolog: the declaration, processing instructions and comments, then a DOCTYPE or the root
  for (;;) {
    while (i < xml.length && (xml[i] === " " || xml[i] === "\t" || xml[i] === "\r" || xml[i] === "\n")) i++;
    const close = xml.startsWith("<?", i) ? "?>" : xml.startsWith("<!--", i) ? "-->" : null;
    if (!close) return xml.slice(i, i + 9).toUpperCase() === "<!DOCTYPE";
    const end = xml.indexOf(close, i + 2);
    if (end < 0) return false; // unclosed: the parser refuses the file anyway
    i = end + close.length;
  }
}
