import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireIntent, requirePermission } from "~/auth/permissions.server";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { createManualVoucher, ensureBooks } from "~/books/books.server";
import { coopField, yearField } from "~/books/forms.server";
import { booksPage, postableAccounts, voucherBrief } from "~/books/pages.server";
import { BLANK_LINES, formTotals, MAX_LINES, parseVoucherForm, remapLineErrors, voucherFormValues, type FormLine, type VoucherFormValues } from "~/books/voucher-form";
import { Field } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { today } from "~/lib/dates";
import { redirectWithMessage } from "~/lib/flash.server";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { formatYuan } from "~/lib/money";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "write:voucher");
  const { year, cooperatives, coop } = await booksPage(request);
  if (!coop) return { year, cooperatives, coop: null, accounts: [], today: today() };
  await ensureBooks(coop.id);
  const accounts = await postableAccounts(coop.id);
  return { year, cooperatives, coop, accounts: accounts.map((a) => ({ code: a.code, name: a.name })), today: today() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireIntent(request, { save: "write:voucher" });
  const coopId = coopField(form);
  const year = yearField(form);
  const raw: RawForm = {};
  for (const [k, v] of form) if (typeof v === "string") raw[k] = v;
  const values = voucherFormValues(raw);
  const accounts = await postableAccounts(coopId);
  const byCode = new Map(accounts.map((a) => [a.code, a.id]));
  const parsed = parseVoucherForm(values, (code) => byCode.get(code), today());
  if (!parsed.ok) return data({ errors: parsed.errors, values, year }, { status: 400 });
  const saved = await createManualVoucher(user, coopId, parsed.voucher);
  if (!saved.ok) return data({ errors: remapLineErrors(saved.errors, parsed.kept), values, year }, { status: 400 });
  const v = (await voucherBrief(saved.voucherId))!;
  const moved = v.year !== Number(parsed.voucher.date.slice(0, 4)) || v.month !== Number(parsed.voucher.date.slice(5, 7));
  return redirectWithMessage(`/books/vouchers/${v.id}`, moved ? "booksVoucher.savedMoved" : "booksVoucher.saved", { number: v.number, year: v.year, month: v.month });
}

const blank = (): FormLine => ({ account: "", summary: "", debit: "", credit: "" });

export default function NewVoucher() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const posted: VoucherFormValues | undefined = a?.values;
  const errors: FieldErrors = a?.errors ?? {};
  const [lines, setLines] = useState<FormLine[]>(() => {
    const from = posted?.lines ?? [];
    return [...from, ...Array.from({ length: Math.max(0, BLANK_LINES - from.length) }, blank)];
  });
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (posted) setLines([...posted.lines, ...Array.from({ length: Math.max(0, BLANK_LINES - posted.lines.length) }, blank)]);
  }, [posted]);
  const totals = formTotals(lines);
  const diff = totals.debitFen - totals.creditFen;
  const set = (i: number, field: keyof FormLine, value: string) => setLines((ls) => ls.map((l, k) => (k === i ? { ...l, [field]: value } : l)));
  if (!d.coop) return <p className="empty">{t("booksPage.noCooperative")}</p>;
  return (
    <>
      <BooksHead title={t("booksVoucher.newTitle")} cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      <Form method="post" className="voucher-form" noValidate>
        <input type="hidden" name="coop" value={d.coop.id} />
        <input type="hidden" name="year" value={d.year} />
        <datalist id="voucher-accounts">
          {d.accounts.map((acc) => (
            <option key={acc.code} value={`${acc.code} ${acc.name}`} />
          ))}
        </datalist>
        <div className="form-grid">
          <Field label={t("booksVoucher.date")} name="date" error={errors.date}>
            {(p) => <input {...p} type="date" defaultValue={posted?.date ?? d.today} max={d.today} required />}
          </Field>
          <Field label={t("booksVoucher.summary")} name="summary" error={errors.summary}>
            {(p) => <input {...p} defaultValue={posted?.summary ?? ""} maxLength={200} required />}
          </Field>
          <Field label={t("booksVoucher.attachments")} name="attachments" error={errors.attachments}>
            {(p) => <input {...p} type="number" min={0} max={999} step={1} inputMode="numeric" defaultValue={posted?.attachments ?? "0"} />}
          </Field>
        </div>
        <h2>{t("booksVoucher.lines")}</h2>
        {!hydrated ? <p className="muted">{t("booksVoucher.noJsHint")}</p> : null}
        {errors.lines ? (
          <p className="field-error" role="alert" data-field="lines">
            {t(errors.lines.key, errors.lines.params)}
          </p>
        ) : null}
        <table className="voucher-lines data" data-testid="voucher-lines">
          <thead>
            <tr>
              <th>{t("booksVoucher.account")}</th>
              <th>{t("booksVoucher.lineSummary")}</th>
              <th className="num">{t("booksVoucher.debit")}</th>
              <th className="num">{t("booksVoucher.credit")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i}>
                <td className="account" data-label={t("booksVoucher.account")}>
                  <LineField name={`lines.${i}.account`} label={`${t("booksVoucher.account")} ${i + 1}`} error={errors[`lines.${i}.account`]}>
                    {(p) => <input {...p} list="voucher-accounts" placeholder={t("booksVoucher.accountSearch")} value={l.account} onChange={(e) => set(i, "account", e.target.value)} autoComplete="off" />}
                  </LineField>
                </td>
                <td className="summary" data-label={t("booksVoucher.lineSummary")}>
                  <LineField name={`lines.${i}.summary`} label={`${t("booksVoucher.lineSummary")} ${i + 1}`} error={errors[`lines.${i}.summary`]}>
                    {(p) => <input {...p} value={l.summary} maxLength={200} onChange={(e) => set(i, "summary", e.target.value)} />}
                  </LineField>
                </td>
                <td data-label={t("booksVoucher.debit")}>
                  <LineField name={`lines.${i}.debit`} label={`${t("booksVoucher.debit")} ${i + 1}`} error={errors[`lines.${i}.debit`]}>
                    {(p) => <input {...p} inputMode="decimal" value={l.debit} onChange={(e) => set(i, "debit", e.target.value)} style={{ textAlign: "right" }} />}
                  </LineField>
                </td>
                <td data-label={t("booksVoucher.credit")}>
                  <LineField name={`lines.${i}.credit`} label={`${t("booksVoucher.credit")} ${i + 1}`} error={errors[`lines.${i}.credit`]}>
                    {(p) => <input {...p} inputMode="decimal" value={l.credit} onChange={(e) => set(i, "credit", e.target.value)} style={{ textAlign: "right" }} />}
                  </LineField>
                </td>
                <td>
                  {hydrated && lines.length > 2 ? (
                    <button type="button" className="link" onClick={() => setLines((ls) => ls.filter((_, k) => k !== i))} aria-label={`${t("booksVoucher.removeLine")} ${i + 1}`}>
                      ×
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {hydrated && lines.length < MAX_LINES ? (
          <p>
            <button type="button" onClick={() => setLines((ls) => [...ls, blank()])}>
              {t("booksVoucher.addLine")}
            </button>
          </p>
        ) : null}
        <p className="voucher-totals" data-testid="voucher-totals" aria-live="polite">
          {t("booksVoucher.totals", { debit: formatYuan(totals.debitFen), credit: formatYuan(totals.creditFen) })} ·{" "}
          {diff === 0n ? <span>{t("booksVoucher.balanced")}</span> : <span className="off">{t("booksVoucher.difference", { difference: formatYuan(diff < 0n ? -diff : diff) })}</span>}
        </p>
        <button type="submit" name="intent" value="save">
          {t("booksVoucher.save")}
        </button>
      </Form>
    </>
  );
}

/** A voucher line's field: labelled for screen readers, its error under it. */
function LineField({ name, label, error, children }: { name: string; label: string; error: FieldErrors[string] | undefined; children: (p: { id: string; name: string; "aria-label": string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode }) {
  const t = useT();
  const id = `f-${name.replace(/\./g, "-")}`;
  return (
    <>
      {children({ id, name, "aria-label": label, ...(error ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {}) })}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert" data-field={name}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
