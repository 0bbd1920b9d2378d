/**
 * The filters of the list pages, read from a URL exactly as the pages read
 * them, so that a download carries what the user sees on screen. Keep these
 * in step with the loaders of _app.households._index, _app.contracts._index
 * and _app.plots._index (the export tests compare the rows with the lists).
 */
import { FORMS } from "~/contracts/contract-form";
import { HOUSEHOLD_STATUSES, type HouseholdStatus } from "~/registry/household-form";

function positiveInt(value: string | null): number | undefined {
  return value && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

export interface HouseholdListFilters {
  q: string;
  villageId?: number;
  groupId?: number;
  status?: HouseholdStatus;
}

export function householdFilters(params: URLSearchParams): HouseholdListFilters {
  const status = params.get("status");
  return {
    q: (params.get("q") ?? "").slice(0, 60),
    villageId: positiveInt(params.get("village")),
    groupId: positiveInt(params.get("group")),
    status: HOUSEHOLD_STATUSES.includes(status as HouseholdStatus) ? (status as HouseholdStatus) : undefined,
  };
}

export const CONTRACT_STATUSES = ["DRAFT", "SIGNED", "FILED", "ACTIVE", "EXPIRED", "TERMINATED", "RENEWED", "SUPERSEDED"] as const;

export interface ContractListFilters {
  status?: string;
  form?: string;
  q?: string;
  endingWithinDays?: number;
}

export function contractFilters(params: URLSearchParams): ContractListFilters {
  const status = params.get("status") ?? "";
  const form = params.get("form") ?? "";
  return {
    status: (CONTRACT_STATUSES as readonly string[]).includes(status) ? status : undefined,
    form: (FORMS as readonly string[]).includes(form) ? form : undefined,
    q: (params.get("q") ?? "").trim().slice(0, 40) || undefined,
    endingWithinDays: params.get("ending") === "90" ? 90 : undefined,
  };
}

export interface OrchardPlotFilters {
  villageId?: number;
}

export function orchardPlotFilters(params: URLSearchParams): OrchardPlotFilters {
  return { villageId: positiveInt(params.get("village")) };
}

/**
 * The query string of a list's download link: the page's own parameters
 * without the page number (a download is the whole list, not one page).
 */
export function downloadQuery(params: URLSearchParams): string {
  const copy = new URLSearchParams();
  for (const [k, v] of params) if (k !== "page" && v !== "") copy.append(k, v);
  const s = copy.toString();
  return s ? `?${s}` : "";
}
