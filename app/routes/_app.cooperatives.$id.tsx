import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { useActionData, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { requireCan, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { parseCooperativeForm } from "~/registry/cooperative-form";
import { cooperativeTarget, getCooperative, saveCooperative, villagesOfTownship } from "~/registry/cooperatives.server";
import type { RawForm } from "~/lib/forms";
import { coopDefaults, CooperativeFormView } from "~/registry/cooperative-form-view";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:cooperative");
  const coop = await getCooperative(user.scope, idParam(params.id));
  if (!coop) notFound();
  const canEdit = can(user, "write:cooperative", cooperativeTarget(coop));
  return { coop, canEdit, villages: canEdit ? await villagesOfTownship(coop.townshipId) : [] };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:cooperative");
  const coop = await getCooperative(user.scope, idParam(params.id));
  if (!coop) notFound();
  requireCan(user, "write:cooperative", cooperativeTarget(coop));
  const form = await request.formData();
  const raw = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const villageIds = form.getAll("villageId").map(String);
  const parsed = parseCooperativeForm(raw, villageIds);
  const typed = { ...coopDefaults(raw), villageIds: villageIds.map(Number) };
  if (!parsed.ok) return data({ errors: parsed.errors, typed }, { status: 400 });
  const saved = await saveCooperative(user, { id: coop.id, townshipId: coop.townshipId }, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, typed }, { status: 400 });
  return redirectWithMessage(`/cooperatives/${coop.id}`, "cooperatives.saved", { name: String(form.get("name") ?? "").trim() });
}

export default function CooperativeDetail() {
  const t = useT();
  const { coop, canEdit, villages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{coop.name}</h1>
      <dl className="facts">
        <dt>{t("cooperatives.type")}</dt>
        <dd>{t(`coopType.${coop.type}`)}</dd>
        <dt>{t("cooperatives.creditCode")}</dt>
        <dd className="mono">{coop.creditCode}</dd>
        <dt>{t("cooperatives.legalRep")}</dt>
        <dd>{coop.legalRepresentative}</dd>
        <dt>{t("cooperatives.villages")}</dt>
        <dd>
          {coop.township.name}：{coop.villages.map((v) => v.village.name).join("、")}
        </dd>
        <dt>{t("cooperatives.phone")}</dt>
        <dd className="mono">{coop.phone}</dd>
        <dt>{t("cooperatives.address")}</dt>
        <dd>{coop.address}</dd>
        <dt>{t("cooperatives.sharesPerMu")}</dt>
        <dd>{coop.sharesPerMu}</dd>
      </dl>
      {canEdit ? (
        <details open={!!actionData}>
          <summary>{t("cooperatives.edit")}</summary>
          <CooperativeFormView
            key={actionData ? "refused" : "edit"}
            errors={actionData?.errors ?? null}
            villages={villages}
            defaults={actionData?.typed ?? { ...coop, villageIds: coop.villages.map((v) => v.village.id) }}
          />
        </details>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
