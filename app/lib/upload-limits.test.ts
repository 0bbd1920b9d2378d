import fc from "fast-check";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { multipartStream, streamOf, streamedRequest } from "../../tests/bodies";
import { buildZip, deflateRepeated } from "../../tests/zips";
import { BodyTooLarge, hasDoctype, InflateLimitExceeded, limitStream, MiB, openZip, readLimitedForm, ZipFormatError } from "./upload-limits.server";

const URL = "http://localhost/upload";

describe("readLimitedForm: bodies are refused while they arrive", () => {
  it("refuses a 3 MB chunked upload at a 2 MB limit, having read little more than 2 MB", async () => {
    const s = multipartStream({ kind: "HOUSEHOLDS" }, { name: "a.csv", size: 3 * MiB });
    const r = await readLimitedForm(streamedRequest(URL, s), { maxBodyBytes: 2 * MiB + 4096, maxFileBytes: 2 * MiB });
    expect(r).toEqual({ ok: false, reason: "tooLarge", limit: 2 * MiB });
    // stopped within a chunk or two of the limit, never reading the rest
    expect(s.pulled()).toBeLessThan(2 * MiB + 4096 + 2 * 64 * 1024);
    expect(s.pulled()).toBeLessThan(s.length);
  });

  it("refuses by Content-Length before reading a byte", async () => {
    const s = multipartStream({}, { name: "a.csv", size: 3 * MiB });
    const r = await readLimitedForm(streamedRequest(URL, s, { declareLength: true }), { maxBodyBytes: 2 * MiB, maxFileBytes: 2 * MiB });
    expect(r).toMatchObject({ ok: false, reason: "tooLarge" });
    // only what the stream queues by itself when it is made: the form's first piece
    expect(s.pulled()).toBeLessThan(1000);
  });

  it("stops a body that is only fields, or not multipart at all, at the body limit", async () => {
    const big = streamOf([{ size: 5 * MiB, pattern: new TextEncoder().encode("a=1&") }]);
    const r = await readLimitedForm(streamedRequest(URL, big, { contentType: "application/x-www-form-urlencoded" }), { maxBodyBytes: MiB, maxFileBytes: MiB });
    expect(r).toMatchObject({ ok: false, reason: "tooLarge" });
    expect(big.pulled()).toBeLessThanOrEqual(MiB + 2 * 64 * 1024);
  });

  it("passes a form within the limits through unchanged", async () => {
    const content = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const s = multipartStream({ kind: "PLOTS", villageId: "7", updateExisting: "on" }, { name: "地块.csv", content });
    const r = await readLimitedForm(streamedRequest(URL, s), { maxBodyBytes: MiB, maxFileBytes: 300_000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.form.get("kind")).toBe("PLOTS");
    expect(r.form.get("villageId")).toBe("7");
    const file = r.form.get("file") as File;
    expect(file.name).toBe("地块.csv");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(content);
  });

  it("reads a form whose last chunk splits the closing dashes (the parser alone called it malformed)", async () => {
    const text = `--b0\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx,y\r\n--b0--\r\n`;
    const cut = text.length - 3; // between the two dashes after the last boundary
    for (const pieces of [[text.slice(0, cut), text.slice(cut)], [...text]]) {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of pieces) c.enqueue(new TextEncoder().encode(p));
          c.close();
        },
      });
      const req = new Request(URL, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=b0" }, body, duplex: "half" } as RequestInit);
      const r = await readLimitedForm(req, { maxBodyBytes: 1000, maxFileBytes: 1000 });
      expect(r.ok && (await (r.form.get("file") as File).text())).toBe("x,y");
    }
  });

  it("reads URL-encoded forms too", async () => {
    const req = new Request(URL, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=save&features=%5B%5D" });
    const r = await readLimitedForm(req, { maxBodyBytes: 1000, maxFileBytes: 0 });
    expect(r.ok && [r.form.get("intent"), r.form.get("features")]).toEqual(["save", "[]"]);
  });

  it("says a cut-off multipart body is malformed instead of failing with a 500", async () => {
    const req = new Request(URL, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=xyz" }, body: "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhal" });
    expect(await readLimitedForm(req, { maxBodyBytes: 1000, maxFileBytes: 1000 })).toEqual({ ok: false, reason: "malformed" });
  });

  it("property: a file is accepted exactly when it fits, and a refusal never reads past the body limit by more than two chunks (the one read, the one queued)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 150_000 }), fc.integer({ min: 1, max: 40_000 }), async (size, maxFile, chunk) => {
        const s = multipartStream({ kind: "HOUSEHOLDS" }, { name: "a.csv", size }, chunk);
        const maxBody = maxFile + 1024;
        const r = await readLimitedForm(streamedRequest(URL, s), { maxBodyBytes: maxBody, maxFileBytes: maxFile });
        expect(r.ok).toBe(size <= maxFile);
        if (r.ok) expect((r.form.get("file") as File).size).toBe(size);
        else expect(s.pulled()).toBeLessThanOrEqual(maxBody + 2 * chunk);
      }),
      { numRuns: 60 },
    );
  });
});

describe("limitStream", () => {
  it("errors once more than the limit has come through, and does not cancel the source", async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(1000)),
      cancel: () => {
        cancelled = true;
      },
    });
    const limited = limitStream(source, 2500);
    const reader = limited.getReader();
    let got = 0;
    await expect(
      (async () => {
        for (;;) {
          const r = await reader.read();
          if (r.done) return;
          got += r.value.byteLength;
        }
      })(),
    ).rejects.toBeInstanceOf(BodyTooLarge);
    expect(got).toBe(2000);
    await reader.cancel().catch(() => undefined);
    // cancelling a Node request would destroy its socket before the 413 could be sent
    expect(cancelled).toBe(false);
  });
});

describe("openZip: entries are limited by the bytes actually inflated", () => {
  it("reads what JSZip writes, deflated or stored", async () => {
    const zip = new JSZip();
    zip.file("doc.kml", "<kml/>".repeat(1000));
    zip.file("中文/说明.txt", "村社账本", { compression: "STORE" });
    zip.folder("empty");
    const a = openZip(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" }), { maxInflatedBytes: MiB });
    expect(a.names.sort()).toEqual(["doc.kml", "中文/说明.txt"]);
    expect(a.read("doc.kml").toString()).toBe("<kml/>".repeat(1000));
    expect(a.read(a.find("中文/说明.TXT")!).toString()).toBe("村社账本");
    expect(a.inflated).toBe(6000 + 12);
  });

  it("stops an entry that declares 1 KB but inflates to 3 MB at a 1 MB budget", async () => {
    const bomb = await deflateRepeated("<kml>", " ", 3 * MiB, "</kml>");
    const bytes = buildZip([{ name: "doc.kml", deflated: bomb, declaredSize: 1024 }]);
    const a = openZip(bytes, { maxInflatedBytes: MiB });
    expect(() => a.read("doc.kml")).toThrow(InflateLimitExceeded);
    expect(a.inflated).toBe(0);
    // the same bytes with an honest budget read whole: the limit, not a format error, refused them
    expect(openZip(bytes, { maxInflatedBytes: 4 * MiB }).read("doc.kml").length).toBe(3 * MiB);
  });

  it("counts every read against one budget", () => {
    const part = "x".repeat(600_000);
    const a = openZip(buildZip([{ name: "a", data: part }, { name: "b", data: part }]), { maxInflatedBytes: MiB });
    expect(a.read("a").length).toBe(600_000);
    expect(() => a.read("b")).toThrow(InflateLimitExceeded);
  });

  it("refuses damaged, encrypted and oversized directories as format errors", () => {
    expect(() => openZip(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), { maxInflatedBytes: MiB })).toThrow(ZipFormatError);
    const enc = buildZip([{ name: "a", data: "secret" }]);
    enc.writeUInt16LE(0x801, enc.indexOf(Buffer.from([0x50, 0x4b, 1, 2])) + 8);
    expect(() => openZip(enc, { maxInflatedBytes: MiB })).toThrow(ZipFormatError);
    const many = buildZip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: "" })));
    expect(() => openZip(many, { maxInflatedBytes: MiB, maxEntries: 20 })).toThrow(ZipFormatError);
    const cut = buildZip([{ name: "a", data: "y".repeat(5000) }]);
    cut.writeUInt32LE(99_999, cut.indexOf(Buffer.from([0x50, 0x4b, 1, 2])) + 20); // compressed size past the end
    expect(() => openZip(cut, { maxInflatedBytes: MiB }).read("a")).toThrow(ZipFormatError);
  });

  it("property: a read succeeds exactly when the true size fits the budget left, whatever size is declared", async () => {
    await fc.assert(
      fc.property(fc.array(fc.record({ size: fc.integer({ min: 0, max: 50_000 }), declared: fc.integer({ min: 0, max: 0xffffffff }) }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 150_000 }), (specs, budget) => {
        const zip = openZip(buildZip(specs.map((s, i) => ({ name: `e${i}`, data: "z".repeat(s.size), declaredSize: s.declared }))), { maxInflatedBytes: budget });
        let used = 0;
        for (const [i, s] of specs.entries()) {
          if (used + s.size <= budget) {
            expect(zip.read(`e${i}`).length).toBe(s.size);
            used += s.size;
          } else {
            expect(() => zip.read(`e${i}`)).toThrow(InflateLimitExceeded);
            return;
          }
          expect(zip.inflated).toBe(used);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("hasDoctype", () => {
  it.each([
    [`<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml/>`, true],
    [`\ufeff<?xml version="1.0"?>\n<!-- made by hand <kml> -->\n<!doctype kml><kml/>`, true],
    [`<?xml version="1.0"?><kml><description><![CDATA[<!DOCTYPE html><p>x</p>]]></description></kml>`, false],
    [`<?xml version="1.0"?><worksheet/>`, false],
    [``, false],
  ])("%s → %s", (xml, expected) => {
    expect(hasDoctype(xml)).toBe(expected);
  });
});
