import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectPlotSaved } from "~/plots/flash.server";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import geomanCss from "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css";
import leafletCss from "leaflet/dist/leaflet.css";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { optionalId } from "~/plots/params";
import { parsePlotForm } from "~/plots/plot-form";
import { defaultsFromRaw, EMPTY_PLOT_FORM, PlotFormView } from "~/plots/plot-form-view";
import { createPlot, mapSettings, plotExtent, plotFormChoices, targetVillage } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";
import { currentYear } from "~/lib/dates";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: geomanCss },
  { rel: "stylesheet", href: plotsCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const { villages, village } = await targetVillage(user, optionalId(new URL(request.url).searchParams.get("village")));
  if (!village) return { villages, village: null, choices: null, extent: null, settings: mapSettings(), cooperativeId: "" };
  const [choices, extent] = await Promise.all([plotFormChoices(village.id), plotExtent(user.scope, { villageId: village.id })]);
  // An accountant's plots are mostly the cooperative's own.
  const cooperativeId = user.scope.kind === "cooperative" ? String(user.scope.cooperativeId) : "";
  return { villages, village, choices, extent, settings: mapSettings(), cooperativeId };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  // Access before validation: a village outside the user's is 404 whatever the form says.
  const { village } = await targetVillage(user, optionalId(raw.villageId));
  if (!village) return data({ errors: { villageId: { key: "plots.form.chooseVillage" } }, raw }, { status: 400 });
  const parsed = parsePlotForm(raw, currentYear());
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await createPlot(user, village.id, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirectPlotSaved(request, `/plots/${saved.id}`, parsed.value);
}

export default function NewPlot() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!d.village || !d.choices) {
    return (
      <>
        <h1>{t("plots.form.newTitle")}</h1>
        <p>{t("plots.form.chooseVillage")}</p>
        <ul className="plain">
          {d.villages.map((v) => (
            <li key={v.id}>
              <Link to={`?village=${v.id}`}>
                {v.township.name} {v.name}
              </Link>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <PlotFormView
      title={t("plots.form.newTitle")}
      villageId={d.village.id}
      villageName={`${d.village.township.name} ${d.village.name}`}
      defaults={actionData ? defaultsFromRaw(actionData.raw) : { ...EMPTY_PLOT_FORM, cooperativeId: d.cooperativeId }}
      errors={actionData?.errors ?? null}
      choices={d.choices}
      settings={d.settings}
      extent={d.extent}
      cancelTo={`/plots/village/${d.village.id}`}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
