/**
 * The statements printed (PDF, A4 portrait, one statement per page with the
 * signature line) and as a workbook (one sheet per statement), from the same
 * tables as the screen (./statement-document.ts).
 */
import { translator } from "~/i18n/index";
import { FONT, MARGINS, A4, createPdf, numberPages } from "~/lib/pdf.server";
import { writeXlsx, type XlsxSheet } from "~/lib/xlsx.server";
import type { StatementTable } from "./statement-document";

export function statementsFileName(coopName: string, year: number, ext: "pdf" | "xlsx"): string {
  return `${coopName}-${year}年度会计报表.${ext}`;
}

export function statementsPdf(tables: StatementTable[], coopName: string): PDFKit.PDFDocument {
  const t = translator("zh-CN");
  const doc = createPdf({ title: tables.map((x) => x.title).join("、"), subject: coopName });
  const left = MARGINS.left;
  const width = A4.width - MARGINS.left - MARGINS.right;
  tables.forEach((table, i) => {
    if (i > 0) doc.addPage();
    doc.font(FONT.bold).fontSize(16).text(table.title, left, MARGINS.top, { width, align: "center" });
    doc.font(FONT.regular).fontSize(9);
    const y0 = doc.y + 4;
    doc.text(table.form, left, y0, { width, align: "right" });
    doc.text(table.period, left, y0, { width, align: "center" });
    doc.text(t("booksStatements.unit", { name: coopName }), left, doc.y + 2, { width: width * 0.7 });
    doc.text(t("booksStatements.yuan"), left, doc.y - 11, { width, align: "right" });
    const n = table.columns.length;
    // the item column takes what the amounts leave; 行次 is narrow
    const amountW = n > 4 ? 62 : 100;
    const rowW = table.numeric.length === 4 && table.columns.length === 4 ? 32 : 0;
    const itemW = width - rowW - amountW * (n - (rowW ? 2 : 1));
    const widths = table.columns.map((_, c) => (c === 0 ? itemW : rowW && c === 1 ? rowW : amountW));
    const fontSize = n > 4 ? 7.5 : 9;
    const lineH = fontSize + 7;
    let y = doc.y + 6;
    const drawRow = (cells: string[], opts: { bold?: boolean; indent?: number; header?: boolean }) => {
      if (y + lineH > A4.height - MARGINS.bottom) {
        doc.addPage();
        y = MARGINS.top;
      }
      let x = left;
      doc.font(opts.bold || opts.header ? FONT.bold : FONT.regular).fontSize(fontSize);
      cells.forEach((cell, c) => {
        doc.rect(x, y, widths[c]!, lineH).lineWidth(0.5).stroke("#444444");
        const pad = c === 0 ? 3 + (opts.indent ?? 0) * 10 : 3;
        doc.fillColor("black").text(cell, x + pad, y + 3.5, { width: widths[c]! - pad - 3, align: opts.header ? "center" : table.numeric[c] ? "right" : c === 1 ? "center" : "left", lineBreak: false });
        x += widths[c]!;
      });
      y += lineH;
    };
    drawRow(table.columns, { header: true });
    for (const r of table.rows) drawRow(r.cells, { bold: r.kind !== "item", indent: r.indent });
    doc.font(FONT.regular).fontSize(9).text(`${t("booksStatements.head")}                    ${t("booksStatements.preparer")}`, left, y + 14, { width });
  });
  numberPages(doc, { left: coopName });
  doc.end();
  return doc;
}

export function statementsXlsx(tables: StatementTable[], coopName: string): Promise<Buffer<ArrayBuffer>> {
  const sheets: XlsxSheet<StatementTable["rows"][number]>[] = tables.map((table) => ({
    name: table.title,
    title: `${table.title}（${table.form}）`,
    subtitle: `${coopName} · ${table.period}`,
    columns: table.columns.map((header, c) => ({
      header,
      type: table.numeric[c] ? ("money" as const) : ("text" as const),
      width: c === 0 ? 34 : table.numeric[c] ? 16 : 6,
      // amounts as yuan numbers (fen / 100 exactly, via the money cell type)
      value: (row) => {
        if (!table.numeric[c]) return `${c === 0 ? "　".repeat(row.indent) : ""}${row.cells[c] ?? ""}`;
        const fen = row.fen[c - (table.numeric.length - row.fen.length)];
        return fen === null || fen === undefined ? null : BigInt(fen);
      },
    })),
    rows: table.rows,
  }));
  return writeXlsx(sheets);
}
