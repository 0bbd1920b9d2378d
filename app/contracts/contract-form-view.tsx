import { Form, Link, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";
import { CROPS, FORMS, PRICE_BASES, TIMINGS, TRANSFEREE_KINDS, USES } from "./contract-form";

export type ContractDefaults = Record<string, string>;

export interface PlotChoice {
  id: number;
  parcelCode: string;
  name: string;
  contractArea: string;
  householdId: number;
  household: { headName: string; code: string };
}

/** Form values of a stored contract, in the shape the form posts. */
export function contractDefaults(c: Record<string, unknown> & { plots: { plotId: number; area: string }[]; parties: { householdId: number; entrustmentNo: string; entrustmentDate: string | null }[] }): ContractDefaults {
  const d: ContractDefaults = {};
  for (const k of ["transfereeKind", "transfereeName", "transfereeEntityType", "transfereeCode", "transfereeRep", "transfereeAddress", "transfereePhone", "reviewApprovalNo", "reviewDate", "form", "use", "useNote", "startDate", "endDate", "rentKind", "rentPerMu", "inKindCrop", "inKindJinPerMu", "priceBasis", "stepPercent", "paymentTiming", "paymentMonthDay", "penaltyPerTenThousand"]) {
    const v = c[k];
    if (v !== null && v !== undefined) d[k] = String(v);
  }
  if (c.cooperativeId) d.cooperativeId = String(c.cooperativeId);
  if (c.stepEveryYears) d.stepEveryYears = String(c.stepEveryYears);
  if (c.instalmentsPerYear) d.instalmentsPerYear = String(c.instalmentsPerYear);
  if (typeof c.riskDepositYuan === "string" && c.riskDepositYuan) d.riskDeposit = c.riskDepositYuan;
  c.plots.forEach((l, i) => {
    d[`lines.${i}.plotId`] = String(l.plotId);
    d[`lines.${i}.area`] = l.area;
  });
  if (c.parties.some((p) => p.entrustmentNo)) d.villageSigns = "on";
  for (const p of c.parties) {
    d[`entrust.${p.householdId}.no`] = p.entrustmentNo;
    if (p.entrustmentDate) d[`entrust.${p.householdId}.date`] = p.entrustmentDate;
  }
  return d;
}

export function ContractFormView({
  title,
  defaults,
  errors,
  plots,
  cooperatives,
  cancelTo,
  withChangeNote,
}: {
  title: string;
  defaults: ContractDefaults;
  errors: FieldErrors | null;
  plots: PlotChoice[];
  cooperatives: { id: number; name: string }[];
  cancelTo: string;
  withChangeNote?: boolean;
}) {
  const t = useT();
  const saving = useNavigation().state === "submitting";
  const e = (n: string) => errors?.[n];
  const [kind, setKind] = useState(defaults.transfereeKind ?? "COOPERATIVE");
  const [rentKind, setRentKind] = useState(defaults.rentKind ?? "CASH");
  const [form, setForm] = useState(defaults.form ?? "");
  const [timing, setTiming] = useState(defaults.paymentTiming ?? "YEARLY");
  const [villageSigns, setVillageSigns] = useState(defaults.villageSigns === "on");
  const initialRows = Object.keys(defaults).filter((k) => /^lines\.\d+\.plotId$/.test(k)).length || 1;
  const [rows, setRows] = useState(() => Array.from({ length: initialRows }, (_, i) => ({ key: i, plotId: defaults[`lines.${i}.plotId`] ?? "" })));
  const byHousehold = useMemo(() => {
    const m = new Map<number, PlotChoice[]>();
    for (const p of plots) m.set(p.householdId, [...(m.get(p.householdId) ?? []), p]);
    return [...m.values()];
  }, [plots]);
  const chosenHouseholds = [...new Set(rows.map((r) => plots.find((p) => String(p.id) === r.plotId)?.householdId).filter((x): x is number => !!x))];
  const input = (name: string, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={t(label)} name={name} error={e(name)}>
      {(p) => <input {...p} defaultValue={defaults[name] ?? ""} {...extra} />}
    </Field>
  );
  const select = (name: string, label: string, options: readonly string[], prefix: string, onChange?: (v: string) => void, value?: string) => (
    <Field label={t(label)} name={name} error={e(name)}>
      {(p) => (
        <select {...p} {...(value !== undefined ? { value, onChange: (ev) => onChange?.(ev.target.value) } : { defaultValue: defaults[name] ?? "" })}>
          {value === undefined || value === "" ? <option value="">—</option> : null}
          {options.map((o) => (
            <option key={o} value={o}>
              {t(`${prefix}.${o}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <Form method="post" className="form contract-form" noValidate>
      <h1>{title}</h1>
      {errors ? (
        <p className="form-error" role="alert">
          {errors.form ? t(errors.form.key) : t("household.formErrors")}
        </p>
      ) : null}
      {withChangeNote ? (
        <fieldset>
          <Field label={t("contract.changeNote")} name="changeNote" error={e("changeNote")}>
            {(p) => <textarea {...p} defaultValue={defaults.changeNote ?? ""} rows={2} />}
          </Field>
        </fieldset>
      ) : null}

      <h2>{t("contract.sectionParties")}</h2>
      <fieldset className="grid">
        {select("transfereeKind", "contract.transfereeKind", TRANSFEREE_KINDS, "tkind", setKind, kind)}
        {kind === "COOPERATIVE" ? (
          <Field label={t("contract.cooperative")} name="cooperativeId" error={e("cooperativeId")}>
            {(p) => (
              <select {...p} defaultValue={defaults.cooperativeId ?? ""}>
                <option value="">—</option>
                {cooperatives.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <>
            {input("transfereeName", "contract.transfereeName")}
            {input("transfereeEntityType", "contract.transfereeEntityType")}
            {input("transfereeCode", "contract.transfereeCode", { className: "mono", maxLength: 18 })}
            {input("transfereeRep", "contract.transfereeRep")}
            {input("transfereePhone", "contract.transfereePhone", { inputMode: "tel" })}
            {input("transfereeAddress", "contract.transfereeAddress")}
            {kind === "ENTERPRISE" ? (
              <>
                {input("reviewApprovalNo", "contract.reviewApprovalNo")}
                {input("reviewDate", "contract.reviewDate", { type: "date" })}
              </>
            ) : null}
          </>
        )}
      </fieldset>

      <h2>{t("contract.sectionPlots")}</h2>
      {e("lines") ? (
        <p className="field-error" role="alert" data-field="lines">
          {t(e("lines")!.key)}
        </p>
      ) : null}
      {rows.map((r, i) => (
        <fieldset key={r.key} className="grid line" data-testid={`line-${i}`}>
          <Field label={t("contract.plot")} name={`lines.${i}.plotId`} error={e(`lines.${i}.plotId`)} className="wide">
            {(p) => (
              <select {...p} value={r.plotId} onChange={(ev) => setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, plotId: ev.target.value } : x)))}>
                <option value="">{t("contract.choosePlot")}</option>
                {byHousehold.map((list) => (
                  <optgroup key={list[0]!.householdId} label={`${list[0]!.household.code} ${list[0]!.household.headName}`}>
                    {list.map((pl) => (
                      <option key={pl.id} value={pl.id}>
                        {pl.household.headName} · {pl.name} · {pl.parcelCode} · {pl.contractArea}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("contract.lineArea")} name={`lines.${i}.area`} error={e(`lines.${i}.area`)}>
            {(p) => <input {...p} defaultValue={defaults[`lines.${i}.area`] ?? ""} inputMode="decimal" />}
          </Field>
          {rows.length > 1 ? (
            <button type="button" className="link-button" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
              {t("contract.removeLine")}
            </button>
          ) : null}
        </fieldset>
      ))}
      <p>
        <button type="button" className="secondary" onClick={() => setRows((rs) => [...rs, { key: Math.max(...rs.map((x) => x.key)) + 1, plotId: "" }])}>
          {t("contract.addLine")}
        </button>
      </p>
      <label className="check">
        <input type="checkbox" name="villageSigns" checked={villageSigns} onChange={(ev) => setVillageSigns(ev.target.checked)} /> {t("contract.villageSigns")}
      </label>
      {villageSigns
        ? chosenHouseholds.map((hid) => {
            const name = plots.find((p) => p.householdId === hid)?.household.headName ?? "";
            return (
              <fieldset key={hid} className="grid">
                <legend>
                  {t("contract.entrustment")}：{name}
                </legend>
                {input(`entrust.${hid}.no`, "contract.entrustmentNo")}
                {input(`entrust.${hid}.date`, "contract.entrustmentDate", { type: "date" })}
              </fieldset>
            );
          })
        : null}

      <h2>{t("contract.sectionTerms")}</h2>
      <fieldset className="grid">
        {select("form", "contract.form", FORMS, "cform", setForm, form)}
        {select("use", "contract.use", USES, "cuse")}
        {input("useNote", "contract.useNote")}
        {input("startDate", "contract.startDate", { type: "date" })}
        {input("endDate", "contract.endDate", { type: "date" })}
      </fieldset>

      <h2>{t("contract.sectionRent")}</h2>
      {form === "EQUITY" ? (
        // An equity share is paid by the cooperative's dividend run: the form asks for no rent.
        <fieldset className="grid">
          <p className="note wide" data-testid="equity-note">
            {t("contract.equityNote")}
          </p>
          {input("riskDeposit", "contract.riskDeposit", { inputMode: "decimal" })}
        </fieldset>
      ) : (
      <fieldset className="grid">
        {select("rentKind", "contract.rentKind", ["CASH", "IN_KIND"], "rentKind", setRentKind, rentKind)}
        {rentKind === "CASH" ? (
          input("rentPerMu", "contract.rentPerMu", { inputMode: "decimal" })
        ) : (
          <>
            {select("inKindCrop", "contract.inKindCrop", CROPS, "crop")}
            {input("inKindJinPerMu", "contract.inKindJinPerMu", { inputMode: "decimal" })}
            {select("priceBasis", "contract.priceBasis", PRICE_BASES, "basis")}
          </>
        )}
        {input("stepPercent", "contract.stepPercent", { inputMode: "decimal" })}
        {input("stepEveryYears", "contract.stepEveryYears", { inputMode: "numeric" })}
        {select("paymentTiming", "contract.paymentTiming", TIMINGS, "timing", setTiming, timing)}
        {timing === "YEARLY" ? input("paymentMonthDay", "contract.paymentMonthDay", { placeholder: "12-31" }) : null}
        {timing === "INSTALMENTS" ? input("instalmentsPerYear", "contract.instalmentsPerYear", { inputMode: "numeric" }) : null}
        {input("riskDeposit", "contract.riskDeposit", { inputMode: "decimal" })}
        {input("penaltyPerTenThousand", "contract.penalty", { inputMode: "decimal" })}
      </fieldset>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? t("contract.saving") : t("contract.save")}
        </button>
        <Link to={cancelTo}>{t("household.cancel")}</Link>
      </div>
    </Form>
  );
}
