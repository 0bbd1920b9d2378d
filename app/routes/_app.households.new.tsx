import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ownPlace } from "~/auth/permissions";
import { requireCan, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { redirectWithMessage } from "~/lib/flash.server";
import { forbidden } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { currentYear, today } from "~/lib/dates";
import { parseHouseholdForm } from "~/registry/household-form";
import type { RawForm } from "~/lib/forms";
import { defaultsFromRaw, HouseholdFormView } from "~/registry/household-form-view";
import { createHousehold, villagesInScope } from "~/registry/households.server";

async function writableVillage(request: Request) {
  const user = await requirePermission(request, "write:household");
  // The new household belongs to the secretary's own village: write:household holds nowhere else.
  requireCan(user, "write:household", ownPlace(user.scope));
  const [village] = await villagesInScope(user.scope);
  if (!village) forbidden();
  return { user, village };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { village } = await writableVillage(request);
  return { groups: village.groups, villageName: village.name, today: today() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, village } = await writableVillage(request);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseHouseholdForm(raw, currentYear(), today());
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await createHousehold(user, village.id, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  const head = parsed.value.members.find((m) => m.relation === "HEAD")!;
  return redirectWithMessage(`/households/${saved.id}`, "household.createdFlash", { code: parsed.value.code, name: head.name });
}

export default function NewHousehold() {
  const t = useT();
  const { groups, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults = defaultsFromRaw(actionData?.raw ?? {});
  return (
    <HouseholdFormView
      key={actionData ? JSON.stringify(actionData.errors) : "new"}
      title={t("household.newTitle")}
      defaults={defaults}
      groups={groups}
      errors={actionData?.errors ?? null}
      cancelTo="/households"
      today={today}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
