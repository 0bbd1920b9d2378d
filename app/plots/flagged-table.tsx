import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { overlapMessage } from "./map-data";

export interface FlaggedRow {
  id: number;
  code: string;
  name: string;
  villageName: string;
  areaMu: string;
  declaredMu: string | null;
  discrepancy: string | null;
  overlaps: { id: number; code: string; m2: number; otherTownship?: boolean }[];
}

/** The plots that overlap another or disagree with their contract area by more than 5%. */
export function FlaggedTable({ rows, showVillage }: { rows: FlaggedRow[]; showVillage: boolean }) {
  const t = useT();
  return (
    <section aria-labelledby="flagged-title">
      <h2 id="flagged-title">{t("plots.flagged.title")}</h2>
      {rows.length === 0 ? (
        <p className="empty">{t("plots.flagged.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="flagged-plots">
            <thead>
              <tr>
                {showVillage ? <th>{t("plots.village")}</th> : null}
                <th>{t("plots.col.code")}</th>
                <th>{t("plots.col.name")}</th>
                <th className="num">{t("plots.col.area")}</th>
                <th className="num">{t("plots.col.declared")}</th>
                <th>{t("plots.flagged.problem")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  {showVillage ? <td>{r.villageName}</td> : null}
                  <td>
                    <Link to={`/plots/${r.id}`}>{r.code}</Link>
                  </td>
                  <td>{r.name}</td>
                  <td className="num">{r.areaMu}</td>
                  <td className="num">{r.declaredMu ?? ""}</td>
                  <td className="flag">
                    {[
                      ...r.overlaps.map((o) => {
                        const m = overlapMessage(o);
                        return t(m.key, m.params);
                      }),
                      ...(r.discrepancy ? [t("plots.flag.discrepancy", { percent: r.discrepancy })] : []),
                    ].join("；")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
