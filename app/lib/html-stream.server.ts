import { Transform } from "node:stream";

/**
 * React 18.3's Node renderer writes into a 2,048-byte buffer and, when a
 * multi-byte UTF-8 character does not fit in the bytes left, sends the whole
 * buffer with the unwritten tail still zero, then the character in the next
 * one. The page then carries NUL bytes that the browser shows as "�" — in an
 * accessible name, a label no one can find ("��村"). NUL never belongs in
 * HTML and never occurs inside a UTF-8 multi-byte sequence, so dropping every
 * 0x00 byte of the document is exact.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.indexOf(0) === -1) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) out[n++] = chunk[i]!;
      done(null, out.subarray(0, n));
    },
  });
}
