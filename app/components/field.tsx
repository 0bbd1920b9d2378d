import { useT } from "~/i18n/use-t";

export type FieldError = { key: string; params?: Record<string, string | number> } | undefined;

/** A labelled field with its error right below it, tied together for screen readers. */
export function Field({
  label,
  name,
  error,
  children,
  className,
  id: idOverride,
}: {
  label: string;
  name: string;
  /** when one page has several forms with the same field names */
  id?: string;
  error: FieldError;
  children: (props: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
  className?: string;
}) {
  const t = useT();
  const id = idOverride ?? `f-${name.replace(/\./g, "-")}`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? " has-error" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, ...(error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {}) })}
      {error ? (
        <p className="field-error" id={errorId} role="alert" data-field={name}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </div>
  );
}
