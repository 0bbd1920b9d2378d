import { useEffect, useMemo, useState } from "react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";
import { PAY_STATUSES, type PayFilter } from "./payment-overview";
import { grouped } from "./run-view";

/** The id of the bulk form; the lines' checkboxes sit in the table and join it by the form attribute. */
export const BULK_FORM = "pay-many";

/** Filter by payment status and village; a GET form, so the filter is in the URL and survives reloads and prints. */
export function PayFilterForm({ filter, villages }: { filter: PayFilter; villages: { id: number; name: string }[] }) {
  const t = useT();
  return (
    <Form method="get" className="filters" data-testid="pay-filter" preventScrollReset>
      <span className="check">
        <label htmlFor="pay-filter-status">{t("payview.status")}</label>
        <select id="pay-filter-status" name="pay" defaultValue={filter.status ?? ""} key={`s${filter.status}`}>
          <option value="">{t("payview.allStatuses")}</option>
          {PAY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`pay.${s}`)}
            </option>
          ))}
        </select>
      </span>
      {villages.length > 0 ? (
        <span className="check">
          <label htmlFor="pay-filter-village">{t("payview.village")}</label>
          <select id="pay-filter-village" name="village" defaultValue={filter.villageId ?? ""} key={`v${filter.villageId}`}>
            <option value="">{t("payview.allVillages")}</option>
            {villages.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </span>
      ) : null}
      <button type="submit" className="secondary">
        {t("payview.filter")}
      </button>
      {filter.status || filter.villageId ? (
        <Link to="?" className="check" preventScrollReset>
          {t("payview.clear")}
        </Link>
      ) : null}
    </Form>
  );
}

/** Which open lines of the page are ticked; cleared when the page shows other lines. */
export function usePageSelection(openIds: number[]) {
  const key = openIds.join(",");
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  useEffect(() => setSelected(new Set()), [key]);
  return useMemo(
    () => ({
      selected,
      all: openIds.length > 0 && openIds.every((id) => selected.has(id)),
      toggle: (id: number) =>
        setSelected((s) => {
          const next = new Set(s);
          if (!next.delete(id)) next.add(id);
          return next;
        }),
      toggleAll: () => setSelected((s) => (openIds.every((id) => s.has(id)) ? new Set() : new Set(openIds))),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [selected, key],
  );
}

export type PageSelection = ReturnType<typeof usePageSelection>;

export function SelectPage({ selection }: { selection: PageSelection }) {
  const t = useT();
  return <input type="checkbox" aria-label={t("payview.selectPage")} title={t("payview.selectPage")} checked={selection.all} onChange={selection.toggleAll} data-testid="select-page" />;
}

export function SelectLine({ id, head, selection }: { id: number; head: string; selection: PageSelection }) {
  const t = useT();
  return <input type="checkbox" name="lineId" value={id} form={BULK_FORM} aria-label={t("payview.selectLine", { head })} checked={selection.selected.has(id)} onChange={() => selection.toggle(id)} />;
}

/**
 * One date and reference for the ticked lines or for every unpaid line of
 * the village filter (all pages). The button that was pressed shows that
 * the request is under way.
 */
export function BulkPayForm({
  asOf,
  villageId,
  selectedCount,
  allUnpaid,
  errors,
  done,
}: {
  asOf: string;
  villageId: number | null;
  selectedCount: number;
  allUnpaid: { lines: number; amount: string };
  errors: FieldErrors | null;
  done: { count: number; amount: string; skipped: string[] } | null;
}) {
  const t = useT();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "payMany";
  const pressed = submitting ? String(navigation.formData?.get("scope")) : null;
  const confirmAll = t("payview.payAllConfirm", { count: allUnpaid.lines, amount: grouped(allUnpaid.amount) });
  return (
    <Form method="post" id={BULK_FORM} className="inline-form bulk-pay" data-testid="bulk-pay" aria-busy={submitting} preventScrollReset>
      <input type="hidden" name="intent" value="payMany" />
      {villageId ? <input type="hidden" name="village" value={villageId} /> : null}
      <div className="bulk-head">
        <strong>{t("payview.bulkTitle")}</strong>
        <span className="small muted">{t("payview.bulkHint")}</span>
      </div>
      <Field label={t("contract.paidOn")} name="paidOn" id="bulk-paidOn" error={errors?.paidOn}>
        {(p) => <input {...p} type="date" defaultValue={asOf} />}
      </Field>
      <Field label={t("run.reference")} name="reference" id="bulk-reference" error={undefined}>
        {(p) => <input {...p} maxLength={40} />}
      </Field>
      <div className="bulk-buttons">
        <button type="submit" name="scope" value="SELECTED" disabled={submitting || selectedCount === 0} aria-busy={pressed === "SELECTED"}>
          {pressed === "SELECTED" ? t("payview.paying") : t("payview.paySelected", { count: selectedCount })}
        </button>
        <button
          type="submit"
          name="scope"
          value="ALL_UNPAID"
          className="secondary"
          disabled={submitting || allUnpaid.lines === 0}
          aria-busy={pressed === "ALL_UNPAID"}
          onClick={(e) => {
            if (!window.confirm(confirmAll)) e.preventDefault();
          }}
        >
          {pressed === "ALL_UNPAID" ? t("payview.paying") : t("payview.payAllUnpaid", { count: allUnpaid.lines, amount: grouped(allUnpaid.amount) })}
        </button>
      </div>
      {errors?.lines ? (
        <p className="field-error" role="alert" data-testid="bulk-error">
          {t(errors.lines.key, errors.lines.params)}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="bulk-done" data-testid="pay-many-result">
          {t("payview.paidMany", { count: done.count, amount: grouped(done.amount) })}
          {done.skipped.length ? ` ${t("payview.skipped", { count: done.skipped.length, names: done.skipped.slice(0, 20).join("、") + (done.skipped.length > 20 ? "…" : "") })}` : ""}
        </p>
      ) : null}
    </Form>
  );
}

/** The totals of every line the filter selects (all pages), under the net, paid and outstanding columns. */
export function PayTotalsRow({ lead, trail, totals }: { lead: number; trail: number; totals: { lines: number; net: string; paid: string; outstanding: string } }) {
  const t = useT();
  return (
    <tfoot>
      <tr className="totals" data-testid="pay-totals" data-outstanding={totals.outstanding}>
        <th colSpan={lead} scope="row">
          {t("payview.total", { lines: totals.lines })}
        </th>
        <td className="num">
          <strong>{grouped(totals.net)}</strong>
        </td>
        <td className="num">{grouped(totals.paid)}</td>
        <td className="num" data-testid="pay-outstanding">
          {grouped(totals.outstanding)}
        </td>
        {trail > 0 ? <td colSpan={trail} /> : null}
      </tr>
    </tfoot>
  );
}
