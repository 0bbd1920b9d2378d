import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { DEFAULT_FILING_PATTERN, renderFilingNumber } from "~/contracts/filing-number";
import { filingPatternOf, filingQueue, setFilingPattern } from "~/contracts/filing.server";
import { FilingQueue } from "~/contracts/filing-queue-view";
import { currentYear } from "~/lib/dates";
import { redirectWithMessage } from "~/lib/flash.server";
import { forbidden } from "~/lib/http";
import { useT } from "~/i18n/use-t";

/** 待备案: the township's signed contracts waiting to be filed, and the pattern its filing numbers follow. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "file:contract");
  const queue = await filingQueue(user, 500);
  if (!queue) forbidden();
  const p = await filingPatternOf(user);
  return { queue, pattern: p.pattern, example: renderFilingNumber(p.effective, { year: currentYear(), township: p.township, village: "鲁谢庄村" }, 1), defaultPattern: DEFAULT_FILING_PATTERN };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "file:contract");
  const form = await request.formData();
  const result = await setFilingPattern(user, String(form.get("filingPattern") ?? ""));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirectWithMessage("/contracts/filing", "filing.savedPattern", { pattern: result.pattern });
}

export default function Filing() {
  const t = useT();
  const { queue, pattern, example, defaultPattern } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>{t("filing.page")}</h1>
      <FilingQueue queue={queue} />
      <h2>{t("filing.pattern")}</h2>
      <Form method="post" className="form" data-testid="filing-pattern-form">
        <Field label={t("filing.pattern")} name="filingPattern" error={actionData?.errors?.filingPattern}>
          {(p) => <input {...p} defaultValue={pattern} maxLength={60} placeholder={defaultPattern} />}
        </Field>
        <p className="muted small">{t("filing.patternHelp", { default: defaultPattern })}</p>
        <p className="small" data-testid="filing-example">
          {t("filing.patternExample", { example })}
        </p>
        <button type="submit" disabled={busy}>
          {t("filing.savePattern")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
