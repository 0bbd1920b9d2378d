import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAccount, isCardNumber, luhnCheckDigit, luhnValid, normalizeAccount } from "./bank-account";

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(""));

describe("bank account checks", () => {
  it("knows real-looking card numbers", () => {
    expect(luhnValid("6222020200001234560".slice(0, 18) + luhnCheckDigit("622202020000123456"))).toBe(true);
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(checkAccount("4111 1111 1111 1111")).toEqual({ ok: true, account: "4111111111111111", kind: "card" });
    expect(checkAccount("4111-1111-1111-1112")).toEqual({ ok: false, problem: "checkDigit" });
  });

  it("lists what is wrong", () => {
    expect(checkAccount("")).toEqual({ ok: false, problem: "missing" });
    expect(checkAccount(null)).toEqual({ ok: false, problem: "missing" });
    expect(checkAccount("6230x12345678901234")).toEqual({ ok: false, problem: "notDigits" });
    expect(checkAccount("12345678901")).toEqual({ ok: false, problem: "length" });
    expect(checkAccount("1".repeat(26))).toEqual({ ok: false, problem: "length" });
    // a passbook account: no check digit across banks
    expect(checkAccount("370101010012345")).toEqual({ ok: true, account: "370101010012345", kind: "account" });
  });

  it("a card with its Luhn digit passes; changing any one digit fails", () => {
    fc.assert(
      fc.property(fc.constantFrom("62", "4", "5"), digits(13, 16), fc.nat(), fc.integer({ min: 1, max: 9 }), (prefix, rest, pos, delta) => {
        const body = (prefix + rest).slice(0, 18);
        const card = body + luhnCheckDigit(body);
        if (card.length < 16) return;
        expect(isCardNumber(card)).toBe(true);
        expect(checkAccount(card)).toEqual({ ok: true, account: card, kind: "card" });
        const i = pos % card.length;
        if (i < prefix.length) return; // changing the prefix may make it not a card at all
        const changed = card.slice(0, i) + String((Number(card[i]) + delta) % 10) + card.slice(i + 1);
        expect(checkAccount(changed).ok).toBe(false);
      }),
    );
  });

  it("valid accounts are digits of an allowed length, whatever separators were typed", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const r = checkAccount(s);
        if (!r.ok) return;
        expect(r.account).toMatch(/^\d{12,25}$/);
        expect(r.account).toBe(normalizeAccount(s));
        if (r.kind === "card") expect(luhnValid(r.account)).toBe(true);
      }),
    );
  });
});
