import { useT } from "~/lib/i18n/use-t";

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
        <dd className="num">{totals.surplus}</dd>
        <dt>{t("run.provident")}</dt>
        <dd className="num">{totals.provident}</dd>
        <dt>{t("run.risk")}</dt>
        <dd className="num">{totals.risk}</dd>
        <dt>{t("run.distributable")}</dt>
        <dd className="num">{totals.distributable}</dd>
        <dt>{t("run.distributedTotal")}</dt>
        <dd className="num">
          <strong>{totals.distributed}</strong>
        </dd>
      </dl>
      {totals.shortfall !== "0.00" ? (
        <p className="form-error" role="alert" data-testid="shortfall">
          {t("run.shortfallWarning", { amount: totals.shortfall })}
        </p>
      ) : null}
      {perShare ? <p className="muted">{t("run.perShare", perShare)}</p> : null}
    </>
  );
}
