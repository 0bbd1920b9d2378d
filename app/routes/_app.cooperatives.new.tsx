import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireCan, requirePermission, townshipScopeWhere } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { prisma } from "~/lib/db.server";
import { forbidden } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { parseCooperativeForm } from "~/registry/cooperative-form";
import { coopDefaults, CooperativeFormView } from "~/registry/cooperative-form-view";
import { saveCooperative } from "~/registry/cooperatives.server";
import type { RawForm } from "~/lib/forms";

/** Administrators register cooperatives; a township-scoped one only in their township. */
async function requireCreator(request: Request, townshipParam: string | null) {
  const user = await requirePermission(request, "manage:cooperative");
  const townships = await prisma.township.findMany({
    where: townshipScopeWhere(user.scope),
    select: { id: true, name: true, villages: { select: { id: true, name: true }, orderBy: { code: "asc" } } },
    orderBy: { code: "asc" },
  });
  const township = townships.find((t) => String(t.id) === townshipParam) ?? townships[0];
  if (!township) forbidden();
  requireCan(user, "manage:cooperative", { townshipId: township.id });
  return { user, townships, township };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { townships, township } = await requireCreator(request, new URL(request.url).searchParams.get("township"));
  return { townships: townships.map((t) => ({ id: t.id, name: t.name })), township };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const { user, township } = await requireCreator(request, new URL(request.url).searchParams.get("township"));
  const raw = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const villageIds = form.getAll("villageId").map(String);
  const typed = { ...coopDefaults(raw), villageIds: villageIds.map(Number) };
  const parsed = parseCooperativeForm(raw, villageIds);
  if (!parsed.ok) return data({ errors: parsed.errors, typed }, { status: 400 });
  const saved = await saveCooperative(user, { id: null, townshipId: township.id }, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, typed }, { status: 400 });
  return redirectWithMessage(`/cooperatives/${saved.id}`, "cooperatives.created", { name: String(form.get("name") ?? "").trim() });
}

export default function NewCooperative() {
  const t = useT();
  const { townships, township } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("cooperatives.new")}</h1>
      {townships.length > 1 ? (
        <form method="get" className="filters">
          <select name="township" defaultValue={township.id} aria-label={t("accounts.township")}>
            {townships.map((tw) => (
              <option key={tw.id} value={tw.id}>
                {tw.name}
              </option>
            ))}
          </select>
          <button type="submit">{t("households.searchButton")}</button>
        </form>
      ) : null}
      <CooperativeFormView
        key={actionData ? "refused" : township.id}
        errors={actionData?.errors ?? null}
        villages={township.villages}
        defaults={actionData?.typed ?? { name: "", creditCode: "", type: "", legalRepresentative: "", phone: "", address: "", sharesPerMu: "1", villageIds: [] }}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
