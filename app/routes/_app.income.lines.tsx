import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { listMonitoringLines, provinceOf, saveMonitoringLine } from "~/income/account.server";
import { parseMonitoringLineForm } from "~/income/forms";
import { currentYear, formatInstantDate, today } from "~/lib/dates";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:monitoring-line");
  const lines = await listMonitoringLines();
  // The user's own province is the one they will most often enter.
  const province = user.scope.kind === "all" ? "37" : await provinceOf(user.scope.townshipId);
  return {
    lines: lines.map((l) => ({ id: l.id, year: l.year, provinceCode: l.provinceCode, amountFen: l.amountFen, source: l.source, sourceUrl: l.sourceUrl, updatedAt: formatInstantDate(l.updatedAt) })),
    canManage: hasPermission(user.role, "manage:monitoring-line"),
    province,
    currentYear: currentYear(),
    // the form remounts empty after each save
    savedKey: new URL(request.url).searchParams.get("n") ?? "",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manage:monitoring-line");
  const raw = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
  const asOf = today();
  const parsed = parseMonitoringLineForm(raw, { currentYear: Number(asOf.slice(0, 4)), today: asOf });
  if (!parsed.ok) return data({ errors: parsed.errors, raw }, { status: 400 });
  const line = await saveMonitoringLine(user, parsed.value);
  // POST → redirect: the form starts again from the suggested year, and the message says which line was saved
  return redirectWithMessage(`/income/lines?n=${line.id}-${line.amountFen}`, "lines.saved", { year: line.year, province: line.provinceCode, amount: formatYuan(line.amountFen), source: line.source });
}

export default function MonitoringLines() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = (a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>;
  const v = (a?.raw ?? {}) as Record<string, string>;
  return (
    <>
      <h1>{t("lines.title")}</h1>
      <p className="muted">{t("lines.explain")}</p>
      <div className="table-wrap">
        <table className="data" data-testid="lines">
          <thead>
            <tr>
              <th>{t("lines.year")}</th>
              <th>{t("lines.province")}</th>
              <th className="num">{t("lines.amount")}</th>
              <th>{t("lines.source")}</th>
              <th>{t("lines.updatedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {d.lines.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t("lines.none")}
                </td>
              </tr>
            ) : (
              d.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.year}</td>
                  <td>{t(`lines.provinceName.${l.provinceCode}`) === `lines.provinceName.${l.provinceCode}` ? l.provinceCode : t(`lines.provinceName.${l.provinceCode}`)}</td>
                  <td className="num">{formatYuan(l.amountFen)}</td>
                  <td>
                    {l.sourceUrl ? (
                      <a href={l.sourceUrl} target="_blank" rel="noreferrer noopener">
                        {l.source}
                      </a>
                    ) : (
                      l.source
                    )}
                  </td>
                  <td>{l.updatedAt}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <h2>{t("lines.reference")}</h2>
      <ul className="small muted">
        <li>{t("lines.ref.national")}</li>
        <li>{t("lines.ref.monitoring")}</li>
      </ul>
      {d.canManage ? (
        <section>
          <h2>{t("lines.enter")}</h2>
          <Form method="post" className="form" data-testid="line-form" key={d.savedKey}>
            <Field label={t("lines.year")} name="year" error={e.year}>
              {(p) => <input {...p} inputMode="numeric" defaultValue={v.year ?? String(d.currentYear - 1)} />}
            </Field>
            <Field label={t("lines.provinceCode")} name="provinceCode" error={e.provinceCode}>
              {(p) => <input {...p} inputMode="numeric" maxLength={2} defaultValue={v.provinceCode ?? d.province} />}
            </Field>
            <Field label={t("lines.amountYuan")} name="amount" error={e.amount}>
              {(p) => <input {...p} inputMode="decimal" defaultValue={v.amount ?? ""} />}
            </Field>
            <Field label={t("lines.source")} name="source" error={e.source}>
              {(p) => <input {...p} defaultValue={v.source ?? ""} placeholder={t("lines.sourcePlaceholder")} />}
            </Field>
            <Field label={t("lines.sourceUrl")} name="sourceUrl" error={e.sourceUrl}>
              {(p) => <input {...p} type="url" defaultValue={v.sourceUrl ?? ""} />}
            </Field>
            <button type="submit" disabled={busy}>
              {busy ? t("incomeAccount.saving") : t("lines.save")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
