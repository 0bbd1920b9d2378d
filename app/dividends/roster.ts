/**
 * The payout roster (发放花名册), pure: what it prints, page by page.
 *
 * RULES.
 * - Rows go per village and group (each group starts a new page, so a group
 *   leader carries its own sheets), numbered 1… through the whole roster.
 * - Every page carries its subtotal (shares, gross, deductions, net) in
 *   figures and the net in capitals (大写); the last page also the grand
 *   total. Σ page subtotals = grand total = Σ lines, to the fen.
 */
import { Decimal } from "~/lib/money";

export interface RosterRow {
  householdHead: string;
  /** masked ID number (app/registry/masking.ts) */
  idMasked: string;
  /** day-weighted shares (折算股数) */
  weight: string;
  grossFen: bigint;
  deductionFen: bigint;
  deductionNote: string;
  netFen: bigint;
}

export interface RosterGroup {
  village: string;
  group: string;
  rows: RosterRow[];
}

export interface RosterDocument {
  cooperativeName: string;
  creditCode: string;
  year: number;
  /** e.g. "2025 年度收益分配方案（第 12 号）" */
  runLabel: string;
  groups: RosterGroup[];
  madeBy?: string | null;
  approvedBy?: string | null;
  issuedBy?: string | null;
  issuedOn?: string | null;
  generatedAt?: string;
  /** a correction's roster: amounts are differences */
  correction?: { of: string };
}

export interface RosterTotals {
  households: number;
  weight: Decimal;
  grossFen: bigint;
  deductionFen: bigint;
  netFen: bigint;
}

export interface RosterPage {
  village: string;
  group: string;
  rows: (RosterRow & { no: number })[];
  subtotal: RosterTotals;
  /** on the last page only */
  grandTotal: RosterTotals | null;
}

/** Rows on one page (26 pt each on landscape A4, with room for the totals and the sign-off). */
export const ROSTER_ROWS_PER_PAGE = 12;

export function rosterTotals(rows: readonly RosterRow[]): RosterTotals {
  let weight = new Decimal(0);
  let grossFen = 0n;
  let deductionFen = 0n;
  let netFen = 0n;
  for (const r of rows) {
    if (/^\d+(?:\.\d+)?$/.test(r.weight)) weight = weight.plus(r.weight);
    grossFen += r.grossFen;
    deductionFen += r.deductionFen;
    netFen += r.netFen;
  }
  return { households: rows.length, weight, grossFen, deductionFen, netFen };
}

export function rosterPages(doc: Pick<RosterDocument, "groups">, rowsPerPage = ROSTER_ROWS_PER_PAGE): RosterPage[] {
  const pages: RosterPage[] = [];
  let no = 0;
  for (const g of doc.groups) {
    for (let i = 0; i < g.rows.length; i += rowsPerPage) {
      const rows = g.rows.slice(i, i + rowsPerPage).map((r) => ({ ...r, no: ++no }));
      pages.push({ village: g.village, group: g.group, rows, subtotal: rosterTotals(rows), grandTotal: null });
    }
  }
  if (pages.length === 0) pages.push({ village: "", group: "", rows: [], subtotal: rosterTotals([]), grandTotal: null });
  pages[pages.length - 1]!.grandTotal = rosterTotals(doc.groups.flatMap((g) => g.rows));
  return pages;
}
