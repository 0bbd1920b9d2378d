import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { redirectWithMessage } from "~/lib/flash.server";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { today } from "~/lib/dates";
import { harvestDefaults, HarvestFormView } from "~/harvests/harvest-form-view";
import { recordHarvest, requireHarvestPlot, writablePlots } from "~/harvests/harvests.server";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";

/** `?plotId=`: the form for one plot (from its page); without it, a choice of the plots the user keeps. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:harvest");
  const asked = new URL(request.url).searchParams.get("plotId");
  const asOf = today();
  if (asked) {
    const p = await requireHarvestPlot(user, idParam(asked));
    const plot = { id: p.id, code: p.code, name: p.name, crop: p.crop, variety: p.variety, areaMu: p.areaMu, villageName: `${p.townshipName} ${p.villageName}`, removed: p.status === "REMOVED" };
    return { plot, choices: [], today: asOf };
  }
  return { plot: null, choices: await writablePlots(user), today: asOf };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:harvest");
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  // recordHarvest checks access to the plot before it looks at the rest of the form.
  const saved = await recordHarvest(user, raw);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirectWithMessage(`/plots/${saved.plotId}#harvests`, "harvest.saved", { year: saved.saved.year, crop: saved.saved.crop, kg: Number(saved.saved.kg).toLocaleString("en-US", { maximumFractionDigits: 2 }), plot: saved.saved.plot });
}

export default function NewHarvest() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!d.plot && d.choices.length === 0) {
    return (
      <>
        <h1>{t("harvest.form.title")}</h1>
        <p className="empty">{t("harvest.form.noPlots")}</p>
      </>
    );
  }
  if (d.plot?.removed) {
    return (
      <>
        <h1>{t("harvest.form.title")}</h1>
        <p className="form-error" role="alert">
          {t("harvest.form.removed")}
        </p>
      </>
    );
  }
  return (
    <HarvestFormView
      plot={d.plot}
      choices={d.choices}
      defaults={harvestDefaults(actionData?.raw ?? null, { plotId: d.plot ? String(d.plot.id) : "", today: d.today })}
      errors={actionData?.errors ?? null}
      today={d.today}
      cancelTo={d.plot ? `/plots/${d.plot.id}#harvests` : "/harvests"}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
