import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bookingOf, closingLines, payableParts, splitPayment, type BookingEvent, type DistributionLine } from "./booking";
import { ACCOUNT_ROLES, ACCOUNTING_SYSTEMS, CHARTS, MEMBER_ROLES, ROLE_CODES, standardParents, subAccountCode, subAccountSeq } from "./chart";
import { bookingPeriod, checkVoucherLines, isRedInk, numberingHasNoGaps, reversalLines, voucherTotals, type AccountInfo } from "./voucher";
import { zhCN, en } from "./messages";

describe("the charts", () => {
  for (const system of ACCOUNTING_SYSTEMS) {
    it(`${system}: unique codes, parents exist and come first, children extend their parent's code`, () => {
      const chart = CHARTS[system];
      const codes = chart.map((a) => a.code);
      expect(new Set(codes).size).toBe(codes.length);
      chart.forEach((a, i) => {
        expect(a.name.length).toBeGreaterThan(0);
        if (a.parentCode) {
          const p = codes.indexOf(a.parentCode);
          expect(p, a.code).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThan(i);
          expect(a.code.startsWith(a.parentCode)).toBe(true);
          expect(a.code.length).toBe(a.parentCode.length + 2);
          expect(chart[p]!.category).toBe(a.category);
        } else expect(a.code).toMatch(/^[1-5]\d\d$/);
        // the code's first digit is its category, as both systems number them
        expect("ASSET LIABILITY EQUITY COST PROFIT_LOSS".split(" ")[Number(a.code[0]) - 1]).toBe(a.category);
      });
    });

    it(`${system}: every role maps to an account that takes postings (a leaf, or a member's sub-account)`, () => {
      const parents = standardParents(system);
      for (const role of ACCOUNT_ROLES) {
        const code = ROLE_CODES[system][role];
        const a = CHARTS[system].find((x) => x.code === code);
        expect(a, `${role} → ${code}`).toBeDefined();
        if (role === "surplusDistribution") continue; // the parent the statements read
        expect(parents.has(code), `${role} → ${code} has standard children`).toBe(false);
        if (MEMBER_ROLES.includes(role)) expect(a!.perMember, `${role} is kept per member`).toBe(true);
        else expect(a!.perMember ?? false, `${role} is posted directly`).toBe(false);
      }
    });
  }

  it("numbers sub-accounts parent-NNNN and reads them back", () => {
    expect(subAccountCode("114", 1)).toBe("114-0001");
    expect(subAccountCode("221", 12345)).toBe("221-12345");
    expect(subAccountSeq("114", "114-0042")).toBe(42);
    expect(subAccountSeq("114", "11401")).toBeNull();
  });

  it("has every message in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });
});

describe("checkVoucherLines", () => {
  const accounts = new Map<number, AccountInfo>([
    [1, { id: 1, code: "101", name: "库存现金", isLeaf: true }],
    [2, { id: 2, code: "102", name: "银行存款", isLeaf: true }],
    [3, { id: 3, code: "332", name: "盈余分配", isLeaf: false }],
  ]);
  const open = { year: 2026, month: 1, closed: false };
  const l = (accountId: number, d: bigint, c: bigint) => ({ accountId, summary: "", debitFen: d, creditFen: c });

  it("accepts a balanced voucher of leaves in an open period, red ink included", () => {
    expect(checkVoucherLines([l(1, 100n, 0n), l(2, 0n, 100n)], accounts, open)).toEqual({ ok: true });
    expect(checkVoucherLines([l(1, -100n, 0n), l(2, 0n, -100n)], accounts, open)).toEqual({ ok: true });
  });

  it("refuses, naming each problem", () => {
    const r = checkVoucherLines([l(1, 100n, 1n), l(3, 0n, 0n), l(9, 5n, 0n)], accounts, { ...open, closed: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.date!.key).toBe("books.voucher.periodClosed");
    expect(r.errors["lines.0.amount"]!.key).toBe("books.line.oneSide");
    expect(r.errors["lines.1.accountId"]!.key).toBe("books.line.notLeaf");
    expect(r.errors["lines.1.amount"]!.key).toBe("books.line.zero");
    expect(r.errors["lines.2.accountId"]!.key).toBe("books.line.unknownAccount");
    expect(r.errors.lines!.key).toBe("books.voucher.unbalanced");
    expect(checkVoucherLines([l(1, 100n, 0n)], accounts, open)).toMatchObject({ ok: false, errors: { lines: { key: "books.voucher.tooFewLines" } } });
    expect(checkVoucherLines([l(1, 100_000_000_001n, 0n), l(2, 0n, 100_000_000_001n)], accounts, open)).toMatchObject({ ok: false, errors: { "lines.0.amount": { key: "money.tooLarge" } } });
  });

  it("is balanced exactly when Σ debit = Σ credit (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 10_000_000n })), { minLength: 2, maxLength: 8 }), (raw) => {
        const lines = raw.map(([debit, fen], i) => l((i % 2) + 1, debit ? fen : 0n, debit ? 0n : fen));
        const t = voucherTotals(lines);
        return checkVoucherLines(lines, accounts, open).ok === (t.debitFen === t.creditFen);
      }),
    );
  });
});

describe("periods and numbering", () => {
  it("moves a voucher dated in a closed month to the first open one", () => {
    const closed = new Set(["2025-12", "2026-1", "2026-2"].map((k) => k));
    const isClosed = (y: number, m: number) => closed.has(`${y}-${m}`) || y < 2025;
    expect(bookingPeriod("2026-03-09", isClosed)).toEqual({ year: 2026, month: 3, date: "2026-03-09", moved: false });
    expect(bookingPeriod("2026-01-31", isClosed)).toEqual({ year: 2026, month: 3, date: "2026-03-01", moved: true });
    expect(bookingPeriod("2024-06-01", isClosed)).toEqual({ year: 2025, month: 1, date: "2025-01-01", moved: true });
  });

  it("knows gaps", () => {
    expect(numberingHasNoGaps([3, 1, 2])).toBe(true);
    expect(numberingHasNoGaps([1, 3])).toBe(false);
    expect(numberingHasNoGaps([1, 1])).toBe(false);
  });
});

const fen = (max = 10_000_000) => fc.bigInt({ min: BigInt(-max), max: BigInt(max) });
const pos = (max = 10_000_000) => fc.bigInt({ min: 0n, max: BigInt(max) });
const day = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
const lineArb: fc.Arbitrary<DistributionLine> = fc
  .record({ householdId: fc.integer({ min: 1, max: 50 }), transactionFen: fen(), restFen: fen(), d: pos() })
  .map(({ d, ...l }) => ({ ...l, name: "成员", deductionFen: d > l.transactionFen + l.restFen ? 0n : d }));
const eventArb: fc.Arbitrary<BookingEvent> = fc.oneof(
  fc.record({ kind: fc.constant("RENT_PAID" as const), date: day, amountFen: fen(), method: fc.constantFrom("BANK", "CASH", "OTHER"), contract: fc.constant("LXZ-1"), payee: fc.constant("张三") }),
  fc.record({ kind: fc.constant("RENT_COLLECTED" as const), date: day, amountFen: fen(), method: fc.constantFrom("BANK", "CASH"), contract: fc.constant("LXZ-1"), householdId: fc.integer({ min: 1, max: 9 }), payee: fc.constant("张三") }),
  fc.record({ kind: fc.constant("HARVEST" as const), date: day, salesFen: fen(), crop: fc.constant("桃"), buyer: fc.constant("") }),
  fc.record({ kind: fc.constant("RUN_COST" as const), date: day, year: fc.constant(2026), costFen: fen() }),
  fc.record({ kind: fc.constant("RUN_RESERVE" as const), date: day, year: fc.constant(2026), providentFen: fen(), riskFen: fen() }),
  fc.record({ kind: fc.constant("RUN_DISTRIBUTION" as const), date: day, year: fc.constant(2026), lines: fc.array(lineArb, { maxLength: 20 }) }),
  fc.record({ kind: fc.constant("RUN_DEDUCTION" as const), date: day, year: fc.constant(2026), lines: fc.array(lineArb, { maxLength: 20 }) }),
  fc.record({ kind: fc.constant("DIVIDEND_PAYMENT" as const), date: day, year: fc.constant(2026), householdId: fc.integer({ min: 1, max: 9 }), name: fc.constant("张三"), returnFen: pos(), surplusFen: pos(), reference: fc.constant("") }),
  fc.record({ kind: fc.constant("MEMBER_CAPITAL" as const), date: day, householdId: fc.integer({ min: 1, max: 9 }), name: fc.constant("张三"), amountFen: fen(), note: fc.constant("") }),
);

describe("booking rules (property)", () => {
  it("every generated voucher balances to the fen, has no empty line and at least two lines; its reversal balances and is red ink", () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        const b = bookingOf(e);
        if (!b) return true;
        const t = voucherTotals(b.lines);
        expect(t.debitFen).toBe(t.creditFen);
        expect(b.lines.length).toBeGreaterThanOrEqual(2);
        for (const l of b.lines) expect((l.debitFen === 0n) !== (l.creditFen === 0n)).toBe(true);
        const r = reversalLines(b.lines);
        const rt = voucherTotals(r);
        expect(rt.debitFen).toBe(-t.debitFen);
        if (b.lines.every((l) => l.debitFen + l.creditFen > 0n)) expect(isRedInk(r)).toBe(true);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it("a line's deduction and payments never take more than its parts hold: parts after deduction + deduction = gross; payments split exactly", () => {
    fc.assert(
      fc.property(pos(), pos(), pos(), fc.array(pos(100_000), { maxLength: 5 }), (t, r, d0, pays) => {
        const d = d0 > t + r ? t + r : d0;
        const p = payableParts({ transactionFen: t, restFen: r, deductionFen: d });
        expect(p.returnFen + p.surplusFen + d).toBe(t + r);
        expect(p.returnFen >= 0n && p.surplusFen >= 0n).toBe(true);
        let before = 0n;
        let fromReturn = 0n;
        for (const amount of pays) {
          const s = splitPayment(p, before, amount);
          expect(s.returnFen + s.surplusFen).toBe(amount);
          expect(s.returnFen >= 0n).toBe(true);
          fromReturn += s.returnFen;
          before += amount;
        }
        expect(fromReturn <= p.returnFen).toBe(true);
      }),
    );
  });

  it("the year-end carry-forward empties income, expense and the distribution's details and balances", () => {
    const bal = (id: number, side: "DEBIT" | "CREDIT") => fen().map((b) => ({ accountId: id, category: "PROFIT_LOSS", normalSide: side, balanceFen: b }));
    fc.assert(
      fc.property(fc.tuple(bal(1, "CREDIT"), bal(2, "DEBIT"), bal(3, "DEBIT")), fc.array(fen(), { maxLength: 4 }), (ie, det) => {
        const details = det.map((b, i) => ({ accountId: 10 + i, category: "EQUITY", normalSide: "CREDIT" as const, balanceFen: b }));
        const { toSurplus, toUndistributed } = closingLines(2026, ie, details, 100, 101);
        for (const lines of [toSurplus, toUndistributed]) {
          const t = voucherTotals(lines);
          expect(t.debitFen).toBe(t.creditFen);
          for (const l of lines) expect(l.debitFen >= 0n && l.creditFen >= 0n).toBe(true);
        }
        // after both vouchers, each income/expense and detail account and the current surplus are empty
        const net = new Map<number, bigint>();
        for (const l of [...toSurplus, ...toUndistributed]) net.set(l.accountId, (net.get(l.accountId) ?? 0n) + l.debitFen - l.creditFen);
        for (const b of [...ie, ...details]) expect((b.normalSide === "DEBIT" ? b.balanceFen : -b.balanceFen) + (net.get(b.accountId) ?? 0n)).toBe(0n);
        expect(net.get(100) ?? 0n).toBe(0n);
      }),
    );
  });
});
