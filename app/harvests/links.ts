/**
 * The records behind a figure, as search parameters of /harvests/records:
 * the report links each figure there, the records page reads them back.
 */
import { REPORT_BY, type ReportBy } from "./yield-report";

export interface RecordFilter {
  year?: number;
  plotId?: number;
  /** a cooperative's id, or "none" for harvests of no cooperative */
  cooperative?: number | "none";
  crop?: string;
  /** "" is a filter too: the records without a variety */
  variety?: string;
}

const id = (s: string | null) => (s && /^[1-9]\d{0,9}$/.test(s) ? Number(s) : undefined);

/** A filter from the page's search parameters; junk values are ignored, never guessed at. */
export function parseRecordFilter(params: URLSearchParams): RecordFilter {
  const f: RecordFilter = {};
  const year = params.get("year");
  if (year && /^\d{4}$/.test(year)) f.year = Number(year);
  const plot = id(params.get("plot"));
  if (plot) f.plotId = plot;
  const coop = params.get("cooperative");
  if (coop === "none") f.cooperative = "none";
  else if (id(coop)) f.cooperative = id(coop);
  const crop = params.get("crop");
  if (crop && /^[A-Z]{1,20}$/.test(crop)) f.crop = crop;
  if (params.has("variety")) f.variety = (params.get("variety") ?? "").slice(0, 30);
  return f;
}

/** The link to the records a report row sums in a year: the row's own parameters plus the year. */
export function recordsHref(filter: Record<string, string>, year?: number): string {
  const p = new URLSearchParams(filter);
  if (year !== undefined) p.set("year", String(year));
  return `/harvests/records?${p}`;
}

/** The report's view from `?by=`, by plot unless another is named. */
export function parseReportBy(value: string | null): ReportBy {
  return (REPORT_BY as readonly string[]).includes(value ?? "") ? (value as ReportBy) : "plot";
}
