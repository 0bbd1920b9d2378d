import { Form } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** The cooperative (when the user may see more than one) and year that the register and the member accounts show. */
export function CooperativeYearPicker({ cooperatives, coop, year }: { cooperatives: { id: number; name: string }[]; coop: { id: number } | null; year: number }) {
  const t = useT();
  return (
    <Form method="get" className="filters">
      {cooperatives.length > 1 ? (
        <select name="coop" defaultValue={coop?.id} aria-label={t("register.cooperative")}>
          {cooperatives.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      ) : coop ? (
        <input type="hidden" name="coop" value={coop.id} />
      ) : null}
      <input type="number" name="year" defaultValue={year} min={1900} max={2999} aria-label={t("register.year")} />
      <button type="submit">{t("register.show")}</button>
    </Form>
  );
}
