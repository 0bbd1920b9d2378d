import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./helpers";

/**
 * Searches the contract form's plot picker and chooses the first plot offered
 * that is not chosen yet: the line's area is filled with the plot's free area.
 */
async function choosePlot(page: Page, query: string, row: number) {
  await page.getByLabel("搜索地块（地块编码、地块名称或户主姓名）").fill(query);
  const results = page.getByTestId("plot-results");
  await expect(results).toBeVisible();
  const offer = results.locator("li", { has: page.getByRole("button", { name: "选择地块" }) }).first();
  const free = /可流转 ([\d.]+) 亩/.exec(await offer.innerText())![1]!;
  await offer.getByRole("button", { name: "选择地块" }).click();
  await expect(page.locator(`input[name="lines.${row}.area"]`)).toHaveValue(free);
  return free;
}

test("secretary, township official and another village: a contract from draft to arrears", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "secretary");
  await page.getByRole("link", { name: "流转合同" }).click();
  await page.getByRole("link", { name: "新建合同" }).click();

  // Two plots of 鲁谢庄村, found by a household head's name and by a parcel code, go to the village cooperative.
  await page.getByLabel("合作社", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("流转方式").selectOption("LEASE");
  await page.getByLabel("土地用途").selectOption("GRAIN");
  await page.getByLabel("起始日期").fill("2025-01-01");
  await page.getByLabel("终止日期").fill("2034-12-31");
  const free0 = await choosePlot(page, "鲁凯", 0);
  // more than the free area is refused next to the field, before and after saving
  await page.locator('input[name="lines.0.area"]').fill((Number(free0) + 1).toFixed(2));
  await expect(page.locator('[data-field="lines.0.area"]')).toContainText(`可流转面积（${free0} 亩）`);
  await page.locator('input[name="lines.0.area"]').fill(free0);
  await choosePlot(page, "3717021020010", 1);
  // A wrong rent first: the message sits next to the field and nothing is saved.
  await page.getByLabel("租金（元/亩/年）").fill("-800");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator('[data-field="rentPerMu"]')).toHaveText("金额不能为负数");
  await expect(page.locator('input[name="lines.0.area"]')).toHaveValue(free0);
  await page.getByLabel("租金（元/亩/年）").fill("800");
  await page.getByLabel("租金递增（%）").fill("5");
  await page.getByLabel("每几年递增一次").fill("2");
  await page.getByRole("button", { name: "保存草稿" }).click();

  await expect(page.getByTestId("contract-status")).toHaveText("草稿");
  await expect(page.getByTestId("flash")).toContainText("已保存合同草稿");
  const url = page.url();
  await page.getByRole("button", { name: "签订" }).click();
  await expect(page.getByTestId("contract-status")).toHaveText("已签订");
  await expect(page.getByTestId("flash")).toContainText("已签订合同");
  const schedule = page.getByTestId("schedule");
  await expect(schedule).toContainText("2025-12-31");
  // The schedule by household and year, with totals: the year totals and the household totals both add up to the grand total.
  const totals = page.getByTestId("schedule-totals");
  await expect(totals.locator("tbody tr")).toHaveCount(10);
  const num = (s: string) => Math.round(Number(s.replace(/,/g, "")) * 100);
  const yearTotals = await totals.locator("tbody tr td:last-child").allInnerTexts();
  const grand = num(await page.getByTestId("grand-total").innerText());
  expect(yearTotals.reduce((a, s) => a + num(s), 0)).toBe(grand);
  const householdTotals = (await page.getByTestId("schedule-grand-total").locator("td").allInnerTexts()).slice(0, -1);
  expect(householdTotals.reduce((a, s) => a + num(s), 0)).toBe(grand);
  // a step-up year shows its actual rate (800 × 1.05 = 840.00), the formula only as a note
  await expect(schedule).toContainText("840.00 元/亩/年（基数 800.00 元/亩，递增 5% × 1）");

  // A partial payment on the first (overdue) installment.
  const rows = schedule.locator('tr[data-testid^="installment-"]');
  const first = rows.first();
  const due = await first.locator("td.num").nth(1).innerText();
  await first.getByText("登记付款").first().click();
  // A payment dated after today is refused, with the message next to the date.
  const todayInChina = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  await first.getByLabel("付款日期").fill("9999-12-31");
  await first.getByLabel("金额（元）").fill("100");
  await first.getByRole("button", { name: "登记付款" }).click();
  await expect(first.locator('[data-field="paidOn"]')).toHaveText(`付款日期不能晚于今天（${todayInChina}）`);
  await first.getByLabel("付款日期").fill(todayInChina);
  await first.getByLabel("金额（元）").fill("100");
  await first.getByLabel("收据/流水号").fill("SK-E2E-1");
  await first.getByRole("button", { name: "登记付款" }).click();
  await expect(page.getByTestId("flash")).toContainText(/已登记收款 100\.00 元（.+，2025 年第 1 期）/);
  const owed = (num(due) / 100 - 100).toFixed(2);
  await expect(rows.first()).toContainText(Number(owed).toLocaleString("en-US", { minimumFractionDigits: 2 }));
  await expect(rows.first()).toContainText("SK-E2E-1");

  // A second payment, then reversed: the reversal asks for a reason and shows it in the history.
  await rows.first().getByText("登记付款").first().click();
  await rows.first().getByLabel("金额（元）").fill("1");
  await rows.first().getByLabel("收据/流水号").fill("SK-E2E-2");
  await rows.first().getByRole("button", { name: "登记付款" }).click();
  await expect(page.getByTestId("flash")).toContainText("已登记收款 1.00 元");
  const payment = rows.first().locator('[data-testid^="payment-"]', { hasText: "SK-E2E-2" });
  await payment.locator("summary", { hasText: "冲销" }).click();
  const reason = payment.getByLabel("冲销原因");
  await expect(reason).toBeVisible();
  await expect(reason).toHaveAttribute("required", "");
  await reason.fill("重复登记");
  await payment.getByRole("button", { name: "确认冲销" }).click();
  await expect(page.getByTestId("flash")).toContainText("已冲销收款 1.00 元");
  await expect(schedule).toContainText("冲销原因：重复登记");

  // The late penalty shows accrued, paid, waived and outstanding apart; a waiver is a recorded decision.
  const penalty = page.getByTestId("penalty-accounts");
  await expect(penalty).toBeVisible();
  const waiver = penalty.locator('[data-testid^="penaltyWaive-"]').first();
  await waiver.locator("summary").click();
  await waiver.getByLabel("金额（元）").fill("1");
  await waiver.getByRole("button", { name: "登记减免决定" }).click();
  await expect(waiver.locator('[data-field="reason"]')).toHaveText("请填写减免理由");
  await waiver.getByLabel("减免理由").fill("首次逾期");
  await waiver.getByLabel("决定人（机构或会议）").fill("村民委员会会议");
  await waiver.getByRole("button", { name: "登记减免决定" }).click();
  await expect(page.getByTestId("flash")).toContainText("已登记违约金减免 1.00 元");
  await expect(page.getByTestId("penalty-settlements")).toContainText("减免 1.00");
  await expect(page.getByTestId("penalty-accounts").locator("tbody tr").first().locator("td").nth(3)).toHaveText("1.00");

  await page.goto("/contracts/arrears");
  await expect(page.getByTestId("arrears-households")).toContainText(owed);
  await signOut(page);

  // The township official finds it in the 待备案 list of the home page and files it with the suggested number.
  await signIn(page, "township");
  const queue = page.getByTestId("filing-queue");
  await expect(queue).toContainText(/共 \d+ 份已签订、待备案/);
  // the home page shows the oldest ten; the full list is one click away
  await queue.getByRole("link", { name: "待备案合同与编号格式" }).click();
  await page.getByTestId("filing-queue").locator(`a[href="${new URL(url).pathname}"]`).click();
  await expect(page.getByRole("link", { name: "编辑草稿" })).toHaveCount(0);
  await page.getByTestId("confirm-file").locator("summary").click();
  const numberField = page.getByLabel("乡镇备案合同编号");
  const suggested = await numberField.inputValue();
  expect(suggested).toMatch(/〔\d{4}〕\d+号$/);
  await page.getByRole("button", { name: "确认备案" }).click();
  await expect(page.getByTestId("flash")).toHaveText(`已备案，编号 ${suggested}`);
  await expect(page.getByTestId("contract-status")).toHaveText("履行中");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(suggested);
  await page.goto("/contracts/filing");
  await expect(page.getByTestId("filing-queue").locator(`a[href="${new URL(url).pathname}"]`)).toHaveCount(0);
  await signOut(page);

  // A secretary of another village gets nothing.
  await signIn(page, "secretary2");
  const refused = await page.goto(url);
  expect(refused?.status()).toBe(404);
  await expect(page.locator("body")).not.toContainText(suggested);
});
