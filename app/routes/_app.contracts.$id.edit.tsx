import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireCan, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseContractForm } from "~/contracts/contract-form";
import { contractDefaults, ContractFormView } from "~/contracts/contract-form-view";
import { contractFormChoices, createContract, getContract, updateDraft } from "~/contracts/contracts.server";
import { yuan } from "~/lib/money";
import { addDays } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import type { RawForm } from "~/lib/forms";

/**
 * One form, three uses: edit a draft in place (?mode=edit), or start a new
 * version of a signed or filed contract (?mode=amend) or its renewal
 * (?mode=renew). Filed contracts are never edited in place.
 */
type Mode = "edit" | "amend" | "renew";
function modeOf(request: Request): Mode {
  const m = new URL(request.url).searchParams.get("mode");
  return m === "amend" || m === "renew" ? m : "edit";
}

async function load(request: Request, idRaw: string | undefined) {
  const user = await requirePermission(request, "write:contract");
  const c = await getContract(user, idParam(idRaw));
  if (!c) notFound();
  requireCan(user, "write:contract", c);
  const mode = modeOf(request);
  const allowed = mode === "edit" ? c.status === "DRAFT" : mode === "amend" ? ["SIGNED", "FILED"].includes(c.status) : ["FILED", "SIGNED"].includes(c.status);
  if (!allowed) throw new Response("Conflict", { status: 409 });
  return { user, c, mode };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, c, mode } = await load(request, params.id);
  const choices = await contractFormChoices(user);
  const defaults = contractDefaults({ ...c, riskDepositYuan: yuan(c.riskDepositFen) });
  if (mode === "renew") {
    // A renewal starts the day after the old contract ends; the secretary sets the new end.
    const next = addDays(c.endDate, 1);
    defaults.startDate = next;
    defaults.endDate = "";
  }
  return { ...choices, defaults, mode, label: c.contractNo ?? c.draftNo, version: c.version + 1, id: c.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, c, mode } = await load(request, params.id);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseContractForm(raw);
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const saved = mode === "edit" ? await updateDraft(user, c.id, parsed.value) : await createContract(user, parsed.value, { kind: mode, id: c.id, changeNote: raw.changeNote ?? "" });
  if (!saved.ok) return data({ errors: saved.errors, raw }, { status: 400 });
  return redirect(`/contracts/${saved.id}`);
}

export default function EditContract() {
  const t = useT();
  const { plots, cooperatives, defaults, mode, label, version, id } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const title = mode === "edit" ? t("contract.editTitle", { no: label }) : mode === "amend" ? t("contract.amendTitle", { no: label, version }) : t("contract.renewTitle", { no: label });
  return (
    <ContractFormView
      key={actionData ? JSON.stringify(actionData.errors) : mode}
      title={title}
      defaults={(actionData?.raw as Record<string, string>) ?? defaults}
      errors={actionData?.errors ?? null}
      plots={plots}
      cooperatives={cooperatives}
      cancelTo={`/contracts/${id}`}
      withChangeNote={mode !== "edit"}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
