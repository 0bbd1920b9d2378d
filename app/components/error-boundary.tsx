import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "~/lib/i18n/use-t";

/** One boundary for every route: 403 and 404 get a plain explanation, never data. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 403 ? "error.403" : status === 404 ? "error.404" : status === 400 ? "error.400" : "error.500";
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
