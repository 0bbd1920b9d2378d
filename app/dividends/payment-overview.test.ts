import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outstandingFen, PAY_STATUSES, parsePayFilter, payOverview, paymentStatus, type PayLine } from "./payment-overview";

const line = (id: number, villageId: number, netFen: bigint, paidFen: bigint, payments: string[] = []): PayLine => ({ id, villageId, netFen, paidFen, payments: payments.map((status) => ({ status })) });

describe("payment status of a line", () => {
  it("is 已付 when nothing is outstanding, 支付失败 after a failed latest attempt, 部分支付 when partly paid, 未付 otherwise", () => {
    expect(paymentStatus(line(1, 1, 100n, 100n, ["PAID"]))).toBe("PAID");
    expect(paymentStatus(line(1, 1, -50n, 0n))).toBe("PAID");
    expect(paymentStatus(line(1, 1, 100n, 0n, ["FAILED"]))).toBe("FAILED");
    expect(paymentStatus(line(1, 1, 100n, 40n, ["PAID", "FAILED"]))).toBe("FAILED");
    expect(paymentStatus(line(1, 1, 100n, 40n, ["FAILED", "PAID"]))).toBe("PARTIAL");
    expect(paymentStatus(line(1, 1, 100n, 0n))).toBe("UNPAID");
    expect(outstandingFen({ netFen: -5n, paidFen: 0n })).toBe(0n);
  });
});

describe("the filter in the URL", () => {
  it("reads status, village and page, and ignores anything else", () => {
    expect(parsePayFilter(new URLSearchParams("pay=FAILED&village=3&page=2"))).toEqual({ status: "FAILED", villageId: 3, page: 2 });
    expect(parsePayFilter(new URLSearchParams("pay=x&village=-1&page=abc"))).toEqual({ status: null, villageId: null, page: 1 });
  });
});

describe("the overview", () => {
  const arbLine = fc.record({ villageId: fc.integer({ min: 1, max: 3 }), net: fc.integer({ min: -500, max: 5_000 }), paidShare: fc.integer({ min: 0, max: 100 }), failed: fc.boolean() });
  it("pages partition the filtered lines, totals add up over all pages, and all-unpaid covers the village whatever the status filter", () => {
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 60 }), fc.option(fc.constantFrom(...PAY_STATUSES), { nil: null }), fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }), fc.integer({ min: 1, max: 7 }), (raw, status, villageId, size) => {
        const lines = raw.map((r, i) => {
          const net = BigInt(r.net);
          const paid = net > 0n ? (net * BigInt(r.paidShare)) / 100n : 0n;
          return line(i + 1, r.villageId, net, paid, [...(paid > 0n ? ["PAID"] : []), ...(r.failed ? ["FAILED"] : [])]);
        });
        const first = payOverview(lines, { status, villageId, page: 1 }, size);
        const seen: PayLine[] = [];
        for (let p = 1; p <= first.pages; p++) seen.push(...payOverview(lines, { status, villageId, page: p }, size).lines);
        const expected = lines.filter((l) => (villageId === null || l.villageId === villageId) && (status === null || paymentStatus(l) === status));
        expect(seen.map((l) => l.id)).toEqual(expected.map((l) => l.id));
        expect(first.totals.lines).toBe(expected.length);
        expect(first.totals.netFen).toBe(expected.reduce((s, l) => s + l.netFen, 0n));
        expect(first.totals.paidFen).toBe(expected.reduce((s, l) => s + l.paidFen, 0n));
        expect(first.totals.outstandingFen).toBe(expected.reduce((s, l) => s + outstandingFen(l), 0n));
        const open = lines.filter((l) => (villageId === null || l.villageId === villageId) && outstandingFen(l) > 0n);
        expect(first.allUnpaid).toEqual({ lines: open.length, fen: open.reduce((s, l) => s + outstandingFen(l), 0n) });
        // a page past the end shows the last page, never an empty table with lines behind it
        expect(payOverview(lines, { status, villageId, page: 999 }, size).page).toBe(first.pages);
      }),
    );
  });
});
