import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

test("a township official reads the village audit, opens a flagged household and follows an amount to its payment", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "township");
  await page.getByRole("link", { name: "收入核查" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("2025年 农户收入核查");
  const villages = page.getByTestId("audit-villages");
  await expect(villages).toContainText("鲁谢庄村");
  await expect(villages).toContainText("刘庄村");
  await expect(page.getByTestId("line-note")).toContainText("演示数据");
  await villages.getByRole("link", { name: "鲁谢庄村" }).click();
  const flagged = page.getByTestId("flagged-table");
  await expect(flagged).toBeVisible();
  const summaryCount = Number(await page.getByTestId("flagged-count").textContent());
  expect(await flagged.locator("tbody tr").count()).toBe(summaryCount);
  const villageUrl = page.url();

  // The first flagged household whose income includes rent: follow the rent to its payment.
  const links = await flagged.locator("tbody tr td:first-child a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
  let followed = false;
  for (const href of links.slice(0, 25)) {
    await page.goto(href);
    await expect(page.getByTestId("per-capita")).toBeVisible();
    const sources = page.locator('[data-testid^="rent-source-"]');
    if ((await sources.count()) === 0) continue;
    // The official reads; there is no form to change anything.
    await expect(page.getByTestId("entry-form")).toHaveCount(0);
    await expect(page.getByTestId("work-form")).toHaveCount(0);
    const row = sources.first().locator("xpath=ancestor::tr");
    // both pages print amounts the same way, with thousands separators (6,653.87)
    const amount = (await row.locator("td").last().textContent())!.trim();
    await sources.first().click();
    await expect(page).toHaveURL(/\/contracts\/\d+#payment-\d+$/);
    const paymentId = page.url().split("#payment-")[1]!;
    await expect(page.getByTestId(`payment-${paymentId}`)).toContainText(amount);
    followed = true;
    break;
  }
  expect(followed).toBe(true);

  // Nothing can be posted to the account by a township official.
  const target = new URL(links[0]!, page.url()).pathname;
  const res = await page.request.post(target, { form: { intent: "entry", year: "2025", category: "TRANSFER", kind: "PENSION", amount: "100", source: "x" } });
  expect(res.status()).toBe(403);

  // The printable report and the workbook of the same village.
  await page.goto(villageUrl);
  const pdf = await page.request.get(await page.getByTestId("audit-pdf").getAttribute("href") as string);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toContain("application/pdf");
  await signOut(page);
});

test("a secretary sees only their own village's audit", async ({ page }) => {
  await signIn(page, "township");
  await page.goto("/income");
  const other = await page.getByTestId("audit-villages").getByRole("link", { name: "刘庄村" }).getAttribute("href");
  await signOut(page);

  await signIn(page, "secretary");
  await page.getByRole("link", { name: "收入核查" }).click();
  const rows = page.getByTestId("audit-villages").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("鲁谢庄村");
  const res = await page.goto(other!);
  expect(res!.status()).toBe(404);
  await signOut(page);
});

test("a cooperative accountant records days worked at the base by a villager's ID number", async ({ page }) => {
  const db = new Database(path.resolve("tests/e2e/.tmp/e2e.db"), { readonly: true });
  const worker = db
    .prepare(`SELECT p.name, p.idNumber FROM Person p JOIN Household h ON h.id = p.householdId JOIN Village v ON v.id = h.villageId WHERE v.name = '鲁谢庄村' AND p.leftOn IS NULL AND p.ableToWork = 1 ORDER BY p.id LIMIT 1`)
    .get() as { name: string; idNumber: string };
  db.close();
  await signIn(page, "accountant");
  await page.getByRole("link", { name: "基地务工" }).click();
  await page.getByLabel("务工人员身份证号").fill("110105194912310021");
  await page.getByLabel("开始日期").fill("2026-03-01");
  await page.getByLabel("结束日期").fill("2026-03-31");
  await page.getByLabel("天数").fill("10.5");
  await page.getByLabel("日工资（元）").fill("120");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("在您管理的村里没有找到这个身份证号的在户成员")).toBeVisible();
  await page.getByLabel("务工人员身份证号").fill(worker.idNumber);
  await page.getByRole("button", { name: "保存" }).click();
  // the save answers with what was recorded
  await expect(page.getByTestId("flash")).toContainText(`已登记务工 10.5 天（${worker.name}，2026-03-01 至 2026-03-31）`);
  const row = page.getByTestId("work-days").locator("tbody tr").filter({ hasText: worker.name });
  await expect(row).toContainText("1,260.00"); // 10.5 days × 120 yuan
  // the form starts empty after a save; the same days again are refused, naming the record
  await expect(page.getByLabel("务工人员身份证号")).toHaveValue("");
  await page.getByLabel("务工人员身份证号").fill(worker.idNumber);
  await page.getByLabel("开始日期").fill("2026-03-01");
  await page.getByLabel("结束日期").fill("2026-03-31");
  await page.getByLabel("天数").fill("10.5");
  await page.getByLabel("日工资（元）").fill("120");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("与已有的务工记录（2026-03-01 至 2026-03-31")).toBeVisible();
  await expect(page.getByTestId("work-days").locator("tbody tr").filter({ hasText: worker.name })).toHaveCount(1);
  await signOut(page);
});

test("a secretary records an income entry and deletes it again with a reason; each save answers", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/income");
  await page.getByTestId("audit-villages").getByRole("link", { name: "鲁谢庄村" }).click();
  await page.getByTestId("flagged-table").locator("tbody tr td:first-child a").first().click();
  const form = page.getByTestId("entry-form");
  // choosing the kind fills in its category by script: wait until the page is live
  await page.waitForLoadState("networkidle");
  await form.getByLabel("收入项目").selectOption("PENSION");
  await form.getByLabel("金额（元）").fill("1234.5");
  await form.getByLabel("来源（发放单位或文件）").fill("城乡居民养老金");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("flash")).toContainText("已登记收入 1,234.50 元");
  // the form starts empty again
  await expect(form.getByLabel("金额（元）")).toHaveValue("");
  const row = page.getByTestId("entries").locator("tbody tr").filter({ hasText: "城乡居民养老金" });
  await expect(row).toContainText("1,234.50");
  // deleting asks for a reason first
  await row.locator("summary", { hasText: "删除" }).click();
  await row.getByLabel("删除原因").fill("录错户");
  await row.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByTestId("flash")).toContainText("已删除收入记录 1,234.50 元");
  await expect(page.getByTestId("flash")).toContainText("录错户");
  await expect(page.getByTestId("entries").locator("tbody tr").filter({ hasText: "城乡居民养老金" })).toHaveCount(0);
  await signOut(page);
});
