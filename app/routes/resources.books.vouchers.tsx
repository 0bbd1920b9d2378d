import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { can } from "~/auth/permissions";
import { SOURCES, vouchersOf } from "~/books/books.server";
import { prisma } from "~/lib/db.server";

const KNOWN = new Set<string>(Object.values(SOURCES));

/** The vouchers booked from one source record (?source=A,B&id=N), for the source pages' links; only those of cooperatives the user may read. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:books");
  const url = new URL(request.url);
  const sources = (url.searchParams.get("source") ?? "").split(",").filter((s) => KNOWN.has(s));
  const id = url.searchParams.get("id") ?? "";
  if (sources.length === 0 || !/^\d{1,12}$/.test(id)) return { vouchers: [] };
  const rows = await vouchersOf(sources, id);
  const coops = new Map((await prisma.cooperative.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.cooperativeId))] } }, select: { id: true, townshipId: true } })).map((c) => [c.id, c]));
  const visible = rows.filter((r) => {
    const c = coops.get(r.cooperativeId);
    return c && can(user, "read:books", { townshipId: c.townshipId, cooperativeId: c.id });
  });
  return { vouchers: visible.map((v) => ({ id: v.id, year: v.year, month: v.month, number: v.number, redInk: v.redInk, status: v.status, summary: v.summary })) };
}
