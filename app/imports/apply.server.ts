/**
 * Writes a checked import in ONE transaction on a raw connection of its own
 * (docs/decisions/012-imports.md, 016, 019): all rows or none, on SQLite and
 * on PostgreSQL alike (app/lib/raw-db.server.ts). The rows are built before
 * and written in bulk, because 20,000 rows through the ORM one by one would
 * take minutes and hold the write lock all that time. The import batch's own
 * status is set inside the same transaction, only if it is still waiting to
 * be imported, so a batch marked IMPORTED always has its rows, a failed one
 * has none, and no batch is ever applied twice — not even by two processes
 * at once: the second waits for the lock, then finds the batch imported and
 * rolls back.
 */
import { now as clockNow, startOfChinaDay, today as clockToday } from "~/lib/dates";
import {
  deleteHouseholdSearchTerms,
  deleteSearchTerms,
  householdStatus,
  householdsToIndex,
  insertAuditEvents,
  insertHouseholds,
  insertPeople,
  insertPlots,
  insertSearchTerms,
  insertStatusChanges,
  markBatchImported,
  membersToIndex,
  touchRunningJob,
  unindexedHouseholds,
  updateHousehold,
  updatePerson,
  updatePlot,
  withRawConnection,
  type NewAuditEvent,
  type NewPerson,
  type PlotColumns,
  type NewSearchTerm,
  type NewStatusChange,
  type RawDb,
} from "./imports.queries.server";
import { householdTerms } from "~/registry/search-index.server";
import type { PlannedHousehold } from "./households";
import type { PlannedPlot } from "./plots";

export interface ApplyActor {
  id: number;
  username: string;
}

export interface ApplyPlace {
  townshipId: number;
  villageId: number;
}

export interface ApplyOptions {
  /** apply the changes of rows that match existing records; otherwise those are left alone */
  updateExisting: boolean;
  onProgress?: (done: number, total: number, phase?: string) => void;
  /**
   * Called before each planned record with the raw connection, inside the
   * transaction. Tests use it to inject a real database error part-way.
   */
  beforeRecord?: (db: RawDb, index: number, rowNumbers: number[]) => void | Promise<void>;
  /** how many households per search-index transaction */
  chunk?: number;
  /** told how long each write transaction held the lock, in ms (the job records the longest) */
  onLockHeld?: (ms: number) => void;
  /**
   * The job applying the batch: its rows commit only while the job is still
   * its runner's, never after a restarted runner declared it interrupted and
   * put the batch back.
   */
  job?: { id: number; workerId: string };
}

export interface ApplyCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** An instant as Prisma stores DateTime (ISO 8601, "+00:00"; PostgreSQL's timestamp(3) reads it as UTC). */
export const stamp = (d: Date = clockNow()) => d.toISOString().replace("Z", "+00:00");
/** A status date (a China day) as the instant the day begins in China, as the household form stores it. */
const dayStamp = (day: string) => stamp(startOfChinaDay(day));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `write` in one transaction holding the write lock, without yielding to
 * other work on SQLite: everything slow (reading the file, checking every row
 * against the database) was done before, so the lock is held only for the
 * writes themselves (ADR 016: about half a second for a 20,000-row roster).
 * Other users' writes wait that long at most. Any error rolls everything
 * back and is rethrown: all rows or none.
 */
export async function inTransaction<T>(total: number, opts: Pick<ApplyOptions, "onProgress" | "onLockHeld">, write: (db: RawDb) => Promise<T>): Promise<T> {
  opts.onProgress?.(0, total);
  // Let the progress reach the page before the lock is taken.
  await tick();
  const result = await withRawConnection((db) => db.transaction(write, { onLockHeld: opts.onLockHeld }));
  opts.onProgress?.(total, total);
  return result;
}

/**
 * Builds the search index of the given households (all their terms anew) in
 * short transactions of `chunk` households, pausing between them so other
 * writers get the lock. The index is derived data: if the runner dies half
 * way, `indexUnindexedHouseholds` finishes it.
 */
export async function indexHouseholds(ids: number[], opts: Pick<ApplyOptions, "onProgress" | "chunk" | "onLockHeld"> = {}): Promise<void> {
  if (ids.length === 0) return;
  const chunk = opts.chunk ?? 500;
  await withRawConnection(async (db) => {
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      await db.transaction(
        async (tx) => {
          const households = await householdsToIndex(tx, part);
          const members = await membersToIndex(tx, part);
          await deleteSearchTerms(tx, part);
          const of = new Map<number, typeof members>();
          for (const m of members) of.set(m.householdId, [...(of.get(m.householdId) ?? []), m]);
          const terms: NewSearchTerm[] = [];
          for (const h of households) for (const term of householdTerms({ phone: h.phone, members: of.get(h.id) ?? [] })) terms.push({ term, townshipId: h.townshipId, villageId: h.villageId, householdId: h.id });
          await insertSearchTerms(tx, terms);
        },
        { onLockHeld: opts.onLockHeld },
      );
      opts.onProgress?.(Math.min(i + chunk, ids.length), ids.length, "indexing");
      // a pause, not just a turn of the event loop: other processes waiting for the lock (they try every few ms) get it in between
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
}

/** Finishes the search index of a village's households that have none (after a runner died while indexing). */
export async function indexUnindexedHouseholds(villageId: number): Promise<number> {
  const ids = await withRawConnection((db) => unindexedHouseholds(db, villageId), { readonly: true });
  await indexHouseholds(ids);
  return ids.length;
}

/** An audit event's row, as recordAudit writes it. */
export function auditRow(actor: ApplyActor, place: ApplyPlace, action: string, entity: string, entityId: number | string, before: unknown, after: unknown): NewAuditEvent {
  return {
    at: stamp(),
    actorId: actor.id,
    actorName: actor.username,
    action,
    entity,
    entityId: String(entityId),
    townshipId: place.townshipId,
    villageId: place.villageId,
    before: before == null ? null : JSON.stringify(before),
    after: after == null ? null : JSON.stringify(after),
  };
}

/** The job was declared interrupted meanwhile: the batch is no longer this job's to change. */
export class JobNoLongerRunning extends Error {
  constructor() {
    super("the import's job is no longer running");
  }
}

/** First thing in the transaction: the job applying the batch must still be its runner's. */
export async function holdJob(db: RawDb, job: ApplyOptions["job"]): Promise<void> {
  if (!job) return;
  const mine = await touchRunningJob(db, job.id, job.workerId, clockNow());
  if (mine !== 1) throw new JobNoLongerRunning();
}

/** Last thing in the transaction: the batch becomes IMPORTED, once. */
export async function markImported(db: RawDb, batchId: number, counts: ApplyCounts): Promise<void> {
  const changed = await markBatchImported(db, batchId, counts, stamp());
  // Two clicks on "import", or two runners, must not import twice: the second finds the batch imported and rolls back.
  if (changed !== 1) throw new Error("import batch is not waiting to be imported");
}

export async function applyHouseholds(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedHousehold[], opts: ApplyOptions): Promise<ApplyCounts> {
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  const touched: number[] = [];
  // A status without a date in the file takes effect today (China), not at the instant of import.
  const todayOn = dayStamp(clockToday());
  const headOf = (input: PlannedHousehold["input"]) => input.members.find((m) => m.relation === "HEAD") ?? input.members[0]!;
  const statusOnOf = (input: PlannedHousehold["input"]) => (input.statusDate ? dayStamp(input.statusDate) : null);
  // 入户日期 is a plain "YYYY-MM-DD" China date, or null (unknown): the time of import is never a membership date.
  const person = (householdId: number, m: PlannedHousehold["input"]["members"][number]): NewPerson => ({
    householdId,
    name: m.name,
    idNumber: m.idNumber,
    birthDate: m.birthDate,
    sex: m.sex,
    relation: m.relation,
    ableToWork: m.ableToWork,
    phone: m.phone,
    joinedOn: m.joinedOn ?? null,
    leftOn: null,
  });
  await inTransaction(plan.length, opts, async (db) => {
    await holdJob(db, opts.job);
    const now = stamp();
    const creates = plan.filter((h) => h.action === "create");
    const ids = await insertHouseholds(
      db,
      creates.map(({ input }) => ({
        code: input.code,
        townshipId: place.townshipId,
        villageId: place.villageId,
        groupId: input.groupId,
        headName: headOf(input).name,
        address: input.address,
        phone: input.phone,
        bankName: input.bankName,
        bankAccount: input.bankAccount,
        status: input.status,
        statusYear: input.statusYear,
        statusReason: input.statusReason,
        monitoringCategory: input.monitoringCategory ?? null,
        riskTypes: input.riskTypes ?? "",
        statusDate: statusOnOf(input) ?? todayOn,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const people: NewPerson[] = [];
    const statusChanges: NewStatusChange[] = [];
    const audits: NewAuditEvent[] = [];
    let created = 0;
    for (const [i, h] of plan.entries()) {
      await opts.beforeRecord?.(db, i, h.rowNumbers);
      if (h.action === "unchanged" || (h.action === "update" && !opts.updateExisting)) {
        counts.unchanged++;
        continue;
      }
      const input = h.input;
      const head = headOf(input);
      const statusOn = statusOnOf(input);
      const change = (householdId: number): NewStatusChange => ({
        householdId,
        status: input.status,
        year: input.statusYear,
        reason: input.statusReason,
        monitoringCategory: input.monitoringCategory ?? null,
        riskTypes: input.riskTypes ?? "",
        effectiveOn: statusOn ?? todayOn,
        recordedById: actor.id,
        recordedAt: now,
      });
      let id: number;
      if (h.action === "create") {
        id = ids[created++]!;
        for (const m of input.members) people.push(person(id, m));
        statusChanges.push(change(id));
        audits.push(auditRow(actor, place, "create", "Household", id, null, { code: input.code, headName: head.name, members: input.members.length, importBatchId: batchId }));
        counts.created++;
      } else {
        id = h.existingId!;
        const before = await householdStatus(db, id, place.villageId);
        if (!before) throw new Error(`household ${id} is no longer in the village`);
        const statusChanged =
          before.status !== input.status ||
          before.statusYear !== input.statusYear ||
          before.statusReason !== input.statusReason ||
          (before.monitoringCategory ?? null) !== (input.monitoringCategory ?? null) ||
          before.riskTypes !== (input.riskTypes ?? "");
        await updateHousehold(db, id, place.villageId, {
          code: input.code,
          groupId: input.groupId,
          headName: head.name,
          address: input.address,
          phone: input.phone,
          bankName: input.bankName,
          bankAccount: input.bankAccount,
          status: input.status,
          statusYear: input.statusYear,
          statusReason: input.statusReason,
          monitoringCategory: input.monitoringCategory ?? null,
          riskTypes: input.riskTypes ?? "",
          statusDate: statusChanged ? (statusOn ?? todayOn) : null,
          updatedAt: now,
        });
        if (statusChanged) statusChanges.push(change(id));
        // The time of import is never a membership date: a member without 入户日期 is unknown (null).
        for (const m of input.members) {
          if (m.id != null) {
            await updatePerson(db, m.id, id, { name: m.name, idNumber: m.idNumber, birthDate: m.birthDate, sex: m.sex, relation: m.relation, ableToWork: m.ableToWork, phone: m.phone, joinedOn: m.joinedOn ?? null });
          } else people.push(person(id, m));
        }
        await deleteHouseholdSearchTerms(db, id);
        audits.push(auditRow(actor, place, "update", "Household", id, Object.fromEntries(h.changes.map((c) => [c.field, c.before])), { ...Object.fromEntries(h.changes.map((c) => [c.field, c.after])), importBatchId: batchId }));
        counts.updated++;
      }
      touched.push(id);
    }
    await insertPeople(db, people);
    await insertStatusChanges(db, statusChanges);
    await insertAuditEvents(db, audits);
    await markImported(db, batchId, counts);
  });
  // The rows are committed (and the batch IMPORTED); the search index follows in short steps.
  await indexHouseholds(touched, opts);
  return counts;
}

export async function applyPlots(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedPlot[], opts: ApplyOptions): Promise<ApplyCounts> {
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  await inTransaction(plan.length, opts, async (db) => {
    await holdJob(db, opts.job);
    const now = stamp();
    const columns = (p: PlannedPlot): PlotColumns => {
      const v = p.input;
      return {
        groupId: v.groupId,
        householdId: p.householdId,
        name: v.name,
        category: v.category,
        contractArea: v.contractArea,
        measuredArea: v.measuredArea,
        landClass: v.landClass,
        grade: v.grade,
        basicFarmland: v.basicFarmland,
        east: v.east,
        south: v.south,
        west: v.west,
        north: v.north,
        contractEnd: v.contractEnd,
      };
    };
    const creates = plan.filter((p) => p.action === "create");
    const ids = await insertPlots(
      db,
      creates.map((p) => {
        const { groupId, householdId, ...rest } = columns(p);
        return { townshipId: place.townshipId, villageId: place.villageId, groupId, householdId, parcelCode: p.input.parcelCode, ...rest, createdAt: now, updatedAt: now };
      }),
    );
    const audits: NewAuditEvent[] = [];
    let created = 0;
    for (const [i, p] of plan.entries()) {
      await opts.beforeRecord?.(db, i, p.rowNumbers);
      if (p.action === "unchanged" || (p.action === "update" && !opts.updateExisting)) {
        counts.unchanged++;
        continue;
      }
      if (p.action === "create") {
        audits.push(auditRow(actor, place, "create", "ContractedPlot", ids[created++]!, null, { ...p.input, importBatchId: batchId }));
        counts.created++;
      } else {
        const changed = await updatePlot(db, p.existingId!, place.villageId, columns(p), now);
        if (changed !== 1) throw new Error(`plot ${p.existingId} is no longer in the village`);
        audits.push(auditRow(actor, place, "update", "ContractedPlot", p.existingId!, Object.fromEntries(p.changes.map((c) => [c.field, c.before])), { ...Object.fromEntries(p.changes.map((c) => [c.field, c.after])), importBatchId: batchId }));
        counts.updated++;
      }
    }
    await insertAuditEvents(db, audits);
    await markImported(db, batchId, counts);
  });
  return counts;
}
