/**
 * The household list's filters, read from a URL exactly as the page reads
 * them, so that a download carries what the user sees on screen. Keep in
 * step with the loader of _app.households._index (the export tests compare
 * the rows with the list).
 */
import { positiveInt } from "~/lib/list-params";
import { HOUSEHOLD_STATUSES, type HouseholdStatus } from "./household-form";
import { isMonitoringCategory, type MonitoringCategory } from "./monitoring";

export interface HouseholdListFilters {
  q: string;
  villageId?: number;
  groupId?: number;
  status?: HouseholdStatus;
  category?: MonitoringCategory;
}

export function householdFilters(params: URLSearchParams): HouseholdListFilters {
  const status = params.get("status");
  const category = params.get("category");
  return {
    q: (params.get("q") ?? "").slice(0, 60),
    villageId: positiveInt(params.get("village")),
    groupId: positiveInt(params.get("group")),
    status: HOUSEHOLD_STATUSES.includes(status as HouseholdStatus) ? (status as HouseholdStatus) : undefined,
    category: isMonitoringCategory(category) ? category : undefined,
  };
}
