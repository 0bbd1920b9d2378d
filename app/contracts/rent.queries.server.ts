/**
 * Rent's raw SQL (docs/decisions/018-data-access-layer.md). Runs as written
 * on SQLite and PostgreSQL.
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { scopeSql } from "~/auth/scope-sql.server";
import { prisma } from "~/lib/db.server";

export interface InstallmentFilter {
  villageId?: number;
  householdId?: number;
  contractId?: number;
}

/**
 * Installments inside the scope paid in full, some of it after their due
 * date (before `asOf`), under rent contracts that charge a late penalty:
 * their penalty stays until it is paid or waived. Cancelled installments and
 * equity contracts owe nothing. Ids in ascending order.
 */
export async function latePaidInstallmentIds(scope: Scope, asOf: string, f: InstallmentFilter = {}): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ id: number | bigint }[]>(Prisma.sql`
    SELECT DISTINCT i."id" AS id FROM "RentInstallment" i
      JOIN "TransferContract" c ON c."id" = i."contractId"
      JOIN "RentPayment" p ON p."installmentId" = i."id"
    WHERE ${scopeSql(scope, { townshipId: `i."townshipId"`, villageId: `i."villageId"`, cooperativeId: `c."cooperativeId"` })}
      AND i."cancelledAt" IS NULL AND i."amountFen" IS NOT NULL AND i."amountFen" <= i."paidFen"
      AND i."dueDate" < ${asOf} AND p."paidOn" > i."dueDate" AND c."form" <> 'EQUITY' AND c."penaltyPerTenThousand" NOT IN ('0', '0.0', '0.00')
      ${f.villageId ? Prisma.sql`AND i."villageId" = ${f.villageId}` : Prisma.empty}
      ${f.householdId ? Prisma.sql`AND i."householdId" = ${f.householdId}` : Prisma.empty}
      ${f.contractId ? Prisma.sql`AND i."contractId" = ${f.contractId}` : Prisma.empty}
    ORDER BY i."id"`);
  return rows.map((r) => Number(r.id));
}
