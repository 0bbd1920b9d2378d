import { PassThrough, Writable } from "node:stream";
import { createElement, type ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "./html-stream.server";

function render(element: ReactElement, through: () => NodeJS.ReadWriteStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        parts.push(Buffer.from(chunk));
        done();
      },
    });
    sink.on("finish", () => resolve(Buffer.concat(parts)));
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        const body = through();
        body.pipe(sink);
        pipe(body as NodeJS.WritableStream);
      },
      onShellError: reject,
    });
  });
}

describe("the HTML stream", () => {
  // A label whose 3-byte character starts 2 bytes before React's 2,048-byte buffer ends.
  const page = (pad: number) =>
    createElement("div", null, createElement("p", null, "x".repeat(pad % 64)), ...Array.from({ length: 200 + Math.floor(pad / 64) }, (_, i) => createElement("i", { key: i }, "y")), createElement("select", { "aria-label": "村" }));

  it("never carries NUL bytes, wherever a Chinese character meets React's buffer boundary", async () => {
    for (let pad = 0; pad < 640; pad++) {
      const raw = await render(page(pad), () => new PassThrough());
      const html = await render(page(pad), withoutNulBytes);
      expect(html.includes(0)).toBe(false);
      expect(html.toString("utf8")).toContain('aria-label="村"');
      expect(html.toString("utf8")).toBe(raw.toString("utf8").replace(/\0/g, ""));
    }
  });

  it("drops the zero bytes React leaves at the end of a full buffer, and only those", async () => {
    // what the server sent for /households: "…aria-label=\"" at the end of one 2,048-byte buffer, two zero bytes, then 村
    const sent = [Buffer.concat([Buffer.from('<select aria-label="'), Buffer.from([0, 0])]), Buffer.from('村">')];
    const out: Buffer[] = [];
    const t = withoutNulBytes();
    t.on("data", (c: Buffer) => out.push(c));
    for (const c of sent) t.write(c);
    t.end();
    await new Promise((r) => t.on("end", r));
    expect(Buffer.concat(out).toString("utf8")).toBe('<select aria-label="村">');
  });
});
