import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, type FieldError } from "./field";

/**
 * An irreversible step (reversal, termination, issue, …) behind a second,
 * deliberate click: the button opens a small form that says what will happen
 * and asks for a reason; only its own confirm button submits. Works without
 * JavaScript (a <details> element) and stays open when the server refused the
 * reason, with the message next to the field.
 */
export function ConfirmStep({
  intent,
  label,
  warning,
  reasonLabel,
  confirmLabel,
  error,
  children,
  action,
  id,
  reasonName = "reason",
  open,
}: {
  intent: string;
  /** the button that opens the step, e.g. 冲销 */
  label: string;
  /** what will happen and that it cannot be undone */
  warning: string;
  reasonLabel: string;
  /** the submit button, e.g. 确认冲销 */
  confirmLabel: string;
  error?: FieldError;
  /** hidden inputs and further fields of the step */
  children?: ReactNode;
  action?: string;
  /** unique per page when one page has several steps */
  id?: string;
  reasonName?: string;
  /** keep the step open, e.g. when the server refused another of its fields */
  open?: boolean;
}) {
  const fieldId = `confirm-${id ?? intent}-${reasonName}`;
  return (
    <details className="confirm-step" open={error || open ? true : undefined} data-testid={`confirm-${id ?? intent}`}>
      <summary className="button danger">{label}</summary>
      <Form method="post" action={action} className="confirm-step-form">
        <p className="notice" role="note">
          {warning}
        </p>
        {children}
        <Field label={reasonLabel} name={reasonName} id={fieldId} error={error}>
          {(props) => <textarea {...props} rows={2} maxLength={200} required />}
        </Field>
        <button type="submit" name="intent" value={intent} className="danger">
          {confirmLabel}
        </button>
      </Form>
    </details>
  );
}
