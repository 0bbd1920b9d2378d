import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { getUser, type CurrentUser } from "~/auth/session.server";
import { MAX_FILE_BYTES } from "~/imports/imports.server";
import { uploadFromRequest } from "~/imports/upload.server";
import { prisma } from "~/lib/db.server";
import { MiB } from "~/lib/upload-limits.server";
import { MAX_IMPORT_BYTES, MAX_UNZIPPED_BYTES, parsePlotFile } from "~/plots/import";
import { action as pageAction } from "~/routes/_app.imports._index";
import { action as plotImportAction } from "~/routes/_app.plots.import";
import { action as uploadAction } from "~/routes/resources.imports.upload";
import { multipartStream, streamedRequest } from "../bodies";
import { buildWorld, request, type World } from "../factories";
import { csvText, utf8Bytes } from "../fixtures/imports/workbooks";
import { buildZip, deflateRepeated } from "../zips";

let world: World;
let secretary: CurrentUser;
beforeAll(async () => {
  world = await buildWorld();
  secretary = (await getUser(request("/", { cookie: world.users.secretary.cookie })))!;
});

const args = (req: Request) => ({ request: req, params: {}, context: {} }) as never;

/** Status and body of what an action returned: a Response, or data() with its init. */
async function outcome(result: unknown): Promise<{ status: number; body: unknown }> {
  if (result instanceof Response) return { status: result.status, body: result.headers.get("Content-Type")?.includes("json") ? await result.json() : null };
  const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (r && r.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, body: r.data };
  return { status: 200, body: result };
}

const batches = () => prisma.importBatch.count();
const plots = () => prisma.orchardPlot.count();

describe("import uploads are refused at the byte limit while they arrive", () => {
  it("the upload route answers 413 to a 25 MB chunked body after reading little more than 20 MB, and stores nothing", async () => {
    expect(MAX_FILE_BYTES).toBe(20 * MiB);
    const before = await batches();
    const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(world.v1.id) }, { name: "花名册.csv", size: 25 * MiB });
    const r = await outcome(await uploadAction(args(streamedRequest("http://localhost/resources/imports/upload", s, { cookie: world.users.secretary.cookie }))));
    expect(r).toEqual({ status: 413, body: { errors: { file: { key: "importPage.fileTooLarge", params: { mb: 20 } } } } });
    expect(s.pulled()).toBeLessThan(MAX_FILE_BYTES + 64 * 1024 + 2 * 64 * 1024);
    expect(await batches()).toBe(before);
  });

  it("the upload route refuses by Content-Length without reading the body", async () => {
    const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(world.v1.id) }, { name: "花名册.csv", size: 21 * MiB });
    const r = await outcome(await uploadAction(args(streamedRequest("http://localhost/resources/imports/upload", s, { cookie: world.users.secretary.cookie, declareLength: true }))));
    expect(r.status).toBe(413);
    expect(s.pulled()).toBeLessThan(64 * 1024);
  });

  it("the page's own action (no JavaScript) puts the message next to the file field with 413", async () => {
    const before = await batches();
    const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(world.v1.id) }, { name: "花名册.csv", size: 21 * MiB });
    const r = await outcome(await pageAction(args(streamedRequest("http://localhost/imports", s, { cookie: world.users.secretary.cookie }))));
    expect(r).toEqual({ status: 413, body: { errors: { file: { key: "importPage.fileTooLarge", params: { mb: 20 } } } } });
    expect(await batches()).toBe(before);
  });

  it("a 3 MB body at an injected 2 MB limit stops early", async () => {
    const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(world.v1.id) }, { name: "花名册.csv", size: 3 * MiB });
    const r = await uploadFromRequest(secretary, streamedRequest("http://localhost/imports", s), 2 * MiB);
    expect(r).toMatchObject({ ok: false, status: 413, field: "file", error: { key: "importPage.fileTooLarge", params: { mb: 2 } } });
    expect(s.pulled()).toBeLessThan(2.5 * MiB);
  });

  it("a file within the limit still becomes a batch with its fields", async () => {
    const csv = csvText([["户编号", "姓名", "与户主关系", "身份证号"], ["0009", "谢一", "户主", "110105194912310029"]]);
    const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(world.v1.id), updateExisting: "on" }, { name: "花名册.csv", content: utf8Bytes(csv) });
    const raw = await uploadAction(args(streamedRequest("http://localhost/resources/imports/upload", s, { cookie: world.users.secretary.cookie })));
    const res = await outcome(raw);
    expect(res.status).toBe(200);
    const id = (res.body as { id: number }).id;
    // the page navigates to the batch next, where the message naming the file waits (set by the XHR response)
    expect((raw as Response).headers.get("Set-Cookie") ?? "").toContain("__cunshe_flash=");
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id }, select: { kind: true, villageId: true, fileName: true, updateExisting: true, file: true } });
    expect(b).toMatchObject({ kind: "HOUSEHOLDS", villageId: world.v1.id, fileName: "花名册.csv", updateExisting: true });
    expect(Buffer.from(b.file).toString("utf8")).toBe(csv);
  });
});

describe("plot imports: bodies, zips and KML within their limits", () => {
  const plotUrl = "http://localhost/plots/import";
  const preview = async (name: string, content: Uint8Array | string) =>
    outcome(await plotImportAction(args(streamedRequest(plotUrl, multipartStream({ intent: "preview", villageId: String(world.v1.id) }, { name, content }), { cookie: world.users.secretary.cookie }))));

  it("a plot file over its 20 MB limit is refused while it arrives, nothing saved", async () => {
    expect(MAX_IMPORT_BYTES).toBe(20 * MiB);
    const before = await plots();
    const s = multipartStream({ intent: "preview", villageId: String(world.v1.id) }, { name: "plots.geojson", size: 30 * MiB });
    const r = await outcome(await plotImportAction(args(streamedRequest(plotUrl, s, { cookie: world.users.secretary.cookie }))));
    expect(r).toEqual({ status: 413, body: { kind: "error", error: { key: "plots.import.bodyTooLarge", params: { max: 20 } } } });
    expect(s.pulled()).toBeLessThan(21 * MiB);
    expect(await plots()).toBe(before);
  });

  it("a KML with an external entity gets a clear message instead of a 500", async () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&xxe;</name></Placemark></Document></kml>`;
    expect(await preview("plots.kml", kml)).toEqual({ status: 400, body: { kind: "error", error: { key: "plots.import.doctype" } } });
    // the same refusal inside a KMZ
    expect(await preview("plots.kmz", buildZip([{ name: "doc.kml", data: kml }]))).toEqual({ status: 400, body: { kind: "error", error: { key: "plots.import.doctype" } } });
  });

  it("a KMZ whose entry declares 1 KB but inflates past 50 MB stops at the limit", async () => {
    expect(MAX_UNZIPPED_BYTES).toBe(50 * MiB);
    const bomb = await deflateRepeated(`<?xml version="1.0"?><kml><Document>`, "<Folder></Folder>", 60 * MiB, "</Document></kml>");
    const kmz = buildZip([{ name: "doc.kml", deflated: bomb, declaredSize: 1024 }]);
    expect(kmz.length).toBeLessThan(MiB);
    expect(await preview("bomb.kmz", kmz)).toEqual({ status: 400, body: { kind: "error", error: { key: "plots.import.unzippedTooLarge", params: { max: 50 } } } });
  });

  it("a zipped Shapefile is limited the same way (small injected limit)", async () => {
    const shp = await deflateRepeated("", "\u0000", 3 * MiB);
    const zip = buildZip([{ name: "a.prj", data: `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]` }, { name: "a.shp", deflated: shp, declaredSize: 100 }]);
    expect(await parsePlotFile("a.zip", zip, { currentYear: 2026, maxUnzippedBytes: MiB })).toEqual({ ok: false, error: { key: "plots.import.unzippedTooLarge", params: { max: 1 } } });
  });

  it("a file within the limits previews, and its plots save through the URL-encoded form", async () => {
    const before = await plots();
    const r = await preview("luxiezhuang.geojson", new Uint8Array(fs.readFileSync("tests/fixtures/plots/luxiezhuang.geojson")));
    expect(r.status).toBe(200);
    const p = (r.body as { kind: string; preview: { features: { fields: unknown; geometry: unknown; errors: unknown[] }[] } }).preview;
    expect(p.features).toHaveLength(12);
    const features = JSON.stringify(p.features.map((f) => ({ fields: f.fields, geometry: f.geometry, errors: f.errors })));
    // a save answers with a redirect and a message (thrown or returned)
    const saved: unknown = await plotImportAction(args(request("/plots/import", { cookie: world.users.secretary.cookie, form: { intent: "save", villageId: String(world.v1.id), mode: "all", fileName: "luxiezhuang.geojson", features } }))).catch((e: unknown) => e);
    expect(saved).toBeInstanceOf(Response);
    expect((saved as Response).status).toBe(302);
    expect(await plots()).toBe(before + 12);
  });
});
