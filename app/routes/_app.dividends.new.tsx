import { redirectWithMessage } from "~/lib/flash.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { can } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { yuan } from "~/lib/money";
import { parseRunForm } from "~/dividends/run-form";
import { RunTotals, shortWeight } from "~/dividends/run-view";
import { findOpenCorrection, getRun, requireOwnCooperative, saveDraft, simulate } from "~/dividends/runs.server";
import { prefillIncome } from "~/harvests/dividend-income";
import { harvestSalesFen } from "~/harvests/harvests.server";
import { recordsHref } from "~/harvests/links";
import { currentYear } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import type { FieldErrors, RawForm } from "~/lib/forms";

// The China-time year: at 00:30 on 1 January in Beijing the server's own clock may still say December.
const year = () => currentYear();

type User = Awaited<ReturnType<typeof requirePermission>>;

/**
 * `?corrects=ID`: a correction of an issued run of the user's cooperative
 * (of its original, when ID is itself a correction), starting from its inputs.
 * `?edit=ID`: a draft of the user's cooperative, with its inputs.
 */
async function startingRun(user: User, url: URL) {
  const edit = url.searchParams.get("edit");
  const corrects = url.searchParams.get("corrects");
  if (!edit && !corrects) return null;
  const run = await getRun(user, idParam(edit ?? corrects ?? undefined));
  if (!run || !can(user, "write:dividend", run) || run.status !== (edit ? "DRAFT" : "ISSUED")) notFound();
  const money = (fen: bigint) => yuan(fen);
  return {
    id: run.id,
    editId: edit ? run.id : null,
    correctsId: edit ? run.correctsId : (run.correctsId ?? run.id),
    year: run.year,
    cooperativeId: run.cooperativeId,
    defaults: {
      year: String(run.year),
      title: run.title,
      resolution: run.resolution,
      income: money(run.incomeFen),
      cost: money(run.costFen),
      providentPercent: run.providentPercent,
      riskPercent: run.riskPercent,
      guaranteePerShare: run.guaranteePerShare ?? "",
      transactionPercent: run.transactionPercent ?? "60",
      noticeDays: String(run.noticeDays),
      contactPhone: run.contactPhone,
    },
  };
}

/**
 * The simulator: the form is sent with GET, so every change of the surplus or
 * the rates shows each household's result here without saving anything; the
 * POST saves the same inputs as a draft run.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const coop = await requireOwnCooperative(user);
  const url = new URL(request.url);
  const raw = Object.fromEntries(url.searchParams.entries()) as RawForm;
  const start = await startingRun(user, url);
  const merged = { year: String(year() - 1), providentPercent: "10", riskPercent: "5", guaranteePerShare: "1000", transactionPercent: "60", noticeDays: "7", ...(start?.defaults ?? {}), ...raw };
  const correctsId = start?.correctsId ?? null;
  const editId = start?.editId ?? null;
  // Refused up front rather than after the accountant has filled in the form.
  const open = correctsId !== null && editId === null ? await findOpenCorrection(coop.id, start!.year) : null;
  const base = { coop, correctsId, editId, openCorrectionId: open?.id ?? null };
  // A cooperative's harvest sales feed its run's income: pre-filled unless an income was typed.
  const harvestYear = Number(merged.year);
  const sales = Number.isInteger(harvestYear) && harvestYear >= 2000 && harvestYear <= year() ? await harvestSalesFen(coop.id, harvestYear) : null;
  const harvest = sales ? { year: harvestYear, sales: yuan(sales.salesFen), records: sales.records, href: recordsHref({ cooperative: String(coop.id) }, harvestYear) } : null;
  const prefill = prefillIncome(merged, harvest);
  const defaults = { ...merged, income: prefill.income, harvestIncome: prefill.harvestIncome };
  if (!url.searchParams.has("income")) return { ...base, defaults, errors: null, sim: null, harvest };
  const parsed = parseRunForm(defaults, coop.type as "LAND_SHARE" | "PROFESSIONAL", year());
  if (!parsed.ok) return { ...base, defaults, errors: parsed.errors, sim: null, harvest };
  const { register, result } = await simulate(user, parsed.value);
  const reg = new Map(register.map((r) => [r.householdId, r]));
  return {
    ...base,
    defaults,
    errors: null,
    harvest,
    sim: {
      shortfall: coop.type === "LAND_SHARE" && result.shortfallFen > 0n,
      errors: result.errors,
      totals: {
        surplus: yuan(result.surplusFen),
        provident: yuan(result.providentFen),
        risk: yuan(result.riskFen),
        distributable: yuan(result.distributableFen),
        distributed: yuan(result.distributedFen),
        shortfall: yuan(result.shortfallFen),
      },
      perShare: { min: result.stats.minPerShare, median: result.stats.medianPerShare, max: result.stats.maxPerShare },
      lines: result.lines.map((l) => {
        const r = reg.get(l.householdId)!;
        return {
          householdId: l.householdId,
          code: r.household.code,
          head: r.household.headName,
          village: r.household.village.name,
          areaMu: l.areaMu,
          shares: l.shares,
          weight: r.weight,
          due: yuan(l.guaranteedDueFen),
          guaranteed: yuan(l.guaranteedFen),
          lacking: yuan(l.guaranteedDueFen - l.guaranteedFen),
          surplus: yuan(l.surplusFen),
          transaction: yuan(l.transactionFen),
          capital: yuan(l.capitalFen),
          net: yuan(l.netFen),
        };
      }),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const coop = await requireOwnCooperative(user);
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)])) as RawForm;
  const parsed = parseRunForm(raw, coop.type as "LAND_SHARE" | "PROFESSIONAL", year());
  if (!parsed.ok) return data({ errors: parsed.errors as FieldErrors }, { status: 400 });
  const start = await startingRun(user, new URL(request.url));
  const saved = await saveDraft(user, start?.editId ?? null, parsed.value, start?.editId ? null : (start?.correctsId ?? null));
  if (!saved.ok) return data({ errors: saved.errors }, { status: 400 });
  return redirectWithMessage(`/dividends/${saved.id}`, start?.editId ? "run.saved.draftEdited" : "run.saved.draftCreated", { run: `${parsed.value.year} ${parsed.value.title}`.trim() });
}

export default function NewRun() {
  const t = useT();
  const { coop, defaults, errors: loadErrors, sim, correctsId, editId, openCorrectionId, harvest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? loadErrors;
  const e = (n: string) => errors?.[n];
  // Refusals because of another run link to it, so the accountant can open, finish or discard it.
  const blocking = [errors?.year, errors?.form].find((x) => x && (x.key === "dividend.runExists" || x.key === "dividend.correctionOpen") && x.params?.id);
  const blockingId = openCorrectionId ?? (blocking?.params?.id as number | undefined) ?? null;
  const formError = errors?.form ?? (openCorrectionId ? { key: "dividend.correctionOpen", params: { id: openCorrectionId } } : null);
  const input = (name: string, label: string, mode: "decimal" | "numeric" | "text" = "decimal") => (
    <Field label={t(label)} name={name} error={e(name)}>
      {(p) => <input {...p} defaultValue={defaults[name as keyof typeof defaults] ?? ""} inputMode={mode} />}
    </Field>
  );
  return (
    <>
      <h1>
        {editId ? t("run.editTitle", { id: editId }) : t("run.simulator")} · {coop.name}
      </h1>
      <p className="muted">{t(`dmethod.${coop.type}`)}</p>
      {correctsId ? <p className="form-error">{t("run.corrects", { link: `#${correctsId}` })}</p> : null}
      {formError ? (
        <p className="form-error" role="alert" data-testid="form-error">
          {t(formError.key, formError.params)}
        </p>
      ) : null}
      {blockingId ? (
        <p>
          <Link to={`/dividends/${blockingId}`} data-testid="blocking-run">
            {t("run.openRun", { id: blockingId })}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="form" id="run-form">
        {editId ? <input type="hidden" name="edit" value={editId} /> : correctsId ? <input type="hidden" name="corrects" value={correctsId} /> : null}
        <fieldset className="grid">
          {input("year", "dividends.year", "numeric")}
          {input("title", "run.titleField", "text")}
          {/* A new pre-fill (another year's harvest sales) must replace what the field shows. */}
          <Fragment key={`income-${defaults.harvestIncome}`}>{input("income", "run.income")}</Fragment>
          {input("cost", "run.cost")}
          {input("providentPercent", "run.providentPercent")}
          {input("riskPercent", "run.riskPercent")}
          {coop.type === "LAND_SHARE" ? input("guaranteePerShare", "run.guaranteePerShare") : input("transactionPercent", "run.transactionPercent")}
          {input("noticeDays", "run.noticeDays", "numeric")}
          {input("contactPhone", "run.contactPhone", "text")}
          {input("resolution", "run.resolution", "text")}
        </fieldset>
        <input type="hidden" name="harvestIncome" value={defaults.harvestIncome} />
        {harvest ? (
          <p className="small" data-testid="harvest-income">
            {harvest.records > 0 ? (
              <>
                {t("harvest.dividend.sales", { year: harvest.year, sales: harvest.sales, records: harvest.records })} <Link to={harvest.href}>{t("harvest.dividend.records")}</Link>
                {defaults.harvestIncome ? <span className="muted"> {t("harvest.dividend.prefilled")}</span> : null}
              </>
            ) : (
              <span className="muted">{t("harvest.dividend.none", { year: harvest.year })}</span>
            )}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="secondary" disabled={navigation.state !== "idle"}>
            {navigation.state === "loading" ? t("households.loading") : t("run.simulate")}
          </button>
          <button type="submit" formMethod="post" disabled={navigation.state !== "idle" || !!openCorrectionId}>
            {editId ? t("run.saveChanges") : t("run.saveDraft")}
          </button>
        </div>
      </Form>
      {sim ? (
        <section data-testid="simulation">
          <p className="muted">{t("run.notSaved")}</p>
          {sim.errors.map((code) => (
            <p key={code} className="form-error" role="alert">
              {t(code)}
            </p>
          ))}
          <RunTotals totals={sim.totals} perShare={sim.perShare} />
          <h2>{t("run.register", { count: sim.lines.length })}</h2>
          <div className="table-wrap">
            <table className="data" data-testid="sim-lines">
              <thead>
                <tr>
                  <th>{t("run.village")}</th>
                  <th>{t("run.head")}</th>
                  <th className="num">{t("run.area")}</th>
                  <th className="num">{t("run.weight")}</th>
                  {sim.shortfall ? (
                    <>
                      <th className="num">{t("run.guaranteeDue")}</th>
                      <th className="num">{t("run.guaranteeCovered")}</th>
                      <th className="num">{t("run.guaranteeLacking")}</th>
                    </>
                  ) : coop.type === "LAND_SHARE" ? (
                    <>
                      <th className="num">{t("run.guaranteed")}</th>
                      <th className="num">{t("run.surplusPart")}</th>
                    </>
                  ) : (
                    <>
                      <th className="num">{t("run.transaction")}</th>
                      <th className="num">{t("run.capital")}</th>
                    </>
                  )}
                  <th className="num">{t("run.net")}</th>
                </tr>
              </thead>
              <tbody>
                {sim.lines.map((l) => (
                  <tr key={l.householdId}>
                    <td>{l.village}</td>
                    <td>
                      {l.code} {l.head}
                    </td>
                    <td className="num">{l.areaMu}</td>
                    <td className="num">{shortWeight(l.weight)}</td>
                    {sim.shortfall ? (
                      <>
                        <td className="num">{l.due}</td>
                        <td className="num">{l.guaranteed}</td>
                        <td className="num">{l.lacking}</td>
                      </>
                    ) : coop.type === "LAND_SHARE" ? (
                      <>
                        <td className="num">{l.guaranteed}</td>
                        <td className="num">{l.surplus}</td>
                      </>
                    ) : (
                      <>
                        <td className="num">{l.transaction}</td>
                        <td className="num">{l.capital}</td>
                      </>
                    )}
                    <td className="num">
                      <strong>{l.net}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
