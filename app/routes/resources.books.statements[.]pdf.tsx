import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { booksPage, monthParam, statementsFor } from "~/books/pages.server";
import { statementTables } from "~/books/statement-document";
import { statementsFileName, statementsPdf } from "~/books/statements-files.server";
import { translator } from "~/i18n/index";
import { notFound } from "~/lib/http";
import { pdfHeaders } from "~/lib/pdf.server";

/** The year's statements as a PDF to print, sign and send to the township. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { url, year, coop } = await booksPage(request);
  if (!coop) notFound();
  const s = await statementsFor(coop, year, monthParam(url, "to", 12));
  const tables = statementTables(s, translator("zh-CN"), "zh-CN");
  return new Response(createReadableStreamFromReadable(statementsPdf(tables, coop.name)), { headers: pdfHeaders(statementsFileName(coop.name, year, "pdf")) });
}
