/**
 * Writes checked contracts of an import in one database transaction: each
 * contract as it was signed (and filed, when the file gives a filing date),
 * its plots, its rent schedule generated as signing would, and the payments
 * already made spread over that household's installments oldest first.
 * Contracts are only created: one imported before is left alone (filed
 * contracts are never edited in place). Contracts of a village are counted in
 * hundreds, so the ORM's transaction is used here, reusing the contract
 * module's own writers.
 */
import { prisma } from "~/lib/db.server";
import { contractData, contractSelect, nextDraftNo, syncSchedule, writeLines } from "~/contracts/contracts.server";
import type { ApplyActor, ApplyCounts, ApplyOptions, ApplyPlace } from "./apply.server";
import type { PlannedContract } from "./contracts";

export async function applyContracts(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedContract[], opts: Pick<ApplyOptions, "onProgress">): Promise<ApplyCounts> {
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(
    async (tx) => {
      for (let i = 0; i < plan.length; i++) {
        const p = plan[i]!;
        if (p.action !== "create" || !p.input) {
          counts.unchanged++;
          continue;
        }
        const input = p.input;
        const filed = p.filedDate != null;
        // The file's number stays findable: as the filing number when filed, else as the draft number.
        const draftNo = filed ? await nextDraftNo(tx, place.villageId, input.startDate.slice(0, 4)) : p.contractNo;
        const c = await tx.transferContract.create({
          data: {
            ...contractData(input),
            townshipId: place.townshipId,
            villageId: place.villageId,
            draftNo,
            contractNo: filed ? p.contractNo : null,
            status: filed ? "FILED" : "SIGNED",
            signedDate: p.signedDate,
            filedDate: p.filedDate,
            createdById: actor.id,
          },
          select: { id: true },
        });
        await writeLines(tx, c.id, input);
        const row = await tx.transferContract.findUniqueOrThrow({ where: { id: c.id }, select: contractSelect });
        await syncSchedule(tx, row);
        for (const pay of p.payments) {
          let left = pay.amountFen;
          const open = await tx.rentInstallment.findMany({ where: { contractId: c.id, householdId: pay.householdId, cancelledAt: null }, orderBy: [{ dueDate: "asc" }, { seq: "asc" }] });
          for (const inst of open) {
            if (left <= 0n) break;
            const outstanding = (inst.amountFen ?? 0n) - inst.paidFen;
            if (outstanding <= 0n) continue;
            const part = left < outstanding ? left : outstanding;
            await tx.rentPayment.create({
              data: { installmentId: inst.id, contractId: c.id, householdId: pay.householdId, townshipId: place.townshipId, villageId: place.villageId, paidOn: pay.paidOn, amountFen: part, method: "OTHER", receiptNo: `导入#${batchId} 第${pay.rowNumber}行`, recordedById: actor.id },
            });
            await tx.rentInstallment.update({ where: { id: inst.id }, data: { paidFen: { increment: part } } });
            left -= part;
          }
          // The checker refuses payments above the term's rent; anything left here is a bug, and rolls back.
          if (left > 0n) throw new Error(`payment on row ${pay.rowNumber} exceeds the rent due`);
        }
        await tx.auditEvent.create({
          data: { actorId: actor.id, actorName: actor.username, action: "create", entity: "TransferContract", entityId: String(c.id), townshipId: place.townshipId, villageId: place.villageId, after: JSON.stringify({ contractNo: p.contractNo, importBatchId: batchId, lines: p.lines.length, payments: p.payments.length }) },
        });
        counts.created++;
        opts.onProgress?.(i + 1, plan.length);
      }
      const r = await tx.importBatch.updateMany({ where: { id: batchId, status: "IMPORTING" }, data: { status: "IMPORTED", createCount: counts.created, updateCount: 0, unchangedCount: counts.unchanged, importedAt: new Date() } });
      if (r.count !== 1) throw new Error("import batch is not waiting to be imported");
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  return counts;
}
