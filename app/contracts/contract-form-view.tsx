import { Form, Link, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";
import { CROPS, FORMS, PRICE_BASES, TIMINGS, TRANSFEREE_KINDS, USES } from "./contract-form";
import type { PlotOffer } from "./plot-picker.server";

export type ContractDefaults = Record<string, string>;

export type { PlotOffer };

/** The no-JavaScript search's results, when the form came back from its search button. */
export interface PlotSearch {
  q: string;
  offers: PlotOffer[];
  more: boolean;
}

interface Line {
  key: number;
  plotId: string;
  area: string;
  plot: PlotOffer | null;
}

/** More than the free area? (both 2-decimal strings; exact in hundredths) */
function overFree(area: string, free: string): boolean {
  const hundredths = (v: string) => {
    const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(v.trim());
    return m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : null;
  };
  const a = hundredths(area);
  const f = hundredths(free);
  return a !== null && f !== null && a > f;
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
  chosen,
  search,
  contractId,
  mode,
  cooperatives,
  cancelTo,
  withChangeNote,
}: {
  title: string;
  defaults: ContractDefaults;
  errors: FieldErrors | null;
  /** the plots the lines name, with their free area */
  chosen: PlotOffer[];
  search: PlotSearch | null;
  /** the contract edited, amended or renewed: its own holding does not count against it */
  contractId?: number;
  /** kept through the no-JavaScript search round trip */
  mode?: string;
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
  const initialRows = [...new Set(Object.keys(defaults).flatMap((k) => /^lines\.(\d+)\.(?:plotId|area)$/.exec(k)?.[1] ?? []))].map(Number).sort((a, b) => a - b);
  const [rows, setRows] = useState<Line[]>(() =>
    initialRows.map((i) => {
      const plotId = defaults[`lines.${i}.plotId`] ?? "";
      return { key: i, plotId, area: defaults[`lines.${i}.area`] ?? "", plot: chosen.find((p) => String(p.id) === plotId) ?? null };
    }),
  );
  const chosenHouseholds = [...new Map(rows.flatMap((r) => (r.plot ? [[r.plot.householdId, r.plot.headName] as const] : []))).entries()];
  const formRef = useRef<HTMLFormElement>(null);
  const fetcher = useFetcher<{ offers: PlotOffer[]; more: boolean }>();
  const [query, setQuery] = useState(search?.q ?? "");
  const results = fetcher.data ?? (search ? { offers: search.offers, more: search.more } : null);
  const runSearch = (q: string) => {
    const f = formRef.current;
    const v = (n: string) => ((f?.elements.namedItem(n) as HTMLInputElement | null)?.value ?? "").trim();
    const params = new URLSearchParams({ q, start: v("startDate"), end: v("endDate") });
    if (contractId) params.set("contract", String(contractId));
    fetcher.load(`/resources/contracts/plots?${params}`);
  };
  // search as the secretary types, a moment after the last key
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const onQuery = (q: string) => {
    setQuery(q);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => runSearch(q), 250);
  };
  const pick = (offer: PlotOffer) =>
    setRows((rs) => {
      if (rs.some((r) => r.plotId === String(offer.id))) return rs;
      const line = { plotId: String(offer.id), area: offer.freeArea, plot: offer };
      const empty = rs.find((r) => !r.plotId);
      return empty ? rs.map((r) => (r === empty ? { ...r, ...line } : r)) : [...rs, { key: Math.max(-1, ...rs.map((r) => r.key)) + 1, ...line }];
    });
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
    <Form method="post" className="form contract-form" noValidate ref={formRef}>
      <h1>{title}</h1>
      {mode && mode !== "edit" ? <input type="hidden" name="mode" value={mode} /> : null}
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

      <h2>{t("contract.sectionTerms")}</h2>
      <fieldset className="grid">
        {select("form", "contract.form", FORMS, "cform", setForm, form)}
        {select("use", "contract.use", USES, "cuse")}
        {input("useNote", "contract.useNote")}
        {input("startDate", "contract.startDate", { type: "date" })}
        {input("endDate", "contract.endDate", { type: "date" })}
      </fieldset>

      <h2>{t("contract.sectionPlots")}</h2>
      {/* the search's buttons submit the whole form by GET without JavaScript (the page comes back with the results); with it they work in place */}
      <div className="plot-search" role="search" data-testid="plot-search">
        <label htmlFor="plotQ">{t("contract.plotSearch")}</label>
        <div className="inline-form">
          <input
            id="plotQ"
            name="plotQ"
            type="search"
            className="grow"
            value={query}
            placeholder={t("contract.plotSearchPlaceholder")}
            autoComplete="off"
            onChange={(ev) => onQuery(ev.target.value)}
            onKeyDown={(ev) => {
              if (ev.key === "Enter") {
                ev.preventDefault();
                runSearch(query);
              }
            }}
          />
          <button
            type="submit"
            className="secondary"
            formMethod="get"
            name="plotSearch"
            value="1"
            onClick={(ev) => {
              ev.preventDefault();
              runSearch(query);
            }}
          >
            {t("contract.plotSearchButton")}
          </button>
        </div>
        <p className="muted small">{t("contract.plotSearchHint")}</p>
        {results ? (
          results.offers.length === 0 ? (
            <p className="empty" data-testid="plot-results-empty">
              {t("contract.plotSearchNone")}
            </p>
          ) : (
            <ul className="plain plot-results" data-testid="plot-results">
              {results.offers.map((o) => {
                const taken = rows.some((r) => r.plotId === String(o.id));
                return (
                  <li key={o.id} data-testid={`plot-offer-${o.id}`}>
                    <span className="mono">{o.parcelCode}</span> · {o.name} · {o.householdCode} {o.headName} ·{" "}
                    <strong>{t("contract.freeArea", { free: o.freeArea, total: o.contractArea })}</strong>{" "}
                    <button
                      type="submit"
                      className="link-button"
                      formMethod="get"
                      name="pick"
                      value={o.id}
                      disabled={taken}
                      onClick={(ev) => {
                        ev.preventDefault();
                        pick(o);
                      }}
                    >
                      {taken ? t("contract.plotChosen") : t("contract.choosePlot")}
                    </button>
                  </li>
                );
              })}
              {results.more ? <li className="muted small">{t("contract.plotSearchMore")}</li> : null}
            </ul>
          )
        ) : null}
      </div>
      {e("lines") ? (
        <p className="field-error" role="alert" data-field="lines">
          {t(e("lines")!.key)}
        </p>
      ) : null}
      {rows.length === 0 ? <p className="muted">{t("contract.noLinesYet")}</p> : null}
      {rows.map((r, i) => {
        const serverError = e(`lines.${i}.area`);
        const over = r.plot && overFree(r.area, r.plot.freeArea);
        return (
          <fieldset key={r.key} className="grid line" data-testid={`line-${i}`}>
            <input type="hidden" name={`lines.${i}.plotId`} value={r.plotId} />
            <div className="field wide">
              <span className="label">{t("contract.plot")}</span>
              <p data-testid={`line-${i}-plot`}>
                {r.plot ? (
                  <>
                    <span className="mono">{r.plot.parcelCode}</span> · {r.plot.name} · {r.plot.householdCode} {r.plot.headName} · {t("contract.freeArea", { free: r.plot.freeArea, total: r.plot.contractArea })}
                  </>
                ) : (
                  r.plotId || "—"
                )}
              </p>
              {e(`lines.${i}.plotId`) ? (
                <p className="field-error" role="alert" data-field={`lines.${i}.plotId`}>
                  {t(e(`lines.${i}.plotId`)!.key, e(`lines.${i}.plotId`)!.params)}
                </p>
              ) : null}
            </div>
            <Field
              label={t("contract.lineArea")}
              name={`lines.${i}.area`}
              error={serverError ?? (over ? { key: "contract.areaExceedsPlot", params: { free: r.plot!.freeArea } } : undefined)}
            >
              {(p) => <input {...p} value={r.area} inputMode="decimal" onChange={(ev) => setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, area: ev.target.value } : x)))} />}
            </Field>
            <button
              type="submit"
              className="link-button"
              formMethod="get"
              name="remove"
              value={i}
              onClick={(ev) => {
                ev.preventDefault();
                setRows((rs) => rs.filter((x) => x.key !== r.key));
              }}
            >
              {t("contract.removeLine")}
            </button>
          </fieldset>
        );
      })}
      <label className="check">
        <input type="checkbox" name="villageSigns" checked={villageSigns} onChange={(ev) => setVillageSigns(ev.target.checked)} /> {t("contract.villageSigns")}
      </label>
      {villageSigns
        ? chosenHouseholds.map(([hid, name]) => {
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
