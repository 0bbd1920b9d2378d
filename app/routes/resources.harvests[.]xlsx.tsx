import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { today } from "~/lib/dates";
import { harvestYears, yieldReport } from "~/harvests/harvests.server";
import { writeYieldXlsx } from "~/harvests/yield-xlsx.server";
import { REPORT_BY } from "~/harvests/yield-report";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The yield report of the user's scope for `?year=` (the latest year with harvests by default), all three views. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:plot");
  const asOf = today();
  const thisYear = Number(asOf.slice(0, 4));
  const asked = new URL(request.url).searchParams.get("year");
  let year: number;
  if (asked !== null) {
    year = Number(asked);
    if (!/^\d{4}$/.test(asked) || year < 2000 || year > thisYear) throw new Response("Bad Request", { status: 400 });
  } else year = (await harvestYears(user.scope))[0] ?? thisYear;
  const reports = [];
  for (const by of REPORT_BY) reports.push(await yieldReport(user.scope, year, by));
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  const buffer = await writeYieldXlsx(reports, { scopeName: user.scopeName, generatedAt: asOf, t });
  const fileName = `${t("harvest.report.title")}-${user.scopeName}-${year}.xlsx`.replace(/\s+/g, "");
  return new Response(new Uint8Array(buffer), { headers: xlsxHeaders(fileName) });
}
