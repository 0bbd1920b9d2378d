import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseContractForm } from "~/contracts/contract-form";
import { ContractFormView } from "~/contracts/contract-form-view";
import { contractFormChoices, createContract } from "~/contracts/contracts.server";
import { useT } from "~/i18n/use-t";
import type { RawForm } from "~/lib/forms";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:contract");
  return contractFormChoices(user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:contract");
  await contractFormChoices(user); // the same access as the form: a village secretary
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseContractForm(raw);
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = await createContract(user, parsed.value);
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirect(`/contracts/${saved.id}`);
}

export default function NewContract() {
  const t = useT();
  const { plots, cooperatives } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <ContractFormView
      key={actionData ? JSON.stringify(actionData.errors) : "new"}
      title={t("contract.newTitle")}
      defaults={(actionData?.raw as Record<string, string>) ?? { transfereeKind: "COOPERATIVE", rentKind: "CASH", paymentTiming: "YEARLY", paymentMonthDay: "12-31", penaltyPerTenThousand: "5" }}
      errors={actionData?.errors ?? null}
      plots={plots}
      cooperatives={cooperatives}
      cancelTo="/contracts"
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
