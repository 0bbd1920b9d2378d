/**
 * The orchard plot list's filter, read from a URL as the page reads it, so
 * that a download carries what the user sees on screen (_app.plots._index).
 */
import { positiveInt } from "~/lib/list-params";

export interface OrchardPlotFilters {
  villageId?: number;
}

export function orchardPlotFilters(params: URLSearchParams): OrchardPlotFilters {
  return { villageId: positiveInt(params.get("village")) };
}
