/**
 * Reading the fields every books form carries: the cooperative (a hidden
 * field; the core checks the user may act on it) and the year the page
 * showed. A malformed one is the client's mistake: 400, nothing done.
 */
import { currentYear } from "~/lib/dates";

function badRequest(): never {
  throw new Response("Bad Request", { status: 400 });
}

export function coopField(form: FormData): number {
  const id = Number(form.get("coop"));
  if (!Number.isSafeInteger(id) || id <= 0) badRequest();
  return id;
}

export function yearField(form: FormData): number {
  const raw = form.get("year");
  if (raw === null || raw === "") return currentYear();
  const y = Number(raw);
  if (!Number.isInteger(y) || y < 2000 || y > 2200) badRequest();
  return y;
}

export function intField(form: FormData, name: string, min: number, max: number): number {
  const n = Number(form.get(name));
  if (!Number.isInteger(n) || n < min || n > max) badRequest();
  return n;
}

/** The page a books form returns to: its path with the cooperative and year. */
export function backTo(path: string, coop: number, year: number, extra = ""): string {
  return `${path}?coop=${coop}&year=${year}${extra}`;
}
