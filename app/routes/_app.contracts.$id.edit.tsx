import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireCan, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { parseContractForm } from "~/contracts/contract-form";
import { contractDefaults, ContractFormView } from "~/contracts/contract-form-view";
import { contractFormChoices, createContract, getContract, updateDraft } from "~/contracts/contracts.server";
import { lineIdsOf, pickerState, plotOffersByIds } from "~/contracts/plot-picker.server";
import { redirectWithMessage } from "~/lib/flash.server";
import { prisma } from "~/lib/db.server";
import { yuan } from "~/lib/money";
import { addDays } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import type { FieldErrors, RawForm } from "~/lib/forms";

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
  const picker = await pickerState(user, new URL(request.url), defaults, c.id);
  return { ...choices, ...picker, mode, label: c.contractNo ?? c.draftNo, version: c.version + 1, id: c.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, c, mode } = await load(request, params.id);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseContractForm(raw);
  const refused = async (errors: Record<string, unknown>) => data({ errors, raw, chosen: await plotOffersByIds(user, lineIdsOf(raw), { start: raw.startDate, end: raw.endDate, contractId: c.id }) }, { status: 400 });
  if (!parsed.ok) return refused(parsed.errors);
  const saved = mode === "edit" ? await updateDraft(user, c.id, parsed.value) : await createContract(user, parsed.value, { kind: mode, id: c.id, changeNote: raw.changeNote ?? "" });
  if (!saved.ok) return refused(saved.errors);
  const { draftNo, version } = await prisma.transferContract.findUniqueOrThrow({ where: { id: saved.id }, select: { draftNo: true, version: true } });
  const key = mode === "edit" ? "contract.savedDraft" : mode === "amend" ? "contract.savedAmendment" : "contract.savedRenewal";
  return redirectWithMessage(`/contracts/${saved.id}`, key, { no: draftNo, version, of: c.contractNo ?? c.draftNo });
}

export default function EditContract() {
  const t = useT();
  const { cooperatives, defaults, chosen, search, mode, label, version, id } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const title = mode === "edit" ? t("contract.editTitle", { no: label }) : mode === "amend" ? t("contract.amendTitle", { no: label, version }) : t("contract.renewTitle", { no: label });
  return (
    <ContractFormView
      key={actionData ? JSON.stringify(actionData.errors) : `${mode}:${JSON.stringify(defaults)}`}
      title={title}
      defaults={(actionData?.raw as Record<string, string>) ?? defaults}
      errors={(actionData?.errors as FieldErrors | undefined) ?? null}
      chosen={actionData?.chosen ?? chosen}
      search={actionData ? null : search}
      contractId={id}
      mode={mode}
      cooperatives={cooperatives}
      cancelTo={`/contracts/${id}`}
      withChangeNote={mode !== "edit"}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
