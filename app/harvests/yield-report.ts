/**
 * Yield report arithmetic (产量统计): harvest records summed per group and
 * year, with the area of the plots they came from and the yield per mu.
 * Pure: the server module fetches the records, this module adds them up in
 * Decimal, so the page, the Excel file and the tests agree to the fen and
 * to the hundredth of a kilogram.
 */
import { Decimal } from "~/lib/money";
import { changePercent, yieldPerMu } from "./harvest-form";

/** One harvest record, reduced to what the report sums. */
export interface HarvestFact {
  plotId: number;
  year: number;
  crop: string;
  variety: string;
  cooperativeId: number | null;
  quantityKg: string;
  salesFen: bigint;
}

export interface YearFigures {
  year: number;
  records: number;
  /** kg, 2 decimals */
  kg: string;
  /** the plots' area in mu, each plot once, 2 decimals */
  areaMu: string;
  plots: number;
  kgPerMu: string | null;
  jinPerMu: string | null;
  salesFen: bigint;
  /** change of the yield per mu from the year before, in percent; null when that year had no harvest or is not in the report */
  change: string | null;
}

export type ReportBy = "plot" | "variety" | "cooperative";
export const REPORT_BY: readonly ReportBy[] = ["plot", "variety", "cooperative"];

/** The group key of a record for each kind of report; "none" for records of no cooperative. */
export function groupKey(by: ReportBy, f: Pick<HarvestFact, "plotId" | "crop" | "variety" | "cooperativeId">): string {
  switch (by) {
    case "plot":
      return String(f.plotId);
    case "variety":
      return `${f.crop}|${f.variety}`;
    case "cooperative":
      return f.cooperativeId === null ? "none" : String(f.cooperativeId);
  }
}

interface Acc {
  records: number;
  kg: Decimal;
  salesFen: bigint;
  plots: Set<number>;
}

/**
 * Figures per year for `years` (newest first) of one set of records. The area
 * of a year is the sum of the areas of the plots harvested that year, each
 * plot counted once however many pickings it had.
 */
export function yearFigures(facts: HarvestFact[], areaOf: (plotId: number) => string, years: number[]): YearFigures[] {
  const acc = new Map<number, Acc>(years.map((y) => [y, { records: 0, kg: new Decimal(0), salesFen: 0n, plots: new Set<number>() }]));
  for (const f of facts) {
    const a = acc.get(f.year);
    if (!a) continue;
    a.records++;
    a.kg = a.kg.plus(f.quantityKg);
    a.salesFen += f.salesFen;
    a.plots.add(f.plotId);
  }
  const figures = years.map((year) => {
    const a = acc.get(year)!;
    const area = [...a.plots].reduce((sum, id) => sum.plus(areaOf(id) || "0"), new Decimal(0));
    const perMu = a.records ? yieldPerMu(a.kg, area) : null;
    return {
      year,
      records: a.records,
      kg: a.kg.toFixed(2),
      areaMu: area.toFixed(2),
      plots: a.plots.size,
      kgPerMu: perMu?.kgPerMu ?? null,
      jinPerMu: perMu?.jinPerMu ?? null,
      salesFen: a.salesFen,
      change: null as string | null,
    };
  });
  for (const f of figures) {
    const before = figures.find((x) => x.year === f.year - 1);
    f.change = before ? changePercent(f.kgPerMu, before.kgPerMu) : null;
  }
  return figures;
}

/** Records grouped by the report's key, each group with its figures per year. */
export function groupFigures(by: ReportBy, facts: HarvestFact[], areaOf: (plotId: number) => string, years: number[]): Map<string, YearFigures[]> {
  const groups = new Map<string, HarvestFact[]>();
  for (const f of facts) {
    const k = groupKey(by, f);
    const list = groups.get(k);
    if (list) list.push(f);
    else groups.set(k, [f]);
  }
  return new Map([...groups].map(([k, list]) => [k, yearFigures(list, areaOf, years)]));
}

/** The report's years: the chosen one and the two before it, newest first. */
export function reportYears(year: number): number[] {
  return [year, year - 1, year - 2];
}
