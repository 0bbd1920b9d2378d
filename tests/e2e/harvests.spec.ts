import { expect, test } from "@playwright/test";
import { Decimal } from "../../app/lib/money";
import { signIn } from "./helpers";

// The journey records its own harvest on a demo plot, so it passes with or
// without demo harvests in the seed; it looks only at the current year's
// records of that plot, which the seed never makes.

test("a secretary records a harvest in jin on a plot and sees the kg and the yield per mu", async ({ page }) => {
  await page.route(/tile\.openstreetmap\.org|tianditu\.gov\.cn|autonavi\.com/, (route) => route.abort("internetdisconnected"));
  await signIn(page, "secretary");
  await page.goto("/harvests/new");
  const plot = page.getByLabel("地块");
  // The first plot of the list is a bearing one of the secretary's village.
  await plot.selectOption({ index: 1 });
  const year = (await page.getByLabel("采收日期").inputValue()).slice(0, 4);

  // A bad quantity is named next to its field and nothing is saved.
  await page.getByLabel("数量").fill("三千");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator('[data-field="quantity"]')).toHaveText("数量格式不正确，请填写数字，如 3000 或 1250.5");
  await expect(page.getByText("请更正下面标出的内容，记录尚未保存。")).toBeVisible();

  await page.getByLabel("数量").fill("3000");
  await page.getByLabel("单位", { exact: true }).selectOption({ label: "斤" });
  await page.getByLabel("等级").selectOption({ label: "一级" });
  await page.getByLabel("单价（元，可不填）").fill("1.5");
  await page.getByLabel("计价单位").selectOption({ label: "元/斤" });
  await page.getByLabel("收购方").fill("菏泽鲜果批发市场");
  // What will be saved shows while typing: 3000 jin is 1500 kg, sold for 4500 yuan.
  await expect(page.getByTestId("harvest-live")).toHaveText("1500.00 公斤 · 销售收入（元） 4,500.00");
  await page.getByRole("button", { name: "保存" }).click();

  await expect(page).toHaveURL(/\/plots\/\d+#harvests$/);
  await expect(page.getByTestId("flash")).toContainText(`已登记 ${year} 年`);
  await expect(page.getByTestId("flash")).toContainText("1,500 公斤");
  const area = (await page.getByTestId("plot-area").innerText()).replace(/[^\d.]/g, "");
  const perMu = new Decimal(1500).dividedBy(area);
  const row = page.getByTestId("plot-yield").getByRole("row").filter({ has: page.getByRole("link", { name: year, exact: true }) });
  await expect(row).toContainText("1500.00");
  await expect(row).toContainText(perMu.toFixed(2));
  await expect(row).toContainText(perMu.times(2).toFixed(2));
  await expect(page.getByTestId("plot-harvest-records")).toContainText("3000 斤");
  await expect(page.getByTestId("plot-harvest-records")).toContainText("1.5 元/斤");

  // The year's figure leads to the record it sums, which can be deleted if it was a mistake.
  await row.getByRole("link", { name: year }).click();
  await expect(page.getByTestId("records-total")).toHaveText(`共 1 条记录，1 块地，产量 1500.00 公斤，销售收入 4500.00 元`);
  // deleting asks for a reason, which goes into the audit trail
  const records = page.getByTestId("harvest-records");
  await records.locator("summary", { hasText: "删除" }).click();
  await records.getByLabel("删除原因").fill("录入时选错了地块");
  await records.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByTestId("flash")).toContainText("已删除采收记录");
  await expect(page.getByTestId("flash")).toContainText("1500.00 公斤");
  await expect(page.getByTestId("flash")).toContainText("录入时选错了地块");
  await expect(page.getByTestId("records-total")).toHaveText("共 0 条记录，0 块地，产量 0.00 公斤，销售收入 0.00 元");

  // The yield report opens for the year on each of its views.
  await page.goto(`/harvests?year=${year}`);
  await expect(page.getByRole("heading", { name: /产量统计/ })).toBeVisible();
  await page.getByRole("link", { name: "按品种" }).click();
  await expect(page.getByTestId("report-tabs").getByText("按品种")).toHaveAttribute("aria-current", "page");
});
