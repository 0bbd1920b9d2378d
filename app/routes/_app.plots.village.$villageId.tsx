import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { can } from "~/auth/permissions";
import { FlaggedTable } from "~/plots/flagged-table";
import { MapSlot } from "~/plots/map-slot";
import { optionalId } from "~/plots/params";
import { contractedPlotOutlines, flaggedPlots, listVillagePlots, mapSettings, plotExtent, villageInScope } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: plotsCss },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const village = await villageInScope(user.scope, idParam(params.villageId));
  if (!village) notFound();
  const filter = { villageId: village.id };
  const [extent, flagged, plots, outlines] = await Promise.all([
    plotExtent(user.scope, filter),
    flaggedPlots(user.scope, filter),
    listVillagePlots(user.scope, village.id),
    contractedPlotOutlines(village.id),
  ]);
  return {
    village,
    extent,
    flagged,
    plots,
    outlines,
    settings: mapSettings(),
    canWrite: can(user, "write:plot", { townshipId: village.townshipId, villageId: village.id }),
    focus: optionalId(new URL(request.url).searchParams.get("focus")),
  };
}

export default function VillageMap() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("plots.mapTitle.village", { village: `${d.village.township.name} ${d.village.name}` })}</h1>
        <span className="actions">
          {d.canWrite ? (
            <>
              <Link to={`/plots/new?village=${d.village.id}`} className="button">
                {t("plots.new")}
              </Link>
              <Link to={`/plots/import?village=${d.village.id}`} className="button">
                {t("plots.import")}
              </Link>
            </>
          ) : null}
          {d.plots.length ? (
            <>
              <a href={`/resources/plots/export?village=${d.village.id}&format=geojson`} download>
                {t("plots.export")} {t("plots.export.geojson")}
              </a>
              <a href={`/resources/plots/export?village=${d.village.id}&format=kml`} download>
                {t("plots.export")} {t("plots.export.kml")}
              </a>
            </>
          ) : null}
        </span>
      </div>
      <MapSlot key={`${d.village.id}:${d.focus ?? ""}`} settings={d.settings} filter={{ villageId: d.village.id }} extent={d.extent} focusId={d.focus} outlines={d.outlines} />
      <FlaggedTable rows={d.flagged} showVillage={false} />
      <h2>{t("plots.list.title")}</h2>
      {d.plots.length === 0 ? (
        <p className="empty">{t("plots.list.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="plot-list">
            <thead>
              <tr>
                <th>{t("plots.col.code")}</th>
                <th>{t("plots.col.name")}</th>
                <th>{t("plots.col.crop")}</th>
                <th className="num">{t("plots.col.area")}</th>
                <th className="num">{t("plots.col.declared")}</th>
                <th>{t("plots.col.status")}</th>
                <th>{t("plots.col.household")}</th>
              </tr>
            </thead>
            <tbody>
              {d.plots.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/plots/${p.id}`}>{p.code}</Link>
                  </td>
                  <td>{p.name}</td>
                  <td>
                    {t(`plots.crop.${p.crop}`)}
                    {p.variety ? ` · ${p.variety}` : ""}
                  </td>
                  <td className="num">{p.areaMu}</td>
                  <td className={`num${p.discrepancy?.flagged ? " flag" : ""}`}>{p.declaredMu ?? ""}</td>
                  <td>{t(`plots.status.${p.status}`)}</td>
                  <td>{p.manager}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
