/**
 * Writes a checked import in ONE SQLite transaction on its own connection
 * (docs/decisions/012-imports.md): all rows or none. Statements are prepared
 * once and rows written directly, because 20,000 rows through the ORM one by
 * one would take minutes; the transaction yields to the event loop between
 * chunks so that the progress of the import can be read while it runs.
 * The import batch's own status is set inside the same transaction, so a
 * batch marked IMPORTED always has its rows, and a failed one has none.
 */
import Database from "better-sqlite3";
import { databaseFile, SQLITE_BUSY_TIMEOUT_MS } from "~/lib/db.server";
import { now as clockNow, startOfChinaDay, today as clockToday } from "~/lib/dates";
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
  beforeRecord?: (db: Database.Database, index: number, rowNumbers: number[]) => void;
  /** how many households per search-index transaction */
  chunk?: number;
  /** told how long each write transaction held the lock, in ms (the job records the longest) */
  onLockHeld?: (ms: number) => void;
}

export interface ApplyCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** An instant as Prisma's better-sqlite3 adapter stores DateTime (ISO 8601, "+00:00"). */
export const stamp = (d: Date = clockNow()) => d.toISOString().replace("Z", "+00:00");
/** A status date (a China day) as the instant the day begins in China, as the household form stores it. */
const dayStamp = (day: string) => stamp(startOfChinaDay(day));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A connection of its own for the import's writes, waiting for others' locks as the app's does (db.server.ts). */
export function openWriter(): Database.Database {
  const db = new Database(databaseFile(), { timeout: SQLITE_BUSY_TIMEOUT_MS });
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -65536");
  return db;
}

/**
 * Runs `work` for every item inside one BEGIN IMMEDIATE … COMMIT, without
 * yielding: everything slow (reading the file, checking every row against
 * the database) was done before, so the write lock is held only for the
 * inserts themselves (ADR 016: about half a second for a 20,000-row roster).
 * Other users' writes wait that long at most. Any error rolls everything
 * back and is rethrown: all rows or none.
 */
async function inTransaction<T>(
  items: T[],
  opts: ApplyOptions,
  work: (db: Database.Database, item: T, index: number) => void,
  finish: (db: Database.Database) => void,
): Promise<void> {
  const db = openWriter();
  opts.onProgress?.(0, items.length);
  // Let the progress reach the page before the lock is taken.
  await tick();
  db.exec("BEGIN IMMEDIATE");
  const locked = performance.now();
  try {
    for (let i = 0; i < items.length; i++) work(db, items[i]!, i);
    finish(db);
    db.exec("COMMIT");
    opts.onLockHeld?.(performance.now() - locked);
    opts.onProgress?.(items.length, items.length);
  } catch (e) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw e;
  } finally {
    db.close();
  }
}

/**
 * Builds the search index of the given households (all their terms anew) in
 * short transactions of `chunk` households, yielding between them so other
 * writers get the lock. The index is derived data: if the runner dies half
 * way, `indexUnindexedHouseholds` finishes it.
 */
async function indexHouseholds(ids: number[], opts: Pick<ApplyOptions, "onProgress" | "chunk" | "onLockHeld"> = {}): Promise<void> {
  if (ids.length === 0) return;
  const db = openWriter();
  try {
    const members = db.prepare(`SELECT name, idNumber, phone FROM Person WHERE householdId = ? AND leftOn IS NULL`);
    const household = db.prepare(`SELECT townshipId, villageId, phone FROM Household WHERE id = ?`);
    const del = db.prepare(`DELETE FROM HouseholdSearchTerm WHERE householdId = ?`);
    const ins = db.prepare(`INSERT OR IGNORE INTO HouseholdSearchTerm (term, townshipId, villageId, householdId) VALUES (?, ?, ?, ?)`);
    const chunk = opts.chunk ?? 500;
    const write = db.transaction((part: number[]) => {
      for (const id of part) {
        const h = household.get(id) as { townshipId: number; villageId: number; phone: string } | undefined;
        del.run(id);
        if (!h) continue;
        const ms = members.all(id) as { name: string; idNumber: string; phone: string }[];
        for (const term of householdTerms({ phone: h.phone, members: ms })) ins.run(term, h.townshipId, h.villageId, id);
      }
    });
    for (let i = 0; i < ids.length; i += chunk) {
      const t = performance.now();
      write.immediate(ids.slice(i, i + chunk));
      opts.onLockHeld?.(performance.now() - t);
      opts.onProgress?.(Math.min(i + chunk, ids.length), ids.length, "indexing");
      // a pause, not just a turn of the event loop: other processes waiting for the lock (they try every few ms) get it in between
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    db.close();
  }
}

/** Finishes the search index of a village's households that have none (after a runner died while indexing). */
export async function indexUnindexedHouseholds(villageId: number): Promise<number> {
  const db = new Database(databaseFile(), { readonly: true });
  let ids: number[];
  try {
    ids = (
      db.prepare(`SELECT h.id FROM Household h WHERE h.villageId = ? AND NOT EXISTS (SELECT 1 FROM HouseholdSearchTerm t WHERE t.householdId = h.id)`).all(villageId) as { id: number }[]
    ).map((r) => r.id);
  } finally {
    db.close();
  }
  await indexHouseholds(ids);
  return ids.length;
}

export function auditStatement(db: Database.Database) {
  const ins = db.prepare(`INSERT INTO AuditEvent (at, actorId, actorName, action, entity, entityId, townshipId, villageId, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return (actor: ApplyActor, place: ApplyPlace, action: string, entity: string, entityId: number | string, before: unknown, after: unknown) =>
    ins.run(stamp(), actor.id, actor.username, action, entity, String(entityId), place.townshipId, place.villageId, before == null ? null : JSON.stringify(before), after == null ? null : JSON.stringify(after));
}

function markImported(db: Database.Database, batchId: number, counts: ApplyCounts) {
  const r = db
    .prepare(`UPDATE ImportBatch SET status = 'IMPORTED', createCount = ?, updateCount = ?, unchangedCount = ?, importedAt = ? WHERE id = ? AND status = 'IMPORTING'`)
    .run(counts.created, counts.updated, counts.unchanged, stamp(), batchId);
  // Two clicks on "import" must not import twice.
  if (r.changes !== 1) throw new Error("import batch is not waiting to be imported");
}

export async function applyHouseholds(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedHousehold[], opts: ApplyOptions): Promise<ApplyCounts> {
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  const touched: number[] = [];
  let s: ReturnType<typeof statements> | null = null;
  function statements(db: Database.Database) {
    return {
      insHousehold: db.prepare(
        `INSERT INTO Household (code, townshipId, villageId, groupId, headName, address, phone, bankName, bankAccount, status, statusYear, statusReason, statusDate, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updHousehold: db.prepare(
        `UPDATE Household SET code = ?, groupId = ?, headName = ?, address = ?, phone = ?, bankName = ?, bankAccount = ?, status = ?, statusYear = ?, statusReason = ?, statusDate = COALESCE(?, statusDate), updatedAt = ? WHERE id = ? AND villageId = ?`,
      ),
      insPerson: db.prepare(
        `INSERT INTO Person (householdId, name, idNumber, birthDate, sex, relation, ableToWork, phone, joinedOn, leftOn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      ),
      updPerson: db.prepare(`UPDATE Person SET name = ?, idNumber = ?, birthDate = ?, sex = ?, relation = ?, ableToWork = ?, phone = ?, joinedOn = COALESCE(?, joinedOn) WHERE id = ? AND householdId = ?`),
      insChange: db.prepare(`INSERT INTO HouseholdStatusChange (householdId, status, year, reason, effectiveOn, recordedById, recordedAt) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      delTerms: db.prepare(`DELETE FROM HouseholdSearchTerm WHERE householdId = ?`),
      existing: db.prepare(`SELECT status, statusYear, statusReason FROM Household WHERE id = ? AND villageId = ?`),
      audit: auditStatement(db),
    };
  }
  await inTransaction(
    plan,
    opts,
    (db, h, i) => {
      s ??= statements(db);
      opts.beforeRecord?.(db, i, h.rowNumbers);
      const now = stamp();
      const input = h.input;
      const head = input.members.find((m) => m.relation === "HEAD") ?? input.members[0]!;
      const statusOn = input.statusDate ? dayStamp(input.statusDate) : null;
      // A status without a date in the file takes effect today (China), not at the instant of import.
      const todayOn = dayStamp(clockToday());
      if (h.action === "unchanged" || (h.action === "update" && !opts.updateExisting)) {
        counts.unchanged++;
        return;
      }
      let id: number;
      if (h.action === "create") {
        id = Number(
          s.insHousehold.run(input.code, place.townshipId, place.villageId, input.groupId, head.name, input.address, input.phone, input.bankName, input.bankAccount, input.status, input.statusYear, input.statusReason, statusOn ?? todayOn, now, now)
            .lastInsertRowid,
        );
        // 入户日期 is a plain "YYYY-MM-DD" China date, or null (unknown).
        input.members.forEach((m) => s!.insPerson.run(id, m.name, m.idNumber, m.birthDate, m.sex, m.relation, m.ableToWork ? 1 : 0, m.phone, m.joinedOn ?? null));
        s.insChange.run(id, input.status, input.statusYear, input.statusReason, statusOn ?? todayOn, actor.id, now);
        s.audit(actor, place, "create", "Household", id, null, { code: input.code, headName: head.name, members: input.members.length, importBatchId: batchId });
        counts.created++;
      } else {
        id = h.existingId!;
        const before = s.existing.get(id, place.villageId) as { status: string; statusYear: number | null; statusReason: string } | undefined;
        if (!before) throw new Error(`household ${id} is no longer in the village`);
        const statusChanged = before.status !== input.status || before.statusYear !== input.statusYear || before.statusReason !== input.statusReason;
        s.updHousehold.run(input.code, input.groupId, head.name, input.address, input.phone, input.bankName, input.bankAccount, input.status, input.statusYear, input.statusReason, statusChanged ? (statusOn ?? todayOn) : null, now, id, place.villageId);
        if (statusChanged) s.insChange.run(id, input.status, input.statusYear, input.statusReason, statusOn ?? todayOn, actor.id, now);
        // The time of import is never a membership date: a member without 入户日期 is unknown (null).
        input.members.forEach((m) => {
          if (m.id != null) s!.updPerson.run(m.name, m.idNumber, m.birthDate, m.sex, m.relation, m.ableToWork ? 1 : 0, m.phone, m.joinedOn ?? null, m.id, id);
          else s!.insPerson.run(id, m.name, m.idNumber, m.birthDate, m.sex, m.relation, m.ableToWork ? 1 : 0, m.phone, m.joinedOn ?? null);
        });
        s.delTerms.run(id);
        s.audit(actor, place, "update", "Household", id, Object.fromEntries(h.changes.map((c) => [c.field, c.before])), { ...Object.fromEntries(h.changes.map((c) => [c.field, c.after])), importBatchId: batchId });
        counts.updated++;
      }
      touched.push(id);
    },
    (db) => markImported(db, batchId, counts),
  );
  // The rows are committed (and the batch IMPORTED); the search index follows in short steps.
  await indexHouseholds(touched, opts);
  return counts;
}

export async function applyPlots(batchId: number, actor: ApplyActor, place: ApplyPlace, plan: PlannedPlot[], opts: ApplyOptions): Promise<ApplyCounts> {
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0 };
  let s: ReturnType<typeof statements> | null = null;
  function statements(db: Database.Database) {
    return {
      ins: db.prepare(
        `INSERT INTO ContractedPlot (townshipId, villageId, groupId, householdId, parcelCode, name, category, contractArea, measuredArea, landClass, grade, basicFarmland, east, south, west, north, contractEnd, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upd: db.prepare(
        `UPDATE ContractedPlot SET groupId = ?, householdId = ?, name = ?, category = ?, contractArea = ?, measuredArea = ?, landClass = ?, grade = ?, basicFarmland = ?, east = ?, south = ?, west = ?, north = ?, contractEnd = ?, updatedAt = ? WHERE id = ? AND villageId = ?`,
      ),
      audit: auditStatement(db),
    };
  }
  await inTransaction(
    plan,
    opts,
    (db, p, i) => {
      s ??= statements(db);
      opts.beforeRecord?.(db, i, p.rowNumbers);
      const now = stamp();
      const v = p.input;
      if (p.action === "unchanged" || (p.action === "update" && !opts.updateExisting)) {
        counts.unchanged++;
        return;
      }
      if (p.action === "create") {
        const id = s.ins.run(place.townshipId, place.villageId, v.groupId, p.householdId, v.parcelCode, v.name, v.category, v.contractArea, v.measuredArea, v.landClass, v.grade, v.basicFarmland ? 1 : 0, v.east, v.south, v.west, v.north, v.contractEnd, now, now).lastInsertRowid;
        s.audit(actor, place, "create", "ContractedPlot", Number(id), null, { ...v, importBatchId: batchId });
        counts.created++;
      } else {
        const r = s.upd.run(v.groupId, p.householdId, v.name, v.category, v.contractArea, v.measuredArea, v.landClass, v.grade, v.basicFarmland ? 1 : 0, v.east, v.south, v.west, v.north, v.contractEnd, now, p.existingId, place.villageId);
        if (r.changes !== 1) throw new Error(`plot ${p.existingId} is no longer in the village`);
        s.audit(actor, place, "update", "ContractedPlot", p.existingId!, Object.fromEntries(p.changes.map((c) => [c.field, c.before])), { ...Object.fromEntries(p.changes.map((c) => [c.field, c.after])), importBatchId: batchId });
        counts.updated++;
      }
    },
    (db) => markImported(db, batchId, counts),
  );
  return counts;
}
