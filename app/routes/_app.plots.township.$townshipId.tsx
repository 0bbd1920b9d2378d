import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { FlaggedTable } from "~/plots/flagged-table";
import { MapSlot } from "~/plots/map-slot";
import { flaggedPlots, mapSettings, plotExtent, townshipInScope } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: plotsCss },
];

// The whole township on one map; a village or cooperative user sees only their own plots on it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const township = await townshipInScope(user.scope, idParam(params.townshipId));
  if (!township) notFound();
  const filter = { townshipId: township.id };
  const [extent, flagged] = await Promise.all([plotExtent(user.scope, filter), flaggedPlots(user.scope, filter)]);
  return { township, extent, flagged, settings: mapSettings() };
}

export default function TownshipMap() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("plots.mapTitle.township", { township: d.township.name })}</h1>
      </div>
      <MapSlot key={d.township.id} settings={d.settings} filter={{ townshipId: d.township.id }} extent={d.extent} height="75vh" />
      <FlaggedTable rows={d.flagged} showVillage />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
