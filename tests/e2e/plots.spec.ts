import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./helpers";

// The plots these journeys need are made through the app itself (an import
// and a drawing), so they pass with or without demo plots in the seed. They
// run in order: the drawing and the refusals use what the import made.
test.describe.configure({ mode: "serial" });

const FIXTURES = "tests/fixtures/plots";
let villageUrl = "";
let drawnPlotUrl = "";

/** No tile server is reachable on these machines; refuse tile requests at once so nothing waits for them. */
async function offline(page: Page) {
  await page.route(/tile\.openstreetmap\.org|tianditu\.gov\.cn|autonavi\.com/, (route) => route.abort("internetdisconnected"));
}

/** Waits until the map says at least this many plots are on its canvas (it reloads as the view settles). */
async function mapDrawn(page: Page, atLeast: number) {
  const map = page.getByTestId("plot-map");
  await expect.poll(async () => Number((await map.getAttribute("data-plots-drawn")) ?? -1), { timeout: 20_000 }).toBeGreaterThanOrEqual(atLeast);
  return map;
}

test.beforeEach(async ({ page }) => {
  await offline(page);
});

test("a broken file gives a clear message and nothing is saved", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/plots/import");
  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/broken/corrupt.zip`);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByTestId("import-error")).toHaveText("压缩包已损坏或不完整，无法打开。请重新压缩后再上传。");
  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/broken/no-prj-shp.zip`);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByTestId("import-error")).toContainText("缺少 .prj 坐标系文件");
  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/broken/self-intersecting.geojson`);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByTestId("import-preview")).toContainText("多边形自相交");
  // One feature and it is broken: there is nothing to save, only to cancel.
  await expect(page.getByRole("button", { name: /保存/ })).toHaveCount(0);
  await page.goto("/plots");
  await expect(page.getByTestId("plot-villages")).not.toContainText("bowtie");
});

test("a secretary imports a Gauss-Krüger shapefile, sees a preview, saves it, and the village map shows the plots and the overlap", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/plots/import");
  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/luxiezhuang-cgcs2000-gk38-shp.zip`);
  await page.getByRole("button", { name: "预览" }).click();
  // The demo village's own plots lie about 17 km north of the file's: every plot of the file is flagged far away.
  await expect(page.getByTestId("import-summary")).toHaveText(/^共 12 块：可导入 12 块，有错误 0 块，需注意 (3|12) 块。$/);
  await expect(page.getByText("CGCS2000_3_Degree_GK_Zone_38，已换算为 WGS-84 经纬度")).toBeVisible();
  const preview = page.getByTestId("import-preview");
  await expect(preview).toContainText("与文件中的 3717020020010100012 重叠");
  await expect(preview).toContainText("测量 7.98 亩，合同 8.70 亩，相差 -8.3%");
  // The preview's map: the file's plots over the village's, numbered as in the table, the flagged ones in orange.
  const previewMap = page.getByTestId("import-preview-map");
  await expect(previewMap.locator(".leaflet-container")).toHaveAttribute("data-preview-drawn", "12");
  await expect(previewMap.locator(".preview-label.preview-warned").first()).toBeVisible();
  await page.getByRole("button", { name: "全部保存（12 块）" }).click();

  // The save answers on the page it lands on (POST, redirect, message).
  await expect(page.getByTestId("flash")).toHaveText("已导入 12 块地，跳过 0 块。");
  villageUrl = new URL(page.url()).pathname;
  expect(villageUrl).toMatch(/^\/plots\/village\/\d+$/);
  const map = await mapDrawn(page, 12);
  // At village zoom every plot carries its label on the canvas; the legend lists crop → variety colours.
  await expect(page.getByTestId("map-legend")).toContainText("桃");
  const flagged = page.getByTestId("flagged-plots");
  await expect(flagged).toContainText("与 3717020020010100012 重叠");
  await expect(flagged).toContainText("测量面积与合同面积相差 -8.3%");
  await expect(page.getByTestId("plot-list")).toContainText("44.90");

  // The search box flies to a plot and opens its popup with its facts and flag.
  await page.getByRole("searchbox", { name: "按地块编码、名称或户主姓名查找" }).fill("3717020020010100012");
  await page.getByRole("button", { name: "定位" }).click();
  const popup = page.locator(".plot-popup");
  await expect(popup).toContainText("鲁谢庄12号地(重叠)", { timeout: 10_000 });
  // At village zoom the plots carry their labels on the canvas (none at township zoom).
  await expect.poll(async () => Number((await map.getAttribute("data-labels-drawn")) ?? 0)).toBeGreaterThanOrEqual(2);
  await expect(popup).toContainText("与 3717020020010100001 重叠");
  // A click on the plot itself, in the middle of the map after the flight, opens the same popup.
  await page.locator(".leaflet-popup-close-button").click();
  await expect(popup).toHaveCount(0);
  const frame = (await page.getByTestId("plot-map").boundingBox())!;
  await page.mouse.click(frame.x + frame.width / 2, frame.y + frame.height / 2);
  await expect(popup).toContainText("鲁谢庄12号地(重叠)");
  const details = await popup.getByRole("link", { name: "地块详情" }).getAttribute("href");
  expect(details).toMatch(/^\/plots\/\d+$/);
  await expect(popup.getByRole("link", { name: "采收记录" })).toHaveAttribute("href", `${details}#harvests`);
  await page.goto(details!);
  await expect(page.getByRole("heading", { name: "地块 3717020020010100012" })).toBeVisible();
  await expect(page.getByTestId("plot-flags")).toContainText("与 3717020020010100001 重叠");
});

test("drawing a plot shows its area while drawing, and one save stores the shape with the form", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/plots/new");
  await mapDrawn(page, 12);
  // Fly to the northern row of the imported plots; the ground north of it is empty.
  await page.getByRole("searchbox").fill("3717020020010100006");
  await page.getByRole("button", { name: "定位" }).click();
  await page.waitForTimeout(1500);

  const box = (await page.getByTestId("plot-map").boundingBox())!;
  const cx = box.x + box.width / 2;
  const top = box.y + 40;
  const corners = [
    [cx - 140, top],
    [cx + 140, top],
    [cx + 140, top + 110],
    [cx - 140, top + 110],
  ] as const;
  await page.getByRole("button", { name: "绘制地块" }).click();
  const live = page.getByTestId("live-area");
  for (const [x, y] of corners) await page.mouse.click(x, y);
  // Three corners placed and the cursor on the fourth: the area is already shown.
  await expect(live).toHaveText(/^面积：\d+\.\d\d 亩/);
  await page.mouse.click(corners[0][0], corners[0][1]);
  await expect(live).toHaveText(/^面积：\d+\.\d\d 亩$/);
  const area = /面积：(\d+\.\d\d) 亩/.exec((await live.textContent())!)![1]!;
  expect(Number(area)).toBeGreaterThan(2);
  expect(Number(area)).toBeLessThan(40);

  await page.getByLabel("地块编码", { exact: true }).fill("E2E-DRAWN-1");
  await page.getByLabel("作物", { exact: true }).selectOption("PEAR");
  await page.getByLabel("品种", { exact: true }).fill("黄金梨");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "地块 E2E-DRAWN-1" })).toBeVisible();
  await expect(page.getByTestId("plot-area")).toHaveText(`${area} 亩`);
  await expect(page.getByTestId("flash")).toHaveText(`已保存地块 E2E-DRAWN-1（梨，${area} 亩）`);
  drawnPlotUrl = new URL(page.url()).pathname;
  // The plot's own small map: the plot and its neighbours in view.
  await mapDrawn(page, 1);

  // Editing: move a corner, and the new area is saved with the form.
  await page.getByRole("link", { name: "编辑" }).click();
  await mapDrawn(page, 1);
  await expect(live).toHaveText(`面积：${area} 亩`);
  await page.getByRole("button", { name: "修改顶点" }).click();
  const corner = page.locator(".marker-icon:not(.marker-icon-middle)").first();
  const at = (await corner.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x + at.width / 2 + 30, at.y + at.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  await expect(live).not.toHaveText(`面积：${area} 亩`);
  const edited = /面积：(\d+\.\d\d) 亩/.exec((await live.textContent())!)![1]!;
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("plot-area")).toHaveText(`${edited} 亩`);
});

test("a plot form with errors says so next to the fields and saves nothing", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/plots/new");
  await mapDrawn(page, 1);
  await page.getByLabel("地块编码", { exact: true }).fill("3717020020010100001");
  await page.getByLabel("种植年份", { exact: true }).fill("1890");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator('[data-field="geometry"]')).toHaveText("请先在地图上绘制地块");
  await expect(page.locator('[data-field="crop"]')).toHaveText("请选择作物");
  await expect(page.locator('[data-field="plantingYear"]')).toContainText("种植年份应为 1950 至");
  await expect(page.getByLabel("地块编码", { exact: true })).toHaveValue("3717020020010100001");
});

test("a secretary of another village can neither see nor edit the plots", async ({ page, request }) => {
  expect(villageUrl).toMatch(/^\/plots\/village\/\d+$/);
  expect(drawnPlotUrl).toMatch(/^\/plots\/\d+$/);
  await signIn(page, "secretary2");
  for (const url of [drawnPlotUrl, `${drawnPlotUrl}/edit`, villageUrl]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(404);
    await expect(page.getByRole("alert")).toContainText("不在您的管辖范围内");
    await expect(page.locator("body")).not.toContainText("E2E-DRAWN-1");
  }
  const villageId = villageUrl.split("/").pop();
  const plotId = drawnPlotUrl.split("/").pop();
  // The data routes behind the map answer the same way.
  const cookies = await page.context().cookies();
  const headers = { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") };
  const data = await request.get(`/resources/plots/map?bbox=115,35,116,36&zoom=17&village=${villageId}`, { headers });
  expect(data.status()).toBe(200);
  expect((await data.json()).plots).toEqual([]);
  expect((await request.get(`/resources/plots/${plotId}`, { headers })).status()).toBe(404);
  expect((await request.get(`/resources/plots/export?village=${villageId}&format=geojson`, { headers })).status()).toBe(404);
  const search = await request.get(`/resources/plots/search?q=E2E-DRAWN`, { headers });
  expect((await search.json()).results).toEqual([]);
  await page.goto("/plots");
  await expect(page.getByTestId("plot-villages")).not.toContainText("鲁谢庄村");
  await signOut(page);

  // The township official reads the plot but may not edit it.
  await signIn(page, "township");
  await page.goto(drawnPlotUrl);
  await expect(page.getByRole("heading", { name: "地块 E2E-DRAWN-1" })).toBeVisible();
  await expect(page.getByRole("link", { name: "编辑" })).toHaveCount(0);
  expect((await page.goto(`${drawnPlotUrl}/edit`))?.status()).toBe(403);
});

test("the township map draws every plot of the township on the canvas with no tiles", async ({ page }) => {
  await signIn(page, "township");
  await page.goto("/plots");
  await page.getByRole("link", { name: "乡镇地图：小留镇" }).click();
  const map = await mapDrawn(page, 13);
  await expect(map.locator("canvas")).toHaveCount(1);
  await expect(page.getByText(/显示 \d+ 块地/)).toBeVisible();
  // Colour by status instead of variety: the legend follows.
  await page.getByLabel("着色").selectOption("status");
  await expect(page.locator(".plot-map-legend")).toContainText("幼树未挂果");
  // The layer of the map can be switched off entirely (no base layer) and the plots stay.
  await page.getByLabel("底图").selectOption("none");
  await expect(map.locator(".leaflet-tile")).toHaveCount(0);
  await expect(map).toHaveAttribute("data-plots-drawn", /\d+/);
});

test("a file with a plot 17 km away: the preview map shows it and the table warns; a truncated file gets a Chinese message", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/plots/import");
  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/broken/truncated.geojson`);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByTestId("import-error")).toHaveText("GeoJSON 文件不完整（可能上传中断），请重新导出后再导入。");

  await page.getByLabel("文件").setInputFiles(`${FIXTURES}/far-away.geojson`);
  await page.getByRole("button", { name: "预览" }).click();
  const preview = page.getByTestId("import-preview");
  await expect(preview.locator("tr").nth(2)).toContainText(/离本村已有地块最近 1[5-8]\.\d 公里/);
  await expect(preview.locator("tr").nth(2)).toContainText("在本乡镇已有地块范围（外扩 2 公里）之外");
  await expect(preview.locator("tr").nth(1)).not.toContainText("公里");
  const previewMap = page.getByTestId("import-preview-map");
  await expect(previewMap.locator(".leaflet-container")).toHaveAttribute("data-preview-drawn", "2");
  await expect(previewMap.locator(".preview-label.preview-warned", { hasText: "2 鲁谢庄远处" })).toBeVisible();
  await mapDrawn(page, 12);
  await page.screenshot({ path: process.env.SHOTS_DIR ? `${process.env.SHOTS_DIR}/import-preview-far.png` : "test-results/import-preview-far.png", fullPage: true });
});

test("an administrator loads a reference layer; it draws under the plots, and can be deleted after confirming", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/plots");
  await page.getByTestId("layers-link").click();
  await expect(page.getByRole("heading", { name: "参考图层" })).toBeVisible();
  const upload = page.getByTestId("layer-upload");
  await upload.getByLabel("图层名称").fill("鲁谢庄村界");
  await upload.getByLabel("类型").selectOption("BOUNDARY");
  await upload.getByLabel("所属乡镇").selectOption({ label: "全区" });
  await upload.getByLabel("文件").setInputFiles(`${FIXTURES}/township-boundary.geojson`);
  await upload.getByRole("button", { name: "上传图层" }).click();
  await expect(page.getByTestId("flash")).toHaveText("已加载参考图层 鲁谢庄村界（2 个要素）");
  await expect(page.getByTestId("reference-layers")).toContainText("鲁谢庄村界");

  await page.goto(villageUrl);
  const map = await mapDrawn(page, 12);
  await expect(map.locator(".leaflet-container")).toHaveAttribute("data-layers-drawn", "1");
  // Under the plots: its own pane below the plots' canvas, and no tiles at all.
  const z = await map.evaluate((el) => [Number(getComputedStyle(el.querySelector(".leaflet-reference-pane")!).zIndex), Number(getComputedStyle(el.querySelector(".leaflet-overlay-pane")!).zIndex)]);
  expect(z[0]).toBeLessThan(z[1]!);
  await expect(map.locator(".leaflet-tile")).toHaveCount(0);
  await expect(page.getByTestId("map-legend")).toContainText("鲁谢庄村界");
  await page.screenshot({ path: process.env.SHOTS_DIR ? `${process.env.SHOTS_DIR}/village-map-labels-layer.png` : "test-results/village-map-labels-layer.png" });

  await page.goto("/plots/layers");
  const row = page.getByTestId("reference-layers").locator("tr", { hasText: "鲁谢庄村界" });
  await row.getByText("删除", { exact: true }).click();
  await row.getByRole("button", { name: "确认删除" }).click();
  // The reason is required: the browser keeps the form open until it is given.
  await row.getByLabel("删除原因").fill("测试完毕");
  await row.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByTestId("flash")).toHaveText("已删除参考图层 鲁谢庄村界");
  await expect(page.locator("body")).not.toContainText("鲁谢庄村界（");
});
