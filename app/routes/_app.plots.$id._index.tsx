import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmStep } from "~/components/confirm-step";
import { redirectWithMessage } from "~/lib/flash.server";
import { requiredReason } from "~/lib/forms";
import leafletCss from "leaflet/dist/leaflet.css";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PlotHarvests } from "~/harvests/plot-harvests";
import { plotHarvests } from "~/harvests/harvests.server";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { overlapMessage } from "~/plots/map-data";
import { MapSlot } from "~/plots/map-slot";
import { getPlot, mapSettings, removePlot, requireWritablePlot } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: plotsCss },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const plot = await getPlot(user, idParam(params.id));
  if (!plot) notFound();
  const { geometry: _geometry, ...facts } = plot;
  // Room around the plot, so that its neighbours show too.
  const pad = Math.max(plot.maxLon - plot.minLon, plot.maxLat - plot.minLat, 0.001);
  const extent: [number, number, number, number] = [plot.minLon - pad, plot.minLat - pad, plot.maxLon + pad, plot.maxLat + pad];
  const harvests = await plotHarvests(user, plot);
  return { plot: facts, extent, settings: mapSettings(), harvests };
}

/** Marking the plot removed (orchard cleared), after a confirmation with a reason. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const plot = await requireWritablePlot(user, idParam(params.id));
  const form = await request.formData();
  if (form.get("intent") !== "remove") return data({ errors: {} as Record<string, { key: string }> }, { status: 400 });
  const reason = requiredReason(form);
  if (!reason.ok) return data({ errors: reason.errors }, { status: 400 });
  const removed = await removePlot(user, plot.id, reason.reason);
  return redirectWithMessage(`/plots/${plot.id}`, "plots.removed", { code: removed.code });
}

export default function PlotDetail() {
  const t = useT();
  const { plot: p, extent, settings, harvests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const flags = [
    ...p.overlaps.map((o) =>
      o.id ? (
        <li key={`o${o.id}`}>
          <Link to={`/plots/${o.id}`}>{t("plots.flag.overlap", { other: o.code, m2: o.m2 })}</Link>
        </li>
      ) : (
        <li key={`h${o.m2}`}>{t(overlapMessage(o).key, overlapMessage(o).params)}</li>
      ),
    ),
    ...(p.discrepancy?.flagged ? [<li key="d">{t("plots.flag.discrepancy", { percent: p.discrepancy.percent })}</li>] : []),
  ];
  return (
    <>
      <div className="page-head">
        <h1>{t("plots.detail.title", { code: p.code })}</h1>
        <span className="actions">
          <Link to={`/plots/village/${p.villageId}?focus=${p.id}`}>{t("plots.detail.onMap")}</Link>
          {p.canWrite ? (
            <Link to={`/plots/${p.id}/edit`} className="button">
              {t("plots.detail.edit")}
            </Link>
          ) : null}
          {p.canWrite && p.status !== "REMOVED" ? (
            <ConfirmStep
              intent="remove"
              label={t("plots.remove")}
              warning={t("plots.remove.warning")}
              reasonLabel={t("plots.remove.reason")}
              confirmLabel={t("plots.remove.confirm")}
              error={actionData?.errors.reason}
            />
          ) : null}
        </span>
      </div>
      <dl className="facts" data-testid="plot-facts">
        <dt>{t("plots.detail.place")}</dt>
        <dd>
          {p.townshipName} <Link to={`/plots/village/${p.villageId}`}>{p.villageName}</Link>
        </dd>
        {p.name ? (
          <>
            <dt>{t("plots.col.name")}</dt>
            <dd>{p.name}</dd>
          </>
        ) : null}
        <dt>{t("plots.col.crop")}</dt>
        <dd>
          {t(`plots.crop.${p.crop}`)}
          {p.variety ? ` · ${p.variety}` : ""}
        </dd>
        <dt>{t("plots.col.status")}</dt>
        <dd>{t(`plots.status.${p.status}`)}</dd>
        <dt>{t("plots.detail.area")}</dt>
        <dd data-testid="plot-area">{t("plots.detail.mu", { area: p.areaMu })}</dd>
        {p.declaredMu ? (
          <>
            <dt>{t("plots.detail.declared")}</dt>
            <dd>{t("plots.detail.mu", { area: p.declaredMu })}</dd>
          </>
        ) : null}
        {p.plantingYear ? (
          <>
            <dt>{t("plots.col.planted")}</dt>
            <dd>{p.plantingYear}</dd>
          </>
        ) : null}
        {p.trees != null ? (
          <>
            <dt>{t("plots.col.trees")}</dt>
            <dd>{p.trees}</dd>
          </>
        ) : null}
        {p.household ? (
          <>
            <dt>{t("plots.col.household")}</dt>
            <dd>
              <Link to={`/households/${p.household.id}`}>
                {p.household.code} {p.household.headName}
              </Link>
            </dd>
          </>
        ) : null}
        {p.cooperative ? (
          <>
            <dt>{t("plots.col.cooperative")}</dt>
            <dd>
              <Link to={`/cooperatives/${p.cooperative.id}`}>{p.cooperative.name}</Link>
            </dd>
          </>
        ) : null}
        {p.contract ? (
          <>
            <dt>{t("plots.detail.contract")}</dt>
            <dd>
              <Link to={`/contracts/${p.contract.id}`}>
                {p.contract.contractNo ?? p.contract.draftNo} {p.contract.transfereeName}
              </Link>
            </dd>
          </>
        ) : null}
        {p.parcels.length ? (
          <>
            <dt>{t("plots.detail.parcels")}</dt>
            <dd>
              {p.parcels.map((x) => (
                <span key={x.id} className="mono">
                  {x.parcelCode} {x.name} ({x.contractArea}){" "}
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t("plots.detail.checks")}</h2>
      {flags.length ? (
        <ul className="flag" data-testid="plot-flags">
          {flags}
        </ul>
      ) : (
        <p className="muted">{t("plots.detail.noFlags")}</p>
      )}
      <MapSlot key={p.id} settings={settings} filter={{ villageId: p.villageId }} extent={extent} focusId={p.id} focusPopup={false} height="45vh" />
      <PlotHarvests plot={p} harvests={harvests} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
