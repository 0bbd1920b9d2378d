import { Form, Link, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";
import { PLOT_CATEGORIES } from "./plot-form";

export type PlotDefaults = Record<string, string | boolean>;

export function PlotFormView({ title, defaults, groups, errors, cancelTo }: { title: string; defaults: PlotDefaults; groups: { id: number; name: string; number: string }[]; errors: FieldErrors | null; cancelTo: string }) {
  const t = useT();
  const saving = useNavigation().state === "submitting";
  const e = (n: string) => errors?.[n];
  const text = (name: string, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={t(label)} name={name} error={e(name)}>
      {(p) => <input {...p} defaultValue={String(defaults[name] ?? "")} {...extra} />}
    </Field>
  );
  return (
    <Form method="post" className="form" noValidate>
      <h1>{title}</h1>
      {errors ? (
        <p className="form-error" role="alert">
          {t("household.formErrors")}
        </p>
      ) : null}
      <fieldset className="grid">
        {text("parcelCode", "plots.parcelCode", { inputMode: "numeric", maxLength: 19, className: "mono" })}
        <Field label={t("plots.group")} name="groupId" error={e("groupId")}>
          {(p) => (
            <select {...p} defaultValue={String(defaults.groupId ?? "")}>
              <option value="">—</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}（{g.number}）
                </option>
              ))}
            </select>
          )}
        </Field>
        {text("name", "plots.name")}
        <Field label={t("plots.category")} name="category" error={e("category")}>
          {(p) => (
            <select {...p} defaultValue={String(defaults.category ?? "CONTRACTED")}>
              {PLOT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`pcat.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text("contractArea", "plots.contractArea", { inputMode: "decimal" })}
        {text("measuredArea", "plots.measuredArea", { inputMode: "decimal" })}
        {text("landClass", "plots.landClass")}
        {text("grade", "plots.grade")}
        {text("contractEnd", "plots.contractEnd", { type: "date" })}
        <label className="check">
          <input type="checkbox" name="basicFarmland" defaultChecked={!!defaults.basicFarmland} /> {t("plots.basicFarmland")}
        </label>
      </fieldset>
      <fieldset className="grid">
        {text("east", "plots.east")}
        {text("south", "plots.south")}
        {text("west", "plots.west")}
        {text("north", "plots.north")}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? t("household.saving") : t("plots.save")}
        </button>
        <Link to={cancelTo}>{t("household.cancel")}</Link>
      </div>
    </Form>
  );
}
