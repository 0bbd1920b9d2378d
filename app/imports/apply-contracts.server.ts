/**
 * Writes checked contracts of an import: each contract as it was signed (and
 * filed, when the file gives a filing date), its plots, its rent schedule
 * generated as signing would, and the payments already made spread over that
 * household's installments oldest first. Contracts are only created: one
 * imported before is left alone (filed contracts are never edited in place).
 *
 * Everything is worked out first, reading the database without any lock:
 * plot owners, the households' accounts, the schedules (the contract module's
 * own `scheduleInputOf` and `generateSchedule`) and where each payment goes.
 * Then ONE short transaction holding the write lock, on a connection of its
 * own (app/lib/raw-db.server.ts, SQLite or PostgreSQL), writes the rows table
 * by table (ADR 016): all or nothing, and the lock is held for milliseconds
 * per hundred contracts instead of the seconds an ORM transaction took, so
 * other users' saves never wait long. Draft numbers are taken inside the
 * transaction, so two imports (or an import and a new draft) never get the
 * same one.
 */
import { contractData, scheduleInputOf, type ContractRow } from "~/contracts/contracts.server";
import { generateSchedule } from "~/contracts/schedule";
import { prisma } from "~/lib/db.server";
import { auditRow, holdJob, inTransaction, markImported, stamp, type ApplyActor, type ApplyCounts, type ApplyOptions, type ApplyPlace } from "./apply.server";
import type { PlannedContract } from "./contracts";
import {
  highestDraftNo,
  insertAuditEvents,
  insertContractParties,
  insertContractPlots,
  insertContracts,
  insertInstallments,
  insertRentPayments,
  type NewRentPayment,
  type Param,
} from "./imports.queries.server";

type Value = Param;

interface PreparedContract {
  p: PlannedContract;
  /** the contract's columns, but its draft number */
  row: Record<string, Value>;
  /** taken in the transaction when null (filed contracts); the file's number otherwise */
  draftNo: string | null;
  draftPrefix: string;
  lines: { plotId: number; householdId: number; area: string }[];
  parties: { householdId: number; entrustmentNo: string; entrustmentDate: string | null; receivingAccount: string }[];
  installments: { householdId: number; seq: number; periodStart: string; periodEnd: string; dueDate: string; area: string; rateNote: string; amountFen: bigint | null; paidFen: bigint }[];
  /** each payment's parts, by installment (index into installments) */
  payments: { installment: number; householdId: number; paidOn: string; amountFen: bigint; receiptNo: string }[];
}

// booleans and instants are written as each engine stores them (raw-db.server.ts)
const value = (v: unknown): Value => (v === undefined || v === null ? null : (v as Value));

async function prepare(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedContract[], opts: Pick<ApplyOptions, "onProgress">): Promise<PreparedContract[]> {
  const creates = plan.filter((p) => p.action === "create" && p.input);
  const plotIds = [...new Set(creates.flatMap((p) => p.input!.lines.map((l) => l.plotId)))];
  const owner = new Map<number, number>();
  for (let i = 0; i < plotIds.length; i += 500) {
    for (const r of await prisma.contractedPlot.findMany({ where: { id: { in: plotIds.slice(i, i + 500) } }, select: { id: true, householdId: true } })) owner.set(r.id, r.householdId);
  }
  const householdIds = [...new Set(owner.values())];
  const account = new Map<number, string>();
  for (let i = 0; i < householdIds.length; i += 500) {
    for (const h of await prisma.household.findMany({ where: { id: { in: householdIds.slice(i, i + 500) } }, select: { id: true, bankAccount: true } })) account.set(h.id, h.bankAccount);
  }
  const out: PreparedContract[] = [];
  for (const [k, p] of creates.entries()) {
    const input = p.input!;
    const filed = p.filedDate != null;
    const row: Record<string, Value> = {};
    for (const [key, v] of Object.entries(contractData(input))) row[key] = value(v);
    Object.assign(row, {
      townshipId: place.townshipId,
      villageId: place.villageId,
      contractNo: filed ? p.contractNo : null,
      status: filed ? "FILED" : "SIGNED",
      signedDate: p.signedDate,
      filedDate: p.filedDate,
      createdById: actor.id,
    });
    // as writeLines: each plot's line belongs to its owner; one party per household, with its account
    const lines = input.lines.map((l) => {
      const householdId = owner.get(l.plotId);
      if (householdId === undefined) throw new Error(`plot ${l.plotId} is no longer there`);
      return { plotId: l.plotId, householdId, area: l.area };
    });
    const parties = [...new Set(lines.map((l) => l.householdId))].map((householdId) => ({
      householdId,
      entrustmentNo: input.villageSigns ? (input.entrustments[householdId]?.no ?? "") : "",
      entrustmentDate: input.villageSigns ? (input.entrustments[householdId]?.date ?? null) : null,
      receivingAccount: account.get(householdId) ?? "",
    }));
    // as syncSchedule on signing: an equity share (入股) earns dividends, never rent
    const installments: PreparedContract["installments"] = [];
    if (input.form !== "EQUITY") {
      const terms = { ...contractData(input), townshipId: place.townshipId, terminatedOn: null } as unknown as ContractRow;
      const schedule = generateSchedule(await scheduleInputOf(prisma as never, terms, lines));
      for (const i of schedule.installments) {
        installments.push({ householdId: i.householdId, seq: i.seq, periodStart: i.periodStart, periodEnd: i.periodEnd, dueDate: i.dueDate, area: i.areaMu, rateNote: i.rateNote, amountFen: i.amountFen, paidFen: 0n });
      }
    }
    // payments already made, over the household's installments oldest first
    const payments: PreparedContract["payments"] = [];
    for (const pay of p.payments) {
      let left = pay.amountFen;
      const open = installments
        .map((inst, index) => ({ inst, index }))
        .filter((x) => x.inst.householdId === pay.householdId)
        .sort((a, b) => (a.inst.dueDate < b.inst.dueDate ? -1 : a.inst.dueDate > b.inst.dueDate ? 1 : a.inst.seq - b.inst.seq));
      for (const { inst, index } of open) {
        if (left <= 0n) break;
        const outstanding = (inst.amountFen ?? 0n) - inst.paidFen;
        if (outstanding <= 0n) continue;
        const part = left < outstanding ? left : outstanding;
        payments.push({ installment: index, householdId: pay.householdId, paidOn: pay.paidOn, amountFen: part, receiptNo: `导入#${batchId} 第${pay.rowNumber}行` });
        inst.paidFen += part;
        left -= part;
      }
      // The checker refuses payments above the term's rent; anything left here is a bug, and nothing is written.
      if (left > 0n) throw new Error(`payment on row ${pay.rowNumber} exceeds the rent due`);
    }
    out.push({ p, row, draftNo: filed ? null : p.contractNo, draftPrefix: `D${place.villageId}-${input.startDate.slice(0, 4)}-`, lines, parties, installments, payments });
    opts.onProgress?.(k + 1, creates.length, "checking");
  }
  return out;
}

export async function applyContracts(
  batchId: number,
  actor: ApplyActor,
  place: ApplyPlace,
  plan: PlannedContract[],
  opts: Pick<ApplyOptions, "onProgress" | "beforeRecord" | "onLockHeld" | "job">,
): Promise<ApplyCounts> {
  const prepared = await prepare(batchId, actor, place, plan, opts);
  const counts: ApplyCounts = { created: prepared.length, updated: 0, unchanged: plan.length - prepared.length };
  await inTransaction(prepared.length, opts, async (db) => {
    await holdJob(db, opts.job);
    const now = stamp();
    // as nextDraftNo: the next number after the highest of the village and year, counting those taken here
    const highest = new Map<string, string | null>();
    const taken: string[] = [];
    const within = (no: string, prefix: string) => no > prefix && no < `${prefix}\uffff`;
    const draftNos: string[] = [];
    for (const [i, c] of prepared.entries()) {
      await opts.beforeRecord?.(db, i, c.p.rowNumbers);
      let draftNo = c.draftNo;
      if (draftNo === null) {
        if (!highest.has(c.draftPrefix)) {
          let last = await highestDraftNo(db, c.draftPrefix);
          for (const no of taken) if (within(no, c.draftPrefix) && (last === null || no > last)) last = no;
          highest.set(c.draftPrefix, last);
        }
        const last = highest.get(c.draftPrefix) ?? null;
        draftNo = c.draftPrefix + String(last ? Number(last.slice(c.draftPrefix.length)) + 1 : 1).padStart(4, "0");
      }
      taken.push(draftNo);
      for (const [prefix, last] of highest) if (within(draftNo, prefix) && (last === null || draftNo > last)) highest.set(prefix, draftNo);
      draftNos.push(draftNo);
    }
    const contractIds = await insertContracts(
      db,
      prepared.map((c, i) => ({ ...c.row, draftNo: draftNos[i]!, createdAt: now, updatedAt: now })),
    );
    await insertContractPlots(db, prepared.flatMap((c, i) => c.lines.map((l) => ({ contractId: contractIds[i]!, plotId: l.plotId, householdId: l.householdId, area: l.area }))));
    await insertContractParties(db, prepared.flatMap((c, i) => c.parties.map((party) => ({ contractId: contractIds[i]!, ...party }))));
    const installmentIds = await insertInstallments(
      db,
      prepared.flatMap((c, i) =>
        c.installments.map((inst) => ({ contractId: contractIds[i]!, householdId: inst.householdId, townshipId: place.townshipId, villageId: place.villageId, seq: inst.seq, periodStart: inst.periodStart, periodEnd: inst.periodEnd, dueDate: inst.dueDate, area: inst.area, rateNote: inst.rateNote, amountFen: inst.amountFen, paidFen: inst.paidFen })),
      ),
    );
    const payments: NewRentPayment[] = [];
    let first = 0;
    for (const [i, c] of prepared.entries()) {
      for (const pay of c.payments) {
        payments.push({ installmentId: installmentIds[first + pay.installment]!, contractId: contractIds[i]!, householdId: pay.householdId, townshipId: place.townshipId, villageId: place.villageId, paidOn: pay.paidOn, amountFen: pay.amountFen, method: "OTHER", receiptNo: pay.receiptNo, recordedById: actor.id, createdAt: now });
      }
      first += c.installments.length;
    }
    await insertRentPayments(db, payments);
    await insertAuditEvents(db, prepared.map((c, i) => auditRow(actor, place, "create", "TransferContract", contractIds[i]!, null, { contractNo: c.p.contractNo, importBatchId: batchId, lines: c.p.lines.length, payments: c.p.payments.length })));
    await markImported(db, batchId, counts);
  });
  return counts;
}
