import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { registerFileName, registerPdf } from "~/dividends/register-files.server";
import { pickCooperative, recordRegisterExport, registerOf, yearParam } from "~/dividends/register.server";
import { notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** The share register of a cooperative and year as a PDF to print and sign. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const url = new URL(request.url);
  const { cooperative } = await pickCooperative(user, url.searchParams.get("coop"));
  if (!cooperative) notFound();
  const r = await registerOf(user.scope, cooperative.id, yearParam(url));
  await recordRegisterExport(user, "share-register.pdf", cooperative.id, r.year);
  return new Response(createReadableStreamFromReadable(registerPdf(r)), { headers: pdfHeaders(registerFileName(r, "pdf")) });
}
