/**
 * The contracts' raw SQL (docs/decisions/018-data-access-layer.md). Runs as
 * written on SQLite and PostgreSQL.
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { placeColumns, scopeSql } from "~/auth/scope-sql.server";
import { prisma } from "~/lib/db.server";

/** `text` as a LIKE pattern that matches it literally anywhere, with backslash as the escape. */
export function likeLiteral(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * Ids of the scope's contracts whose draft or contract number, transferee,
 * cooperative or a transferor's name holds `text` literally, ignoring ASCII
 * case (as SQLite's LIKE and Prisma's `contains` on it do): both sides are
 * lowered, and "%", "_" and "\" in the text are escaped, so they match only
 * themselves. In no particular order.
 */
export async function contractIdsHolding(scope: Scope, text: string): Promise<number[]> {
  const p = likeLiteral(text.toLowerCase());
  const holds = (column: Prisma.Sql) => Prisma.sql`lower(${column}) LIKE ${p} ESCAPE '\\'`;
  const rows = await prisma.$queryRaw<{ id: number | bigint }[]>(Prisma.sql`
    SELECT c."id" AS id FROM "TransferContract" c LEFT JOIN "Cooperative" co ON co."id" = c."cooperativeId"
    WHERE (${holds(Prisma.sql`c."draftNo"`)} OR ${holds(Prisma.sql`COALESCE(c."contractNo", '')`)} OR ${holds(Prisma.sql`c."transfereeName"`)}
      OR ${holds(Prisma.sql`COALESCE(co."name", '')`)}
      OR EXISTS (SELECT 1 FROM "ContractParty" p JOIN "Household" h ON h."id" = p."householdId" WHERE p."contractId" = c."id" AND ${holds(Prisma.sql`h."headName"`)}))
      AND ${scopeSql(scope, placeColumns("c", true))}`);
  return rows.map((r) => Number(r.id));
}
