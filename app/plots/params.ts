/** A positive id from a query string or form field; null when absent or malformed (never a 500 for junk). */
export function optionalId(value: FormDataEntryValue | string | null | undefined): number | null {
  return typeof value === "string" && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null;
}
