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
