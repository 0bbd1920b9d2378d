import fs from "node:fs";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

// The audit trail for people (issue 15): an administrator changes a cooperative's
// legal representative; the township finds the change by user and kind of record,
// reads it as 旧值 → 新值 in Chinese, and downloads the filtered events as Excel.
test("a change is found by user and kind, read in Chinese as old → new, and exported", async ({ page }) => {
  await signIn(page, "township");
  await page.goto("/cooperatives");
  await page.locator("table a[href^='/cooperatives/']").first().click();
  await expect(page).toHaveURL(/\/cooperatives\/\d+$/);
  const coopUrl = new URL(page.url()).pathname;
  const before = (await page.locator("dt:has-text('法定代表人') + dd").innerText()).trim();
  await signOut(page);

  const changed = `${before}（代）`;
  await signIn(page, "admin");
  await page.goto(coopUrl);
  await page.locator("details summary", { hasText: "编辑" }).click();
  await page.getByLabel("法定代表人").fill(changed);
  await page.getByRole("button", { name: "保存" }).click();
  // every save answers with what was saved
  await expect(page.getByTestId("flash")).toContainText("已保存合作社");
  await expect(page.locator("dt:has-text('法定代表人') + dd")).toHaveText(changed);
  await signOut(page);

  await signIn(page, "township");
  await page.goto("/audit-trail");
  await page.getByLabel("操作人").selectOption({ label: "admin" });
  await page.getByLabel("记录类型").selectOption({ label: "合作社" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/actor=\d+.*entity=Cooperative/);
  const event = page.getByTestId("audit-event").first();
  await expect(event).toContainText("合作社 #");
  await expect(event.getByTestId("audit-change").filter({ hasText: "法定代表人" })).toContainText(`法定代表人：${before} → ${changed}`);
  // no English entity names or raw JSON
  await expect(page.locator("table.audit")).not.toContainText("Cooperative");
  await expect(page.locator("table.audit")).not.toContainText("legalRepresentative");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 Excel" }).click();
  const file = await (await download).path();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file!) as unknown as ExcelJS.Buffer);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? "")))));
  expect(cells).toContain("法定代表人");
  expect(cells).toContain(changed);
  expect(cells.some((c) => /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/.test(c))).toBe(false);
  await signOut(page);

  // put it back, so that other journeys see the demo data as it was
  await signIn(page, "admin");
  await page.goto(coopUrl);
  await page.locator("details summary", { hasText: "编辑" }).click();
  await page.getByLabel("法定代表人").fill(before);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("dt:has-text('法定代表人') + dd")).toHaveText(before);
});
