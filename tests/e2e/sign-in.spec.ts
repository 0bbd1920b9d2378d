import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../../scripts/lib/demo-data";
import { signIn, signOut } from "./helpers";

test.describe("sign-in", () => {
  for (const a of DEMO_ACCOUNTS) {
    test(`${a.username} (${a.role}) lands on their role's home page`, async ({ page }) => {
      await signIn(page, a.username);
      await expect(page.getByTestId("current-user")).toContainText(a.displayName);
      await signOut(page);
      // The session is gone: protected pages send us back to sign in.
      await page.goto("/households");
      await expect(page).toHaveURL(/\/login\?redirectTo=%2Fhouseholds/);
    });
  }

  test("a wrong password is refused with a message and no session", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("用户名").fill("secretary");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert")).toHaveText("用户名或密码不正确");
    await page.goto("/home");
    await expect(page).toHaveURL(/\/login/);
  });

  test("the English switch translates the page", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  });
});
