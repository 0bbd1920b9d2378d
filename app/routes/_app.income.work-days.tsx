import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { today } from "~/contracts/contracts.server";
import { addWorkDay, cooperativeChoices, findWorker, workDaysOfScope } from "~/income/account.server";
import { auditYear } from "~/income/audit.server";
import { parseWorkDayForm } from "~/income/forms";
import { YearPicker } from "~/income/page-parts";
import { WorkDayFields } from "~/income/work-day-fields";
import { forbidden, notFound } from "~/lib/http";
import { useT } from "~/lib/i18n/use-t";
import { formatYuan } from "~/lib/money";

/** Base payroll: the accountant records days worked by villagers, found by their ID number. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:income");
  const year = auditYear(new URL(request.url).searchParams.get("year") ?? String(Number(today().slice(0, 4))));
  const coops = user.scope.kind === "all" ? [] : await cooperativeChoices(user, user.scope.townshipId);
  return { year, rows: await workDaysOfScope(user, year), coops };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:income");
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  const worker = await findWorker(user, raw.idNumber ?? "");
  if (!worker) return data({ errors: { idNumber: { key: "incomeAccount.workerNotFound" } }, raw, saved: null }, { status: 400 });
  const parsed = parseWorkDayForm({ ...raw, personId: String(worker.personId) }, { currentYear: Number(today().slice(0, 4)) });
  if (!parsed.ok) return data({ errors: parsed.errors, raw, saved: null }, { status: 400 });
  const result = await addWorkDay(user, worker.householdId, parsed.value);
  if (!result.ok) {
    if (result.status === 404) notFound();
    if (result.status === 403) forbidden();
    return data({ errors: "errors" in result ? result.errors : {}, raw, saved: null }, { status: 400 });
  }
  return { errors: null, raw: null, saved: `${worker.villageName} ${worker.name}` };
}

export default function WorkDays() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = (a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>;
  const v = (a?.raw ?? {}) as Record<string, string>;
  return (
    <>
      <div className="page-head">
        <h1>{t("workDays.title")}</h1>
        <YearPicker year={d.year} />
      </div>
      <p className="muted">{t("workDays.explain")}</p>
      {a?.saved ? <p role="status">{t("workDays.saved", { who: a.saved })}</p> : null}
      <Form method="post" className="form" data-testid="work-form">
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
