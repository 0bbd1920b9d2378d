import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { permissionsOf } from "~/auth/permissions";
import { requireUser } from "~/auth/session.server";
import { takeFlash } from "~/lib/flash.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitch } from "~/components/language-switch";
import { useCurrentUser } from "~/components/use-current-user";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { message, headers } = await takeFlash(request);
  const body = {
    flash: message,
    user: {
      id: user.id,
      displayName: user.displayName,
      username: user.username,
      role: user.role,
      scopeName: user.scopeName,
      permissions: permissionsOf(user.role),
    },
  };
  return data(body, headers ? { headers } : undefined);
}

/**
 * A page that polls (an import or a job running: useRevalidator, same URL, no
 * form) does not reload the layout, so the message of the save that started
 * it stays on screen instead of vanishing at the first poll.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.href === nextUrl.href) return false;
  return defaultShouldRevalidate;
};

export default function AppLayout() {
  const t = useT();
  const user = useCurrentUser();
  const navigation = useNavigation();
  const { flash } = useLoaderData<typeof loader>();
  const location = useLocation();
  const perms = new Set(user.permissions);
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <NavLink to="/home" className="brand">
          {t("app.name")}
        </NavLink>
        <nav aria-label="main">
          <NavLink to="/home">{t("nav.home")}</NavLink>
          {perms.has("read:household") ? <NavLink to="/households">{t("nav.households")}</NavLink> : null}
          {perms.has("read:contract") ? <NavLink to="/contracts">{t("nav.contracts")}</NavLink> : null}
          {perms.has("read:plot") ? <NavLink to="/plots">{t("nav.plots")}</NavLink> : null}
          {perms.has("read:plot") ? <NavLink to="/harvests">{t("harvest.nav")}</NavLink> : null}
          {perms.has("read:dividend") ? <NavLink to="/dividends">{t("nav.dividends")}</NavLink> : null}
          {perms.has("read:books") ? <NavLink to="/books">{t("books.nav")}</NavLink> : null}
          {perms.has("read:audit-view") ? <NavLink to="/income" end>{t("nav.income")}</NavLink> : null}
          {perms.has("write:work-days") ? <NavLink to="/income/work-days">{t("nav.workDays")}</NavLink> : null}
          {perms.has("manage:monitoring-line") && !perms.has("read:audit-view") ? <NavLink to="/income/lines">{t("nav.lines")}</NavLink> : null}
          {perms.has("read:cooperative") ? <NavLink to="/cooperatives">{t("nav.cooperatives")}</NavLink> : null}
          {perms.has("import:records") ? <NavLink to="/imports">{t("nav.imports")}</NavLink> : null}
          {perms.has("read:audit-trail") ? <NavLink to="/audit-trail">{t("nav.auditTrail")}</NavLink> : null}
          {perms.has("manage:backup") ? <NavLink to="/admin/backups">{t("admin.backups.title")}</NavLink> : null}
          {perms.has("manage:account") ? <NavLink to="/accounts">{t("nav.accounts")}</NavLink> : null}
          {perms.has("import:records") || perms.has("read:all-jobs") ? <NavLink to="/jobs">{t("nav.jobs")}</NavLink> : null}
        </nav>
        <div className="who">
          <span data-testid="current-user">
            <NavLink to="/account" title={t("myAccount.nav")}>
              {user.displayName}
            </NavLink>{" "}
            · {t(`role.${user.role}`)}
            {user.scopeName ? ` · ${user.scopeName}` : ""}
          </span>
          <LanguageSwitch />
          <Form method="post" action="/logout" className="inline">
            <button type="submit" className="link-button">
              {t("nav.signOut")}
            </button>
          </Form>
        </div>
      </header>
      {navigation.state !== "idle" ? <div className="progress" role="progressbar" aria-label={t("households.loading")} /> : null}
      <main id="main" className="container">
        {flash && flash.at === location.pathname ? (
          <p className="flash" role="status" data-testid="flash">
            {t(flash.key, flash.params)}
          </p>
        ) : null}
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
