import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./helpers";

/** The first plot of the household with this number in the contract form's plot picker. */
async function plotOf(page: Page, row: number, householdCode: string) {
  const select = page.locator(`select[name="lines.${row}.plotId"]`);
  const option = await select.evaluate((el, code) => {
    const group = [...el.querySelectorAll("optgroup")].find((g) => g.label.startsWith(`${code} `));
    const o = group?.querySelector("option");
    return o ? { value: o.value, text: o.textContent ?? "" } : null;
  }, householdCode);
  expect(option, `household ${householdCode} has a plot`).not.toBeNull();
  await select.selectOption(option!.value);
  return option!.text.split(" · ").pop()!; // the plot's contract area
}

test("secretary, township official and another village: a contract from draft to arrears", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "secretary");
  await page.getByRole("link", { name: "流转合同" }).click();
  await page.getByRole("link", { name: "新建合同" }).click();

  // Two households of 鲁谢庄村 transfer a plot each to the village cooperative.
  await page.getByLabel("合作社", { exact: true }).selectOption({ index: 1 });
  const area0 = await plotOf(page, 0, "0001");
  await page.locator('input[name="lines.0.area"]').fill(area0);
  await page.getByRole("button", { name: "添加地块" }).click();
  const area1 = await plotOf(page, 1, "0002");
  await page.locator('input[name="lines.1.area"]').fill(area1);
  await page.getByLabel("流转方式").selectOption("LEASE");
  await page.getByLabel("土地用途").selectOption("GRAIN");
  await page.getByLabel("起始日期").fill("2025-01-01");
  await page.getByLabel("终止日期").fill("2034-12-31");
  // A wrong rent first: the message sits next to the field and nothing is saved.
  await page.getByLabel("租金（元/亩/年）").fill("-800");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator('[data-field="rentPerMu"]')).toHaveText("金额不能为负数");
  await page.getByLabel("租金（元/亩/年）").fill("800");
  await page.getByRole("button", { name: "保存草稿" }).click();

  await expect(page.getByTestId("contract-status")).toHaveText("草稿");
  const url = page.url();
  await page.getByRole("button", { name: "签订" }).click();
  await expect(page.getByTestId("contract-status")).toHaveText("已签订");
  const schedule = page.getByTestId("schedule");
  await expect(schedule.locator("tbody tr")).toHaveCount(20); // 2 households × 10 years
  await expect(schedule).toContainText("2025-12-31");

  // A partial payment on the first (overdue) installment.
  const first = schedule.locator("tbody tr").first();
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
  await expect(page.getByRole("status")).toHaveText("已完成");
  const owed = (Number(due.replace(/,/g, "")) - 100).toFixed(2);
  await expect(schedule.locator("tbody tr").first()).toContainText(owed);
  await expect(schedule.locator("tbody tr").first()).toContainText("SK-E2E-1");

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
  await expect(page.getByRole("status")).toHaveText("已完成");
  await expect(page.getByTestId("penalty-settlements")).toContainText("减免 1.00");
  await expect(page.getByTestId("penalty-accounts").locator("tbody tr").first().locator("td").nth(3)).toHaveText("1.00");

  await page.goto("/contracts/arrears");
  await expect(page.getByTestId("arrears-households")).toContainText(owed);
  await signOut(page);

  // The township official files it with the township's number.
  await signIn(page, "township");
  await page.goto(url);
  await expect(page.getByRole("link", { name: "编辑草稿" })).toHaveCount(0);
  await page.getByLabel("乡镇备案合同编号").fill("牡丹小留流转〔2025〕E2E号");
  await page.getByRole("button", { name: "备案" }).click();
  await expect(page.getByTestId("contract-status")).toHaveText("履行中");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("牡丹小留流转〔2025〕E2E号");
  await signOut(page);

  // A secretary of another village gets nothing.
  await signIn(page, "secretary2");
  const refused = await page.goto(url);
  expect(refused?.status()).toBe(404);
  await expect(page.locator("body")).not.toContainText("牡丹小留流转〔2025〕E2E号");
});
