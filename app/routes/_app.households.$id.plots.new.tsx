import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireCan, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { redirectWithMessage } from "~/lib/flash.server";
import { parsePlotForm } from "~/contracts/plot-form";
import { PlotFormView, type PlotDefaults } from "~/contracts/plot-form-view";
import { plotOwner, savePlot } from "~/contracts/plots.server";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import type { RawForm } from "~/lib/forms";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:household");
  const h = await plotOwner(user, idParam(params.id));
  requireCan(user, "write:household", h);
  return { household: { id: h.id, headName: h.headName }, groups: h.village.groups };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:household");
  const id = idParam(params.id);
  const h = await plotOwner(user, id);
  requireCan(user, "write:household", h);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parsePlotForm(raw);
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await savePlot(user, id, null, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirectWithMessage(`/households/${id}#plots`, "household.plotSavedFlash", { name: h.headName, parcel: parsed.value.parcelCode });
}

export default function NewPlot() {
  const t = useT();
  const { household, groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <PlotFormView
      key={actionData ? JSON.stringify(actionData.errors) : "new"}
      title={t("plots.newTitle", { name: household.headName })}
      defaults={(actionData?.raw as PlotDefaults | undefined) ?? { contractEnd: "2057-12-31", category: "CONTRACTED" }}
      groups={groups}
      errors={actionData?.errors ?? null}
      cancelTo={`/households/${household.id}`}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
