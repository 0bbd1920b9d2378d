import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { passwordProblem } from "./password-policy";
import { signInDelayMs, MAX_ACCOUNT_DELAY_MS, MAX_ADDRESS_DELAY_MS } from "./throttle";

describe("new passwords", () => {
  it.each([
    ["short1", "password.short"],
    ["aaaaaaaaaa", "password.common"], // accepted before this rule
    ["1234567890", "password.common"],
    ["qwertyuiop", "password.common"],
    ["abcabcabcabc", "password.common"],
    ["woaini1314520", "password.common"],
    ["password2026", "password.common"],
    ["cunshe-demo-2026", "password.common"],
    ["Secretary-2026", "password.username"],
    ["my secretary pw", "password.username"],
  ])("refuses %j (%s)", (pw, problem) => {
    expect(passwordProblem(pw, "secretary")).toBe(problem);
  });

  it.each(["correct horse battery", "鲁谢庄村的果园2026", "Lxz-peach-7291", "tgb-mju-98qz"])("accepts %j", (pw) => {
    expect(passwordProblem(pw, "secretary")).toBeNull();
  });

  it("refuses every password of one repeated character, whatever its length", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: 10, max: 40 }), (c, n) => {
      expect(passwordProblem(c.repeat(n), "someone")).not.toBeNull();
    }));
  });
});

describe("sign-in delays", () => {
  const n = fc.integer({ min: 0, max: 1000 });
  it("never shrink when failures grow, and stay within their ceilings", () => {
    fc.assert(fc.property(n, n, n, n, (a, b, da, db) => {
      const d = signInDelayMs(a, b);
      expect(signInDelayMs(a + da, b + db)).toBeGreaterThanOrEqual(d);
      expect(d).toBeLessThanOrEqual(MAX_ADDRESS_DELAY_MS);
      // failures from other addresses alone never hold an account back for long
      expect(signInDelayMs(0, b)).toBeLessThanOrEqual(MAX_ACCOUNT_DELAY_MS);
    }));
  });

  it("cost nothing for the first few slips", () => {
    expect(signInDelayMs(2, 2)).toBe(0);
    expect(signInDelayMs(3, 0)).toBe(1000);
    expect(signInDelayMs(10, 0)).toBe(MAX_ADDRESS_DELAY_MS);
  });
});
