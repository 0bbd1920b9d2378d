import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { downloadQuery } from "~/lib/list-params";
import { requirePermission } from "~/auth/permissions.server";
import { useCan } from "~/components/use-current-user";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { HOUSEHOLD_STATUSES } from "~/registry/household-form";
import { listHouseholds, villagesInScope } from "~/registry/households.server";
import { householdFilters } from "~/registry/list-filters";
import { categoryKey, MONITORING_CATEGORIES } from "~/registry/monitoring";
import { explainNoMatch } from "~/registry/search-terms";

function positiveInt(value: string | null): number | undefined {
  return value && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:household");
  const url = new URL(request.url);
  // the same reading of the filters as the download's (./list-filters), so the file holds what the page shows
  const filters = { ...householdFilters(url.searchParams), page: positiveInt(url.searchParams.get("page")) };
  const [list, villages] = await Promise.all([listHouseholds(user.scope, filters, user), villagesInScope(user.scope)]);
  return { ...list, villages, filters };
}

export default function Households() {
  const t = useT();
  const can = useCan();
  const { rows, total, page, pages, villages, filters, search } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [params] = useSearchParams();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/households";
  const groups = villages.find((v) => v.id === filters.villageId)?.groups ?? (villages.length === 1 ? villages[0]!.groups : []);
  return (
    <>
      <div className="page-head">
        <h1>{t("households.title")}</h1>
        {can("write:household") ? (
          <Link to="/households/new" className="button">
            {t("households.new")}
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" onChange={(e) => {
        // Filters apply at once; the search box waits for Enter or the button.
        if ((e.target as HTMLElement).tagName === "SELECT") submit(e.currentTarget);
      }}>
        <input
          type="search"
          name="q"
          defaultValue={filters.q}
          placeholder={t("households.search")}
          aria-label={t("households.search")}
          className="grow"
        />
        {villages.length > 1 ? (
          <select name="village" defaultValue={filters.villageId ?? ""} aria-label={t("households.village")}>
            <option value="">{t("households.anyVillage")}</option>
            {villages.map((v) => (
              <option key={v.id} value={v.id}>
                {v.township.name} {v.name}
              </option>
            ))}
          </select>
        ) : null}
        <select name="group" defaultValue={filters.groupId ?? ""} aria-label={t("households.group")} disabled={groups.length === 0}>
          <option value="">{t("households.anyGroup")}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <select name="status" defaultValue={filters.status ?? ""} aria-label={t("households.status")}>
          <option value="">{t("status.any")}</option>
          {HOUSEHOLD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        {filters.status === "MONITORED" || filters.category ? (
          <select name="category" defaultValue={filters.category ?? ""} aria-label={t("monitoring.category")}>
            <option value="">{t("monitoring.anyCategory")}</option>
            {MONITORING_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`monitoring.category.${c}`)}
              </option>
            ))}
          </select>
        ) : null}
        <button type="submit">{searching ? t("households.loading") : t("households.searchButton")}</button>
      </Form>
      <p className="muted small">{t("households.searchHint")}</p>
      <p className="muted" aria-live="polite">
        {t("households.count", { count: total })}
        {total > 0 ? (
          <>
            {" · "}
            <a href={`/resources/households.xlsx${downloadQuery(params)}`} data-testid="export-households">
              {t("export.households.link")}
            </a>
            {" · "}
            <a href={`/resources/households/plots.xlsx${downloadQuery(params)}`}>
              {t("export.contractedPlots.link")}
            </a>
          </>
        ) : null}
      </p>
      {search && "problem" in search ? (
        <p className="empty" role="alert" data-testid="search-explanation">
          {t(search.problem.key, search.problem.params)}
        </p>
      ) : rows.length === 0 && search && "criteria" in search ? (
        <p className="empty" data-testid="search-explanation">
          {explainNoMatch(search.criteria, !!(filters.villageId || filters.groupId || filters.status || filters.category), t)}
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">{t("households.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="household-table">
            <thead>
              <tr>
                {villages.length > 1 ? <th>{t("households.village")}</th> : null}
                <th>{t("households.code")}</th>
                <th>{t("households.head")}</th>
                <th className="hide-narrow">{t("households.idNumber")}</th>
                <th className="hide-narrow">{t("households.group")}</th>
                <th className="num">{t("households.members")}</th>
                <th>{t("households.status")}</th>
                <th>{t("households.phone")}</th>
                {filters.q ? <th>{t("households.matched")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  {villages.length > 1 ? <td>{r.villageName}</td> : null}
                  <td>{r.code}</td>
                  <td>
                    <Link to={`/households/${r.id}`}>{r.headName}</Link>
                  </td>
                  <td className="mono hide-narrow">{r.headIdMasked}</td>
                  <td className="hide-narrow">{r.groupName}</td>
                  <td className="num">{r.memberCount}</td>
                  <td>
                    <span className={`badge status-${r.status}`}>{t(`status.${r.status}`)}</span>
                    {r.status === "MONITORED" && categoryKey(r.monitoringCategory) ? (
                      <div className="muted small">{t(categoryKey(r.monitoringCategory)!)}</div>
                    ) : null}
                  </td>
                  <td className="mono">{r.phone}</td>
                  {filters.q ? (
                    <td>
                      {r.matched.map((m) => `${m.name}（${t(`relation.${m.relation}`)}）`).join("、")}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
