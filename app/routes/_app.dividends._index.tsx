import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can, ownPlace } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { yuan } from "~/lib/money";
import { listRuns } from "~/dividends/runs.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const runs = await listRuns(user.scope);
  const discarded = Number(new URL(request.url).searchParams.get("discarded")) || null;
  return {
    discarded,
    runs: runs.map((r) => ({ ...r, distributed: yuan(r.distributedFen), shortfall: yuan(r.shortfallFen), distributedFen: undefined, shortfallFen: undefined })),
    // a new run is the user's own cooperative's
    canCreate: can(user, "write:dividend", ownPlace(user.scope)),
  };
}

export default function DividendRuns() {
  const t = useT();
  const { runs, canCreate, discarded } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("dividends.title")}</h1>
        {canCreate ? (
          <p>
            <Link to="/dividends/new" className="button">
              {t("dividends.new")}
            </Link>{" "}
            <Link to="/dividends/members">{t("member.entries")}</Link> ·{" "}
            <Link to="/dividends/register">{t("dividends.register")}</Link> · <Link to="/dividends/accounts">{t("dividends.accounts")}</Link>
          </p>
        ) : (
          <p>
            <Link to="/dividends/register">{t("dividends.register")}</Link> · <Link to="/dividends/accounts">{t("dividends.accounts")}</Link>
          </p>
        )}
      </div>
      {discarded ? (
        <p role="status">
          {t("run.discarded")} #{discarded}
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p className="empty">{t("dividends.none")}</p>
      ) : (
        <table className="data" data-testid="runs">
          <thead>
            <tr>
              <th>{t("dividends.year")}</th>
              <th>{t("dividends.cooperative")}</th>
              <th>{t("dividends.method")}</th>
              <th className="num">{t("dividends.households")}</th>
              <th className="num">{t("dividends.distributed")}</th>
              <th>{t("dividends.status")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/dividends/${r.id}`}>
                    {r.year} {r.title}
                  </Link>
                  {r.correctsId ? ` · ${t("dividends.correction")}` : ""}
                </td>
                <td>{r.cooperative.name}</td>
                <td>{t(`dmethod.${r.method}`)}</td>
                <td className="num">{r._count.lines}</td>
                <td className="num">{r.distributed}</td>
                <td>
                  <span className={`badge dstatus-${r.status}`}>{t(`dstatus.${r.status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
