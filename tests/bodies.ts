/**
 * Request bodies generated while they are read, for tests and the bench: a
 * multipart form whose file is `size` bytes of a repeated pattern, streamed
 * in chunks, with a count of the bytes the server actually pulled.
 */
export interface Streamed {
  body: ReadableStream<Uint8Array>;
  /** the bytes pulled from the body so far */
  pulled(): number;
  /** the whole body's length */
  length: number;
}

type Segment = Uint8Array | { size: number; pattern: Uint8Array };

/** Streams the segments in chunks of `chunk` bytes, generating patterned ones on demand. */
export function streamOf(segments: Segment[], chunk = 64 * 1024): Streamed {
  let index = 0;
  let offset = 0;
  let pulled = 0;
  const length = segments.reduce((n, s) => n + (s instanceof Uint8Array ? s.byteLength : s.size), 0);
  const block = new Map<Uint8Array, Uint8Array>();
  const patterned = (pattern: Uint8Array) => {
    let b = block.get(pattern);
    if (!b) {
      b = new Uint8Array(Math.ceil(chunk / pattern.length) * pattern.length + pattern.length);
      for (let i = 0; i < b.length; i += pattern.length) b.set(pattern.subarray(0, Math.min(pattern.length, b.length - i)), i);
      block.set(pattern, b);
    }
    return b;
  };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const s = segments[index];
      if (!s) {
        controller.close();
        return;
      }
      const size = s instanceof Uint8Array ? s.byteLength : s.size;
      const n = Math.min(chunk, size - offset);
      let piece: Uint8Array;
      if (s instanceof Uint8Array) piece = s.slice(offset, offset + n);
      else {
        const b = patterned(s.pattern);
        const start = offset % s.pattern.length;
        piece = b.slice(start, start + n);
      }
      offset += n;
      pulled += n;
      if (offset >= size) {
        index++;
        offset = 0;
      }
      controller.enqueue(piece);
    },
  });
  return { body, pulled: () => pulled, length };
}

export const BOUNDARY = "----cunshe-test-boundary-7MA4YWxkTrZu0gW";

/** A multipart/form-data body: text fields, then one file of `file.size` bytes (given content, or a pattern repeated). */
export function multipartStream(fields: Record<string, string>, file: { field?: string; name: string; type?: string; content?: Uint8Array | string; size?: number; pattern?: string }, chunk?: number): Streamed {
  const enc = new TextEncoder();
  let head = "";
  for (const [k, v] of Object.entries(fields)) head += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  head += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field ?? "file"}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`;
  const content: Segment =
    file.content !== undefined ? (typeof file.content === "string" ? enc.encode(file.content) : file.content) : { size: file.size ?? 0, pattern: enc.encode(file.pattern ?? "0123456789,abcdefghij\n") };
  return streamOf([enc.encode(head), content, enc.encode(`\r\n--${BOUNDARY}--\r\n`)], chunk);
}

/** A POST request carrying the stream; with `declareLength` its Content-Length says how long it is, else it is chunked. */
export function streamedRequest(url: string, s: Streamed, opts: { cookie?: string; declareLength?: boolean; contentType?: string } = {}): Request {
  const headers = new Headers({ "Content-Type": opts.contentType ?? `multipart/form-data; boundary=${BOUNDARY}` });
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  if (opts.declareLength) headers.set("Content-Length", String(s.length));
  return new Request(url, { method: "POST", headers, body: s.body, duplex: "half" } as RequestInit);
}
