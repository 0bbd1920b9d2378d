import { useT } from "~/i18n/use-t";

/** "1200000.00" → "1,200,000.00" for reading; the figures themselves stay strings. */
export function grouped(amount: string): string {
  const [int, frac] = amount.split(".");
  const sign = int!.startsWith("-") ? "-" : "";
  const digits = sign ? int!.slice(1) : int!;
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? `.${frac}` : "");
}

/** Weighted shares are kept to 12 places; four are enough to read. */
export function shortWeight(weight: string): string {
  const [int, frac = ""] = weight.split(".");
  return frac.length > 4 ? `${int}.${frac.slice(0, 4)}…` : weight;
}

export interface RunTotalsView {
  surplus: string;
  provident: string;
  risk: string;
  distributable: string;
  distributed: string;
  shortfall: string;
}

/** The run's money, top to bottom, as the members' meeting reads it. */
export function RunTotals({ totals, perShare }: { totals: RunTotalsView; perShare?: { min: string; median: string; max: string } | null }) {
  const t = useT();
  return (
    <>
      <dl className="facts" data-testid="run-totals">
        <dt>{t("run.surplus")}</dt>
        <dd className="num">{grouped(totals.surplus)}</dd>
        <dt>{t("run.provident")}</dt>
        <dd className="num">{grouped(totals.provident)}</dd>
        <dt>{t("run.risk")}</dt>
        <dd className="num">{grouped(totals.risk)}</dd>
        <dt>{t("run.distributable")}</dt>
        <dd className="num">{grouped(totals.distributable)}</dd>
        <dt>{t("run.distributedTotal")}</dt>
        <dd className="num">
          <strong>{grouped(totals.distributed)}</strong>
        </dd>
      </dl>
      {totals.shortfall !== "0.00" ? (
        <p className="form-error" role="alert" data-testid="shortfall">
          {t("run.shortfallWarning", { amount: grouped(totals.shortfall) })}
        </p>
      ) : null}
      {perShare ? <p className="muted">{t("run.perShare", perShare)}</p> : null}
    </>
  );
}

type TotalsRow = Record<"surplusFen" | "providentFen" | "riskFen" | "distributableFen" | "distributedFen", string>;

/** A correction's money: what was issued so far, the corrected plan, and the difference this run pays. */
export function CorrectionTotals({ totals }: { totals: { issued: TotalsRow; corrected: TotalsRow; difference: TotalsRow } }) {
  const t = useT();
  const rows: [keyof TotalsRow, string][] = [
    ["surplusFen", "run.surplus"],
    ["providentFen", "run.provident"],
    ["riskFen", "run.risk"],
    ["distributableFen", "run.distributable"],
    ["distributedFen", "run.distributedTotal"],
  ];
  return (
    <table className="data" data-testid="correction-totals">
      <thead>
        <tr>
          <th>{t("run.totalsItem")}</th>
          <th className="num">{t("run.issuedSoFar")}</th>
          <th className="num">{t("run.corrected")}</th>
          <th className="num">{t("run.difference")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, label]) => (
          <tr key={k}>
            <td>{t(label)}</td>
            <td className="num">{grouped(totals.issued[k])}</td>
            <td className="num">{grouped(totals.corrected[k])}</td>
            <td className="num">
              <strong>{grouped(totals.difference[k])}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
