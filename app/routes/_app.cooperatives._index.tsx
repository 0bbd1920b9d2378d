import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { hasPermission } from "~/auth/permissions";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { listCooperatives } from "~/registry/cooperatives.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:cooperative");
  const coops = await listCooperatives(user.scope);
  return { coops, canCreate: hasPermission(user.role, "manage:cooperative") };
}

export default function Cooperatives() {
  const t = useT();
  const { coops, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("cooperatives.title")}</h1>
        {canCreate ? (
          <Link className="button" to="/cooperatives/new">
            {t("cooperatives.new")}
          </Link>
        ) : null}
      </div>
      {coops.length === 0 ? (
        <p className="empty">{t("cooperatives.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>{t("cooperatives.name")}</th>
                <th>{t("cooperatives.type")}</th>
                <th>{t("cooperatives.creditCode")}</th>
                <th>{t("cooperatives.villages")}</th>
                <th>{t("cooperatives.legalRep")}</th>
              </tr>
            </thead>
            <tbody>
              {coops.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/cooperatives/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{t(`coopType.${c.type}`)}</td>
                  <td className="mono">{c.creditCode}</td>
                  <td>
                    {c.township.name}：{c.villages.map((v) => v.village.name).join("、")}
                  </td>
                  <td>{c.legalRepresentative}</td>
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
