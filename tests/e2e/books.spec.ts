import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import iconv from "iconv-lite";
import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./helpers";

const DB = path.resolve(process.env.E2E_DB ?? "tests/e2e/.tmp/e2e.db");
const TMP = path.resolve("tests/e2e/.tmp");
const COOP = 1; // 牡丹区续强合作社 of the demo data: harvest sales 2023–2025

/** A bank's answer to a payment file: every row paid but the first, which failed. */
function resultFile(paymentCsv: Buffer, failFirst: string): Buffer {
  const lines = iconv.decode(paymentCsv, "gbk").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim());
  const head = lines.findIndex((l) => l.startsWith("序号,"));
  const out = [`${lines[head]},处理结果,失败原因`];
  lines.slice(head + 1).forEach((l, i) => out.push(i === 0 ? `${l},失败,${failFirst}` : `${l},成功,`));
  return Buffer.from(out.join("\r\n"), "utf8");
}

test.use({ actionTimeout: 30_000, navigationTimeout: 30_000 });

const yuan = (fen: number) => (fen / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The chair checks every month with unchecked vouchers; the accountant then closes the months and the year. */
async function closeYear(page: Page, year: number) {
  await signIn(page, "chair");
  await page.goto(`/books/closing?coop=${COOP}&year=${year}`);
  for (;;) {
    const button = page.getByRole("button", { name: "审核本月凭证" }).first();
    if ((await button.count()) === 0) break;
    const id = (await button.getAttribute("data-testid"))!;
    await button.click();
    await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.getByTestId("flash")).toContainText("已审核");
  }
  await signOut(page);
  await signIn(page, "accountant");
  await page.goto(`/books/closing?coop=${COOP}&year=${year}`);
  for (let m = 1; m <= 12; m++) {
    const step = page.getByTestId(`confirm-close-${m}`);
    await step.locator("summary").click();
    await step.getByLabel("说明").fill("月末结账");
    await step.getByRole("button", { name: "确认结账" }).click();
    await expect(page.getByTestId("flash")).toContainText(`已结账 ${year} 年 ${m} 月`);
    await expect(page.getByTestId(`confirm-close-${m}`)).toHaveCount(0);
  }
  const yearStep = page.getByTestId("confirm-close-year");
  await yearStep.locator("summary").click();
  await yearStep.getByLabel("说明").fill("年终结账");
  await yearStep.getByRole("button", { name: "确认结账" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已完成 ${year} 年度结账`);
  await signOut(page);
}

test("books: a year of money events booked as vouchers, a manual voucher made and checked, the months and years closed, the three statements printed", async ({ page }) => {
  test.setTimeout(900_000);
  // ── a 2022 dividend run: drafted, approved by the chair, published, issued
  await signIn(page, "accountant");
  await page.goto("/dividends/new");
  await page.getByLabel("年度", { exact: true }).fill("2022");
  await page.getByLabel("年度收入（元）").fill("1200000");
  await page.getByLabel("年度成本费用（元）").fill("500000");
  await page.getByLabel("保底收益（元/股）").fill("700");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const runUrl = page.url();
  const runId = Number(runUrl.split("/").pop());
  await signOut(page);
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
  await signOut(page);

  // ── paid through the bank, one payment failed
  await signIn(page, "accountant");
  await page.goto(`/dividends/${runId}/bank`);
  await page.getByRole("link", { name: "选择或修改模板" }).click();
  await page.getByTestId("adopt-0").click();
  await expect(page.getByText("通用CSV（示例，请按开户银行要求调整）").first()).toBeVisible();
  await page.goto(`/dividends/${runId}/bank`);
  const download = page.waitForEvent("download");
  await page.getByTestId("bank-file").click();
  const file = fs.readFileSync((await (await download).path())!);
  fs.mkdirSync(TMP, { recursive: true });
  const result = path.join(TMP, "books-bank-result.csv");
  fs.writeFileSync(result, resultFile(file, "户名不符"));
  await page.getByLabel("结果文件").setInputFiles(result);
  await page.getByRole("button", { name: "核对" }).click();
  await expect(page.getByText(/可入账 \d+ 行/).first()).toBeVisible();
  await page.getByTestId(/confirm-apply-/).first().locator("summary").click();
  await page.getByTestId(/confirm-apply-/).first().getByLabel("入账说明（如银行回单日期、经办人）").fill("银行回单已核");
  await page.getByRole("button", { name: "入账（不可撤销）" }).first().click();
  await expect(page.getByTestId("flash")).toContainText("已入账银行结果文件");

  // ── the accountant books every pending event: harvest sales, the run, the payments; the failed one is listed, not booked
  await page.goto(`/books?coop=${COOP}`);
  await page.getByTestId("book-events").click();
  await expect(page.getByTestId("flash")).toContainText(/已生成 \d+ 张凭证/);
  await expect(page.getByTestId("books-skipped")).toContainText("户名不符");
  // the run page links to its vouchers, and they back to the run
  await page.goto(runUrl);
  await expect(page.getByTestId("voucher-links")).toBeVisible();
  await page.getByTestId("voucher-links").getByRole("link").first().click();
  await expect(page.getByTestId("voucher-sheet")).toContainText("记账凭证");
  await expect(page.getByTestId("voucher-source")).toHaveAttribute("href", `/dividends/${runId}`);

  // ── a manual voucher: refused while it does not balance, nothing saved; then saved
  await page.goto(`/books/vouchers/new?coop=${COOP}`);
  await page.getByLabel("摘要", { exact: true }).fill("购买办公用品");
  await page.getByLabel("附单据（张）").fill("2");
  await page.getByLabel("会计科目 1").fill("523 管理费用");
  await page.getByLabel("借方金额（元） 1").fill("356.40");
  await page.getByLabel("会计科目 2").fill("101 库存现金");
  await page.getByLabel("贷方金额（元） 2").fill("300");
  await expect(page.getByTestId("voucher-totals")).toContainText("借贷差额 56.40 元");
  await page.getByRole("button", { name: "保存凭证" }).click();
  await expect(page.getByText(/借贷不平衡/)).toBeVisible();
  await page.getByLabel("贷方金额（元） 2").fill("356.40");
  await expect(page.getByTestId("voucher-totals")).toContainText("借贷平衡");
  await page.getByRole("button", { name: "保存凭证" }).click();
  await expect(page.getByTestId("flash")).toContainText(/已保存凭证 记-\d+（\d{4} 年 \d+ 月）/);
  const voucherUrl = page.url();
  await expect(page.getByTestId("voucher-capitals")).toContainText("叁佰伍拾陆元肆角整");
  await expect(page.getByTestId("voucher-status")).toHaveText("未审核");
  await expect(page.getByTestId("voucher-check")).toHaveCount(0);
  await signOut(page);

  // ── the chair checks it (never the maker)
  await signIn(page, "chair");
  await page.goto(voucherUrl);
  await page.getByTestId("voucher-check").click();
  await expect(page.getByTestId("flash")).toContainText("已审核凭证");
  await expect(page.getByTestId("voucher-status")).toHaveText("已审核");
  await signOut(page);

  // ── every year with vouchers is closed in order, the one of the run last
  const ro = new Database(DB, { readonly: true });
  const years = (ro.prepare("SELECT DISTINCT year FROM Voucher WHERE cooperativeId = ? AND status <> 'VOID' ORDER BY year").all(COOP) as { year: number }[]).map((r) => r.year);
  const runYear = (ro.prepare("SELECT year FROM Voucher WHERE source = 'RUN_DISTRIBUTION' AND sourceId = ?").get(String(runId)) as { year: number }).year;
  ro.close();
  for (const y of years) await closeYear(page, y);

  // ── the statements of the run's year: the balance sheet balances, the distribution is the run's
  const figures = new Database(DB, { readonly: true });
  const runs = figures
    .prepare("SELECT r.providentFen + r.riskFen AS reserve, r.distributedFen AS distributed FROM DividendRun r WHERE r.cooperativeId = ? AND r.status = 'ISSUED' AND EXISTS (SELECT 1 FROM Voucher v WHERE v.source = 'RUN_DISTRIBUTION' AND v.sourceId = CAST(r.id AS TEXT) AND v.year = ?)")
    .all(COOP, runYear) as { reserve: number; distributed: number }[];
  figures.close();
  const reserve = runs.reduce((s, r) => s + Number(r.reserve), 0);
  const distributed = runs.reduce((s, r) => s + Number(r.distributed), 0);
  await signIn(page, "accountant");
  await page.goto(`/books/statements?coop=${COOP}&year=${runYear}`);
  await expect(page.getByTestId("statements-balanced")).toHaveText("资产总计与负债和所有者权益总计相等。");
  const income = page.getByTestId("statement-income");
  await expect(income.getByRole("row", { name: /减：提取盈余公积/ })).toContainText(yuan(reserve));
  await expect(page.getByTestId("statement-equity")).toBeVisible();
  const pdf = await page.request.get(`/resources/books/statements.pdf?coop=${COOP}&year=${runYear}`);
  expect(pdf.status()).toBe(200);
  const pdfFile = path.join(TMP, "books-statements.pdf");
  fs.writeFileSync(pdfFile, await pdf.body());
  const text = execFileSync("pdftotext", ["-layout", pdfFile, "-"], { encoding: "utf8" });
  for (const s of ["资产负债表", "盈余及盈余分配表", "成员权益变动表", "负债和所有者权益总计", yuan(reserve)]) expect(text).toContain(s);
  // 盈余返还 and 剩余盈余分配 together are what the run distributed
  const returned = text.match(/(?:^|\s)盈余返还\s+\d+\s+([\d,.]+)/m);
  const residual = text.match(/(?:^|\s)剩余盈余分配\s+\d+\s+([\d,.]+)/m);
  const fen = (s: string | undefined) => Math.round(Number((s ?? "0").replace(/,/g, "")) * 100);
  expect(fen(returned?.[1]) + fen(residual?.[1])).toBe(distributed);
  const xlsx = await page.request.get(`/resources/books/statements.xlsx?coop=${COOP}&year=${runYear}`);
  expect(xlsx.status()).toBe(200);
});
