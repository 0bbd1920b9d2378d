/**
 * The dividend runs' raw SQL (docs/decisions/018-data-access-layer.md): the
 * share register in one query and a run's lines in a few statements, where
 * thousands of households must not cost thousands of round trips (ADR 009).
 * Each runs as written on SQLite and PostgreSQL.
 */
import { Prisma } from "@prisma/client";

type Tx = Prisma.TransactionClient;
type Num = number | bigint;

export interface RegisterRow {
  householdId: number;
  area: string;
  startDate: string;
  endDate: string;
  terminatedOn: string | null;
  code: string;
  headName: string;
  villageId: number;
  townshipId: number;
  status: string;
  bankAccount: string;
  villageName: string;
}

/**
 * Every equity-share plot of a cooperative's contracts in `statuses` that
 * overlaps [from, to] (China dates), with its household and village, in
 * contract-plot order.
 */
export async function equityPlotsOf(tx: Tx, cooperativeId: number, statuses: readonly string[], from: string, to: string): Promise<RegisterRow[]> {
  const rows = await tx.$queryRaw<(Omit<RegisterRow, "householdId" | "villageId" | "townshipId"> & Record<"householdId" | "villageId" | "townshipId", Num>)[]>(Prisma.sql`
    SELECT cp."householdId" AS "householdId", cp."area" AS "area", c."startDate" AS "startDate", c."endDate" AS "endDate", c."terminatedOn" AS "terminatedOn",
           h."code" AS "code", h."headName" AS "headName", h."villageId" AS "villageId", h."townshipId" AS "townshipId", h."status" AS "status",
           h."bankAccount" AS "bankAccount", v."name" AS "villageName"
    FROM "ContractPlot" cp
    JOIN "TransferContract" c ON c."id" = cp."contractId"
    JOIN "Household" h ON h."id" = cp."householdId"
    JOIN "Village" v ON v."id" = h."villageId"
    WHERE c."cooperativeId" = ${cooperativeId} AND c."form" = 'EQUITY' AND c."status" IN (${Prisma.join(statuses)})
      AND c."startDate" <= ${to} AND c."endDate" >= ${from}
    ORDER BY cp."id"`);
  return rows.map((r) => ({ ...r, householdId: Number(r.householdId), villageId: Number(r.villageId), townshipId: Number(r.townshipId) }));
}

export interface LineRow {
  householdId: number;
  townshipId: number;
  villageId: number;
  areaMu: string;
  shares: string;
  weight: string;
  guaranteedFen: bigint;
  surplusFen: bigint;
  transactionFen: bigint;
  capitalFen: bigint;
  providentShareFen: bigint;
  deductionFen: bigint;
  netFen: bigint;
}

/** Rows per INSERT: within both engines' limits on bound parameters (14 each). */
const LINES_PER_STATEMENT = 400;

/** Writes a run's lines, many per statement. */
export async function insertDividendLines(tx: Tx, runId: number, lines: readonly LineRow[]): Promise<void> {
  const rows = lines.map(
    (l) =>
      Prisma.sql`(${runId}, ${l.householdId}, ${l.townshipId}, ${l.villageId}, ${l.areaMu}, ${l.shares}, ${l.weight}, ${l.guaranteedFen}, ${l.surplusFen}, ${l.transactionFen}, ${l.capitalFen}, ${l.providentShareFen}, ${l.deductionFen}, ${l.netFen})`,
  );
  for (let i = 0; i < rows.length; i += LINES_PER_STATEMENT) {
    await tx.$executeRaw(
      Prisma.sql`INSERT INTO "DividendLine" ("runId", "householdId", "townshipId", "villageId", "areaMu", "shares", "weight", "guaranteedFen", "surplusFen", "transactionFen", "capitalFen", "providentShareFen", "deductionFen", "netFen")
        VALUES ${Prisma.join(rows.slice(i, i + LINES_PER_STATEMENT))}`,
    );
  }
}

/**
 * Adds PAID amounts to their lines' paidFen, many lines per statement: a
 * bulk payment of thousands of lines must not cost a statement per line.
 * One entry per line (the caller sums several payments of one line).
 */
export async function addToPaidFen(tx: Tx, items: readonly { lineId: number; fen: bigint }[]): Promise<void> {
  for (let i = 0; i < items.length; i += LINES_PER_STATEMENT) {
    const chunk = items.slice(i, i + LINES_PER_STATEMENT);
    const cases = Prisma.join(
      chunk.map((c) => Prisma.sql`WHEN ${c.lineId} THEN CAST(${c.fen} AS BIGINT)`),
      " ",
    );
    await tx.$executeRaw(Prisma.sql`UPDATE "DividendLine" SET "paidFen" = "paidFen" + CASE "id" ${cases} END WHERE "id" IN (${Prisma.join(chunk.map((c) => c.lineId))})`);
  }
}
