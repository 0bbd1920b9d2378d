import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { KEEP_RESULTS_DAYS, ownJob, viewOf } from "~/jobs/jobs.server";
import { isActive } from "~/jobs/status";
import { formatInstant } from "~/lib/dates";
import { idParam, notFound } from "~/lib/http";
import { useT } from "~/i18n/use-t";

/** One of the user's own background jobs: its progress while it runs, its result when done. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const job = await ownJob(user.id, idParam(params.id));
  if (!job) notFound();
  const v = viewOf(job);
  return { job: { ...v, createdAt: formatInstant(v.createdAt), finishedAt: v.finishedAt ? formatInstant(v.finishedAt) : null, fileExpired: v.status === "DONE" && !!job.resultName && !v.hasFile }, keepDays: KEEP_RESULTS_DAYS };
}

export default function JobPage() {
  const t = useT();
  const { job, keepDays } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const running = isActive(job.status);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : null;
  return (
    <>
      <h1>
        {t("job.title")} · {t(`job.kind.${job.kind}`)}
      </h1>
      <p data-testid="job-status">
        <strong>{t(`job.status.${job.status}`)}</strong>
        <span className="muted">
          {" · "}
          {t("job.createdAt", { time: job.createdAt })}
          {job.finishedAt ? ` · ${t("job.finishedAt", { time: job.finishedAt })}` : ""}
        </span>
      </p>
      {running ? (
        <>
          <div className={`meter${percent === null ? " indeterminate" : ""}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined} data-testid="job-progress">
            <span style={{ width: `${percent ?? 0}%` }} />
            <small>{percent === null ? t(`job.phase.${job.phase || "reading"}`) : `${t(`job.phase.${job.phase || "rendering"}`)} ${t("job.progress", { done: job.done, total: job.total })}`}</small>
          </div>
          <p className="muted">{t("job.waiting")}</p>
        </>
      ) : null}
      {job.status === "FAILED" ? (
        <p className="form-error" role="alert">
          {t("job.failed", { error: job.error })}
        </p>
      ) : null}
      {job.hasFile ? (
        <p>
          <a className="button" href={`/resources/jobs/${job.id}/file`} download data-testid="job-download">
            {t("job.download", { name: job.fileName })}
          </a>
        </p>
      ) : null}
      {job.fileExpired ? <p className="muted">{t("job.fileGone", { days: keepDays })}</p> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
