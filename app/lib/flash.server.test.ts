import { describe, expect, it } from "vitest";
import { redirectWithMessage, takeFlash } from "./flash.server";

function cookieOf(res: Response): string {
  const set = res.headers.get("Set-Cookie") ?? "";
  return set.split(";")[0]!;
}

describe("flash messages", () => {
  it("a save redirects and leaves one message for the page it lands on", async () => {
    const res = await redirectWithMessage("/contracts/12?tab=rent", "contract.saved", { no: "LXZ-2026-0012" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/contracts/12?tab=rent");
    const next = new Request("http://localhost/contracts/12", { headers: { Cookie: cookieOf(res) } });
    const { message, headers } = await takeFlash(next);
    expect(message).toEqual({ key: "contract.saved", params: { no: "LXZ-2026-0012" }, at: "/contracts/12" });
    // read once: the answer clears the cookie
    expect(new Headers(headers).get("Set-Cookie")).toMatch(/__cunshe_flash=;.*Max-Age=0/i);
  });

  it("keeps other headers of the redirect", async () => {
    const res = await redirectWithMessage("/home", "x", undefined, { headers: { "Set-Cookie": "other=1; Path=/" } });
    expect(res.headers.getSetCookie()).toHaveLength(2);
  });

  it("ignores a forged or tampered cookie", async () => {
    const res = await redirectWithMessage("/home", "contract.saved");
    const tampered = cookieOf(res).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    for (const cookie of [tampered, "__cunshe_flash=eyJrZXkiOiJ4IiwiYXQiOiIvIn0%3D"]) {
      const { message } = await takeFlash(new Request("http://localhost/home", { headers: { Cookie: cookie } }));
      expect(message).toBeNull();
    }
  });

  it("says nothing when there is no message", async () => {
    const { message, headers } = await takeFlash(new Request("http://localhost/home", { headers: { Cookie: "a=b" } }));
    expect(message).toBeNull();
    expect(headers).toBeUndefined();
  });
});
