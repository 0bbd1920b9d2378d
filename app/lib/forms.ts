/**
 * What every form of the app shares: the raw fields as posted, and errors as
 * message keys per field name, as the form names them (`members.2.idNumber`),
 * so each can sit next to its field (~/components/field.tsx). Dates in forms
 * are checked with ~/lib/dates (isValidDate), money with ~/lib/money.
 */

/** A form's fields as posted: each value a string, or absent. */
export type RawForm = Record<string, string | undefined>;

/** One field's problem: a message key and the values its placeholders take. */
export interface FieldProblem {
  key: string;
  params?: Record<string, string | number>;
}

/** The problems of a form, by field name. */
export type FieldErrors = Record<string, FieldProblem>;

/**
 * The reason an irreversible step asks for (ConfirmStep): trimmed, 1–200
 * characters, or the field error to show next to it.
 */
export function requiredReason(form: FormData, name = "reason"): { ok: true; reason: string } | { ok: false; errors: Record<string, { key: string }> } {
  const raw = form.get(name);
  const reason = typeof raw === "string" ? raw.trim().slice(0, 200) : "";
  if (!reason) return { ok: false, errors: { [name]: { key: "confirm.reasonRequired" } } };
  return { ok: true, reason };
}
