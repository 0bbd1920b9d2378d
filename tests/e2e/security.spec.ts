import { expect, test } from "@playwright/test";
import { account, signIn } from "./helpers";

// Requests as an attacker would send them, against the real server
// (scripts/server.ts in front of the build): ADR 015.

test("state-changing requests from another site are refused with 403 before any route runs", async ({ request, baseURL }) => {
  const targets = ["/logout", "/locale", "/resources/imports/upload", "/login", "/households/new", "/contracts/1"];
  for (const path of targets) {
    const byOrigin = await request.post(path, { headers: { Origin: "https://evil.example" }, form: { locale: "en" }, maxRedirects: 0 });
    expect(byOrigin.status(), `${path} with a foreign Origin`).toBe(403);
    expect(await byOrigin.text()).toContain("只能在本系统自己的页面上提交");
    const bySite = await request.post(path, { headers: { "Sec-Fetch-Site": "cross-site" }, form: { locale: "en" }, maxRedirects: 0 });
    expect(bySite.status(), `${path} marked cross-site`).toBe(403);
    const nullOrigin = await request.post(path, { headers: { Origin: "null" }, form: {}, maxRedirects: 0 });
    expect(nullOrigin.status(), `${path} from an opaque origin`).toBe(403);
  }
  // our own pages still work
  const own = await request.post("/locale", { headers: { Origin: baseURL!, "Sec-Fetch-Site": "same-origin" }, form: { locale: "zh-CN", redirectTo: "/login" }, maxRedirects: 0 });
  expect(own.status()).toBe(302);
});

test("a sign-in link cannot send the user to another site", async ({ page, baseURL }) => {
  const a = account("secretary");
  for (const evil of ["%2F%09%2Fevil.example%2Fphish", "%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%252F%252Fevil.example"]) {
    await page.goto(`/login?redirectTo=${evil}`);
    await page.getByLabel("用户名").fill(a.username);
    await page.getByLabel("密码").fill(a.password);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByTestId(`home-${a.role}`)).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await page.getByRole("button", { name: "退出" }).click();
    await expect(page).toHaveURL(/\/login/);
  }
  // a good target of this site is followed
  await page.goto(`/login?redirectTo=${encodeURIComponent("/contracts?status=FILED")}`);
  await page.getByLabel("用户名").fill(a.username);
  await page.getByLabel("密码").fill(a.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/contracts\?status=FILED/);
});

test("the language switch does not redirect to another site either", async ({ request, baseURL }) => {
  const r = await request.post("/locale", { headers: { Origin: baseURL! }, form: { locale: "en", redirectTo: "/\t/evil.example/x" }, maxRedirects: 0 });
  expect(r.status()).toBe(302);
  expect(new URL(r.headers()["location"]!, baseURL).origin).toBe(new URL(baseURL!).origin);
});

test("an unknown name and a wrong password look the same; nobody can lock another's account", async ({ request, page }) => {
  // The e2e server trusts one proxy hop (TRUST_PROXY=1), so the attacker's address can be set here;
  // the browser journeys come from 127.0.0.1 and are not slowed by these failures.
  const from = { "X-Forwarded-For": "203.0.113.50" };
  const unknown = await request.post("/login", { headers: from, form: { username: "no-such-official", password: "guess-one-two" }, maxRedirects: 0 });
  const wrong = await request.post("/login", { headers: from, form: { username: "township", password: "guess-one-two" }, maxRedirects: 0 });
  expect(unknown.status()).toBe(401);
  expect(wrong.status()).toBe(401);
  // Five more wrong guesses at the administrator's name from this address (slowed, never locked) …
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await request.post("/login", { headers: from, form: { username: "admin", password: `guess-${i}-xyz` }, maxRedirects: 0 })).status());
  // one more slip is free, then the address must wait: refused unchecked (429), never a lock
  expect(statuses).toEqual([401, 429, 429, 429, 429]);
  // … and the administrator still signs in.
  test.setTimeout(120_000);
  await signIn(page, "admin");
});

test("a POST to a page without a form answers 405 plainly", async ({ page, request }) => {
  await signIn(page, "township");
  const r = await page.request.post("/home", { headers: { Origin: new URL(page.url()).origin }, form: {}, maxRedirects: 0 });
  expect(r.status()).toBe(405);
  expect(await r.text()).toContain("405");
  void request;
});
