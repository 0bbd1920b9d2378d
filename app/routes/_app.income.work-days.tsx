import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { addWorkDay, cooperativeChoices, findWorker, workDaysOfScope } from "~/income/account.server";
import { auditYear } from "~/income/audit.server";
import { parseWorkDayForm } from "~/income/forms";
import { YearPicker } from "~/income/page-parts";
import { WorkDayFields } from "~/income/work-day-fields";
import { currentYear, today } from "~/lib/dates";
import { forbidden, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

/** Base payroll: the accountant records days worked by villagers, found by their ID number. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:work-days");
  const url = new URL(request.url);
  const year = auditYear(url.searchParams.get("year") ?? String(currentYear()));
  const coops = user.scope.kind === "all" ? [] : await cooperativeChoices(user, user.scope.townshipId);
  const rows = await workDaysOfScope(user, year);
  // after a save the action redirects here with ?n= (the form remounts empty) and a message naming whom it saved
  const savedId = Number(url.searchParams.get("n")) || null;
  return { year, rows, coops, currentYear: currentYear(), savedId };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:work-days");
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  const worker = await findWorker(user, raw.idNumber ?? "");
  if (!worker) return data({ errors: { idNumber: { key: "incomeAccount.workerNotFound" } }, raw, saved: null }, { status: 400 });
  const asOf = today();
  const parsed = parseWorkDayForm({ ...raw, personId: String(worker.personId) }, { currentYear: Number(asOf.slice(0, 4)), today: asOf });
  if (!parsed.ok) return data({ errors: parsed.errors, raw, saved: null }, { status: 400 });
  const result = await addWorkDay(user, worker.householdId, parsed.value);
  if (!result.ok) {
    if (result.status === 404) notFound();
    if (result.status === 403) forbidden();
    return data({ errors: "errors" in result ? result.errors : {}, raw, saved: null }, { status: 400 });
  }
  // POST → redirect: the form clears, and a reload cannot save the same days again
  const w = parsed.value;
  return redirectWithMessage(`/income/work-days?year=${w.year}&n=${result.id}`, "workDays.saved", { days: w.days, who: worker.name, start: w.periodStart, end: w.periodEnd });
}

export default function WorkDays() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = (a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>;
  const v = (a?.raw ?? {}) as Record<string, string>;
  // the form remounts empty after each save
  const formKey = d.savedId ? `saved-${d.savedId}` : "form";
  return (
    <>
      <div className="page-head">
        <h1>{t("workDays.title")}</h1>
        <YearPicker year={d.year} last={d.currentYear} />
      </div>
      <p className="muted">{t("workDays.explain")}</p>
      <Form method="post" className="form" data-testid="work-form" key={formKey}>
        <Field label={t("workDays.idNumber")} name="idNumber" error={e.idNumber ?? e.personId}>
          {(p) => <input {...p} autoComplete="off" defaultValue={v.idNumber ?? ""} />}
        </Field>
        <WorkDayFields errors={e} values={v} coops={d.coops} idPrefix="wd" />
        <button type="submit" disabled={busy}>
          {busy ? t("incomeAccount.saving") : t("incomeAccount.save")}
        </button>
      </Form>
      <div className="table-wrap">
        <table className="data" data-testid="work-days">
          <thead>
            <tr>
              <th>{t("incomeAccount.person")}</th>
              <th>{t("incomeAccount.period")}</th>
              <th className="num">{t("incomeAccount.days")}</th>
              <th className="num">{t("incomeAccount.dailyWage")}</th>
              <th className="num">{t("incomeAccount.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t("incomeAccount.none")}
                </td>
              </tr>
            ) : (
              d.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/income/households/${r.householdId}?year=${d.year}`}>{r.person}</Link>
                  </td>
                  <td>
                    {r.periodStart} – {r.periodEnd}
                  </td>
                  <td className="num">{r.days}</td>
                  <td className="num">{formatYuan(r.dailyWageFen)}</td>
                  <td className="num">{formatYuan(r.amountFen)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
