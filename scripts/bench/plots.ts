import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { chromium } from "playwright-core";
import type { Scope } from "../../app/auth/permissions.ts";
import { mapPlots, plotExtent } from "../../app/plots/plots.server.ts";
import { DEMO_ACCOUNTS } from "../lib/demo-data.ts";
import { seedOrchardPlots } from "../lib/demo-plots.ts";
import { measure, percentile, type BenchContext } from "./context.ts";

const TOWNSHIP = "小留镇";
const LOADS = 7;

/**
 * The township map (issue: orchard plots): how much plot data the browser
 * receives for 小留镇's thousands of plots, and how long from navigation
 * until every plot is on the canvas in headless Chromium, with no tiles.
 * The district data set gets its plots here when it has none yet.
 */
export async function run({ db, report }: BenchContext) {
  const raw = new Database(db);
  const added = seedOrchardPlots(raw, { scale: "district" });
  if (!added.skipped) console.log(`added ${added.plots} orchard plots to the district data set (${JSON.stringify(added.byTownship)})`);
  const township = raw.prepare("SELECT id FROM Township WHERE name = ?").get(TOWNSHIP) as { id: number };
  const { n: plots } = raw.prepare("SELECT COUNT(*) AS n FROM OrchardPlot WHERE townshipId = ?").get(township.id) as { n: number };
  raw.close();
  report("map_township_plots", plots);

  // The resource route's work in-process: query, overlap flags, encoding.
  const scope: Scope = { kind: "township", townshipId: township.id };
  const extent = (await plotExtent(scope, { townshipId: township.id }))!;
  const server = await measure(20, () => mapPlots(scope, { bbox: extent, zoom: 13, townshipId: township.id }), 3);
  report("map_data_server_p50_ms", percentile(server, 50));

  const serve = await startServer(db);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "zh-CN" });
    // No tile server: the map must not wait for one.
    await page.route(/tile\.openstreetmap\.org|tianditu\.gov\.cn|autonavi\.com/, (r) => r.abort());
    const account = DEMO_ACCOUNTS.find((a) => a.username === "township")!;
    await page.goto(`${serve.url}/login`);
    await page.fill('input[name="username"]', account.username);
    await page.fill('input[name="password"]', account.password);
    await Promise.all([page.waitForURL(/\/home/), page.click('button[type="submit"]')]);

    const loads: { ms: number; bytes: number; transferred: number; drawn: number; html: number; data: number }[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const data = page.waitForResponse((r) => r.url().includes("/resources/plots/map"));
      await page.goto(`${serve.url}/plots/township/${township.id}`);
      const response = await data;
      const bytes = (await response.body()).length;
      const transferred = (await response.request().sizes()).responseBodySize;
      // Poll slowly: the time comes from the page's own mark, and a busy poll would steal the main thread it measures.
      await page.waitForFunction(() => document.querySelector("[data-plots-drawn]") !== null, null, { polling: 500, timeout: 60_000 });
      const { ms, html, data: dataAt } = await page.evaluate(() => ({
        ms: performance.getEntriesByName("plots-drawn").at(-1)!.startTime,
        html: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseEnd,
        data: performance.getEntriesByName("plots-data").at(-1)!.startTime,
      }));
      const drawn = Number(await page.getAttribute("[data-plots-drawn]", "data-plots-drawn"));
      // The first load fills the browser's cache and the server's overlap index: a warm-up.
      if (i > 0) loads.push({ ms, bytes, transferred, drawn, html, data: dataAt });
      else report("map_draw_first_load_ms", ms);
    }
    const median = <T,>(xs: T[], f: (x: T) => number) => xs.map(f).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    if (loads.some((l) => l.drawn !== plots)) console.warn(`warning: drew ${loads.map((l) => l.drawn).join(", ")} plots of ${plots}`);
    report("map_plots_drawn", median(loads, (l) => l.drawn));
    report("map_payload_kb", median(loads, (l) => l.bytes) / 1024);
    report("map_payload_gzip_kb", median(loads, (l) => l.transferred) / 1024);
    // Where the time goes: the page itself, then the data read in the browser, then decoding and painting.
    report("map_html_ms", median(loads, (l) => l.html));
    report("map_data_ready_ms", median(loads, (l) => l.data));
    report("map_paint_ms", median(loads, (l) => l.ms - l.data));
    report("map_draw_ms", median(loads, (l) => l.ms));
  } finally {
    await browser.close();
    serve.stop();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The production build (rebuilt when stale, as `npm start` does) served on the district database. */
async function startServer(db: string): Promise<{ url: string; stop: () => void }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${db}`, NODE_ENV: "production", INSECURE_COOKIES: "1" };
  const setup = spawnSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/setup.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
  if (setup.status !== 0) throw new Error("scripts/setup.ts failed: the app could not be built");
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.resolve("node_modules/@remix-run/serve/dist/cli.js"), "./build/index.js"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://localhost:${port}`;
  const stop = () => {
    child.kill();
  };
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/login`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error("the app did not start within 30 s");
}
