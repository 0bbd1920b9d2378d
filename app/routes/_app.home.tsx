import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can, hasPermission, ownPlace } from "~/auth/permissions";
import { cooperativeScopeWhere } from "~/auth/permissions.server";
import { requireUser } from "~/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { prisma } from "~/lib/db.server";
import { useT } from "~/i18n/use-t";
import { registryOverview } from "~/registry/overview.server";
import { listRuns } from "~/dividends/runs.server";
import { filingQueue } from "~/contracts/filing.server";
import { FilingQueue } from "~/contracts/filing-queue-view";

// Every role lands here; what it shows follows the role and the scope.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const overview = hasPermission(user.role, "read:household") ? await registryOverview(user.scope) : null;
  const cooperatives = hasPermission(user.role, "read:cooperative")
    ? await prisma.cooperative.findMany({
        where: cooperativeScopeWhere(user.scope),
        select: { id: true, name: true, type: true, villages: { select: { village: { select: { name: true } } } } },
        orderBy: { id: "asc" },
      })
    : [];
  // A cooperative's officers (accountant, chair, supervisor) land on their runs, each marked where the next step is theirs.
  const place = ownPlace(user.scope);
  const runs =
    place?.cooperativeId && hasPermission(user.role, "read:dividend")
      ? (await listRuns(user.scope)).slice(0, 8).map((r) => {
          const turn =
            (r.status === "DRAFT" && can(user, "approve:dividend", place)) ||
            (r.status === "APPROVED" && can(user, "write:dividend", place)) ||
            (r.status === "PUBLISHED" && (can(user, "issue:dividend", place) || can(user, "object:dividend", place)));
          return { id: r.id, year: r.year, title: r.title, status: r.status, cooperative: r.cooperative.name, turn };
        })
      : null;
  const accounts =
    hasPermission(user.role, "manage:account")
      ? await prisma.user.findMany({ select: { id: true, username: true, role: true, lockedUntil: true }, orderBy: { id: "asc" } })
      : null;
  // A township official's work waiting: the signed contracts of the township to file (待备案), oldest first.
  const filing = await filingQueue(user, 10);
  return {
    filing,
    role: user.role,
    displayName: user.displayName,
    scopeName: user.scopeName,
    runs,
    overview,
    cooperatives: cooperatives.map((c) => ({ id: c.id, name: c.name, type: c.type, villages: c.villages.map((v) => v.village.name) })),
    accounts: accounts?.map((a) => ({ ...a, locked: !!a.lockedUntil && a.lockedUntil > new Date() })) ?? null,
  };
}

export default function Home() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  return (
    <div data-testid={`home-${d.role}`}>
      <h1>{t("home.welcome", { name: d.displayName })}</h1>
      <p className="muted">
        {t(`role.${d.role}`)}
        {d.scopeName ? ` · ${t("home.scope", { scope: d.scopeName })}` : ""}
      </p>
      {d.filing ? <FilingQueue queue={d.filing} more="/contracts/filing" /> : null}
      {d.runs ? (
        <section data-testid="home-runs">
          <h2>{t("home.runs")}</h2>
          {d.runs.length === 0 ? <p className="muted">{t("home.noRuns")}</p> : null}
          <ul className="plain">
            {d.runs.map((r) => (
              <li key={r.id}>
                <Link to={`/dividends/${r.id}`}>
                  {r.cooperative} · {r.year} {r.title}
                </Link>{" "}
                <span className={`badge dstatus-${r.status}`}>{t(`dstatus.${r.status}`)}</span>
                {r.turn ? <strong> · {t("home.yourTurn")}</strong> : null}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/dividends">{t("home.allRuns")}</Link>
          </p>
        </section>
      ) : null}
      {d.overview ? (
        <>
          <section className="cards">
            <div className="card">
              <span>{t("home.households")}</span>
              <strong>{d.overview.totals.households.toLocaleString("zh-CN")}</strong>
            </div>
            <div className="card">
              <span>{t("home.people")}</span>
              <strong>{d.overview.totals.people.toLocaleString("zh-CN")}</strong>
            </div>
            <div className="card">
              <span>{t("home.alleviated")}</span>
              <strong>{d.overview.totals.alleviated.toLocaleString("zh-CN")}</strong>
            </div>
            <div className="card">
              <span>{t("home.monitored")}</span>
              <strong>{d.overview.totals.monitored.toLocaleString("zh-CN")}</strong>
            </div>
          </section>
          <Form method="get" action="/households" className="filters" role="search">
            <input type="search" name="q" placeholder={t("households.search")} aria-label={t("home.quickSearch")} className="grow" />
            <button type="submit">{t("households.searchButton")}</button>
          </Form>
          {d.overview.villages.length > 1 ? (
            <>
              <h2>{t("home.byVillage")}</h2>
              <table className="data">
                <thead>
                  <tr>
                    <th>{t("households.village")}</th>
                    <th className="num">{t("home.households")}</th>
                    <th className="num">{t("home.alleviated")}</th>
                    <th className="num">{t("home.monitored")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.overview.villages.map((v) => (
                    <tr key={v.id}>
                      <td>
                        <Link to={`/households?village=${v.id}`}>
                          {v.townshipName} {v.name}
                        </Link>
                      </td>
                      <td className="num">{v.households}</td>
                      <td className="num">
                        <Link to={`/households?village=${v.id}&status=ALLEVIATED`}>{v.alleviated}</Link>
                      </td>
                      <td className="num">
                        <Link to={`/households?village=${v.id}&status=MONITORED`}>{v.monitored}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
      {d.cooperatives.length ? (
        <>
          <h2>{t("home.cooperatives")}</h2>
          <ul className="plain">
            {d.cooperatives.map((c) => (
              <li key={c.id}>
                <Link to={`/cooperatives/${c.id}`}>{c.name}</Link> · {t(`coopType.${c.type}`)} · {t("home.servedVillages")}：{c.villages.join("、")}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.accounts ? (
        <>
          <h2>{t("home.accounts")}</h2>
          <p>
            <Link to="/accounts">{t("nav.accounts")}</Link> · {d.accounts.length} · {t("home.lockedAccounts")}：
            {d.accounts.filter((a) => a.locked).length}
          </p>
        </>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
