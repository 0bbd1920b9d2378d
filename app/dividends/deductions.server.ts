import { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import { cooperativeScopeWhere, requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import type { FieldErrors } from "~/lib/forms";
import { parseDeduction, withDeduction } from "./deduction";

type Tx = Prisma.TransactionClient;

/** The deductions of a draft's lines by household, kept across a recomputation while the household stays in the run. */
export async function keptDeductions(tx: Tx, runId: number): Promise<Map<number, { fen: bigint; note: string }>> {
  const lines = await tx.dividendLine.findMany({ where: { runId, deductionFen: { gt: 0n } }, select: { householdId: true, deductionFen: true, deductionNote: true } });
  return new Map(lines.map((l) => [l.householdId, { fen: l.deductionFen, note: l.deductionNote }]));
}

/** After the lines are written again: their reasons (the amounts went through computeRun). */
export async function restoreDeductionNotes(tx: Tx, runId: number, kept: Map<number, { fen: bigint; note: string }>): Promise<void> {
  for (const [householdId, d] of kept) {
    if (d.note) await tx.dividendLine.updateMany({ where: { runId, householdId, deductionFen: { gt: 0n } }, data: { deductionNote: d.note } });
  }
}

/**
 * Sets (or clears, with an empty amount) the deduction of one line of a draft
 * run (app/dividends/deduction.ts). The gross and the run's pools do not move;
 * only the line's deduction and net. A correction carries differences, on
 * which a deduction means nothing: refused.
 */
export async function setDeduction(user: CurrentUser, runId: number, lineId: number, raw: { amount: string; note: string }): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const line = await tx.dividendLine.findFirst({
      where: { id: lineId, runId, run: { cooperative: cooperativeScopeWhere(user.scope) } },
      include: { run: { select: { cooperativeId: true, townshipId: true, status: true, correctsId: true } } },
    });
    if (!line) notFound();
    requireCan(user, "write:dividend", line.run);
    if (line.run.status !== "DRAFT") return { deduction: { key: "dividend.notDraft" } };
    if (line.run.correctsId !== null) return { deduction: { key: "dividend.deductionCorrection" } };
    const gross = line.guaranteedFen + line.surplusFen + line.transactionFen + line.capitalFen;
    const parsed = parseDeduction(raw, gross);
    if (!parsed.ok) return parsed.errors;
    const amounts = withDeduction(gross, parsed.fen);
    // The status condition: a draft approved meanwhile keeps its frozen lines.
    const done = await tx.dividendLine.updateMany({ where: { id: lineId, run: { status: "DRAFT" } }, data: { ...amounts, deductionNote: parsed.note } });
    if (done.count !== 1) return { deduction: { key: "dividend.notDraft" } };
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "update",
        entity: "DividendLine",
        entityId: lineId,
        townshipId: line.townshipId,
        villageId: line.villageId,
        before: { deductionFen: line.deductionFen, deductionNote: line.deductionNote, netFen: line.netFen },
        after: { ...amounts, deductionNote: parsed.note },
      },
      tx,
    );
    return null;
  });
}
