import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { today } from "~/lib/dates";
import { writeLedgerXlsx } from "~/contracts/ledger-xlsx.server";
import { ledgerRows } from "~/contracts/rent.server";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The transfer ledger of the user's scope as an Excel workbook, ID numbers masked. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const rows = await ledgerRows(user.scope);
  const title = `土地流转台账 ${user.scopeName}`.trim();
  const buffer = await writeLedgerXlsx(rows, { title, generatedAt: today() });
  return new Response(new Uint8Array(buffer), { headers: xlsxHeaders(`${title}-${today()}.xlsx`) });
}
