import { Form, Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

/**
 * Audits are yearly; the picker is a plain GET form so a year is a link to
 * share. `last` is the current year in China from the loader (dates.currentYear):
 * the browser's own clock and zone could name another year and break hydration.
 */
export function YearPicker({ year, last, first = 2020 }: { year: number; last: number; first?: number }) {
  const t = useT();
  const years: number[] = [];
  for (let y = last; y >= first; y--) years.push(y);
  return (
    <Form method="get" className="inline-form" aria-label={t("incomeAudit.year")}>
      <label htmlFor="audit-year">{t("incomeAudit.year")}</label>
      <select id="audit-year" name="year" defaultValue={String(year)} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
        {years.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
      <button type="submit" className="secondary">
        {t("incomeAudit.show")}
      </button>
    </Form>
  );
}

/** The line every flag is measured against, always with where the figure comes from. */
export function LineNote({ line, year }: { line: { amountFen: bigint; source: string; sourceUrl: string } | null; year: number }) {
  const t = useT();
  if (!line)
    return (
      <p className="form-error" data-testid="line-note">
        {t("incomeAudit.noLine", { year })} <Link to="/income/lines">{t("incomeAudit.enterLine")}</Link>
      </p>
    );
  return (
    <p data-testid="line-note">
      {t("incomeAudit.line", { year, amount: formatYuan(line.amountFen) })}{" "}
      <span className="muted">
        {t("incomeAudit.lineSource")}
        {line.sourceUrl ? (
          <a href={line.sourceUrl} rel="noreferrer noopener" target="_blank">
            {line.source}
          </a>
        ) : (
          line.source
        )}
      </span>{" "}
      <Link to="/income/lines">{t("incomeAudit.lines")}</Link>
    </p>
  );
}

export function Yuan({ fen, testId }: { fen: bigint; testId?: string }) {
  return (
    <span className="num" data-testid={testId}>
      {formatYuan(fen)}
    </span>
  );
}

/**
 * Payments counted (cash basis) in another year than the one they belong
 * to, each as a sentence: "2026 年收到 2025 年到期的租金 2,880.00 元".
 */
export function OffYearNotes({ notes }: { notes: readonly { kind: string; receivedYear: number; belongsYear: number; amountFen: bigint }[] }) {
  const t = useT();
  if (notes.length === 0) return null;
  return (
    <ul className="plain small" data-testid="off-year-notes">
      {notes.map((n) => (
        <li key={`${n.kind}-${n.receivedYear}-${n.belongsYear}`}>
          {t(`income.offYear.${n.kind}`, { received: n.receivedYear, belongs: n.belongsYear, amount: formatYuan(n.amountFen) })}
        </li>
      ))}
    </ul>
  );
}
