import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import type { Readable } from "node:stream";
import { requirePermission } from "~/auth/permissions.server";
import { contractDocument } from "~/contracts/contract-document.server";
import { renderContractPdf } from "~/contracts/contract-pdf.server";
import { getContract } from "~/contracts/contracts.server";
import { pdfHeaders } from "~/lib/pdf.server";
import { idParam, notFound } from "~/lib/http";

/**
 * The contract as a PDF in Chinese, streamed as pdfkit writes it: with the
 * parties' numbers whole for the secretary who keeps those households (the
 * copy for signing), masked for every other reader.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:contract");
  const c = await getContract(user, idParam(params.id));
  if (!c) notFound();
  const stream = renderContractPdf(await contractDocument(c, user));
  return new Response(createReadableStreamFromReadable(stream as Readable), { headers: pdfHeaders(`流转合同-${c.contractNo ?? c.draftNo}.pdf`) });
}
