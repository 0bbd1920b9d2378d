import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectPlotSaved } from "~/plots/flash.server";
import { useActionData, useLoaderData } from "@remix-run/react";
import geomanCss from "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css";
import leafletCss from "leaflet/dist/leaflet.css";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { parsePlotForm } from "~/plots/plot-form";
import { defaultsFromRaw, PlotFormView, type PlotFormDefaults } from "~/plots/plot-form-view";
import { mapSettings, plotExtent, plotFormChoices, requireWritablePlot, updatePlot } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";
import { currentYear } from "~/lib/dates";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: geomanCss },
  { rel: "stylesheet", href: plotsCss },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const p = await requireWritablePlot(user, idParam(params.id));
  const [choices, extent] = await Promise.all([plotFormChoices(p.villageId), plotExtent(user.scope, { villageId: p.villageId })]);
  const defaults: PlotFormDefaults = {
    code: p.code,
    name: p.name,
    crop: p.crop,
    variety: p.variety,
    plantingYear: p.plantingYear ? String(p.plantingYear) : "",
    trees: p.trees != null ? String(p.trees) : "",
    status: p.status,
    householdId: p.householdId ? String(p.householdId) : "",
    cooperativeId: p.cooperativeId ? String(p.cooperativeId) : "",
    contractId: p.contractId ? String(p.contractId) : "",
    declaredMu: p.declaredMu ?? "",
    parcelCodes: p.parcels.map((x) => x.parcelCode).join(", "),
    geometry: JSON.stringify(p.geometry),
  };
  return { id: p.id, code: p.code, villageId: p.villageId, villageName: `${p.townshipName} ${p.villageName}`, defaults, choices, extent, settings: mapSettings() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const id = idParam(params.id);
  // Access first: a plot outside the scope is 404 whatever the form says.
  await requireWritablePlot(user, id);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  const parsed = parsePlotForm(raw, currentYear());
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await updatePlot(user, id, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirectPlotSaved(request, `/plots/${id}`, parsed.value);
}

export default function EditPlot() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <PlotFormView
      title={t("plots.form.editTitle", { code: d.code })}
      villageId={d.villageId}
      villageName={d.villageName}
      defaults={actionData ? defaultsFromRaw(actionData.raw) : d.defaults}
      errors={actionData?.errors ?? null}
      choices={d.choices}
      settings={d.settings}
      extent={d.extent}
      cancelTo={`/plots/${d.id}`}
      plotId={d.id}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
