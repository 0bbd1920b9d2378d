import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { formatYuan, yuan } from "~/lib/money";
import { memberLedger, recordMemberEntry } from "~/dividends/members.server";
import { currentYear, today } from "~/lib/dates";
import { useT } from "~/i18n/use-t";
import type { FieldErrors } from "~/lib/forms";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const y = Number(new URL(request.url).searchParams.get("year")) || currentYear();
  const l = await memberLedger(user, y);
  const head = (id: number) => {
    const h = l.heads.get(id);
    return h ? `${h.code} ${h.headName}` : String(id);
  };
  return {
    year: y,
    asOf: today(),
    coop: l.coop.name,
    villages: l.villages,
    transactions: l.transactions.map((x) => ({ id: x.id, date: x.date, household: head(x.householdId), description: x.description, quantityKg: x.quantityKg, amount: yuan(x.amountFen) })),
    capital: l.capital.map((x) => ({ id: x.id, date: x.date, household: head(x.householdId), note: x.note, amount: yuan(x.amountFen) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  const kind = get("kind") === "capital" ? "capital" : "transaction";
  let saved: { code: string; head: string; amountFen: bigint; date: string } | null = null;
  const errors = await recordMemberEntry(user, kind, { villageId: get("villageId"), code: get("code"), date: get("date"), description: get("description"), quantityKg: get("quantityKg"), amount: get("amount") }, (s) => (saved = s));
  if (errors || !saved) return data<{ kind: string; errors: FieldErrors | null }>({ kind, errors }, { status: 400 });
  const s: { code: string; head: string; amountFen: bigint; date: string } = saved;
  // POST → redirect to the year of the entry, where it is listed, with a message naming it
  return redirectWithMessage(`/dividends/members?year=${s.date.slice(0, 4)}`, `member.saved.${kind}`, { amount: formatYuan(s.amountFen), code: s.code, head: s.head, date: s.date });
}

export default function Members() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const entry = (kind: "transaction" | "capital") => {
    const e = (n: string) => (result?.kind === kind ? result.errors?.[n] : undefined);
    return (
      <Form method="post" className="form" key={`${kind}-${d.transactions.length}-${d.capital.length}`}>
        <input type="hidden" name="kind" value={kind} />
        <fieldset className="grid">
          <Field label={t("run.village")} name="villageId" id={`${kind}-village`} error={e("villageId")}>
            {(p) => (
              <select {...p}>
                {d.villages.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("households.code")} name="code" id={`${kind}-code`} error={e("code")}>
            {(p) => <input {...p} inputMode="numeric" />}
          </Field>
          <Field label={t("member.date")} name="date" id={`${kind}-date`} error={e("date")}>
            {(p) => <input {...p} type="date" defaultValue={d.asOf} />}
          </Field>
          <Field label={t(kind === "transaction" ? "member.description" : "member.note")} name="description" id={`${kind}-description`} error={e("description")}>
            {(p) => <input {...p} />}
          </Field>
          {kind === "transaction" ? (
            <Field label={t("member.quantityKg")} name="quantityKg" id={`${kind}-kg`} error={e("quantityKg")}>
              {(p) => <input {...p} inputMode="decimal" />}
            </Field>
          ) : null}
          <Field label={t("contract.paymentAmount")} name="amount" id={`${kind}-amount`} error={e("amount")}>
            {(p) => <input {...p} inputMode="decimal" />}
          </Field>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t(kind === "transaction" ? "member.addTransaction" : "member.addCapital")}
        </button>
      </Form>
    );
  };
  return (
    <>
      <h1>
        {t("member.title")} · {d.coop}
      </h1>
      <p className="muted">{t("member.hint")}</p>
      <h2>
        {t("member.transactions")} · {d.year}
      </h2>
      {entry("transaction")}
      <table className="data" data-testid="member-transactions">
        <tbody>
          {d.transactions.map((x) => (
            <tr key={x.id}>
              <td>{x.date}</td>
              <td>{x.household}</td>
              <td>{x.description}</td>
              <td className="num">{x.quantityKg ?? ""}</td>
              <td className="num">{x.amount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("member.capital")}</h2>
      {entry("capital")}
      <table className="data" data-testid="member-capital">
        <tbody>
          {d.capital.map((x) => (
            <tr key={x.id}>
              <td>{x.date}</td>
              <td>{x.household}</td>
              <td>{x.note}</td>
              <td className="num">{x.amount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
