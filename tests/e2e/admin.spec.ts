import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

test("administrator backs up and checks the copy; a secretary downloads the household list", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/backups");
  await expect(page.getByRole("heading", { name: "数据备份" })).toBeVisible();
  // The restore procedure is explained on the page.
  await expect(page.getByRole("heading", { name: "如何恢复" })).toBeVisible();

  await page.getByRole("button", { name: "立即备份" }).click();
  // the save answers with the file it wrote
  const created = page.getByTestId("flash");
  await expect(created).toContainText("已生成备份");
  const name = /cunshe-\d{8}T\d+Z\.db/.exec(await created.innerText())![0];
  const row = page.locator(`tr[data-backup="${name}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "检查" }).click();
  await expect(row.getByTestId("backup-check")).toContainText("可以恢复");
  // the exact command for this backup (with the app's settings in front when they are not the defaults)
  await expect(page.getByTestId("restore-commands")).toContainText(new RegExp(`npm run backup -- restore \\S*/${name.replace(/\./g, "\\.")}`));
  await signOut(page);

  await signIn(page, "secretary");
  await page.getByRole("link", { name: "农户", exact: true }).click();
  const unfiltered = await page.getByText(/共 \d+ 户/).innerText();
  await page.getByLabel("状态").selectOption("MONITORED");
  await expect(page).toHaveURL(/status=MONITORED/);
  // the URL changes before the filtered list is on screen: wait for its count
  await expect(page.getByText(/共 \d+ 户/)).not.toHaveText(unfiltered);
  const total = Number(/共 (\d+) 户/.exec(await page.getByText(/共 \d+ 户/).innerText())![1]);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-households").click()]);
  expect(download.suggestedFilename()).toBe(`农户名册 小留镇 鲁谢庄村-${chinaToday()}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  expect(wb.worksheets.map((s) => s.name)).toEqual(["农户名册", "家庭成员"]);
  const sheet = wb.worksheets[0]!;
  expect(String(sheet.getCell(2, 1).value)).toContain("状态：监测户");
  // exceljs rows are 1-based, sparse arrays
  const cells = (values: unknown) => Array.from(values as unknown[], (v) => String(v ?? ""));
  const headers = cells(sheet.getRow(3).values);
  const rows: Record<string, string>[] = [];
  sheet.eachRow((r, n) => {
    if (n > 3) rows.push(Object.fromEntries(cells(r.values).map((v, i) => [headers[i], v])));
  });
  // the whole filtered list, not just the page on screen
  expect(rows).toHaveLength(total);
  for (const r of rows) {
    expect(r["状态"]).toBe("监测户");
    // the secretary manages these households: full ID numbers
    expect(r["身份证号码"]).toMatch(/^\d{17}[\dX]$/);
  }
});

test("an administrator creates an account, resets its password and disables it; each step answers, the irreversible ones with a reason", async ({ page }) => {
  const username = `e2e_${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await page.goto("/accounts");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名").fill("王丽");
  await page.getByLabel("初始密码").fill("Peony-Harvest-2026");
  await page.getByLabel("角色").selectOption("SECRETARY");
  await page.getByRole("button", { name: "创建" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已创建账号 ${username}（王丽，村党支部书记）`);
  const row = page.locator("tbody tr").filter({ hasText: username });
  await expect(row).toBeVisible();

  // resetting: the temporary password and a reason, after a second click
  await row.locator("summary", { hasText: "重置密码" }).click();
  await row.getByLabel("临时密码").fill("Temp-Peony-2026");
  await row.getByLabel("重置原因").fill("本人手机丢失，电话核实后重置");
  await row.getByRole("button", { name: "确认重置" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已重置 ${username}（王丽）的密码`);
  await expect(page.getByTestId("flash")).toContainText("本人手机丢失");

  await row.locator("summary", { hasText: "停用" }).click();
  await row.getByLabel("停用原因").fill("调任");
  await row.getByRole("button", { name: "确认停用" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已停用账号 ${username}（王丽）`);
  await expect(row).toContainText("已停用");
  await row.getByRole("button", { name: "启用" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已启用账号 ${username}（王丽）`);
  await signOut(page);
});
