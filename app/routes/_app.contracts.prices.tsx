import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { CROPS, MAX_PRICE_YUAN_PER_JIN, PRICE_BASES } from "~/contracts/contract-form";
import { can } from "~/auth/permissions";
import { priceTownshipFor, priceTownships, recordReferencePrice, referencePrices } from "~/contracts/contracts.server";
import { useT } from "~/i18n/use-t";
import { currentYear } from "~/lib/dates";
import { parseYuan } from "~/lib/money";
import type { FieldErrors } from "~/lib/forms";
import { redirectWithMessage } from "~/lib/flash.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  // Prices hold for a whole township: everyone reads their own township's; an administrator picks one.
  const townships = await priceTownships(user.scope);
  const asked = Number(new URL(request.url).searchParams.get("township"));
  const townshipId = townships.find((t) => t.id === asked)?.id ?? townships[0]?.id ?? null;
  // The form's default year is China's current year, decided on the server so that the page hydrates the same anywhere.
  return {
    prices: townshipId ? await referencePrices(townshipId) : [],
    townships: user.scope.kind === "all" ? townships : [],
    townshipId,
    canSet: can(user, "set:reference-price", townshipId !== null ? { townshipId } : null),
    year: currentYear(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  // A price settles rent in kind in every village of the township: township officials (and administrators) set it.
  const user = await requirePermission(request, "set:reference-price");
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const townshipId = await priceTownshipFor(user, Number(get("townshipId")) || null);
  const errors: FieldErrors = {};
  const year = Number(get("year"));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.year = { key: "price.yearInvalid" };
  if (!(CROPS as readonly string[]).includes(get("crop"))) errors.crop = { key: "contract.cropRequired" };
  if (!(PRICE_BASES as readonly string[]).includes(get("basis"))) errors.basis = { key: "contract.priceBasisRequired" };
  const price = parseYuan(get("price"));
  if (!price.ok && price.error === "money.tooLarge") errors.price = { key: "price.tooLarge", params: { max: MAX_PRICE_YUAN_PER_JIN } };
  else if (!price.ok || price.value.isZero()) errors.price = { key: "price.invalid" };
  else if (price.value.gt(MAX_PRICE_YUAN_PER_JIN)) errors.price = { key: "price.tooLarge", params: { max: MAX_PRICE_YUAN_PER_JIN } };
  if (!get("source")) errors.source = { key: "price.sourceRequired" };
  if (Object.keys(errors).length || !price.ok) return data({ errors }, { status: 400 });
  const refused = await recordReferencePrice(user, { townshipId, crop: get("crop"), year, basis: get("basis"), price: price.value.toFixed(2), source: get("source").slice(0, 200) });
  if (refused) return data({ errors: refused }, { status: 400 });
  const back = user.scope.kind === "all" ? `/contracts/prices?township=${townshipId}` : "/contracts/prices";
  return redirectWithMessage(back, "prices.saved", { year, price: price.value.toFixed(2), source: get("source").slice(0, 40) });
}

export default function Prices() {
  const t = useT();
  const { prices, year, townships, townshipId, canSet } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = (n: string) => result?.errors?.[n];
  return (
    <>
      <h1>{t("prices.title")}</h1>
      {townships.length > 1 ? (
        <Form method="get" className="filters">
          <label>
            {t("prices.township")}{" "}
            <select name="township" defaultValue={townshipId ?? undefined} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
              {townships.map((tw) => (
                <option key={tw.id} value={tw.id}>
                  {tw.name}
                </option>
              ))}
            </select>
          </label>
          <noscript>
            <button type="submit">{t("prices.show")}</button>
          </noscript>
        </Form>
      ) : null}
      {prices.length === 0 ? (
        <p className="empty">{t("prices.none")}</p>
      ) : (
        <table className="data" data-testid="prices">
          <thead>
            <tr>
              <th>{t("prices.year")}</th>
              <th>{t("prices.crop")}</th>
              <th>{t("prices.basis")}</th>
              <th className="num">{t("prices.price")}</th>
              <th>{t("prices.source")}</th>
            </tr>
          </thead>
          <tbody>
            {prices.map((p) => (
              <tr key={p.id}>
                <td>{p.year}</td>
                <td>{t(`crop.${p.crop}`)}</td>
                <td>{t(`basis.${p.basis}`)}</td>
                <td className="num">{p.price}</td>
                <td className="small">{p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canSet ? (
        <Form method="post" className="form">
          <h2>{t("prices.add")}</h2>
          <p className="muted">{t("prices.hint")}</p>
          <input type="hidden" name="townshipId" value={townshipId ?? ""} />
          <fieldset className="grid">
            <Field label={t("prices.year")} name="year" error={e("year")}>
              {(p) => <input {...p} inputMode="numeric" defaultValue={year} />}
            </Field>
            <Field label={t("prices.crop")} name="crop" error={e("crop")}>
              {(p) => (
                <select {...p} defaultValue="WHEAT">
                  {CROPS.map((c) => (
                    <option key={c} value={c}>
                      {t(`crop.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("prices.basis")} name="basis" error={e("basis")}>
              {(p) => (
                <select {...p} defaultValue="MINIMUM_PURCHASE">
                  {PRICE_BASES.map((b) => (
                    <option key={b} value={b}>
                      {t(`basis.${b}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("prices.price")} name="price" error={e("price")}>
              {(p) => <input {...p} inputMode="decimal" />}
            </Field>
            <Field label={t("prices.source")} name="source" error={e("source")} className="wide">
              {(p) => <input {...p} />}
            </Field>
          </fieldset>
          <button type="submit" disabled={busy}>
            {t("prices.add")}
          </button>
        </Form>
      ) : (
        <p className="muted">{t("prices.readOnly")}</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
