import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

const KNOWN = new Set([400, 403, 404, 405, 413]);

/** One boundary for every route: 403 and 404 get a plain explanation, never data. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = KNOWN.has(status) ? `error.${status}` : "error.500";
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <main className="container error-page" data-status={status}>
      <h1>
        {t("error.title")} ({status})
      </h1>
      <p role="alert">{t(key)}</p>
      <p>
        <Link to="/home">{t("error.back")}</Link>
      </p>
    </main>
  );
}
