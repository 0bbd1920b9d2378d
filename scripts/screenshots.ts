/**
 * Screenshots of the main pages, for looking at what we made:
 *   tsx scripts/screenshots.ts [baseURL] [outDir]
 * Uses Debian's Chromium like the browser tests; desktop and phone widths.
 */
import fs from "node:fs";
import { chromium, type Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_CHILD } from "./lib/demo-data.ts";

const base = process.argv[2] ?? "http://localhost:3000";
const out = process.argv[3] ?? "tests/e2e/.tmp/shots";
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function as(username: string, width: number, shots: [string, (p: Page) => Promise<void>][]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: "zh-CN" });
  const a = DEMO_ACCOUNTS.find((x) => x.username === username)!;
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', a.username);
  await page.fill('input[name="password"]', a.password);
  await Promise.all([page.waitForURL(/\/home/), page.click('button[type="submit"]')]);
  for (const [name, go] of shots) {
    await go(page);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    console.log(`${out}/${name}.png`);
  }
  await page.close();
}

const login = await browser.newPage({ viewport: { width: 390, height: 760 } });
await login.goto(`${base}/login`);
await login.screenshot({ path: `${out}/login-phone.png` });

await as("secretary", 1280, [
  ["secretary-home", async (p) => void (await p.goto(`${base}/home`))],
  ["secretary-search-child", async (p) => void (await p.goto(`${base}/households?q=${encodeURIComponent(DEMO_CHILD.name)}`))],
  ["secretary-list", async (p) => void (await p.goto(`${base}/households`))],
  [
    "secretary-household",
    async (p) => {
      await p.goto(`${base}/households?q=${encodeURIComponent(DEMO_CHILD.name)}`);
      await p.click("table.data tbody a");
      await p.waitForURL(/\/households\/\d+$/);
    },
  ],
  [
    "secretary-new-error",
    async (p) => {
      await p.goto(`${base}/households/new`);
      await p.fill('input[name="code"]', "9999");
      await p.fill('input[name="members.0.name"]', "谢测试");
      await p.fill('input[name="members.0.idNumber"]', "110105194912310021");
      await Promise.all([p.waitForResponse((r) => r.request().method() === "POST"), p.click('form.household-form button[type="submit"]')]);
      await p.waitForSelector(".field-error");
    },
  ],
]);
await as("secretary", 390, [["secretary-list-phone", async (p) => void (await p.goto(`${base}/households`))]]);
const firstLink = async (p: Page, selector: string) => {
  const before = p.url();
  await Promise.all([p.waitForURL((u) => u.toString() !== before), p.click(`${selector} tbody tr td a >> nth=0`)]);
  await p.waitForLoadState("networkidle");
};
await as("township", 1280, [
  ["township-home", async (p) => void (await p.goto(`${base}/home`))],
  ["township-audit-trail", async (p) => void (await p.goto(`${base}/audit-trail`))],
  ["township-income", async (p) => void (await p.goto(`${base}/income`))],
  [
    "township-income-village",
    async (p) => {
      await p.goto(`${base}/income`);
      await firstLink(p, '[data-testid="audit-villages"]');
    },
  ],
  ["township-income-household", async (p) => firstLink(p, '[data-testid="flagged-table"]')],
  ["township-lines", async (p) => void (await p.goto(`${base}/income/lines`))],
]);
await as("township", 390, [
  [
    "township-income-village-phone",
    async (p) => {
      await p.goto(`${base}/income`);
      await firstLink(p, '[data-testid="audit-villages"]');
    },
  ],
]);
await as("secretary", 1280, [
  ["secretary-imports", async (p) => void (await p.goto(`${base}/imports`))],
  ["secretary-harvests", async (p) => void (await p.goto(`${base}/harvests`))],
]);
await as("accountant", 1280, [["accountant-home", async (p) => void (await p.goto(`${base}/home`))]]);
await as("admin", 1280, [
  ["admin-accounts", async (p) => void (await p.goto(`${base}/accounts`))],
  ["admin-backups", async (p) => void (await p.goto(`${base}/admin/backups`))],
]);
await browser.close();
