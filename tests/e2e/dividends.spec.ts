import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

const DB = path.resolve("tests/e2e/.tmp/e2e.db");

// A browser far from China: the run's pages must hydrate without React errors
// (a published run's page logged dozens of them).
test.use({ timezoneId: "America/Los_Angeles" });

test("the accountant simulates, edits, discards, approves, publishes, issues, pays and corrects a run; statements verify", async ({ page, request }) => {
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
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "作废草稿" }).click();
  await expect(page.getByRole("status")).toContainText("草稿已作废");

  await page.getByRole("link", { name: "新建分红方案" }).click();
  await page.getByLabel("年度收入（元）").fill("2000000");
  await page.getByLabel("年度成本费用（元）").fill("800000");
  await page.getByLabel("保底收益（元/股）").fill("1000");
  await page.getByRole("button", { name: "保存为草稿" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("草稿");
  const runUrl = page.url();
  await page.getByRole("button", { name: "审定方案" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("已审定");
  await page.getByRole("button", { name: "发布公示" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("公示中");
  // 7 days from today, today included; issuing from the day after the last.
  await expect(page.getByTestId("notice-period")).toContainText("（共 7 天）");
  await page.reload();
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "确认发放" }).click();
  await expect(page.getByRole("alert")).toContainText("公示期至");

  // The notice period passes (the only thing a test cannot wait for).
  const runId = Number(runUrl.split("/").pop());
  const db = new Database(DB);
  db.prepare("UPDATE DividendRun SET noticeEndsOn = '2000-01-01' WHERE id = ?").run(runId);
  db.close();

  // Two issue requests at once: exactly one issued run, one statement number per line.
  const results = await page.evaluate(async (url) => {
    const post = () => fetch(url, { method: "POST", body: new URLSearchParams({ intent: "issue" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } }).then((r) => r.status);
    return Promise.all([post(), post()]);
  }, `${runUrl}.data`);
  expect(results.every((s) => s === 200)).toBe(true);
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("已发放");
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
  await expect(page.getByRole("status")).toHaveText("已完成");
  await expect(page.getByTestId("run-lines").locator("tbody tr").first()).toContainText("账户已销户");
  const again = page.getByTestId("run-lines").locator("tbody tr").first();
  await again.getByText("登记发放").first().click();
  await again.getByLabel("银行流水号").fill("NX-0001");
  await again.getByRole("button", { name: "登记发放" }).click();
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
