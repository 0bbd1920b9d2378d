import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import { placeScopeWhere } from "~/auth/permissions.server";
import { requireUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatInstant } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { useT } from "~/i18n/use-t";

/**
 * Background jobs: a user's own, and for administrators every job of the
 * system, to watch the runner (what waits, what runs, what failed).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const all = hasPermission(user.role, "read:all-jobs");
  const jobs = await prisma.job.findMany({
    where: all ? { OR: [placeScopeWhere(user.scope, (s) => ({ cooperativeId: s.cooperativeId })), { createdById: user.id }] } : { createdById: user.id },
    orderBy: { id: "desc" },
    take: 100,
    select: { id: true, kind: true, status: true, phase: true, done: true, total: true, createdById: true, createdAt: true, finishedAt: true, error: true },
  });
  const users = new Map((await prisma.user.findMany({ where: { id: { in: [...new Set(jobs.map((j) => j.createdById))] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  return {
    all,
    jobs: jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      status: j.status,
      progress: j.total > 0 ? `${j.done} / ${j.total}` : "",
      who: users.get(j.createdById) ?? "",
      mine: j.createdById === user.id,
      createdAt: formatInstant(j.createdAt),
      finishedAt: formatInstant(j.finishedAt),
      error: j.error,
    })),
  };
}

export default function Jobs() {
  const t = useT();
  const { jobs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("job.list")}</h1>
      <p className="muted">{t("job.list.hint")}</p>
      {jobs.length === 0 ? (
        <p>{t("job.list.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>{t("job.list.kind")}</th>
                <th>{t("job.list.status")}</th>
                <th className="num">{t("job.list.progress")}</th>
                <th>{t("job.list.who")}</th>
                <th>{t("job.list.created")}</th>
                <th>{t("job.list.finished")}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <td>{j.mine ? <Link to={`/jobs/${j.id}`}>{t(`job.kind.${j.kind}`)}</Link> : t(`job.kind.${j.kind}`)}</td>
                  <td title={j.error}>{t(`job.status.${j.status}`)}</td>
                  <td className="num">{j.progress}</td>
                  <td>{j.who}</td>
                  <td className="nowrap">{j.createdAt}</td>
                  <td className="nowrap">{j.finishedAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
