/**
 * The contract list's filters, read from a URL exactly as the page reads
 * them, so that a download carries what the user sees on screen. Keep in
 * step with the loader of _app.contracts._index (the export tests compare
 * the rows with the list).
 */
import { FORMS } from "./contract-form";

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
