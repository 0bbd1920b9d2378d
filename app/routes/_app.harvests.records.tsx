import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { ConfirmStep } from "~/components/confirm-step";
import { requiredReason, type FieldErrors } from "~/lib/forms";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { deleteHarvest, filterLabels, listHarvests, requireWritableHarvest } from "~/harvests/harvests.server";
import { parseRecordFilter } from "~/harvests/links";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";

/** The harvest records behind a figure of the yield report, with their total. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const params = new URL(request.url).searchParams;
  const filter = parseRecordFilter(params);
  const page = Math.max(1, Math.min(10_000, Number(params.get("page")) || 1));
  const [labels, list] = await Promise.all([filterLabels(user, filter), listHarvests(user, filter, page)]);
  return { filter, labels, page, ...list };
}

/** Deleting a mistaken record, with a reason; the audit trail keeps what it said and why it went. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:harvest");
  const form = await request.formData();
  // Access to the record before anything else: 404 outside the scope, 403 for another's plot.
  await requireWritableHarvest(user, idParam(String(form.get("id") ?? "")));
  if (form.get("intent") !== "delete") throw new Response("Bad Request", { status: 400 });
  const id = idParam(String(form.get("id")));
  const reason = requiredReason(form);
  if (!reason.ok) return data<{ id: number; errors: FieldErrors }>({ id, errors: reason.errors }, { status: 400 });
  const gone = await deleteHarvest(user, id, reason.reason);
  // back to the same list (its filter and page), with a message naming the record
  const url = new URL(request.url);
  return redirectWithMessage(`${url.pathname}${url.search}`, "harvest.records.deleted", { plot: gone.plotCode, date: gone.harvestedOn, kg: gone.quantityKg, reason: reason.reason });
}

export default function HarvestRecords() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const f = d.filter;
  const parts = [
    f.year ? t("harvest.records.year", { year: f.year }) : null,
    d.labels.plot ? t("harvest.records.plot", { code: `${d.labels.plot.code} ${d.labels.plot.name}`.trim() }) : null,
    f.cooperative === "none" ? t("harvest.report.noCooperative") : d.labels.cooperative?.name ?? null,
    f.crop ? t(`plots.crop.${f.crop}`) : null,
    f.variety !== undefined ? f.variety || t("harvest.variety.none") : null,
  ].filter(Boolean);
  return (
    <>
      <div className="page-head">
        <h1>
          {t("harvest.records.title")}
          {parts.length ? ` · ${parts.join(" · ")}` : ""}
        </h1>
        <span className="actions">
          <Link to={f.year ? `/harvests?year=${f.year}` : "/harvests"}>{t("harvest.records.report")}</Link>
          {d.labels.plot ? <Link to={`/plots/${d.labels.plot.id}#harvests`}>{d.labels.plot.code}</Link> : null}
        </span>
      </div>
      <p data-testid="records-total">{t("harvest.records.total", { records: d.total.records, plots: d.total.plots, kg: d.total.kg, sales: d.total.sales })}</p>
      {d.rows.length === 0 ? (
        <p className="empty">{t("harvest.records.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="harvest-records">
            <thead>
              <tr>
                <th>{t("harvest.col.date")}</th>
                <th>{t("harvest.col.plot")}</th>
                <th className="hide-narrow">{t("harvest.col.village")}</th>
                <th>{t("harvest.col.variety")}</th>
                <th className="num">{t("harvest.col.entered")}</th>
                <th className="num">{t("harvest.col.kg")}</th>
                <th>{t("harvest.col.grade")}</th>
                <th className="num">{t("harvest.col.price")}</th>
                <th className="num">{t("harvest.col.sales")}</th>
                <th>{t("harvest.col.buyer")}</th>
                <th className="hide-narrow">{t("harvest.col.note")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{r.harvestedOn}</td>
                  <td className="mono">
                    <Link to={`/plots/${r.plotId}#harvests`}>{r.plotCode}</Link>
                  </td>
                  <td className="hide-narrow nowrap">{r.villageName}</td>
                  <td className="nowrap">
                    {t(`plots.crop.${r.crop}`)} {r.variety}
                  </td>
                  <td className="num nowrap">
                    {r.enteredQuantity} {t(`harvest.unit.${r.enteredUnit}`)}
                  </td>
                  <td className="num">{r.quantityKg}</td>
                  <td className="nowrap">{r.grade ? t(`harvest.grade.${r.grade}`) : ""}</td>
                  <td className="num nowrap">{r.price ? `${r.price} ${t(`harvest.priceUnit.${r.priceUnit}`)}` : ""}</td>
                  <td className="num">{r.sales}</td>
                  <td>{r.buyer}</td>
                  <td className="hide-narrow small">{r.note}</td>
                  <td className="nowrap">
                    {r.canDelete ? (
                      <ConfirmStep
                        intent="delete"
                        id={`delete-${r.id}`}
                        label={t("harvest.records.delete")}
                        warning={t("harvest.records.deleteWarning")}
                        reasonLabel={t("harvest.records.deleteReason")}
                        confirmLabel={t("harvest.records.confirmDelete")}
                        error={refused?.id === r.id ? refused.errors.reason : undefined}
                      >
                        <input type="hidden" name="id" value={r.id} />
                      </ConfirmStep>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={d.page} pages={d.pages} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
