import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import { HOUSEHOLD_STATUSES, RELATIONS } from "./household-form";
import { MONITORING_CATEGORIES, parseRiskTypes, RISK_TYPES } from "./monitoring";
import type { FieldErrors, RawForm } from "~/lib/forms";

export interface HouseholdFormDefaults {
  code: string;
  groupId: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
  status: string;
  statusYear: string;
  statusReason: string;
  monitoringCategory: string;
  /** comma-separated risk type codes */
  riskTypes: string;
  statusDate: string;
  /** joinedOn: 入户日期; remove "1" with leftOn: an existing member leaving on that date (迁出日期) */
  members: { id: string; name: string; relation: string; idNumber: string; ableToWork: boolean; phone: string; joinedOn: string; leftOn: string; remove: string; leaveReason?: string }[];
}

const blankMember = { id: "", name: "", relation: "", idNumber: "", ableToWork: false, phone: "", joinedOn: "", leftOn: "", remove: "", leaveReason: "" };
type Row = HouseholdFormDefaults["members"][number] & { key: number };

/** Form values as the user typed them, so a refused form comes back unchanged. */
export function defaultsFromRaw(raw: RawForm): HouseholdFormDefaults {
  const rows = new Map<number, HouseholdFormDefaults["members"][number]>();
  for (const [key, value] of Object.entries(raw)) {
    const m = /^members\.(\d{1,3})\.(\w+)$/.exec(key);
    if (!m) continue;
    const row = rows.get(Number(m[1])) ?? { ...blankMember };
    if (m[2] === "ableToWork") row.ableToWork = value === "on";
    else if (m[2] in row) (row as Record<string, unknown>)[m[2]!] = value ?? "";
    rows.set(Number(m[1]), row);
  }
  const v = (k: string) => raw[k] ?? "";
  return {
    code: v("code"),
    groupId: v("groupId"),
    address: v("address"),
    phone: v("phone"),
    bankName: v("bankName"),
    bankAccount: v("bankAccount"),
    status: v("status") || "ORDINARY",
    statusYear: v("statusYear"),
    statusReason: v("statusReason"),
    monitoringCategory: v("monitoringCategory"),
    riskTypes: RISK_TYPES.filter((r) => raw[`riskTypes.${r}`] === "on").join(","),
    statusDate: v("statusDate"),
    members: [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
  };
}

export function HouseholdFormView({
  defaults,
  groups,
  errors,
  title,
  cancelTo,
  statusSince,
  today,
}: {
  defaults: HouseholdFormDefaults;
  groups: { id: number; name: string }[];
  errors: FieldErrors | null;
  title: string;
  cancelTo: string;
  /** edit form: the China date the current status took effect */
  statusSince?: string;
  /** China date, the latest date the date fields accept */
  today?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  // Each row keeps its own key, so removing one does not shift typed values into its neighbour.
  const [rows, setRows] = useState<Row[]>(() =>
    (defaults.members.length ? defaults.members : [{ ...blankMember, relation: "HEAD" }]).map((m, i) => ({ ...m, key: i })),
  );
  // Taking off a saved member asks for the 迁出日期 instead of forgetting the row:
  // what was typed in it is kept, so "undo" gives it back.
  const markLeaving = (i: number, fieldset: HTMLFieldSetElement | null, leaving: boolean) => {
    const read = (n: string) => (fieldset?.querySelector(`[name="members.${i}.${n}"]`) as HTMLInputElement | null) ?? null;
    setRows((r) =>
      r.map((x, j) => {
        if (j !== i) return x;
        if (!leaving) return { ...x, remove: "" };
        const v = (n: keyof Row & string) => read(n)?.value ?? String(x[n] ?? "");
        return { ...x, name: v("name"), relation: v("relation"), idNumber: v("idNumber"), phone: v("phone"), joinedOn: v("joinedOn"), ableToWork: read("ableToWork")?.checked ?? x.ableToWork, remove: "1" };
      }),
    );
  };
  const [status, setStatus] = useState(defaults.status);
  const e = (name: string) => errors?.[name];
  return (
    <Form method="post" className="form household-form" noValidate>
      <h1>{title}</h1>
      {errors ? (
        <p className="form-error" role="alert">
          {t("household.formErrors")}
        </p>
      ) : null}
      <fieldset className="grid">
        <Field label={t("household.code")} name="code" error={e("code")}>
          {(p) => <input {...p} defaultValue={defaults.code} inputMode="numeric" />}
        </Field>
        <Field label={t("household.group")} name="groupId" error={e("groupId")}>
          {(p) => (
            <select {...p} defaultValue={defaults.groupId}>
              <option value="">—</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("household.address")} name="address" error={e("address")} className="wide">
          {(p) => <input {...p} defaultValue={defaults.address} />}
        </Field>
        <Field label={t("household.phone")} name="phone" error={e("phone")}>
          {(p) => <input {...p} defaultValue={defaults.phone} inputMode="tel" />}
        </Field>
        <Field label={t("household.bankName")} name="bankName" error={e("bankName")}>
          {(p) => <input {...p} defaultValue={defaults.bankName} />}
        </Field>
        <Field label={t("household.bankAccount")} name="bankAccount" error={e("bankAccount")}>
          {(p) => <input {...p} defaultValue={defaults.bankAccount} inputMode="numeric" />}
        </Field>
      </fieldset>
      <fieldset className="grid">
        <Field label={t("household.currentStatus")} name="status" error={e("status")}>
          {(p) => (
            <select {...p} value={status} onChange={(ev) => setStatus(ev.target.value)}>
              {HOUSEHOLD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {status === "ALLEVIATED" ? (
          <Field label={t("household.statusYear")} name="statusYear" error={e("statusYear")}>
            {(p) => <input {...p} defaultValue={defaults.statusYear} inputMode="numeric" />}
          </Field>
        ) : null}
        {status === "MONITORED" ? (
          <>
            <fieldset className="wide choice-group" data-testid="monitoring-category" aria-invalid={e("monitoringCategory") ? true : undefined}>
              <legend>{t("monitoring.category")}</legend>
              {MONITORING_CATEGORIES.map((c) => (
                <label key={c} className="check">
                  <input type="radio" name="monitoringCategory" value={c} defaultChecked={defaults.monitoringCategory === c} /> {t(`monitoring.category.${c}`)}
                </label>
              ))}
              {e("monitoringCategory") ? (
                <p className="field-error" role="alert" data-field="monitoringCategory">
                  {t(e("monitoringCategory")!.key)}
                </p>
              ) : null}
            </fieldset>
            <fieldset className="wide choice-group" data-testid="risk-types" aria-invalid={e("riskTypes") ? true : undefined}>
              <legend>{t("monitoring.riskTypes")}</legend>
              {RISK_TYPES.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" name={`riskTypes.${r}`} defaultChecked={parseRiskTypes(defaults.riskTypes).includes(r)} /> {t(`monitoring.risk.${r}`)}
                </label>
              ))}
              {e("riskTypes") ? (
                <p className="field-error" role="alert" data-field="riskTypes">
                  {t(e("riskTypes")!.key)}
                </p>
              ) : null}
            </fieldset>
            <Field label={t("household.statusReason")} name="statusReason" error={e("statusReason")} className="wide">
              {(p) => (
                <>
                  <input {...p} defaultValue={defaults.statusReason} />
                  <span className="muted small">{t("monitoring.noteHint")}</span>
                </>
              )}
            </Field>
          </>
        ) : null}
        <Field label={t("household.statusDate")} name="statusDate" error={e("statusDate")}>
          {(p) => (
            <>
              <input {...p} type="date" defaultValue={defaults.statusDate} max={today} />
              <span className="muted small">{statusSince ? t("household.statusDateHintEdit", { date: statusSince }) : t("household.statusDateHint")}</span>
            </>
          )}
        </Field>
      </fieldset>
      <h2>{t("household.members")}</h2>
      {e("members") ? (
        <p className="field-error" role="alert" data-field="members">
          {t(e("members")!.key)}
        </p>
      ) : null}
      {rows.map((m, i) =>
        m.remove === "1" && m.id ? (
          <fieldset key={`${m.key}-leaving`} className="grid member leaving" data-testid={`member-${i}`}>
            <legend>{t("household.memberLeaving", { n: i + 1, name: m.name })}</legend>
            <input type="hidden" name={`members.${i}.id`} value={m.id} />
            <input type="hidden" name={`members.${i}.remove`} value="1" />
            <input type="hidden" name={`members.${i}.name`} value={m.name} />
            <input type="hidden" name={`members.${i}.relation`} value={m.relation} />
            <input type="hidden" name={`members.${i}.idNumber`} value={m.idNumber} />
            <input type="hidden" name={`members.${i}.phone`} value={m.phone} />
            <input type="hidden" name={`members.${i}.joinedOn`} value={m.joinedOn} />
            {m.ableToWork ? <input type="hidden" name={`members.${i}.ableToWork`} value="on" /> : null}
            <p className="notice" role="note">
              {t("household.leaveWarning", { name: m.name })}
            </p>
            <Field label={t("household.leftOnDate")} name={`members.${i}.leftOn`} error={e(`members.${i}.leftOn`)}>
              {(p) => (
                <>
                  <input {...p} type="date" defaultValue={m.leftOn} max={today} min={m.joinedOn || undefined} required />
                  <span className="muted small">{t("household.leftOnHint")}</span>
                </>
              )}
            </Field>
            <Field label={t("household.leaveReason")} name={`members.${i}.leaveReason`} error={e(`members.${i}.leaveReason`)}>
              {(p) => (
                <>
                  <input {...p} defaultValue={m.leaveReason ?? ""} maxLength={200} required />
                  <span className="muted small">{t("household.leaveReasonHint")}</span>
                </>
              )}
            </Field>
            <button type="button" className="link-button" onClick={(ev) => markLeaving(i, ev.currentTarget.closest("fieldset"), false)}>
              {t("household.undoRemove")}
            </button>
          </fieldset>
        ) : (
        <fieldset key={m.key} className="grid member" data-testid={`member-${i}`}>
          <legend>{t("household.member", { n: i + 1 })}</legend>
          <input type="hidden" name={`members.${i}.id`} value={m.id} />
          <Field label={t("household.name")} name={`members.${i}.name`} error={e(`members.${i}.name`)}>
            {(p) => <input {...p} defaultValue={m.name} />}
          </Field>
          <Field label={t("household.relation")} name={`members.${i}.relation`} error={e(`members.${i}.relation`)}>
            {(p) => (
              <select {...p} defaultValue={m.relation}>
                <option value="">—</option>
                {RELATIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`relation.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("household.idNumber")} name={`members.${i}.idNumber`} error={e(`members.${i}.idNumber`)}>
            {(p) => <input {...p} defaultValue={m.idNumber} maxLength={18} autoCapitalize="characters" className="mono" />}
          </Field>
          <Field label={t("household.phone")} name={`members.${i}.phone`} error={e(`members.${i}.phone`)}>
            {(p) => <input {...p} defaultValue={m.phone} inputMode="tel" />}
          </Field>
          <Field label={t("household.joinedOn")} name={`members.${i}.joinedOn`} error={e(`members.${i}.joinedOn`)}>
            {(p) => (
              <>
                <input {...p} type="date" defaultValue={m.joinedOn} max={today} />
                <span className="muted small">{t("household.joinedOnHint")}</span>
              </>
            )}
          </Field>
          <label className="check">
            <input type="checkbox" name={`members.${i}.ableToWork`} defaultChecked={m.ableToWork} /> {t("household.ableToWork")}
          </label>
          {m.id ? (
            <button type="button" className="link-button" onClick={(ev) => markLeaving(i, ev.currentTarget.closest("fieldset"), true)}>
              {t("household.removeMember")}
            </button>
          ) : rows.length > 1 ? (
            <button type="button" className="link-button" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
              {t("household.removeMember")}
            </button>
          ) : null}
        </fieldset>
        ),
      )}
      <p>
        <button type="button" className="secondary" onClick={() => setRows((r) => [...r, { ...blankMember, key: Math.max(-1, ...r.map((x) => x.key)) + 1 }])}>
          {t("household.addMember")}
        </button>
      </p>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? t("household.saving") : t("household.save")}
        </button>
        <Link to={cancelTo}>{t("household.cancel")}</Link>
      </div>
    </Form>
  );
}
