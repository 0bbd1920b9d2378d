/**
 * The statements as tables, the same for the screen, the PDF and the
 * workbook: a title, the form number, the columns and rows of formatted
 * amounts. Pure.
 */
import { daysInMonth } from "~/lib/dates";
import { formatYuan } from "~/lib/money";
import type { StatementLine } from "./statements";

type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface StatementTable {
  key: "balance" | "income" | "equity";
  title: string;
  form: string;
  period: string;
  columns: string[];
  /** which columns hold amounts (right-aligned) */
  numeric: boolean[];
  rows: { kind: string; indent: number; cells: string[]; fen: (string | null)[] }[];
}

/** What statementsFor (pages.server) answers, as plain JSON-safe data. */
export interface StatementsData {
  system: string;
  year: number;
  toMonth: number;
  kinds: string[];
  balance: { assets: StatementLine[]; claims: StatementLine[]; opening: Record<string, string>; closing: Record<string, string>; balances: { opening: boolean; closing: boolean } };
  income: { lines: StatementLine[]; amounts: Record<string, string> };
  incomeLastYear: Record<string, string>;
  equity: { columns: { key: string; zh: string; en: string }[]; rows: { key: string; zh: string; en: string; indent: number; cells: Record<string, string | null> }[] } | null;
}

const money = (fen: string | null | undefined) => (fen === null || fen === undefined ? "" : formatYuan(BigInt(fen)));


export function statementTables(s: StatementsData, t: Translate, locale: "zh-CN" | "en"): StatementTable[] {
  const label = (x: { zh: string; en: string }) => (locale === "en" ? x.en : x.zh);
  const out: StatementTable[] = [];
  const lineRows = (lines: StatementLine[], cols: Record<string, string>[]) =>
    lines.map((l) => {
      const fen = l.kind === "heading" ? cols.map(() => null) : cols.map((c) => c[l.key] ?? "0");
      return { kind: l.kind, indent: l.indent, cells: [label(l), l.row === null ? "" : String(l.row), ...fen.map(money)], fen };
    });
  out.push({
    key: "balance",
    title: t("booksStatements.balance"),
    form: t(`booksStatements.form.balance.${s.system}`),
    period: t("booksStatements.asOf", { year: s.year, month: s.toMonth, day: daysInMonth(s.year, s.toMonth) }),
    columns: [t("booksStatements.item"), t("booksStatements.row"), t("booksStatements.opening"), t("booksStatements.closing")],
    numeric: [false, false, true, true],
    rows: [
      { kind: "heading", indent: 0, cells: [t("booksStatements.assets"), "", "", ""], fen: [null, null] },
      ...lineRows(s.balance.assets, [s.balance.opening, s.balance.closing]),
      { kind: "heading", indent: 0, cells: [t("booksStatements.claims"), "", "", ""], fen: [null, null] },
      ...lineRows(s.balance.claims, [s.balance.opening, s.balance.closing]),
    ],
  });
  out.push({
    key: "income",
    title: t(`booksStatements.income.${s.system}`),
    form: t(`booksStatements.form.income.${s.system}`),
    period: t("booksStatements.ofYear", { year: s.year }),
    columns: [t("booksStatements.item"), t("booksStatements.row"), t("booksStatements.thisYear"), t("booksStatements.lastYear")],
    numeric: [false, false, true, true],
    rows: lineRows(s.income.lines, [s.income.amounts, s.incomeLastYear]),
  });
  if (s.equity) {
    const cols = s.equity.columns;
    out.push({
      key: "equity",
      title: t("booksStatements.equity"),
      form: t(`booksStatements.form.equity.${s.system}`),
      period: t("booksStatements.ofYear", { year: s.year }),
      columns: [t("booksStatements.item"), ...cols.map(label)],
      numeric: [false, ...cols.map(() => true)],
      rows: s.equity.rows.map((r) => ({ kind: r.indent ? "item" : "subtotal", indent: r.indent, cells: [label(r), ...cols.map((c) => money(r.cells[c.key]))], fen: cols.map((c) => r.cells[c.key] ?? null) })),
    });
  }
  return out;
}
