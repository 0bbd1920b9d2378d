import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

/** Issuing is irreversible: open the confirm step, give the authority, confirm. */
async function issueWithReason(page: import("@playwright/test").Page, reason = "理事会决议（2026 年第 3 次）") {
  await page.getByTestId("confirm-issue").locator("summary").click();
  await page.getByTestId("confirm-issue").getByLabel("发放依据（如理事会决议、公示结果）").fill(reason);
  await page.getByRole("button", { name: "确认发放并记录原因" }).click();
}

const DB = path.resolve("tests/e2e/.tmp/e2e.db");

// A browser far from China: the run's pages must hydrate without React errors
// (a published run's page logged dozens of them).
test.use({ timezoneId: "America/Los_Angeles" });

test("the accountant simulates, edits, discards, publishes, pays and corrects a run; the chair approves and issues; statements verify", async ({ page, request }) => {
  test.setTimeout(240_000);
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  await signIn(page, "accountant");
  await page.getByRole("link", { name: "入股分红" }).click();
  await page.getByRole("link", { name: "新建分红方案" }).click();
  await page.getByLabel("年度收入（元）").fill("2000000");
  await page.getByLabel("年度成本费用（元）").fill("800000");
  await page.getByLabel("保底收益（元/股）").fill("1000");
  await page.getByRole("button", { name: "试算" }).click();
  const sim = page.getByTestId("simulation");
  await expect(sim).toContainText("尚未保存");
  const rows = await page.getByTestId("sim-lines").locator("tbody tr").count();
  expect(rows).toBeGreaterThan(0);
  // A guarantee the surplus cannot cover is shown as a shortfall, not invented.
  await page.getByLabel("保底收益（元/股）").fill("100000");
  await page.getByRole("button", { name: "试算" }).click();
  await expect(page.getByTestId("shortfall")).toBeVisible();
  // Each household's guarantee due, what it would get and what it lacks.
  for (const h of ["应付保底", "可付保底", "缺口"]) await expect(page.getByTestId("sim-lines").locator("thead")).toContainText(h);
  await page.getByLabel("保底收益（元/股）").fill("1000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const firstDraft = page.url();

  // A second run of the year is refused with a link to the first.
  await page.goto("/dividends/new");
  await page.getByLabel("年度收入（元）").fill("2000000");
  await page.getByLabel("年度成本费用（元）").fill("800000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await page.getByTestId("blocking-run").click();
  await expect(page).toHaveURL(firstDraft);

  // A draft is edited in place …
  await page.getByRole("link", { name: "修改草稿" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("修改草稿");
  await page.getByLabel("方案名称").fill("草稿改名");
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page).toHaveURL(firstDraft);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("草稿改名");
  // … and discarded, which frees the year.
  // Irreversible: the step opens, asks for a reason, and only its own button discards.
  await page.getByTestId("confirm-discard").locator("summary").click();
  await page.getByTestId("confirm-discard").getByLabel("作废原因").fill("年度收入录错");
  await page.getByRole("button", { name: "确认作废" }).click();
  await expect(page.getByTestId("flash")).toContainText("已作废分红草稿");

  await page.getByRole("link", { name: "新建分红方案" }).click();
  await page.getByLabel("年度收入（元）").fill("2000000");
  await page.getByLabel("年度成本费用（元）").fill("800000");
  await page.getByLabel("保底收益（元/股）").fill("1000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const runUrl = page.url();
  // Maker-checker: whoever drafts does not approve; the chair (理事长) does.
  await expect(page.getByRole("button", { name: "审定方案" })).toHaveCount(0);
  await signOut(page);
  await signIn(page, "chair");
  await expect(page.getByTestId("home-runs")).toContainText("待您处理");
  await page.goto(runUrl);
  await expect(page.getByTestId("sign-off")).toContainText("鲁会计");
  await page.getByRole("button", { name: "审定方案" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("已审定");
  await expect(page.getByTestId("sign-off")).toContainText("鲁续强");
  await expect(page.getByRole("button", { name: "发布公示" })).toHaveCount(0);
  await signOut(page);
  await signIn(page, "accountant");
  await page.goto(runUrl);
  await page.getByRole("button", { name: "发布公示" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("公示中");
  // 7 days from today, today included; issuing from the day after the last.
  await expect(page.getByTestId("notice-period")).toContainText("（共 7 天）");
  await expect(page.getByRole("button", { name: "确认发放" })).toHaveCount(0);
  await signOut(page);
  // The supervisor (监事) reads the run and may record objections, nothing else.
  await signIn(page, "supervisor");
  await page.goto(runUrl);
  await expect(page.getByRole("button", { name: "登记异议" })).toBeVisible();
  await expect(page.getByRole("button", { name: "确认发放" })).toHaveCount(0);
  await signOut(page);
  await signIn(page, "chair");
  await page.goto(runUrl);
  await page.waitForLoadState("networkidle");
  await issueWithReason(page);
  await expect(page.getByRole("alert")).toContainText("公示期至");

  // The notice period passes (the only thing a test cannot wait for).
  const runId = Number(runUrl.split("/").pop());
  const db = new Database(DB);
  db.prepare("UPDATE DividendRun SET noticeEndsOn = '2000-01-01' WHERE id = ?").run(runId);
  db.close();

  // Two issue requests at once: exactly one issued run, one statement number per line.
  const results = await page.evaluate(async (url) => {
    const post = () => fetch(url, { method: "POST", body: new URLSearchParams({ intent: "issue", reason: "理事会决议" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } }).then((r) => r.status);
    return Promise.all([post(), post()]);
  }, `${runUrl}.data`);
  // both answer as a save does (a redirect with a message); neither is refused
  expect(results.every((s) => s < 400)).toBe(true);
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("已发放");
  await expect(page.getByTestId("issue-note")).toContainText("理事会决议");
  await signOut(page);
  await signIn(page, "accountant");
  await page.goto(runUrl);
  const check = new Database(DB, { readonly: true });
  const counts = check.prepare("SELECT COUNT(*) AS lines, COUNT(DISTINCT statementNo) AS numbers, COUNT(DISTINCT verifyCode) AS codes FROM DividendLine WHERE runId = ?").get(runId) as { lines: number; numbers: number; codes: number };
  const { verifyCode } = check.prepare("SELECT verifyCode FROM DividendLine WHERE runId = ? ORDER BY id LIMIT 1").get(runId) as { verifyCode: string };
  check.close();
  expect(counts.numbers).toBe(counts.lines);
  expect(counts.codes).toBe(counts.lines);

  // Pay the first line: a failed transfer is kept, then paid again.
  const first = page.getByTestId("run-lines").locator("tbody tr").first();
  const net = (await first.locator("td.num strong").innerText()).trim();
  await first.getByText("登记发放").first().click();
  await first.getByLabel("结果").selectOption("FAILED");
  await first.getByLabel("失败原因").fill("账户已销户");
  await first.getByRole("button", { name: "登记发放" }).click();
  await expect(page.getByTestId("flash")).toContainText("分红发放失败");
  await expect(page.getByTestId("run-lines").locator("tbody tr").first()).toContainText("账户已销户");
  const again = page.getByTestId("run-lines").locator("tbody tr").first();
  await again.getByText("登记发放").first().click();
  await again.getByLabel("银行流水号").fill("NX-0001");
  await again.getByRole("button", { name: "登记发放" }).click();
  await expect(page.getByTestId("flash")).toContainText(`已登记`);
  await expect(page.getByTestId("run-lines").locator("tbody tr").first()).toContainText("NX-0001");

  // The statement downloads as a PDF.
  const href = await page.getByTestId("run-lines").locator("tbody tr").first().locator("a.mono").getAttribute("href");
  const pdf = await page.request.get(href!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // A correction: against everything issued, with issued, corrected and difference columns.
  await page.getByRole("link", { name: "更正此方案" }).click();
  await page.getByLabel("年度收入（元）").fill("2100000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  await expect(page.getByTestId("correction-of")).toContainText("更正第");
  await expect(page.getByTestId("correction-totals")).toBeVisible();
  for (const h of ["原发放（已发放合计）", "更正后", "差额"]) await expect(page.getByTestId("run-lines").locator("thead")).toContainText(h);
  const correctionUrl = page.url();
  // While it is open, the original offers no second correction.
  await page.goto(runUrl);
  await expect(page.getByRole("link", { name: "更正此方案" })).toHaveCount(0);
  await page.getByTestId("open-correction").click();
  await expect(page).toHaveURL(correctionUrl);
  expect(consoleErrors).toEqual([]);
  await signOut(page);

  // Anyone scanning the QR code sees the masked, issued amount; an altered code is refused.
  await page.goto(`/verify/${verifyCode}`);
  await expect(page.getByTestId("verify-valid")).toContainText(net);
  const altered = verifyCode.slice(0, -1) + (verifyCode.endsWith("A") ? "B" : "A");
  const refused = await page.goto(`/verify/${altered}`);
  expect(refused?.status()).toBe(404);
  await expect(page.getByTestId("verify-unknown")).toBeVisible();

  // A village secretary may read the run but not issue it.
  await signIn(page, "secretary");
  await page.goto(runUrl);
  await expect(page.getByRole("button", { name: "确认发放" })).toHaveCount(0);
  const status = await page.evaluate(async (url) => (await fetch(url, { method: "POST", body: new URLSearchParams({ intent: "issue" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status, `${runUrl}.data`);
  expect(status).toBe(403);
  void request;
});

test("the accountant filters an issued run's payments, pays all unpaid lines at once, and the table reads at 1366 px and on a phone", async ({ page }) => {
  test.setTimeout(180_000);
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, "accountant");
  // A run of another year than the journey above, so the two tests stand alone.
  await page.goto("/dividends/new");
  await page.getByLabel("年度", { exact: true }).fill("2024");
  await page.getByLabel("年度收入（元）").fill("2000000");
  await page.getByLabel("年度成本费用（元）").fill("800000");
  await page.getByLabel("保底收益（元/股）").fill("1000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const runUrl = page.url();
  const runId = Number(runUrl.split("/").pop());
  // Approval and issue are the board's steps, tested in the journey above; here the run is simply issued.
  const db = new Database(DB);
  db.prepare("UPDATE DividendRun SET status = 'ISSUED', issuedAt = ? WHERE id = ?").run(Date.now(), runId);
  const lines = (db.prepare("SELECT COUNT(*) AS n FROM DividendLine WHERE runId = ?").get(runId) as { n: number }).n;
  db.close();
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("已发放");

  // One failed transfer, recorded on its own line.
  const first = page.getByTestId("run-lines").locator("tbody tr").first();
  await first.getByText("登记发放").first().click();
  await first.getByLabel("结果").selectOption("FAILED");
  await first.getByLabel("失败原因").fill("账户已销户");
  await first.getByRole("button", { name: "登记发放" }).click();
  await expect(page.getByTestId("run-lines").locator("tbody tr").first()).toContainText("支付失败");

  // Filter by status: the URL keeps it, the totals follow it.
  await page.getByTestId("pay-filter").getByLabel("发放状态").selectOption("FAILED");
  await page.getByTestId("pay-filter").getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/pay=FAILED/);
  await expect(page.getByTestId("run-lines").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("pay-totals")).toContainText("合计 1 户");

  // Filter by village; a reload keeps the filter.
  await page.getByTestId("pay-filter").getByLabel("发放状态").selectOption("");
  await page.getByTestId("pay-filter").getByLabel("村", { exact: true }).selectOption({ label: "鲁谢庄村" });
  await page.getByTestId("pay-filter").getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/village=\d+/);
  await page.reload();
  await expect(page.getByTestId("pay-filter").getByLabel("村", { exact: true })).toHaveValue(/^\d+$/);
  await expect(page.getByTestId("pay-totals")).toContainText(`合计 ${lines} 户`);
  expect(await page.getByTestId("pay-outstanding").innerText()).not.toBe("0.00");

  // Select all on the page; a date after today is refused next to the date field.
  await page.getByTestId("select-page").check();
  await expect(page.getByRole("button", { name: `登记所选 ${lines} 户` })).toBeEnabled();
  await page.getByTestId("bulk-pay").getByLabel("付款日期").fill("2099-01-01");
  await page.getByRole("button", { name: `登记所选 ${lines} 户` }).click();
  await expect(page.getByTestId("bulk-pay").locator(".field-error[data-field=paidOn]")).toContainText("日期不能晚于今天");
  await expect(page.getByTestId("pay-outstanding")).not.toHaveText("0.00");

  // All unpaid lines, with one date and reference: the failed line included, nothing left outstanding.
  const chinaToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  await page.getByTestId("bulk-pay").getByLabel("付款日期").fill(chinaToday);
  await page.getByTestId("bulk-pay").getByLabel("银行流水号").fill("PL-E2E-1");
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: new RegExp(`登记全部未付 ${lines} 户`) }).click();
  await expect(page.getByTestId("flash")).toContainText(`已批量登记发放 ${lines} 户`);
  await expect(page.getByTestId("pay-outstanding")).toHaveText("0.00");
  await expect(page.getByTestId("run-lines").locator("tbody tr").first()).toContainText("PL-E2E-1");
  await expect(page.getByRole("button", { name: /登记全部未付 0 户/ })).toBeDisabled();
  const check = new Database(DB, { readonly: true });
  const unpaid = (check.prepare("SELECT COUNT(*) AS n FROM DividendLine WHERE runId = ? AND paidFen <> netFen").get(runId) as { n: number }).n;
  const events = (check.prepare("SELECT COUNT(*) AS n FROM AuditEvent WHERE entity = 'DividendRun' AND entityId = ? AND after LIKE '%payMany%'").get(String(runId)) as { n: number }).n;
  check.close();
  expect(unpaid).toBe(0);
  expect(events).toBe(1);

  // Screenshots to look at: the whole table at 1366 px, and on a phone.
  await page.screenshot({ path: "tests/e2e/.tmp/payments-1366.png", fullPage: true });
  const village = page.getByTestId("run-lines").locator("tbody tr").first().locator("td.village");
  // one line of text: a village name is never broken one character a line
  const textHeight = await village.evaluate((td) => {
    const r = document.createRange();
    r.selectNodeContents(td);
    return r.getBoundingClientRect().height;
  });
  expect(textHeight).toBeLessThan(30);
  // at 1366 px the whole table fits: no column hides behind a sideways scroll
  expect(await page.locator(".table-wrap", { has: page.getByTestId("run-lines") }).evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.screenshot({ path: "tests/e2e/.tmp/payments-390.png", fullPage: false });
  await page.getByTestId("run-lines").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "tests/e2e/.tmp/payments-390-table.png", fullPage: false });
  // the table scrolls inside its frame; the page itself is no wider than the phone
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(consoleErrors).toEqual([]);
});
