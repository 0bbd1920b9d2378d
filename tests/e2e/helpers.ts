import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../../scripts/lib/demo-data";

export type DemoUsername = (typeof DEMO_ACCOUNTS)[number]["username"];

export function account(username: DemoUsername) {
  const a = DEMO_ACCOUNTS.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

export async function signIn(page: Page, username: DemoUsername) {
  const a = account(username);
  await page.goto("/login");
  await page.getByLabel("用户名").fill(a.username);
  await page.getByLabel("密码").fill(a.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId(`home-${a.role}`)).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}
