import { expect, test } from "@playwright/test";
import { DEMO_CHILD } from "../../scripts/lib/demo-data";
import { signIn, signOut } from "./helpers";

test("a secretary finds a household by the name of a child who is not the head", async ({ page }) => {
  await signIn(page, "secretary");
  await page.getByRole("link", { name: "农户", exact: true }).click();
  await expect(page.getByRole("heading", { name: "农户名册" })).toBeVisible();
  await page.getByRole("searchbox").fill(DEMO_CHILD.name);
  await page.getByRole("button", { name: "查找" }).click();
  const table = page.getByTestId("household-table");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText(DEMO_CHILD.headName);
  await expect(table).toContainText(DEMO_CHILD.name);
  // The list masks ID numbers.
  await expect(table.locator("tbody td.mono").first()).toContainText("********");
  await table.getByRole("link", { name: DEMO_CHILD.headName }).click();
  await expect(page.getByTestId("members-table")).toContainText(DEMO_CHILD.name);
  // The secretary manages this household, so the detail page shows full numbers.
  await expect(page.getByTestId("members-table")).not.toContainText("********");
});

test("a bad ID checksum is shown next to the field and nothing is saved", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/households/new");
  await page.getByLabel("户编号").fill("9901");
  await page.getByLabel("村民小组").selectOption({ index: 1 });
  const member = page.getByTestId("member-0");
  await member.getByLabel("姓名").fill("谢测试");
  await member.getByLabel("与户主关系").selectOption("HEAD");
  // 11010519491231002X is valid; changing the check digit breaks it.
  await member.getByLabel("身份证号").fill("110105194912310021");
  await page.getByRole("button", { name: "保存" }).click();
  const error = page.locator('[data-field="members.0.idNumber"]');
  await expect(error).toHaveText("身份证号校验位不正确，请核对号码");
  await expect(member.getByLabel("身份证号")).toHaveAttribute("aria-invalid", "true");
  // What was typed is still there, and no household was created.
  await expect(member.getByLabel("姓名")).toHaveValue("谢测试");
  await page.goto("/households?q=谢测试");
  await expect(page.getByTestId("search-explanation")).toHaveText("没有成员姓名含“谢测试”的户");
});

test("a secretary can create a household that search then finds", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/households/new");
  await page.getByLabel("户编号").fill("9902");
  await page.getByLabel("村民小组").selectOption({ index: 1 });
  await page.getByTestId("member-0").getByLabel("姓名").fill("谢新户");
  await page.getByTestId("member-0").getByLabel("与户主关系").selectOption("HEAD");
  await page.getByTestId("member-0").getByLabel("身份证号").fill("11010519491231002x");
  await page.getByRole("button", { name: "添加成员" }).click();
  await page.getByTestId("member-1").getByLabel("姓名").fill("谢小满");
  await page.getByTestId("member-1").getByLabel("与户主关系").selectOption("DAUGHTER");
  await page.getByTestId("member-1").getByLabel("身份证号").fill("440524188001010014");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "农户：谢新户" })).toBeVisible();
  await expect(page.getByTestId("members-table")).toContainText("11010519491231002X");
  await page.goto("/households?q=小满");
  await expect(page.getByTestId("household-table")).toContainText("谢新户");
});

test("a secretary of another village is refused a household by URL", async ({ page }) => {
  // The township official can see a household of 刘庄村 and tells us its address.
  await signIn(page, "township");
  await page.goto("/households");
  await page.getByLabel("村", { exact: true }).selectOption({ label: "小留镇 刘庄村" });
  await expect(page.getByTestId("household-table")).toContainText("刘庄村");
  const href = await page.getByTestId("household-table").locator("tbody a").first().getAttribute("href");
  expect(href).toMatch(/^\/households\/\d+$/);
  await signOut(page);

  await signIn(page, "secretary");
  const response = await page.goto(href!);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("不在您的管辖范围内");
  await expect(page.locator("body")).not.toContainText("刘庄村");
  const edit = await page.goto(`${href}/edit`);
  expect(edit?.status()).toBe(404);
  // Searching does not reach across villages either.
  await page.goto("/households?q=刘");
  await expect(page.locator("body")).not.toContainText("刘庄村");
});

test("a township official reads but cannot edit", async ({ page }) => {
  await signIn(page, "township");
  await page.goto("/households");
  const href = await page.getByTestId("household-table").locator("tbody a").first().getAttribute("href");
  await page.goto(href!);
  await expect(page.getByRole("link", { name: "编辑" })).toHaveCount(0);
  await expect(page.getByTestId("members-table")).toContainText("********");
  const edit = await page.goto(`${href}/edit`);
  expect(edit?.status()).toBe(403);
  const create = await page.goto("/households/new");
  expect(create?.status()).toBe(403);
});

test("members carry 入户日期 and 迁出日期: removing a member asks for the date they left", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/households/new");
  await page.getByLabel("户编号").fill("9903");
  await page.getByLabel("村民小组").selectOption({ index: 1 });
  const head = page.getByTestId("member-0");
  await head.getByLabel("姓名").fill("谢迁户");
  await head.getByLabel("与户主关系").selectOption("HEAD");
  await head.getByLabel("身份证号").fill("110105194912310038");
  await page.getByRole("button", { name: "添加成员" }).click();
  const son = page.getByTestId("member-1");
  await son.getByLabel("姓名").fill("谢迁子");
  await son.getByLabel("与户主关系").selectOption("SON");
  await son.getByLabel("身份证号").fill("440524188001010110");
  await son.getByLabel("入户日期").fill("2024-05-01");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "农户：谢迁户" })).toBeVisible();
  const members = page.getByTestId("members-table");
  await expect(members.getByRole("row", { name: /谢迁子/ })).toContainText("2024-05-01");
  // unknown 入户日期: the member counts for the whole year
  await expect(members.getByRole("row", { name: /谢迁户/ })).toContainText("不详");

  await page.getByRole("link", { name: "编辑" }).click();
  await page.getByTestId("member-1").getByRole("button", { name: "移除" }).click();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator('[data-field="members.1.leftOn"]')).toHaveText("移除成员须填写迁出日期");
  await page.getByTestId("member-1").getByLabel("迁出日期").fill("2024-04-30");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator('[data-field="members.1.leftOn"]')).toHaveText("迁出日期应晚于入户日期（2024-05-01）");
  // moving out cannot be undone here: the step says so and asks for a reason
  await expect(page.getByTestId("member-1")).toContainText("不再是本户成员");
  await expect(page.locator('[data-field="members.1.leaveReason"]')).toHaveText("请填写原因：这一步不能撤回，原因会记入操作记录。");
  await page.getByTestId("member-1").getByLabel("迁出日期").fill("2025-06-30");
  await page.getByTestId("member-1").getByLabel("迁出原因").fill("婚嫁迁出");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "农户：谢迁户" })).toBeVisible();
  await expect(page.getByTestId("flash")).toHaveText("已保存户 9903（谢迁户），谢迁子 已迁出");
  await expect(members.getByRole("row", { name: /谢迁子/ })).toContainText("2025-06-30 迁出");
});

test("search by the last digits of an ID number or a birth date, and why nothing matched", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/households");
  const table = page.getByTestId("household-table");
  // the list shows the masked ID with its last four: those find the household
  const firstRow = table.locator("tbody tr").first();
  const head = (await firstRow.locator("td a").first().textContent())!.trim();
  const masked = (await firstRow.locator("td.mono").first().textContent())!.trim();
  await page.getByRole("searchbox").fill(masked.slice(-4));
  await page.getByRole("button", { name: "查找" }).click();
  await expect(table).toContainText(head);
  // the secretary sees birth dates whole, and finds by one written the Chinese way
  await table.getByRole("link", { name: head }).first().click();
  const born = (await page.getByTestId("members-table").locator("tbody tr").first().locator("td").nth(4).textContent())!.trim();
  const [y, m, d] = born.split("-");
  await page.goto(`/households?q=${encodeURIComponent(`${y}年${Number(m)}月${Number(d)}日`)}`);
  await expect(table).toContainText(head);
  // nothing found: the page says what it searched for and how
  await page.goto("/households?q=1901-01-01");
  await expect(page.getByTestId("search-explanation")).toHaveText("按出生日期 1901-01-01 未找到：没有成员在这一天出生的户");
  await page.goto("/households?q=123");
  await expect(page.getByTestId("search-explanation")).toContainText("身份证号片段需至少 4 位");
  await signOut(page);
  // the township sees the last four only: more digits, or a birth date, are the secretary's to search
  await signIn(page, "township");
  await page.goto(`/households?q=${masked.slice(-4)}`);
  await expect(table).toContainText(head);
  await page.goto(`/households?q=${born}`);
  await expect(page.getByTestId("search-explanation")).toContainText("按出生日期查找只限本村书记");
});

test("a monitored household takes a standard category and risk types, shown in Chinese; the save says what was saved", async ({ page }) => {
  await signIn(page, "secretary");
  await page.goto("/households/new");
  await page.getByLabel("户编号").fill("9904");
  await page.getByLabel("村民小组").selectOption({ index: 1 });
  const head = page.getByTestId("member-0");
  await head.getByLabel("姓名").fill("谢监测");
  await head.getByLabel("与户主关系").selectOption("HEAD");
  await head.getByLabel("身份证号").fill("110105194912310054");
  await page.getByLabel("当前状态").selectOption("MONITORED");
  await page.getByLabel("状态日期").fill("2025-04-01");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator('[data-field="monitoringCategory"]')).toHaveText("监测户须选择监测类别（脱贫不稳定户、边缘易致贫户或突发严重困难户）");
  await expect(page.locator('[data-field="riskTypes"]')).toHaveText("监测户须至少选择一种风险类型");
  await page.getByTestId("monitoring-category").getByLabel("边缘易致贫户").check();
  await page.getByTestId("risk-types").getByLabel("因病").check();
  await page.getByTestId("risk-types").getByLabel("因学").check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: "农户：谢监测" })).toBeVisible();
  await expect(page.getByTestId("flash")).toHaveText("已新增户 9904（谢监测）");
  await expect(page.getByTestId("monitoring-category")).toContainText("边缘易致贫户");
  await expect(page.getByTestId("risk-types")).toContainText("因病、因学");
  await expect(page.getByTestId("status-history")).toContainText("边缘易致贫户");
  // a reload shows the message no more
  await page.reload();
  await expect(page.getByTestId("flash")).toHaveCount(0);
  // the list filters monitored households by category
  await page.goto("/households?status=MONITORED&category=MARGINAL");
  await expect(page.getByTestId("household-table")).toContainText("谢监测");
  await page.goto("/households?status=MONITORED&category=SUDDEN&q=谢监测");
  await expect(page.getByTestId("search-explanation")).toContainText("没有成员姓名含“谢监测”的户（只在所选的");
});
