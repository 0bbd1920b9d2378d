import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useCan } from "~/components/use-current-user";
import { useT } from "~/i18n/use-t";
import { FlaggedTable } from "~/plots/flagged-table";
import { flaggedPlots, plotsOverview, writableVillages } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plotsCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const [villages, flagged, writable] = await Promise.all([plotsOverview(user.scope), flaggedPlots(user.scope), writableVillages(user)]);
  const townships = [...new Map(villages.map((v) => [v.townshipId, { id: v.townshipId, name: v.township.name }])).values()];
  return { villages, flagged, townships, canWrite: writable.length > 0 };
}

export default function Plots() {
  const t = useT();
  const can = useCan();
  const { villages, flagged, townships, canWrite } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("plots.title")}</h1>
        {can("write:plot") && canWrite ? (
          <span className="actions">
            <Link to="/plots/new" className="button">
              {t("plots.new")}
            </Link>
            <Link to="/plots/import" className="button">
              {t("plots.import")}
            </Link>
          </span>
        ) : null}
        {can("manage:reference-layer") ? (
          <span className="actions">
            <Link to="/plots/layers" className="button secondary-link" data-testid="layers-link">
              {t("plots.layers.link")}
            </Link>
          </span>
        ) : null}
      </div>
      <p>
        {townships.map((tw) => (
          <Link key={tw.id} to={`/plots/township/${tw.id}`} className="button secondary-link">
            {t("plots.townshipMap", { name: tw.name })}
          </Link>
        ))}
      </p>
      <h2>{t("plots.villages")}</h2>
      {villages.some((v) => v.plots > 0) ? (
        <p>
          <a href="/resources/plots.xlsx">
            {t("export.plots.link")}
          </a>
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data" data-testid="plot-villages">
          <thead>
            <tr>
              <th>{t("plots.village")}</th>
              <th className="num">{t("plots.count")}</th>
              <th>{t("plots.export")}</th>
            </tr>
          </thead>
          <tbody>
            {villages.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link to={`/plots/village/${v.id}`}>
                    {v.township.name} {v.name}
                  </Link>
                </td>
                <td className="num">{v.plots}</td>
                <td>
                  {v.plots > 0 ? (
                    <>
                      <a href={`/resources/plots/export?village=${v.id}&format=geojson`} download>
                        {t("plots.export.geojson")}
                      </a>
                      {" · "}
                      <a href={`/resources/plots/export?village=${v.id}&format=kml`} download>
                        {t("plots.export.kml")}
                      </a>
                      {" · "}
                      <a href={`/resources/plots.xlsx?village=${v.id}`}>
                        {t("export.plots.villageLink")}
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FlaggedTable rows={flagged} showVillage />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
