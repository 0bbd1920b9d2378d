import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitch } from "~/components/language-switch";
import { yuan } from "~/lib/money";
import { recordVerifyAttempt, verifyStatement, verifyThrottle } from "~/dividends/runs.server";
import { useT } from "~/i18n/use-t";
import { maskName } from "~/registry/masking";

/**
 * Public: anyone who scans a statement's QR code lands here, signed in or
 * not. It shows only masked data of an issued statement, and an address that
 * keeps trying unknown codes is refused for a while.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  // The address as the server saw the connection (scripts/server.ts); never a header the client wrote.
  const ip = context?.clientAddress ?? "unknown";
  const code = String(params.code ?? "").toUpperCase().slice(0, 64);
  const noStore = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  if ((await verifyThrottle(ip, code)).blocked) return data({ state: "slow" as const, line: null }, { status: 429, headers: noStore });
  const line = await verifyStatement(code);
  await recordVerifyAttempt(ip, !!line, code);
  if (!line) return data({ state: "unknown" as const, line: null }, { status: 404, headers: noStore });
  return data(
    {
      state: "valid" as const,
      line: { cooperative: line.run.cooperative.name, year: line.run.year, head: maskName(line.household.headName), statementNo: line.statementNo, net: yuan(line.netFen), area: line.areaMu },
    },
    { headers: noStore },
  );
}

export default function Verify() {
  const t = useT();
  const { state, line } = useLoaderData<typeof loader>();
  return (
    <main className="login">
      <div className="login-box" data-testid={`verify-${state}`}>
        <h1>{t("verify.title")}</h1>
        {state === "valid" && line ? (
          <>
            <p className="badge status-ALLEVIATED" role="status">
              {t("verify.valid")}
            </p>
            <dl className="facts">
              <dt>{t("verify.cooperative")}</dt>
              <dd>{line.cooperative}</dd>
              <dt>{t("verify.year")}</dt>
              <dd>{line.year}</dd>
              <dt>{t("verify.head")}</dt>
              <dd>{line.head}</dd>
              <dt>{t("verify.statementNo")}</dt>
              <dd className="mono">{line.statementNo}</dd>
              <dt>{t("verify.amount")}</dt>
              <dd>
                <strong>{line.net}</strong>
              </dd>
            </dl>
          </>
        ) : (
          <p className="form-error" role="alert">
            {t(state === "slow" ? "verify.slow" : "verify.unknown")}
          </p>
        )}
        <LanguageSwitch />
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
