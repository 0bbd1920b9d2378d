import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn, type DemoUsername } from "./helpers";

// Every page fits (issue 15): a phone (390 px) never scrolls the page
// sideways, a laptop (1366 px) never squeezes a table column below its
// heading or four characters, and the ledgers print on A4 landscape with
// every column and the heading row on each sheet. The pages are found from
// links, so pages added later are checked without touching this file.

const ROLES: DemoUsername[] = ["admin", "township", "secretary", "accountant", "chair", "supervisor"];
// The cooperative's three roles see the same records: a page shape one of them checked is not checked again
// (their own pages and forms still are), which keeps the run near two minutes.
const SCOPE_OF: Partial<Record<DemoUsername, string>> = { accountant: "cooperative", chair: "cooperative", supervisor: "cooperative" };
const checkedInScope = new Map<string, Set<string>>();
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const TMP = "tests/e2e/.tmp/layout";

/** Same-origin page links (navigation and page), first of each route shape; downloads and actions left out. */
async function pageLinks(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator("a[href^='/']:not([download])")
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
  return hrefs.filter((h) => !/^\/(resources|logout|locale|verify|login)\b/.test(h) && !/\.(pdf|xlsx|csv|geojson|kml|zip)(\?|$)/.test(h));
}

const shapeOf = (href: string) => href.split(/[?#]/)[0]!.replace(/\d+/g, "N");

/** What does not fit on the page as laid out now (empty when all is well). */
async function misfits(page: Page, checkColumns: boolean): Promise<string[]> {
  return page.evaluate((checkColumns) => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      // name the widest culprits, so the failure says what to fix
      const wide = [...document.querySelectorAll<HTMLElement>("main *, header *")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest(".table-wrap, .leaflet-container"))
        .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > root.clientWidth + 1))
        .slice(0, 3)
        .map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ""}> ${(el.textContent ?? "").trim().slice(0, 30)}`);
      out.push(`page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window: ${wide.join(" | ")}`);
    }
    if (!checkColumns) return out;
    const probe = document.createElement("div");
    probe.style.cssText = "position:absolute;left:-9999px;top:0;width:min-content;word-break:keep-all;white-space:normal;";
    document.body.appendChild(probe);
    for (const th of document.querySelectorAll<HTMLTableCellElement>("table th")) {
      const box = th.getBoundingClientRect();
      if (box.width === 0 || th.closest("[hidden], details:not([open])") || getComputedStyle(th).visibility === "hidden") continue;
      const text = (th.innerText ?? "").trim();
      if (!text) continue; // tick-box and button columns
      const style = getComputedStyle(th);
      const fontSize = parseFloat(style.fontSize);
      const inner = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      // a heading needs its longest unbreakable run (whole CJK words, not single characters) on one line
      for (const k of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing"] as const) probe.style[k] = style[k];
      probe.innerText = text;
      const needed = probe.getBoundingClientRect().width;
      const where = `"${text.replace(/\s+/g, " ").slice(0, 20)}" (${Math.round(box.width)} px)`;
      if (th.scrollWidth > th.clientWidth + 1) out.push(`heading cut off: ${where}`);
      else if (inner + 1 < needed) out.push(`heading broken inside a word: ${where}, needs ${Math.round(needed)} px`);
      if (box.width + 0.5 < 4 * fontSize) out.push(`column narrower than 4 characters: ${where}`);
    }
    probe.remove();
    return out;
  }, checkColumns);
}

for (const role of ROLES) {
  test(`${role}: every page fits a 390 px phone and a 1366 px screen`, async ({ page }) => {
    test.setTimeout(150_000);
    await page.setViewportSize(LAPTOP);
    await signIn(page, role);
    const problems: string[] = [];
    const seen = new Set<string>();
    const scope = SCOPE_OF[role] ?? role;
    const checkedBefore = new Set(checkedInScope.get(scope) ?? []);
    checkedInScope.set(scope, new Set([...checkedBefore]));
    let queue = ["/home", ...(await pageLinks(page))];
    // three levels: the navigation's pages, their first detail pages, and those pages' forms (edit, new…)
    for (let depth = 0; depth < 3 && queue.length; depth++) {
      const next: string[] = [];
      for (const href of queue) {
        const shape = shapeOf(href);
        if (seen.has(shape) || (depth > 0 && checkedBefore.has(shape))) continue;
        seen.add(shape);
        checkedInScope.get(scope)!.add(shape);
        await page.setViewportSize(LAPTOP);
        const response = await page.goto(href);
        if (!response || response.status() >= 400 || new URL(page.url()).pathname === "/login") continue;
        await page.evaluate(() => document.fonts.ready);
        for (const p of await misfits(page, true)) problems.push(`${href} @1366: ${p}`);
        await page.setViewportSize(PHONE);
        for (const p of await misfits(page, false)) problems.push(`${href} @390: ${p}`);
        if (depth < 2) next.push(...(await pageLinks(page)));
      }
      queue = next;
    }
    test.info().annotations.push({ type: "pages", description: [...seen].join(" ") });
    expect(seen.size).toBeGreaterThan(checkedBefore.size ? 0 : 5);
    expect(problems).toEqual([]);
  });
}

/** The text of each sheet of a PDF, without spaces (CJK headings come out with spaces between columns). */
function pdfSheets(file: string): string[] {
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  return text
    .split("\f")
    .map((s) => s.replace(/\s+/g, ""))
    .filter((s) => s.length > 0);
}

/** A heading may wrap at a bracket in print ("面积" over "（亩）"): each of its parts must be on the sheet. */
function expectHeadings(sheet: string, headings: string[], what: string) {
  for (const h of headings) {
    for (const part of h.split(/(?=[（(])/)) expect(sheet, `${what} shows 「${h}」`).toContain(part);
  }
}

/** Prints only the given table (everything else hidden), as the browser prints it on A4 landscape. */
async function printTableAlone(page: Page, selector: string, file: string): Promise<{ headings: string[]; sheets: string[] }> {
  const headings = await page.locator(selector).evaluate((table) => {
    for (let el: HTMLElement | null = table as HTMLElement; el && el.parentElement; el = el.parentElement) {
      for (const sibling of el.parentElement.children) if (sibling !== el) (sibling as HTMLElement).style.display = "none";
    }
    return [...table.querySelectorAll("thead th")].map((th) => (th.textContent ?? "").replace(/\s+/g, "")).filter(Boolean);
  });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: file, format: "A4", landscape: true, preferCSSPageSize: true });
  return { headings, sheets: pdfSheets(file) };
}

/** In print, on an A4 landscape sheet's width, no table is wider than the paper. */
async function clippedInPrint(page: Page): Promise<string[]> {
  await page.setViewportSize({ width: 1047, height: 740 }); // 297 mm less 2 × 10 mm margins, at 96 px per inch
  await page.emulateMedia({ media: "print" });
  const out = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLTableElement>("table")]
      .filter((t) => t.getBoundingClientRect().width > 0)
      .filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((t) => `table "${(t.querySelector("th")?.textContent ?? "").trim()}…" ends at ${Math.round(t.getBoundingClientRect().right)} px`),
  );
  await page.emulateMedia({ media: "screen" });
  return out;
}

test("the transfer ledger and a contract's rent schedule print on A4 landscape, every column and the heading on each sheet", async ({ page }) => {
  test.setTimeout(120_000);
  fs.mkdirSync(TMP, { recursive: true });
  await page.setViewportSize(LAPTOP);
  await signIn(page, "township");

  await page.goto("/contracts/ledger");
  // on a 1366 px screen the whole ledger is in view, with no column scrolled away
  const ledger = page.getByTestId("ledger");
  const box = await ledger.evaluate((t) => ({ table: t.scrollWidth, wrap: t.parentElement!.clientWidth }));
  expect(box.table, "the ledger fits a 1366 px screen").toBeLessThanOrEqual(box.wrap + 1);
  expect(await clippedInPrint(page)).toEqual([]);
  const printed = await printTableAlone(page, "[data-testid=ledger]", path.join(TMP, "ledger.pdf"));
  expect(printed.headings.length).toBeGreaterThan(10);
  expect(printed.sheets.length, "a ledger of the township's contracts takes more than one sheet").toBeGreaterThan(1);
  printed.sheets.forEach((sheet, i) => expectHeadings(sheet, printed.headings, `sheet ${i + 1} of the ledger`));

  // a contract's page: its rent schedule prints whole, the heading again on each sheet
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize(LAPTOP);
  await page.goto("/contracts");
  await page.locator("main table a[href^='/contracts/']").first().click();
  await expect(page).toHaveURL(/\/contracts\/\d+$/);
  const contractUrl = page.url();
  expect(await clippedInPrint(page)).toEqual([]);
  await page.emulateMedia({ media: "print" });
  const whole = path.join(TMP, "contract.pdf");
  await page.pdf({ path: whole, format: "A4", landscape: true, preferCSSPageSize: true });
  const allText = pdfSheets(whole).join("");
  const headings = await page.locator("main table thead th").evaluateAll((ths) => ths.map((th) => (th.textContent ?? "").replace(/\s+/g, "")).filter(Boolean));
  expectHeadings(allText, headings, "the printed contract");
  await page.emulateMedia({ media: "screen" });
  await page.goto(contractUrl);
  const schedule = page.locator("main table.schedule").first();
  if (await schedule.count()) {
    const alone = await printTableAlone(page, "main table.schedule >> nth=0", path.join(TMP, "schedule.pdf"));
    alone.sheets.forEach((sheet, i) => expectHeadings(sheet, alone.headings, `sheet ${i + 1} of the schedule`));
  }
});

// The other lists people print (arrears, summaries, yield report, income audit, a run's lines, the share
// register and accounts): on an A4 landscape sheet no table runs past the paper's edge.
const PRINTED: Array<{ role: DemoUsername; pages: Array<string | RegExp> }> = [
  { role: "township", pages: ["/contracts/arrears", "/contracts/summary", "/harvests", "/income", /^\/income\/villages\/\d+$/, /^\/income\/households\/\d+/] },
  { role: "accountant", pages: ["/dividends/register", "/dividends/accounts", "/dividends", /^\/dividends\/\d+$/] },
];
for (const { role, pages } of PRINTED) {
  test(`${role}: ledgers, reports and registers fit an A4 landscape sheet in print`, async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page, role);
    const clipped: string[] = [];
    let visited = 0;
    for (const p of pages) {
      let href: string | undefined = typeof p === "string" ? p : undefined;
      if (!href) {
        // the first link of that shape on the page before (a village of the audit, a run…)
        const links = await pageLinks(page);
        href = links.find((h) => (p as RegExp).test(h.split(/[?#]/)[0]!));
        if (!href) continue;
      }
      await page.setViewportSize(LAPTOP);
      await page.goto(href);
      visited++;
      for (const c of await clippedInPrint(page)) clipped.push(`${href}: ${c}`);
    }
    expect(visited).toBeGreaterThan(pages.length - 2);
    expect(clipped).toEqual([]);
  });
}
