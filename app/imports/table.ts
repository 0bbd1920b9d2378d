/**
 * A table read from an uploaded workbook or CSV file, before any checking:
 * the heading row as the user wrote it and each data row's cells as trimmed
 * strings aligned with the headings. Produced by readTable
 * (read-table.server.ts); kept in a pure module so the checkers can use it.
 */
export interface RawTable {
  fileName: string;
  format: "xlsx" | "csv";
  /** CSV only: the text encoding detected; null for xlsx */
  encoding: "utf-8" | "gb18030" | "utf-16le" | "utf-16be" | null;
  /** xlsx only */
  sheetName: string | null;
  /** the row (or, for a two-row heading, the lower row) holding the headings, as Excel numbers it */
  headerRowNumber: number;
  headings: string[];
  /** rowNumber: the row number the user sees in Excel, or the line number in a CSV file */
  rows: { rowNumber: number; cells: string[] }[];
  /**
   * xlsx only: cells that held a number of 16 or more digits (column = index
   * into cells). Excel keeps 15 significant digits, so such a number (an ID
   * number, a bank account or a parcel code typed into a number cell) has
   * already lost its last digits; the checkers report it.
   */
  lostDigitCells?: { rowNumber: number; column: number }[];
}
