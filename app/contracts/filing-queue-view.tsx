import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

export interface FilingQueueData {
  total: number;
  rows: { id: number; draftNo: string; signedDate: string | null; term: string; village: string; transferee: string; transferors: string[]; area: string }[];
}

/** 待备案: signed contracts of the township, oldest signature first, each a link to the contract where it is filed. */
export function FilingQueue({ queue, more }: { queue: FilingQueueData; more?: string }) {
  const t = useT();
  return (
    <section data-testid="filing-queue">
      <h2>
        {t("filing.title")} <span className="badge">{queue.total}</span>
      </h2>
      {queue.total === 0 ? (
        <p className="muted">{t("filing.none")}</p>
      ) : (
        <>
          <p className="muted">{t("filing.count", { count: queue.total })}</p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("contracts.draftNo")}</th>
                  <th>{t("filing.signedOn")}</th>
                  <th>{t("contracts.village")}</th>
                  <th>{t("contracts.transferors")}</th>
                  <th>{t("contracts.transferee")}</th>
                  <th className="num">{t("contracts.area")}</th>
                  <th>{t("contracts.term")}</th>
                </tr>
              </thead>
              <tbody>
                {queue.rows.map((r) => (
                  <tr key={r.id} data-testid={`filing-${r.id}`}>
                    <td>
                      <Link to={`/contracts/${r.id}`} className="mono">
                        {r.draftNo}
                      </Link>
                    </td>
                    <td>{r.signedDate ?? "—"}</td>
                    <td>{r.village}</td>
                    <td>{r.transferors.join("、")}</td>
                    <td>{r.transferee}</td>
                    <td className="num">{r.area}</td>
                    <td>{r.term}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more && queue.total > queue.rows.length ? (
            <p>
              <Link to={more}>{t("filing.more", { count: queue.total - queue.rows.length })}</Link>
            </p>
          ) : null}
        </>
      )}
      {more ? (
        <p>
          <Link to={more}>{t("filing.page")}</Link>
        </p>
      ) : null}
    </section>
  );
}
