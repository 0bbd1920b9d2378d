import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { IMPORT_KINDS, type ImportKind } from "~/imports/columns";
import { templateXlsx } from "~/imports/templates.server";
import { notFound } from "~/lib/http";
import { translator } from "~/i18n";
import { localeFromCookieHeader } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "import:records");
  const kind = params.kind as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) notFound();
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  return new Response(new Uint8Array(await templateXlsx(kind, t)), { headers: xlsxHeaders(`${t(`importPage.kind.${kind}`)}-导入模板.xlsx`) });
}
