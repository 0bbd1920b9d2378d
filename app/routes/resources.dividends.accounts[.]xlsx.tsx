import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { accountsWorkbook } from "~/dividends/register-files.server";
import { accountsOf, pickCooperative, recordRegisterExport, yearParam } from "~/dividends/register.server";
import { notFound } from "~/lib/http";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The member accounts of a cooperative as an Excel workbook: the chosen year and every year. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const url = new URL(request.url);
  const { cooperative } = await pickCooperative(user, url.searchParams.get("coop"));
  if (!cooperative) notFound();
  const year = yearParam(url);
  const a = await accountsOf(user.scope, cooperative.id);
  await recordRegisterExport(user, "member-accounts.xlsx", cooperative.id, year);
  return new Response(new Uint8Array(await accountsWorkbook(a, year)), { headers: xlsxHeaders(`成员账户-${a.coop.name}-${year}.xlsx`) });
}
