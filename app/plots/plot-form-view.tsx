/**
 * The plot form beside its drawing map, for the new and edit pages. The
 * drawn shape travels in a hidden field, so one submit saves the geometry
 * and the facts together; the server checks both again.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field, type FieldError } from "~/components/field";
import { useT } from "~/i18n/use-t";
import type { BBox, NormalizeResult, PlotGeometry } from "./geometry";
import type { MapSettings } from "./map-data";
import { DrawMapSlot } from "./draw-slot";
import type { FieldErrors } from "~/lib/forms";
import { CROPS, PLOT_STATUSES } from "./vocabulary";

export interface PlotFormDefaults {
  code: string;
  name: string;
  crop: string;
  variety: string;
  plantingYear: string;
  trees: string;
  status: string;
  householdId: string;
  cooperativeId: string;
  contractId: string;
  declaredMu: string;
  parcelCodes: string;
  geometry: string;
}

export const EMPTY_PLOT_FORM: PlotFormDefaults = {
  code: "",
  name: "",
  crop: "",
  variety: "",
  plantingYear: "",
  trees: "",
  status: "PLANTED",
  householdId: "",
  cooperativeId: "",
  contractId: "",
  declaredMu: "",
  parcelCodes: "",
  geometry: "",
};

export function defaultsFromRaw(raw: Record<string, string>): PlotFormDefaults {
  return Object.fromEntries(Object.entries(EMPTY_PLOT_FORM).map(([k, v]) => [k, raw[k] ?? v])) as unknown as PlotFormDefaults;
}

export interface PlotFormChoices {
  households: { id: number; code: string; headName: string }[];
  cooperatives: { id: number; name: string }[];
  contracts: { id: number; draftNo: string; contractNo: string | null; transfereeName: string }[];
}

function parseGeometry(text: string): PlotGeometry | null {
  try {
    const g = JSON.parse(text) as PlotGeometry;
    return g && (g.type === "Polygon" || g.type === "MultiPolygon") ? g : null;
  } catch {
    return null;
  }
}

export function PlotFormView({
  title,
  villageId,
  villageName,
  defaults,
  errors,
  choices,
  settings,
  extent,
  cancelTo,
  plotId,
}: {
  title: string;
  villageId: number;
  villageName: string;
  defaults: PlotFormDefaults;
  errors: FieldErrors | null;
  choices: PlotFormChoices;
  settings: MapSettings;
  extent: BBox | null;
  cancelTo: string;
  plotId?: number;
}) {
  const t = useT();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  const [initial] = useState(() => parseGeometry(defaults.geometry));
  const [geometry, setGeometry] = useState(defaults.geometry);
  const [checked, setChecked] = useState<{ result: NormalizeResult | null; parts: number } | null>(null);
  const [live, setLive] = useState<string | null>(null);
  const err = (name: string): FieldError => errors?.[name];

  const onChange = (result: NormalizeResult | null, parts: number, drawn: PlotGeometry | null) => {
    setChecked({ result, parts });
    // A shape the checks refuse is still sent, so the server names the same problem next to the map.
    setGeometry(result?.ok ? JSON.stringify(result.geometry) : drawn ? JSON.stringify(drawn) : "");
  };
  const shapeProblem = checked?.result && !checked.result.ok ? checked.result.problems[0] : null;
  const area = live ?? (checked?.result?.ok ? checked.result.areaMu : null);
  const geometryError: FieldError = shapeProblem ?? (checked ? undefined : err("geometry"));
  const mapExtent = initial ? null : extent;

  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        <span className="muted">{villageName}</span>
      </div>
      {errors ? (
        <p className="form-error" role="alert">
          {t("plots.form.errors")}
        </p>
      ) : null}
      <div className="plot-edit">
        <section className="plot-edit-map">
          <p className="muted">{t("plots.draw.help")}</p>
          <DrawMapSlot
            key={plotId ?? villageId}
            settings={settings}
            filter={{ villageId }}
            extent={initial ? geometryBox(initial) : mapExtent}
            initial={initial}
            onChange={onChange}
            onLive={setLive}
            hideId={plotId}
            height="62vh"
          />
          <p className="plot-live-area" data-testid="live-area" aria-live="polite">
            {area !== null ? t("plots.draw.area", { area }) : t("plots.draw.noShape")}
            {checked && checked.parts > 1 ? ` · ${t("plots.draw.parts", { count: checked.parts })}` : ""}
          </p>
          {geometryError ? (
            <p className="field-error" role="alert" data-field="geometry">
              {t(geometryError.key, geometryError.params)}
            </p>
          ) : null}
        </section>
        <Form method="post" className="form plot-form" noValidate>
          <input type="hidden" name="villageId" value={villageId} />
          <input type="hidden" name="geometry" value={geometry} />
          <div className="grid">
            <Field label={t("plots.form.code")} name="code" error={err("code")}>
              {(p) => <input {...p} defaultValue={defaults.code} maxLength={30} required autoComplete="off" />}
            </Field>
            <Field label={t("plots.form.name")} name="name" error={err("name")}>
              {(p) => <input {...p} defaultValue={defaults.name} maxLength={60} />}
            </Field>
            <Field label={t("plots.form.crop")} name="crop" error={err("crop")}>
              {(p) => (
                <select {...p} defaultValue={defaults.crop} required>
                  <option value="">{t("plots.form.choose")}</option>
                  {CROPS.map((c) => (
                    <option key={c} value={c}>
                      {t(`plots.crop.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("plots.form.variety")} name="variety" error={err("variety")}>
              {(p) => <input {...p} defaultValue={defaults.variety} maxLength={30} />}
            </Field>
            <Field label={t("plots.form.plantingYear")} name="plantingYear" error={err("plantingYear")}>
              {(p) => <input {...p} defaultValue={defaults.plantingYear} inputMode="numeric" maxLength={4} />}
            </Field>
            <Field label={t("plots.form.trees")} name="trees" error={err("trees")}>
              {(p) => <input {...p} defaultValue={defaults.trees} inputMode="numeric" />}
            </Field>
            <Field label={t("plots.form.status")} name="status" error={err("status")}>
              {(p) => (
                <select {...p} defaultValue={defaults.status}>
                  {PLOT_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`plots.status.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("plots.form.declaredMu")} name="declaredMu" error={err("declaredMu")}>
              {(p) => <input {...p} defaultValue={defaults.declaredMu} inputMode="decimal" aria-describedby="declared-help" />}
            </Field>
            <Field label={t("plots.form.household")} name="householdId" error={err("householdId")}>
              {(p) => (
                <select {...p} defaultValue={defaults.householdId}>
                  <option value="">{t("plots.form.none")}</option>
                  {choices.households.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.code} {h.headName}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("plots.form.cooperative")} name="cooperativeId" error={err("cooperativeId")}>
              {(p) => (
                <select {...p} defaultValue={defaults.cooperativeId}>
                  <option value="">{t("plots.form.none")}</option>
                  {choices.cooperatives.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("plots.form.contract")} name="contractId" error={err("contractId")}>
              {(p) => (
                <select {...p} defaultValue={defaults.contractId}>
                  <option value="">{t("plots.form.none")}</option>
                  {choices.contracts.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.contractNo ?? c.draftNo} {c.transfereeName}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("plots.form.parcelCodes")} name="parcelCodes" error={err("parcelCodes")} className="wide">
              {(p) => <input {...p} defaultValue={defaults.parcelCodes} placeholder={t("plots.form.parcelCodesHelp")} inputMode="numeric" />}
            </Field>
          </div>
          <p className="muted small" id="declared-help">
            {t("plots.form.declaredHelp")}
          </p>
          <div className="actions">
            <button type="submit" disabled={saving}>
              {saving ? t("plots.form.saving") : t("plots.form.save")}
            </button>
            <Link to={cancelTo}>{t("plots.form.cancel")}</Link>
          </div>
        </Form>
      </div>
    </>
  );
}

function geometryBox(g: PlotGeometry): BBox {
  let b: BBox = [180, 90, -180, -90];
  for (const rings of g.type === "Polygon" ? [g.coordinates] : g.coordinates) {
    for (const p of rings[0] ?? []) b = [Math.min(b[0], p[0]!), Math.min(b[1], p[1]!), Math.max(b[2], p[0]!), Math.max(b[3], p[1]!)];
  }
  // Some room around the plot, so its neighbours show.
  const dx = (b[2] - b[0]) * 1.5 + 0.001;
  const dy = (b[3] - b[1]) * 1.5 + 0.001;
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}
