import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";

type Errors = Record<string, { key: string; params?: Record<string, string | number> }>;

/** The fields of a work-day record after the worker: where, when, how many days, at what wage. */
export function WorkDayFields({ errors: e, values: v, coops, idPrefix }: { errors: Errors; values: Record<string, string>; coops: { id: number; name: string }[]; idPrefix: string }) {
  const t = useT();
  return (
    <>
      <Field label={t("incomeAccount.cooperative")} name="cooperativeId" id={`${idPrefix}-coop`} error={e.cooperativeId}>
        {(p) => (
          <select {...p} defaultValue={v.cooperativeId ?? (coops.length === 1 ? String(coops[0]!.id) : "")}>
            <option value="">{t("incomeAccount.otherEmployer")}</option>
            {coops.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("incomeAccount.employer")} name="employer" id={`${idPrefix}-employer`} error={e.employer}>
        {(p) => <input {...p} defaultValue={v.employer ?? ""} />}
      </Field>
      <Field label={t("incomeAccount.periodStart")} name="periodStart" id={`${idPrefix}-start`} error={e.periodStart}>
        {(p) => <input {...p} type="date" defaultValue={v.periodStart ?? ""} />}
      </Field>
      <Field label={t("incomeAccount.periodEnd")} name="periodEnd" id={`${idPrefix}-end`} error={e.periodEnd}>
        {(p) => <input {...p} type="date" defaultValue={v.periodEnd ?? ""} />}
      </Field>
      <Field label={t("incomeAccount.days")} name="days" id={`${idPrefix}-days`} error={e.days}>
        {(p) => <input {...p} inputMode="decimal" defaultValue={v.days ?? ""} />}
      </Field>
      <Field label={t("incomeAccount.dailyWageYuan")} name="dailyWage" id={`${idPrefix}-wage`} error={e.dailyWage}>
        {(p) => <input {...p} inputMode="decimal" defaultValue={v.dailyWage ?? ""} />}
      </Field>
      <Field label={t("incomeAccount.paidOn")} name="paidOn" id={`${idPrefix}-paid`} error={e.paidOn}>
        {(p) => <input {...p} type="date" defaultValue={v.paidOn ?? ""} />}
      </Field>
    </>
  );
}
