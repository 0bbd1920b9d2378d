import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formTotals, parseVoucherForm, remapLineErrors, voucherFormValues } from "./voucher-form";

const accounts = new Map([
  ["101", 1],
  ["102", 2],
  ["501", 3],
  ["114-0001", 4],
]);
const idOf = (code: string) => accounts.get(code);

describe("voucher form", () => {
  it("keeps the filled lines, drops the blanks and parses yuan to fen", () => {
    const values = voucherFormValues({
      date: "2026-03-05",
      summary: "收到销售款",
      attachments: "2",
      "lines.0.account": "102 银行存款",
      "lines.0.debit": "1,000.50",
      "lines.0.credit": "",
      "lines.1.account": "",
      "lines.1.debit": "",
      "lines.1.credit": "",
      "lines.2.account": "501 经营收入",
      "lines.2.debit": "",
      "lines.2.credit": "1000.5",
    });
    const r = parseVoucherForm(values, idOf, "2026-12-31");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.kept).toEqual([0, 2]);
    expect(r.voucher.attachments).toBe(2);
    expect(r.voucher.lines).toEqual([
      { accountId: 2, summary: "", debitFen: 100050n, creditFen: 0n },
      { accountId: 3, summary: "", debitFen: 0n, creditFen: 100050n },
    ]);
  });

  it("says what is wrong next to each field, and nothing parses into a voucher", () => {
    const values = voucherFormValues({
      date: "2027-01-01",
      summary: "",
      attachments: "x",
      "lines.0.account": "999 没有",
      "lines.0.debit": "12.345",
      "lines.1.account": "101",
      "lines.1.debit": "5",
      "lines.1.credit": "5",
      "lines.2.account": "",
      "lines.2.debit": "2000000000",
    });
    const r = parseVoucherForm(values, idOf, "2026-12-31");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      date: { key: "booksVoucher.futureDate" },
      summary: { key: "booksVoucher.summaryRequired" },
      attachments: { key: "booksVoucher.badAttachments" },
      "lines.0.account": { key: "books.line.unknownAccount" },
      "lines.0.debit": { key: "money.precision" },
      "lines.1.credit": { key: "books.line.oneSide" },
      "lines.2.account": { key: "booksVoucher.chooseAccount" },
      "lines.2.debit": { key: "money.tooLarge" },
    });
  });

  it("maps the core's line errors back to the form's lines", () => {
    expect(remapLineErrors({ "lines.1.accountId": { key: "books.line.notLeaf" }, "lines.0.amount": { key: "books.line.zero" }, lines: { key: "x" } }, [0, 3])).toEqual({
      "lines.3.account": { key: "books.line.notLeaf" },
      "lines.0.debit": { key: "books.line.zero" },
      lines: { key: "x" },
    });
  });

  it("totals what parses, in whole fen, whatever is typed", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(99_999_999), fc.nat(99_999_999), fc.boolean()), { maxLength: 20 }), (rows) => {
        const lines = rows.map(([d, c, junk]) => ({ account: "101", summary: "", debit: (d / 100).toFixed(2), credit: junk ? "abc" : (c / 100).toFixed(2) }));
        const t = formTotals(lines);
        expect(t.debitFen).toBe(rows.reduce((s, [d]) => s + BigInt(d), 0n));
        expect(t.creditFen).toBe(rows.reduce((s, [, c, junk]) => s + (junk ? 0n : BigInt(c)), 0n));
      }),
    );
  });
});
