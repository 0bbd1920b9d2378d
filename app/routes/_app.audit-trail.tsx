import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AUDIT_ENTITIES } from "~/auth/audit-diff";
import { auditFilterParams, auditFilters, hasAuditFilters } from "~/auth/audit-filters";
import { auditPage } from "~/auth/audit-trail.server";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { translator } from "~/i18n";
import { useT } from "~/i18n/use-t";
import { localeFromCookieHeader } from "~/lib/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-trail");
  const url = new URL(request.url);
  const page = Math.max(1, Math.min(Number(url.searchParams.get("page")) || 1, 10_000));
  const filters = auditFilters(url.searchParams);
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  // Sign-in events carry no place; only a system-wide reader sees them. Personal
  // numbers are masked for this reader (ADR 004) before the fields are described.
  const { rows, total, pages, actors } = await auditPage(user, filters, page, t);
  const query = auditFilterParams(filters).toString();
  return { rows, total, page, pages, actors, filters, filtered: hasAuditFilters(filters), exportHref: `/resources/audit-trail.xlsx${query ? `?${query}` : ""}` };
}

export default function AuditTrail() {
  const t = useT();
  const { rows, total, page, pages, actors, filters, filtered, exportHref } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <Form method="get" className="filters audit-filters" role="search">
        <label>
          {t("audit.filter.actor")}
          <select name="actor" defaultValue={filters.actorId ?? ""}>
            <option value="">{t("audit.filter.actorAny")}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.filter.entity")}
          <select name="entity" defaultValue={filters.entity ?? ""}>
            <option value="">{t("audit.filter.entityAny")}</option>
            {AUDIT_ENTITIES.map((e) => (
              <option key={e} value={e}>
                {t(`auditEntity.${e}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.filter.from")}
          <input type="date" name="from" defaultValue={filters.from ?? ""} aria-invalid={filters.errors.from ? true : undefined} />
        </label>
        <label>
          {t("audit.filter.to")}
          <input type="date" name="to" defaultValue={filters.to ?? ""} aria-invalid={filters.errors.to ? true : undefined} />
        </label>
        <label>
          {t("audit.filter.record")}
          <input type="search" name="record" defaultValue={filters.record ?? ""} placeholder={t("audit.filter.recordHint")} maxLength={64} />
        </label>
        <button type="submit">{t("audit.filter.apply")}</button>
        {filtered ? <Link to="/audit-trail">{t("audit.filter.clear")}</Link> : null}
        <a href={exportHref} className="button secondary" download>
          {t("audit.export")}
        </a>
      </Form>
      {filters.errors.from || filters.errors.to ? (
        <p className="field-error" role="alert">
          {t(filters.errors.from ?? filters.errors.to ?? "")}
        </p>
      ) : null}
      <p className="muted">{t("audit.count", { n: total })}</p>
      {rows.length === 0 ? (
        <p className="empty">{t("audit.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data audit">
            <thead>
              <tr>
                <th>{t("audit.at")}</th>
                <th>{t("audit.actor")}</th>
                <th>{t("audit.action")}</th>
                <th>{t("audit.entity")}</th>
                <th>{t("audit.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const label = t("audit.record", { entity: e.entityLabel, id: e.entityId });
                return (
                  <tr key={e.id} data-testid="audit-event">
                    <td className="mono nowrap">{e.at}</td>
                    <td>{e.actorName}</td>
                    <td>{t(`action.${e.action}`)}</td>
                    <td>{e.entity === "Household" ? <Link to={`/households/${e.entityId}`}>{label}</Link> : label}</td>
                    <td>
                      {e.changes.length === 0 ? (
                        <span className="muted">{t("audit.noChanges")}</span>
                      ) : (
                        <ul className="audit-changes">
                          {e.changes.map((c, i) => (
                            <li key={i} data-testid="audit-change">
                              <span className="audit-field">{c.field}</span>
                              {"："}
                              {/* a create shows the new values, a delete the old ones, an update both */}
                              {e.action === "create" ? (
                                <span className="audit-new">{c.after}</span>
                              ) : e.action === "delete" ? (
                                <span className="audit-old">{c.before}</span>
                              ) : (
                                <>
                                  <span className="audit-old" title={t("audit.old")}>
                                    {c.before}
                                  </span>
                                  {` ${t("audit.arrow")} `}
                                  <span className="audit-new" title={t("audit.new")}>
                                    {c.after}
                                  </span>
                                </>
                              )}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
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
