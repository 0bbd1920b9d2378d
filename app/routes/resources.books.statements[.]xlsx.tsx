import type { LoaderFunctionArgs } from "@remix-run/node";
import { booksPage, monthParam, statementsFor } from "~/books/pages.server";
import { statementTables } from "~/books/statement-document";
import { statementsFileName, statementsXlsx } from "~/books/statements-files.server";
import { translator } from "~/i18n/index";
import { notFound } from "~/lib/http";
import { xlsxHeaders } from "~/lib/xlsx.server";

/** The year's statements as a workbook, one sheet per statement. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { url, year, coop } = await booksPage(request);
  if (!coop) notFound();
  const s = await statementsFor(coop, year, monthParam(url, "to", 12));
  const tables = statementTables(s, translator("zh-CN"), "zh-CN");
  return new Response(await statementsXlsx(tables, coop.name), { headers: xlsxHeaders(statementsFileName(coop.name, year, "xlsx")) });
}
