/**
 * Upload bombs: how much the process grows while refusing
 *   1. a 200 MB upload streamed (chunked, no Content-Length) through the
 *      import upload route's action,
 *   2. a KMZ whose entry declares 1 KB but inflates to 1 GiB, through the
 *      plot import's preview,
 *   3. an .xlsx of about 0.7 MB that expands to 700 MB, through readTable
 *      (what the dry run reads a file with).
 * The files are generated here, compressed while they are made (nothing
 * large is committed or held). Growth is the peak RSS during each case minus
 * the RSS just before it, after a full GC: sampled every 5 ms, and on Linux
 * also the kernel's own peak (VmHWM, reset before each case), which catches
 * what a synchronous inflate allocates between two samples.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import { commitSessionCookie, getUser } from "../../app/auth/session.server.ts";
import { readTable } from "../../app/imports/read-table.server.ts";
import { prisma } from "../../app/lib/db.server.ts";
import { previewImport } from "../../app/plots/plots.server.ts";
import { action as uploadAction } from "../../app/routes/resources.imports.upload.tsx";
import { multipartStream, streamedRequest } from "../../tests/bodies.ts";
import { buildZip, deflateRepeated, SHEET_HEAD, SHEET_TAIL, xlsxEntries } from "../../tests/zips.ts";
import type { BenchContext } from "./context.ts";

const MiB = 1024 * 1024;

function collector(): () => void {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  // tsx runs node without --expose-gc: the flag can still be turned on, and gc taken from a fresh context
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** The kernel's peak RSS of this process since the last reset, in bytes; null where /proc cannot reset it. */
function resetPeak(): boolean {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
function kernelPeak(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

async function growth(gc: () => void, op: () => Promise<string>): Promise<{ mb: number; outcome: string; ms: number }> {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const base = process.memoryUsage().rss;
  const canReset = resetPeak();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome = await op();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss, (canReset && kernelPeak()) || 0);
  return { mb: (peak - base) / MiB, outcome, ms };
}

export async function run({ report }: BenchContext) {
  const gc = collector();
  const tag = randomBytes(3).toString("hex");
  // A township, village and secretary of its own, removed afterwards, so the section runs on any migrated database.
  const township = await prisma.township.create({ data: { code: `9999${String(Date.now()).slice(-8)}`, name: `上传测试镇${tag}`, countyCode: "999999" } });
  const village = await prisma.village.create({ data: { townshipId: township.id, code: `${township.code.slice(0, 9)}001`, parcelCode: "001", name: "上传测试村" } });
  const user = await prisma.user.create({ data: { username: `bench-uploads-${tag}`, displayName: "bench", role: "SECRETARY", villageId: village.id, passwordHash: "scrypt$1$1$1$AA==$AA==" } });
  const sessionId = randomBytes(16).toString("hex");
  await prisma.session.create({ data: { id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
  const cookie = (await commitSessionCookie(sessionId)).split(";")[0]!;
  try {
    const secretary = (await getUser(new Request("http://localhost/", { headers: { Cookie: cookie } })))!;

    console.log("(generating the bombs…)");
    const kmlBomb = await deflateRepeated(`<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>`, " ", 1024 * MiB, "</Document></kml>");
    const kmz = buildZip([{ name: "doc.kml", deflated: kmlBomb, declaredSize: 1024 }]);
    const cell = `<row><c t="inlineStr"><is><t>`;
    const sheetBomb = await deflateRepeated(SHEET_HEAD + cell, "A", 700 * MiB, `</t></is></c></row>` + SHEET_TAIL);
    const xlsx = buildZip(xlsxEntries(sheetBomb));
    console.log(`(kmz ${(kmz.length / MiB).toFixed(2)} MB → ${kmlBomb.size / MiB} MiB declared as 1 KB; xlsx ${(xlsx.length / MiB).toFixed(2)} MB → ${(sheetBomb.size / MiB).toFixed(0)} MiB)`);

    const upload = await growth(gc, async () => {
      const s = multipartStream({ kind: "HOUSEHOLDS", villageId: String(village.id) }, { name: "花名册.csv", size: 200 * MiB });
      const res = (await uploadAction({ request: streamedRequest("http://localhost/resources/imports/upload", s, { cookie }), params: {}, context: {} } as never)) as Response;
      return `${res.status} after reading ${(s.pulled() / MiB).toFixed(1)} of ${(s.length / MiB).toFixed(0)} MB`;
    });
    const zip = await growth(gc, async () => {
      const r = await previewImport(secretary, village.id, "bomb.kmz", new Uint8Array(kmz));
      return r.ok ? "read!" : r.error.key;
    });
    const sheet = await growth(gc, async () => {
      const r = await readTable(new Uint8Array(xlsx), "bomb.xlsx");
      return r.ok ? "read!" : r.error.key;
    });
    for (const [name, m] of [["200 MB upload", upload], ["1 GiB zip entry declared 1 KB", zip], ["700 MB xlsx", sheet]] as const) {
      console.log(`(${name}: ${m.outcome}, +${m.mb.toFixed(0)} MB RSS, ${m.ms.toFixed(0)} ms)`);
    }
    if ([zip, sheet].some((m) => m.outcome === "read!") || !upload.outcome.startsWith("413")) throw new Error("an upload bomb was not refused");
    report("upload_bomb_rss_growth_mb", Math.max(upload.mb, zip.mb, sheet.mb));
  } finally {
    await prisma.session.deleteMany({ where: { userId: user.id } });
    await prisma.importBatch.deleteMany({ where: { villageId: village.id } });
    await prisma.user.delete({ where: { id: user.id } });
    await prisma.village.delete({ where: { id: village.id } });
    await prisma.township.delete({ where: { id: township.id } });
  }
}
