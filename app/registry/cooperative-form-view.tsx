import { Form, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import { COOPERATIVE_TYPES } from "./cooperative-form";
import type { FieldErrors } from "~/lib/forms";

export interface CooperativeDefaults {
  name: string;
  creditCode: string;
  type: string;
  legalRepresentative: string;
  phone: string;
  address: string;
  sharesPerMu: string;
  villageIds: number[];
}

/** What the user typed, so that a refused form comes back as it was sent. */
export function coopDefaults(raw: Record<string, string | undefined>): Omit<CooperativeDefaults, "villageIds"> {
  const v = (k: string) => raw[k] ?? "";
  return {
    name: v("name"),
    creditCode: v("creditCode"),
    type: v("type"),
    legalRepresentative: v("legalRepresentative"),
    phone: v("phone"),
    address: v("address"),
    sharesPerMu: v("sharesPerMu"),
  };
}

export function CooperativeFormView({
  defaults,
  villages,
  errors,
}: {
  defaults: CooperativeDefaults;
  villages: { id: number; name: string }[];
  errors: FieldErrors | null;
}) {
  const t = useT();
  const saving = useNavigation().state === "submitting";
  const e = (n: string) => errors?.[n];
  return (
    <Form method="post" className="form" noValidate>
      {errors ? (
        <p className="form-error" role="alert">
          {t("household.formErrors")}
        </p>
      ) : null}
      <fieldset className="grid">
        <Field label={t("cooperatives.name")} name="name" error={e("name")} className="wide">
          {(p) => <input {...p} defaultValue={defaults.name} />}
        </Field>
        <Field label={t("cooperatives.creditCode")} name="creditCode" error={e("creditCode")}>
          {(p) => <input {...p} defaultValue={defaults.creditCode} maxLength={18} className="mono" autoCapitalize="characters" />}
        </Field>
        <Field label={t("cooperatives.type")} name="type" error={e("type")}>
          {(p) => (
            <select {...p} defaultValue={defaults.type}>
              <option value="">—</option>
              {COOPERATIVE_TYPES.map((c) => (
                <option key={c} value={c}>
                  {t(`coopType.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("cooperatives.legalRep")} name="legalRepresentative" error={e("legalRepresentative")}>
          {(p) => <input {...p} defaultValue={defaults.legalRepresentative} />}
        </Field>
        <Field label={t("cooperatives.phone")} name="phone" error={e("phone")}>
          {(p) => <input {...p} defaultValue={defaults.phone} inputMode="tel" />}
        </Field>
        <Field label={t("cooperatives.address")} name="address" error={e("address")} className="wide">
          {(p) => <input {...p} defaultValue={defaults.address} />}
        </Field>
        <Field label={t("cooperatives.sharesPerMu")} name="sharesPerMu" error={e("sharesPerMu")}>
          {(p) => <input {...p} defaultValue={defaults.sharesPerMu} inputMode="decimal" />}
        </Field>
      </fieldset>
      <fieldset className={e("villageIds") ? "has-error" : undefined}>
        <legend>{t("cooperatives.villages")}</legend>
        {villages.map((v) => (
          <label key={v.id} className="check">
            <input type="checkbox" name="villageId" value={v.id} defaultChecked={defaults.villageIds.includes(v.id)} /> {v.name}
          </label>
        ))}
        {e("villageIds") ? (
          <p className="field-error" role="alert" data-field="villageIds">
            {t(e("villageIds")!.key)}
          </p>
        ) : null}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? t("household.saving") : t("cooperatives.save")}
        </button>
      </div>
    </Form>
  );
}
