import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { auditEventView, maskAuditJson } from "~/auth/audit-view";
import { auditScopeWhere, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { prisma } from "~/lib/db.server";
import { formatInstant } from "~/lib/dates";
import { useT } from "~/i18n/use-t";

const PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:audit-trail");
  const url = new URL(request.url);
  const page = Math.max(1, Math.min(Number(url.searchParams.get("page")) || 1, 10_000));
  // Sign-in events carry no place; only a system-wide reader sees them.
  const where = auditScopeWhere(user.scope);
  const [events, total] = await Promise.all([
    prisma.auditEvent.findMany({ where, orderBy: { id: "desc" }, skip: (page - 1) * PAGE, take: PAGE }),
    prisma.auditEvent.count({ where }),
  ]);
  return {
    // Personal numbers as on the household page for this reader (ADR 004), whatever the row holds.
    events: events.map((e) => ({ ...e, before: maskAuditJson(e.before, auditEventView(user, e)), after: maskAuditJson(e.after, auditEventView(user, e)) })),
    page,
    pages: Math.max(1, Math.ceil(total / PAGE)),
  };
}

export default function AuditTrail() {
  const t = useT();
  const { events, page, pages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      {events.length === 0 ? (
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
                <th>{t("audit.before")}</th>
                <th>{t("audit.after")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{formatInstant(e.at, true)}</td>
                  <td>{e.actorName}</td>
                  <td>{t(`action.${e.action}`)}</td>
                  <td>
                    {e.entity === "Household" ? <Link to={`/households/${e.entityId}`}>{`${e.entity} #${e.entityId}`}</Link> : `${e.entity} #${e.entityId}`}
                  </td>
                  <td>
                    <code className="json">{e.before ?? ""}</code>
                  </td>
                  <td>
                    <code className="json">{e.after ?? ""}</code>
                  </td>
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
