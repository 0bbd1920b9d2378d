import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import { requireIntent } from "~/auth/permissions.server";
import booksCss from "~/books/books.css";
import { BooksHead } from "~/books/books-ui";
import { accountsOf, addSubAccount, ensureBooks, requireBooksReader } from "~/books/books.server";
import { backTo, coopField, intField, yearField } from "~/books/forms.server";
import { booksPage } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { Field } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { prisma } from "~/lib/db.server";
import { redirectWithMessage } from "~/lib/flash.server";
import type { FieldErrors } from "~/lib/forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, year, cooperatives, coop } = await booksPage(request);
  if (!coop) return { year, cooperatives, coop: null, accounts: [], parents: [], canAdd: false };
  await ensureBooks(coop.id);
  const all = await accountsOf(coop.id);
  const byId = new Map(all.map((a) => [a.id, a]));
  const level = (a: (typeof all)[number]): number => (a.parentId === null ? 1 : 1 + level(byId.get(a.parentId)!));
  // a depth-first order under each parent keeps the tree readable whatever the codes
  const kids = new Map<number | null, typeof all>();
  for (const a of all) kids.set(a.parentId, [...(kids.get(a.parentId) ?? []), a]);
  const ordered: typeof all = [];
  const walk = (p: number | null) => (kids.get(p) ?? []).sort((x, y) => x.code.localeCompare(y.code)).forEach((a) => (ordered.push(a), walk(a.id)));
  walk(null);
  return {
    year,
    cooperatives,
    coop,
    accounts: ordered.map((a) => ({ id: a.id, code: a.code, name: a.name, level: level(a), category: a.category, side: a.normalSide, isLeaf: a.isLeaf, member: a.householdId !== null || a.counterparty !== "" })),
    parents: ordered.filter((a) => a.householdId === null && a.counterparty === "").map((a) => ({ id: a.id, label: `${a.code} ${a.name}` })),
    canAdd: hasPermission(user.role, "write:voucher"),
  };
}

/** A member's or counterparty's sub-account under an account of the chart. */
export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireIntent(request, { add: "write:voucher" });
  const coopId = coopField(form);
  const year = yearField(form);
  const parentId = intField(form, "parentId", 0, Number.MAX_SAFE_INTEGER);
  const householdText = String(form.get("household") ?? "").trim();
  const counterparty = String(form.get("counterparty") ?? "").trim().slice(0, 60);
  const values = { parentId: String(parentId), household: householdText, counterparty };
  const coop = await requireBooksReader(user, coopId);
  const errors: FieldErrors = {};
  if (!parentId) errors.parentId = { key: "booksAccounts.unknownParent" };
  let household: { id: number; headName: string; code: string } | null = null;
  if (householdText) {
    // the households of the villages the cooperative serves, by number or head's name
    const villages = (await prisma.cooperativeVillage.findMany({ where: { cooperativeId: coopId }, select: { villageId: true } })).map((v) => v.villageId);
    household = await prisma.household.findFirst({ where: { villageId: { in: villages }, OR: [{ code: householdText }, { headName: householdText }] }, orderBy: { id: "asc" }, select: { id: true, headName: true, code: true } });
    if (!household) errors.household = { key: "books.account.unknownHousehold" };
  } else if (!counterparty) errors.household = { key: "booksAccounts.needOne" };
  if (Object.keys(errors).length) return data({ errors, values }, { status: 400 });
  const name = household ? `${household.headName}（${household.code}）` : counterparty;
  const r = await addSubAccount(user, coop.id, { parentId, name, householdId: household?.id, counterparty: household ? "" : counterparty });
  if (!r.ok) return data({ errors: r.errors, values }, { status: 400 });
  const made = await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: r.accountId }, select: { code: true, name: true } });
  return redirectWithMessage(backTo("/books/accounts", coopId, year), "booksAccounts.saved", { code: made.code, name: made.name });
}

export default function Accounts() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: FieldErrors = a?.errors ?? {};
  return (
    <>
      <BooksHead title={t("booksAccounts.title")} cooperatives={d.cooperatives} coop={d.coop} year={d.year} />
      {!d.coop ? (
        <p className="empty">{t("booksPage.noCooperative")}</p>
      ) : (
        <>
          {d.canAdd ? (
            <details open={a ? true : undefined} className="no-print">
              <summary>{t("booksAccounts.add")}</summary>
              <p className="muted">{t("booksAccounts.addHint")}</p>
              <Form method="post" className="form-grid">
                <input type="hidden" name="coop" value={d.coop.id} />
                <input type="hidden" name="year" value={d.year} />
                <Field label={t("booksAccounts.parent")} name="parentId" error={errors.parentId}>
                  {(p) => (
                    <select {...p} defaultValue={a?.values.parentId ?? ""}>
                      <option value="0">—</option>
                      {d.parents.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t("booksAccounts.household")} name="household" error={errors.household ?? errors.householdId}>
                  {(p) => <input {...p} defaultValue={a?.values.household ?? ""} />}
                </Field>
                <Field label={t("booksAccounts.counterparty")} name="counterparty" error={errors.counterparty ?? errors.name}>
                  {(p) => <input {...p} defaultValue={a?.values.counterparty ?? ""} maxLength={60} />}
                </Field>
                <button type="submit" name="intent" value="add">
                  {t("booksAccounts.add")}
                </button>
              </Form>
            </details>
          ) : null}
          <div className="table-wrap">
            <table className="data tree" data-testid="chart-of-accounts">
              <thead>
                <tr>
                  <th>{t("booksAccounts.code")}</th>
                  <th>{t("booksAccounts.name")}</th>
                  <th className="hide-narrow">{t("booksAccounts.category")}</th>
                  <th>{t("booksAccounts.side")}</th>
                </tr>
              </thead>
              <tbody>
                {d.accounts.map((x) => (
                  <tr key={x.id}>
                    <td style={{ whiteSpace: "nowrap" }}>
                      <Link to={`/books/ledger/${x.id}${booksQuery(d.coop, d.year)}`}>{x.code}</Link>
                    </td>
                    <td className={`level-${x.level}`}>{x.name}</td>
                    <td className="hide-narrow">{t(`booksAccounts.category.${x.category}`)}</td>
                    <td>{t(`booksAccounts.side.${x.side}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
