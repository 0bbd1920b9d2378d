import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { redirectWithMessage } from "~/lib/flash.server";
import { forbidden, idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { currentYear, formatInstantDate, today } from "~/lib/dates";
import { keepCurrentStatusDate, parseHouseholdForm } from "~/registry/household-form";
import type { RawForm } from "~/lib/forms";
import { defaultsFromRaw, HouseholdFormView, type HouseholdFormDefaults } from "~/registry/household-form-view";
import { getHousehold, updateHousehold, villagesInScope } from "~/registry/households.server";

/** The China date the current status took effect ("" when none is recorded). */
function statusSince(h: { statusDate: Date | null; statusChanges: { effectiveOn: Date }[] }): string {
  return formatInstantDate(h.statusChanges[0]?.effectiveOn ?? h.statusDate);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:household");
  const h = await getHousehold(user, idParam(params.id));
  if (!h) notFound();
  if (!h.manages) forbidden();
  const village = (await villagesInScope(user.scope)).find((v) => v.id === h.villageId);
  const defaults: HouseholdFormDefaults = {
    code: h.code,
    groupId: String(h.groupId),
    address: h.address,
    phone: h.phone,
    bankName: h.bankName,
    bankAccount: h.bankAccount,
    status: h.status,
    statusYear: h.statusYear ? String(h.statusYear) : "",
    statusReason: h.statusReason,
    monitoringCategory: h.monitoringCategory ?? "",
    riskTypes: h.riskTypes,
    statusDate: "",
    members: h.members
      .filter((m) => !m.leftOn)
      .map((m) => ({ id: String(m.id), name: m.name, relation: m.relation, idNumber: m.idNumber, ableToWork: m.ableToWork, phone: m.phone, joinedOn: m.joinedOn ?? "", leftOn: "", remove: "" })),
  };
  return { id: h.id, headName: h.headName, defaults, groups: village?.groups ?? [], statusSince: statusSince(h), today: today() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:household");
  const id = idParam(params.id);
  // Access first: a household outside the scope is 404 whatever the form says.
  const h = await getHousehold(user, id);
  if (!h) notFound();
  if (!h.manages) forbidden();
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const current = {
    status: h.status,
    statusYear: h.statusYear,
    statusReason: h.statusReason,
    monitoringCategory: h.monitoringCategory,
    riskTypes: h.riskTypes,
    effectiveOn: statusSince(h) || null,
  };
  const parsed = parseHouseholdForm(keepCurrentStatusDate(raw, current), currentYear(), today());
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await updateHousehold(user, id, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  const head = parsed.value.members.find((m) => m.relation === "HEAD")!;
  const left = parsed.value.leaving ?? [];
  return left.length
    ? redirectWithMessage(`/households/${id}`, "household.savedLeftFlash", { code: parsed.value.code, name: head.name, names: left.map((l) => l.name).join("、") })
    : redirectWithMessage(`/households/${id}`, "household.savedFlash", { code: parsed.value.code, name: head.name });
}

export default function EditHousehold() {
  const t = useT();
  const { id, headName, defaults, groups, statusSince, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <HouseholdFormView
      key={actionData ? JSON.stringify(actionData.errors) : "edit"}
      title={t("household.editTitle", { name: headName })}
      defaults={actionData ? defaultsFromRaw(actionData.raw) : defaults}
      groups={groups}
      errors={actionData?.errors ?? null}
      cancelTo={`/households/${id}`}
      statusSince={statusSince}
      today={today}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
