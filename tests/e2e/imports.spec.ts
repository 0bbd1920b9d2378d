import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { makeIdNumber } from "../../app/registry/id-number";
import { signIn, signOut } from "./helpers";

const CN = "零一二三四五六七八九";
const cn = (n: number) => String(n).replace(/\d/g, (d) => CN[Number(d)]!);

/** A small roster as a village would keep it: a title row above the headings, one row per person. */
async function roster(opts: { badId: boolean }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  ws.addRow(["鲁谢庄村农户花名册（补录）"]);
  ws.mergeCells("A1:G1");
  ws.addRow(["户编号", "村民小组", "姓名", "与户主关系", "公民身份号码", "户类型", "脱贫年度"]);
  for (let h = 0; h < 4; h++) {
    const code = `E${String(h + 1).padStart(3, "0")}`;
    const head = makeIdNumber("379901", "19680808", String(100 + h));
    let spouse = makeIdNumber("379901", "19700909", String(200 + h));
    if (opts.badId && h === 2) spouse = spouse.slice(0, 17) + (spouse.endsWith("1") ? "2" : "1");
    ws.addRow([code, "1", `赵${cn(h)}`, "户主", head, h === 0 ? "脱贫户" : "一般户", h === 0 ? "2019" : ""]);
    ws.addRow([code, "1", `钱${cn(h)}`, "配偶", spouse, "", ""]);
  }
  ws.getColumn(5).numFmt = "@";
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test("a secretary uploads a roster, reads the dry run, downloads the error file, fixes it and imports", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "secretary");
  await page.getByRole("link", { name: "导入", exact: true }).click();
  await page.getByLabel("导入内容").selectOption("HOUSEHOLDS");
  await page.getByLabel(/^文件/).setInputFiles({ name: "花名册.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await roster({ badId: true }) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("batch-status")).toContainText("已检查", { timeout: 30_000 });
  // the upload answers on the batch's page, naming the file
  await expect(page.getByTestId("flash")).toContainText("已上传 花名册.xlsx（");
  await expect(page.getByTestId("error-count")).toHaveText("1");
  const errors = page.getByTestId("row-errors");
  await expect(errors).toContainText("8"); // the spouse of the third household, below the title and heading rows
  await expect(errors).toContainText("身份证");
  await expect(page.getByTestId("confirm-import")).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("error-file").click()]);
  expect(download.suggestedFilename()).toContain("错误说明");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  const ws = wb.worksheets[0]!;
  const texts: string[] = [];
  ws.eachRow((row) => texts.push(row.values ? JSON.stringify(row.values) : ""));
  const flagged = texts.filter((t) => t.includes("身份证") && t.includes("钱二"));
  expect(flagged.length).toBe(1);

  // Fixed file: upload again, and this time import.
  await page.getByRole("link", { name: "← 导入" }).click();
  await page.getByLabel(/^文件/).setInputFiles({ name: "花名册.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await roster({ badId: false }) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("batch-status")).toContainText("已检查", { timeout: 30_000 });
  await expect(page.getByTestId("error-count")).toHaveText("0");
  await expect(page.getByTestId("create-count")).toHaveText("4");
  // importing cannot be undone: it asks for a note first
  const confirm = page.getByTestId("confirm-import");
  await confirm.locator("summary").click();
  await confirm.getByRole("button", { name: "确认导入" }).click();
  await expect(confirm.getByRole("textbox")).toBeFocused();
  await expect(page.getByTestId("batch-status")).toContainText("已检查");
  await confirm.getByRole("textbox").fill("依据2026年花名册，村委会核对");
  await confirm.getByRole("button", { name: "确认导入" }).click();
  await expect(page.getByTestId("flash")).toContainText("已开始导入 花名册.xlsx");
  await expect(page.getByTestId("batch-status")).toContainText("已导入", { timeout: 30_000 });

  await page.goto("/households?q=赵零");
  await expect(page.getByText("赵零").first()).toBeVisible();
  await signOut(page);
});
