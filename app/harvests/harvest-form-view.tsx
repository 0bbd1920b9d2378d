/**
 * The harvest form, made for a phone in the orchard: one column on a narrow
 * screen, numeric keyboards, and the kilograms and the income shown as the
 * quantity is typed. The server parses the same fields again.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field, type FieldError } from "~/components/field";
import { useT } from "~/i18n/use-t";
import { formatYuan, fromFen } from "~/lib/money";
import { GRADES, parseHarvestForm, UNITS } from "./harvest-form";
import type { FieldErrors } from "~/lib/forms";

export interface HarvestFormDefaults {
  plotId: string;
  harvestedOn: string;
  variety: string;
  quantity: string;
  unit: string;
  grade: string;
  price: string;
  priceUnit: string;
  sales: string;
  buyer: string;
  note: string;
}

export const HARVEST_FORM_FIELDS = ["plotId", "harvestedOn", "variety", "quantity", "unit", "grade", "price", "priceUnit", "sales", "buyer", "note"] as const;

export function harvestDefaults(raw: Record<string, string> | null, base: { plotId: string; today: string }): HarvestFormDefaults {
  const empty: HarvestFormDefaults = { plotId: base.plotId, harvestedOn: base.today, variety: "", quantity: "", unit: "JIN", grade: "", price: "", priceUnit: "JIN", sales: "", buyer: "", note: "" };
  if (!raw) return empty;
  return Object.fromEntries(HARVEST_FORM_FIELDS.map((k) => [k, raw[k] ?? empty[k]])) as unknown as HarvestFormDefaults;
}

export interface HarvestFormPlot {
  id: number;
  code: string;
  name: string;
  crop: string;
  variety: string;
  areaMu: string;
  villageName: string;
}

/** The field's error (from Field) and its help text, both read out by screen readers. */
const describedBy = (...ids: (string | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

export function HarvestFormView({
  plot,
  choices,
  defaults,
  errors,
  today,
  cancelTo,
}: {
  /** the plot recorded for; null when the user picks one from `choices` */
  plot: HarvestFormPlot | null;
  choices: { id: number; code: string; name: string; crop: string; variety: string; areaMu: string }[];
  defaults: HarvestFormDefaults;
  errors: FieldErrors | null;
  today: string;
  cancelTo: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  const err = (name: string): FieldError => errors?.[name];
  const [live, setLive] = useState({ quantity: defaults.quantity, unit: defaults.unit, price: defaults.price, priceUnit: defaults.priceUnit, sales: defaults.sales });
  const update = (k: keyof typeof live) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setLive((s) => ({ ...s, [k]: value }));
  };
  // The same rules as the server, on what is typed so far: kg and the computed income, or nothing.
  const preview = parseHarvestForm({ plotId: "1", harvestedOn: today, ...live }, { today, plot: { variety: "", areaMu: plot?.areaMu ?? "0" } });
  const kg = preview.ok ? preview.value.quantityKg : null;
  const computedSales = preview.ok && !preview.value.salesTyped && preview.value.price !== "" ? formatYuan(fromFen(preview.value.salesFen)) : null;

  return (
    <>
      <div className="page-head">
        <h1>{t("harvest.form.title")}</h1>
      </div>
      {errors ? (
        <p className="form-error" role="alert">
          {t("harvest.form.errors")}
        </p>
      ) : null}
      <Form method="post" className="form harvest-form" noValidate>
        {plot ? (
          <>
            <input type="hidden" name="plotId" value={plot.id} />
            <dl className="facts" data-testid="harvest-plot">
              <dt>{t("harvest.form.plot")}</dt>
              <dd>
                <Link to={`/plots/${plot.id}`}>
                  {plot.code} {plot.name}
                </Link>
                <div className="small muted">{t("harvest.form.plotFacts", { village: plot.villageName, crop: t(`plots.crop.${plot.crop}`), area: plot.areaMu })}</div>
              </dd>
            </dl>
            {err("plotId") ? (
              <p className="field-error" role="alert" data-field="plotId">
                {t(err("plotId")!.key, err("plotId")!.params)}
              </p>
            ) : null}
          </>
        ) : null}
        <div className="grid">
          {plot ? null : (
            <Field label={t("harvest.form.plot")} name="plotId" error={err("plotId")} className="wide">
              {(p) => (
                <select {...p} defaultValue={defaults.plotId} required>
                  <option value="">{t("harvest.form.choosePlot")}</option>
                  {choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.code} {c.name} · {t(`plots.crop.${c.crop}`)}
                      {c.variety ? ` ${c.variety}` : ""} · {c.areaMu}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field label={t("harvest.form.date")} name="harvestedOn" error={err("harvestedOn")}>
            {(p) => <input {...p} type="date" defaultValue={defaults.harvestedOn} max={today} required />}
          </Field>
          <Field label={t("harvest.form.variety")} name="variety" error={err("variety")}>
            {(p) => <input {...p} defaultValue={defaults.variety} maxLength={30} placeholder={plot?.variety ?? ""} aria-describedby={describedBy(p["aria-describedby"], plot?.variety ? "variety-help" : undefined)} />}
          </Field>
          <Field label={t("harvest.form.quantity")} name="quantity" error={err("quantity")}>
            {(p) => <input {...p} defaultValue={defaults.quantity} inputMode="decimal" autoComplete="off" required onChange={update("quantity")} />}
          </Field>
          <Field label={t("harvest.form.unit")} name="unit" error={err("unit")}>
            {(p) => (
              <select {...p} defaultValue={defaults.unit} onChange={update("unit")}>
                {UNITS.map((u) => (
                  <option key={u} value={u}>
                    {t(`harvest.unit.${u}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("harvest.form.grade")} name="grade" error={err("grade")}>
            {(p) => (
              <select {...p} defaultValue={defaults.grade}>
                <option value="">{t("harvest.grade.none")}</option>
                {GRADES.map((g) => (
                  <option key={g} value={g}>
                    {t(`harvest.grade.${g}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("harvest.form.price")} name="price" error={err("price")}>
            {(p) => <input {...p} defaultValue={defaults.price} inputMode="decimal" autoComplete="off" onChange={update("price")} />}
          </Field>
          <Field label={t("harvest.form.priceUnit")} name="priceUnit" error={err("priceUnit")}>
            {(p) => (
              <select {...p} defaultValue={defaults.priceUnit} onChange={update("priceUnit")}>
                {UNITS.map((u) => (
                  <option key={u} value={u}>
                    {t(`harvest.priceUnit.${u}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("harvest.form.sales")} name="sales" error={err("sales")}>
            {(p) => <input {...p} defaultValue={defaults.sales} inputMode="decimal" autoComplete="off" placeholder={computedSales ?? ""} aria-describedby={describedBy(p["aria-describedby"], "sales-help")} onChange={update("sales")} />}
          </Field>
          <Field label={t("harvest.form.buyer")} name="buyer" error={err("buyer")}>
            {(p) => <input {...p} defaultValue={defaults.buyer} maxLength={60} />}
          </Field>
          <Field label={t("harvest.form.note")} name="note" error={err("note")} className="wide">
            {(p) => <input {...p} defaultValue={defaults.note} maxLength={200} />}
          </Field>
        </div>
        <p className="small" aria-live="polite" data-testid="harvest-live">
          {kg !== null ? t("harvest.kg", { kg }) : "\u00a0"}
          {computedSales ? ` · ${t("harvest.col.sales")} ${computedSales}` : ""}
        </p>
        {plot?.variety ? (
          <p className="muted small" id="variety-help">
            {t("harvest.form.varietyHelp", { variety: plot.variety })}
          </p>
        ) : null}
        <p className="muted small">{t("harvest.form.jinNote")}</p>
        <p className="muted small" id="sales-help">
          {t("harvest.form.salesHelp")}
        </p>
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? t("harvest.form.saving") : t("harvest.form.save")}
          </button>
          <Link to={cancelTo}>{t("harvest.form.cancel")}</Link>
        </div>
      </Form>
    </>
  );
}
