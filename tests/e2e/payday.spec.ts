import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import iconv from "iconv-lite";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

const DB = path.resolve("tests/e2e/.tmp/e2e.db");
const TMP = path.resolve("tests/e2e/.tmp");

/** A bank's answer to a payment file of the first example template: each row plus 处理结果 and 失败原因. */
function resultFile(paymentCsv: Buffer, failFirst: string | null): Buffer {
  const lines = iconv.decode(paymentCsv, "gbk").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim());
  const head = lines.findIndex((l) => l.startsWith("序号,"));
  expect(head).toBeGreaterThanOrEqual(0);
  const out = [`${lines[head]},处理结果,失败原因`];
  lines.slice(head + 1).forEach((l, i) => out.push(i === 0 && failFirst ? `${l},失败,${failFirst}` : `${l},成功,`));
  return Buffer.from(out.join("\r\n"), "utf8");
}

test("payday: the accountant drafts, the chair approves and issues, the bank file goes out, its result comes back with one failure, the member is paid again, and the roster prints", async ({ page }) => {
  test.setTimeout(300_000);
  // ── the accountant drafts the 2023 run
  await signIn(page, "accountant");
  await page.goto("/dividends/new");
  await page.getByLabel("年度", { exact: true }).fill("2023");
  await page.getByLabel("年度收入（元）").fill("1500000");
  await page.getByLabel("年度成本费用（元）").fill("600000");
  await page.getByLabel("保底收益（元/股）").fill("800");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const runUrl = page.url();
  const runId = Number(runUrl.split("/").pop());
  await expect(page.getByRole("button", { name: "审定方案" })).toHaveCount(0);
  await signOut(page);

  // ── the chair approves; the accountant publishes; after the notice the chair issues
  await signIn(page, "chair");
  await page.goto(runUrl);
  await page.getByRole("button", { name: "审定方案" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("已审定");
  await signOut(page);
  await signIn(page, "accountant");
  await page.goto(runUrl);
  await page.getByRole("button", { name: "发布公示" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("公示中");
  await signOut(page);
  // The notice period passes (the only thing a test cannot wait for).
  const db = new Database(DB);
  db.prepare("UPDATE DividendRun SET noticeEndsOn = '2000-01-01' WHERE id = ?").run(runId);
  db.close();
  await signIn(page, "chair");
  await page.goto(runUrl);
  await page.waitForLoadState("networkidle");
  await page.getByTestId("confirm-issue").locator("summary").click();
  await page.getByTestId("confirm-issue").getByLabel("发放依据（如理事会决议、公示结果）").fill("理事会决议，公示无异议");
  await page.getByRole("button", { name: "确认发放并记录原因" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("已发放");
  await expect(page.getByTestId("flash")).toContainText("已发放分红方案");
  await signOut(page);

  // ── the accountant picks a bank file template (a generic example to adjust) and downloads the payment file
  await signIn(page, "accountant");
  await page.goto(`/dividends/${runId}/bank`);
  await page.getByRole("link", { name: "选择或修改模板" }).click();
  await page.getByTestId("adopt-0").click();
  await expect(page.getByText("通用CSV（示例，请按开户银行要求调整）").first()).toBeVisible();
  await page.goto(`/dividends/${runId}/bank`);
  const download1 = page.waitForEvent("download");
  await page.getByTestId("bank-file").click();
  const file1 = fs.readFileSync((await (await download1).path())!);
  const text1 = iconv.decode(file1, "gbk");
  expect(text1).toContain("收款账号");
  const paidRows = text1.split(/\r?\n/).filter((l) => /^\d+,/.test(l));
  expect(paidRows.length).toBeGreaterThan(1);
  const failedAccount = paidRows[0]!.split(",")[1]!;

  // ── the bank's result: one failure; checked first, then recorded in one step
  fs.mkdirSync(TMP, { recursive: true });
  const result1 = path.join(TMP, "bank-result-1.csv");
  fs.writeFileSync(result1, resultFile(file1, "账户已销户"));
  await page.getByLabel("结果文件").setInputFiles(result1);
  await page.getByRole("button", { name: "核对" }).click();
  await expect(page.getByText(/可入账 \d+ 行/).first()).toBeVisible();
  // Irreversible: the confirm step asks for a note before the file is recorded.
  await page.getByTestId(/confirm-apply-/).first().locator("summary").click();
  await page.getByTestId(/confirm-apply-/).first().getByLabel("入账说明（如银行回单日期、经办人）").fill("银行回单已核，经办人鲁会计");
  await page.getByRole("button", { name: "入账（不可撤销）" }).first().click();
  await expect(page.getByTestId("flash")).toContainText("已入账银行结果文件");
  await expect(page.getByText("已入账").first()).toBeVisible();
  const after1 = new Database(DB, { readonly: true });
  const failed = after1.prepare("SELECT COUNT(*) AS n FROM DividendPayment p JOIN DividendLine l ON l.id = p.lineId WHERE l.runId = ? AND p.status = 'FAILED' AND p.failureReason = '账户已销户'").get(runId) as { n: number };
  const open1 = after1.prepare("SELECT COUNT(*) AS n FROM DividendLine WHERE runId = ? AND paidFen < netFen").get(runId) as { n: number };
  after1.close();
  expect(failed.n).toBe(1);
  expect(open1.n).toBeGreaterThanOrEqual(1);

  // ── the member's account is put right; the next unpaid file holds only them, and the bank pays it
  await page.goto(`/dividends/${runId}/bank`);
  const download2 = page.waitForEvent("download");
  await page.getByTestId("bank-file").click();
  const file2 = fs.readFileSync((await (await download2).path())!);
  const rows2 = iconv.decode(file2, "gbk").split(/\r?\n/).filter((l) => /^\d+,/.test(l));
  expect(rows2.map((l) => l.split(",")[1])).toContain(failedAccount);
  const result2 = path.join(TMP, "bank-result-2.csv");
  fs.writeFileSync(result2, resultFile(file2, null));
  await page.getByLabel("结果文件").setInputFiles(result2);
  await page.getByRole("button", { name: "核对" }).click();
  await expect(page.getByText(/可入账 \d+ 行/).first()).toBeVisible();
  await page.getByTestId(/confirm-apply-/).first().locator("summary").click();
  await page.getByTestId(/confirm-apply-/).first().getByLabel("入账说明（如银行回单日期、经办人）").fill("第二批回单");
  await page.getByRole("button", { name: "入账（不可撤销）" }).first().click();
  await expect(page.getByTestId(/confirm-apply-/)).toHaveCount(0);
  const after2 = new Database(DB, { readonly: true });
  const bankPaid = after2.prepare("SELECT COUNT(*) AS n FROM DividendLine l WHERE l.runId = ? AND l.paidFen = l.netFen AND EXISTS (SELECT 1 FROM DividendPayment p WHERE p.lineId = l.id AND p.status = 'PAID' AND p.bankReturnId IS NOT NULL)").get(runId) as { n: number };
  after2.close();
  expect(bankPaid.n).toBe(paidRows.length);

  // ── the payout roster (发放花名册) for signatures
  const roster = await page.request.get(`/resources/dividends/${runId}/roster.pdf`);
  expect(roster.status()).toBe(200);
  const pdf = path.join(TMP, "roster.pdf");
  fs.writeFileSync(pdf, await roster.body());
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  for (const s of ["发放花名册", "理事长", "监事", "制表"]) expect(text.replace(/\s+/g, "")).toContain(s);
});
