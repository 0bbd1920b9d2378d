import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut, type DemoUsername } from "./helpers";

// A browser far from China (and from the server's zone) must see the same
// China-time dates the server rendered: any date formatted in the browser's
// zone would differ from the server's HTML and React would log a hydration
// error. Every page each role reaches from its navigation, plus one detail
// page of each kind, is opened with the console watched.
test.use({ timezoneId: "America/Los_Angeles" });

const ROLES: DemoUsername[] = ["township", "secretary", "accountant", "admin"];

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/** Same-origin page links of the navigation and of the page itself, first of each route shape. */
async function pageLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
  const byShape = new Map<string, string>();
  for (const h of hrefs) {
    if (/^\/(resources|logout|locale|verify)/.test(h) || /\.(pdf|xlsx|geojson|kml)/.test(h)) continue;
    const shape = h.split("?")[0]!.replace(/\d+/g, "N");
    if (!byShape.has(shape)) byShape.set(shape, h);
  }
  return [...byShape.values()];
}

for (const role of ROLES) {
  test(`${role}: pages hydrate without errors in a browser on Pacific time`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors = watchConsole(page);
    await signIn(page, role);
    const seen = new Set<string>();
    let queue = await pageLinks(page);
    // two levels: the navigation's pages, then the first detail page of each
    for (let depth = 0; depth < 2; depth++) {
      const next: string[] = [];
      for (const href of queue) {
        const shape = href.split("?")[0]!.replace(/\d+/g, "N");
        if (seen.has(shape)) continue;
        seen.add(shape);
        await page.goto(href);
        await page.waitForLoadState("networkidle");
        if (depth === 0) next.push(...(await pageLinks(page)));
      }
      queue = next;
    }
    expect(seen.size).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await signOut(page);
  });
}
