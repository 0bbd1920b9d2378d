import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luhnCheckDigit } from "./bank-account";
import { EXAMPLE_TEMPLATES, amountText } from "./bank-template";
import { reconcile, type ReconLine } from "./bank-reconcile";

const spec = EXAMPLE_TEMPLATES[0]!;
const card = (n: number) => {
  const body = `622848${String(n).padStart(12, "0")}`;
  return body + luhnCheckDigit(body);
};
const lines: ReconLine[] = [1, 2, 3, 4].map((i) => ({ id: i, statementNo: `FH2025-001-0001-000${i}`, account: card(i), netFen: 10000n * BigInt(i), paidFen: i === 4 ? 40000n : 0n }));
const head = { rowNumber: 2, cells: ["序号", "收款账号", "收款户名", "金额", "备注", "处理结果", "失败原因"] };
const row = (n: number, l: ReconLine, status: string, amount = amountText(l.netFen - l.paidFen, "yuan"), account = l.account, reason = "") => ({ rowNumber: n, cells: [String(n), account, "x", amount, l.statementNo!, status, reason] });

describe("reconciling a bank result", () => {
  it("applies matching rows and reports every mismatch", () => {
    const [a, b, c, d] = lines as [ReconLine, ReconLine, ReconLine, ReconLine];
    const rows = [
      { rowNumber: 1, cells: ["付款单位", "合作社"] },
      head,
      row(3, a, "成功"),
      row(4, b, "失败", undefined, undefined, "账户已冻结"),
      row(5, c, "成功", "299.99"),
      row(6, a, "成功"),
      row(7, d, "成功", "0.00"),
      { rowNumber: 8, cells: ["8", card(9), "x", "1.00", "FH2025-001-0001-0099", "成功", ""] },
      row(9, { ...c, id: 99 }, "处理中"),
      { rowNumber: 10, cells: ["", "", "", "", "", "", ""] },
      row(11, c, "成功", undefined, card(8)),
      { rowNumber: 12, cells: ["12", "", "", "", "", "成功", ""] },
    ];
    const r = reconcile(rows, spec, lines);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.entries.map((e) => [e.row, e.lineId, e.status, e.amountFen, e.reason])).toEqual([
      [3, 1, "PAID", "10000", ""],
      [4, 2, "FAILED", "20000", "账户已冻结"],
    ]);
    expect(r.report.problems.map((p) => [p.row, p.kind])).toEqual([
      [5, "amountDiffers"],
      [6, "duplicateRow"],
      [7, "alreadyPaid"],
      [8, "unknownStatement"],
      [9, "duplicateRow"],
      [11, "duplicateRow"],
      [12, "noStatementNo"],
    ]);
    expect(r.report.rows).toBe(9);
    expect(r.report.paidFen).toBe("10000");
  });

  it("reports an unknown status, an unreadable amount and another account", () => {
    const [a, b, c] = lines as [ReconLine, ReconLine, ReconLine];
    const r = reconcile([head, row(3, a, "处理中"), row(4, b, "成功", "二百元"), row(5, c, "成功", undefined, card(7))], spec, lines);
    expect(r.ok && r.report.problems.map((p) => p.kind)).toEqual(["statusUnknown", "amountUnreadable", "accountDiffers"]);
  });

  it("says which headings it needs when it finds none", () => {
    expect(reconcile([{ rowNumber: 1, cells: ["a", "b"] }], spec, lines)).toEqual({ ok: false, error: { key: "bank.result.noHeadings", params: { columns: "备注、金额、处理结果" } } });
  });

  it("every row is applied or reported, and no line is applied twice or beyond what it owes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom("成功", "失败", "?"), fc.integer({ min: 0, max: 3 })), { maxLength: 20 }), (picks) => {
        const rows = [head, ...picks.map(([i, status, corrupt], n) => {
          const l = lines[i] ?? { id: 100 + i, statementNo: `FH2025-001-0001-09${i}`, account: card(50), netFen: 1n, paidFen: 0n };
          return row(n + 3, l, status, corrupt === 1 ? "1.23" : undefined, corrupt === 2 ? card(77) : undefined);
        })];
        const r = reconcile(rows, spec, lines);
        if (!r.ok) throw new Error("no headings");
        expect(r.report.entries.length + r.report.problems.length).toBe(picks.length);
        const ids = r.report.entries.map((e) => e.lineId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of r.report.entries) {
          const l = lines.find((x) => x.id === e.lineId)!;
          expect(BigInt(e.amountFen)).toBe(l.netFen - l.paidFen);
        }
      }),
    );
  });
});
