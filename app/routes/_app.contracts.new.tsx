import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseContractForm } from "~/contracts/contract-form";
import { ContractFormView } from "~/contracts/contract-form-view";
import { contractFormChoices, createContract } from "~/contracts/contracts.server";
import { lineIdsOf, pickerState, plotOffersByIds } from "~/contracts/plot-picker.server";
import { redirectWithMessage } from "~/lib/flash.server";
import { prisma } from "~/lib/db.server";
import { useT } from "~/i18n/use-t";
import type { FieldErrors, RawForm } from "~/lib/forms";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:contract");
  const choices = await contractFormChoices(user);
  const picker = await pickerState(user, new URL(request.url), NEW_DEFAULTS, null);
  return { ...choices, ...picker };
}

const NEW_DEFAULTS: Record<string, string> = { transfereeKind: "COOPERATIVE", rentKind: "CASH", paymentTiming: "YEARLY", paymentMonthDay: "12-31", penaltyPerTenThousand: "5" };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:contract");
  await contractFormChoices(user); // the same access as the form: a village secretary
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseContractForm(raw);
  // the lines' plots come back with the errors, so the form shows what it holds
  const refused = async (errors: Record<string, unknown>) => data({ errors, raw, chosen: await plotOffersByIds(user, lineIdsOf(raw), { start: raw.startDate, end: raw.endDate, contractId: null }) }, { status: 400 });
  if (!parsed.ok) return refused(parsed.errors);
  const saved = await createContract(user, parsed.value);
  if (!saved.ok) return refused(saved.errors);
  const { draftNo } = await prisma.transferContract.findUniqueOrThrow({ where: { id: saved.id }, select: { draftNo: true } });
  return redirectWithMessage(`/contracts/${saved.id}`, "contract.savedDraft", { no: draftNo });
}

export default function NewContract() {
  const t = useT();
  const { cooperatives, defaults, chosen, search } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <ContractFormView
      key={actionData ? JSON.stringify(actionData.errors) : `new:${JSON.stringify(defaults)}`}
      title={t("contract.newTitle")}
      defaults={(actionData?.raw as Record<string, string>) ?? defaults}
      errors={(actionData?.errors as FieldErrors | undefined) ?? null}
      chosen={actionData?.chosen ?? chosen}
      search={actionData ? null : search}
      cooperatives={cooperatives}
      cancelTo="/contracts"
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
