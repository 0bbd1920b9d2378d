import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { registerFileName, registerWorkbook } from "~/dividends/register-files.server";
import { pickCooperative, recordRegisterExport, registerOf, yearParam } from "~/dividends/register.server";
import { notFound } from "~/lib/http";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The share register of a cooperative and year as an Excel workbook (members, contracts and plots, history). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const url = new URL(request.url);
  const { cooperative } = await pickCooperative(user, url.searchParams.get("coop"));
  if (!cooperative) notFound();
  const r = await registerOf(user.scope, cooperative.id, yearParam(url));
  await recordRegisterExport(user, "share-register.xlsx", cooperative.id, r.year);
  return new Response(new Uint8Array(await registerWorkbook(r)), { headers: xlsxHeaders(registerFileName(r, "xlsx")) });
}
