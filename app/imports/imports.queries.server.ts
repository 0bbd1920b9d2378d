/**
 * The import capability's raw SQL (docs/decisions/018-data-access-layer.md):
 * the writer's statements (thousands of rows in one short transaction) and
 * the checks' bulk reads, on the raw connection of app/lib/raw-db.server.ts
 * (ADR 012, 016, 019). Every function takes the connection `db`; the caller
 * opens it and, for writes, the transaction (`db.transaction`), so the lock
 * covers exactly what the caller puts inside. Each statement runs as written
 * on SQLite and PostgreSQL (`?` parameters, double-quoted names); where the
 * engines differ, `db.engine` picks the variant here.
 *
 * Rows come back as raw-db gives them on both engines: integers as numbers,
 * booleans as 1/0, instants as ISO text, blobs as Buffers.
 */
import { placeholders, withRawConnection, type Param, type RawDb } from "~/lib/raw-db.server";

// The import's server modules reach the raw connection through this module only.
export { withRawConnection, type Param, type RawDb };

/** An instant as Prisma stores DateTime (ISO 8601 with "+00:00"). */
type Instant = string;

// ─── New rows (column order is the INSERT's: keep it, insertMany prepares one statement per column list) ───

export type NewHousehold = {
  code: string;
  townshipId: number;
  villageId: number;
  groupId: number;
  headName: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
  status: string;
  statusYear: number | null;
  statusReason: string;
  monitoringCategory: string | null;
  riskTypes: string;
  statusDate: Instant;
  createdAt: Instant;
  updatedAt: Instant;
};

export type NewPerson = {
  householdId: number;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: string;
  relation: string;
  ableToWork: boolean;
  phone: string;
  /** a China date, or null (unknown) */
  joinedOn: string | null;
  leftOn: null;
};

export type NewStatusChange = {
  householdId: number;
  status: string;
  year: number | null;
  reason: string;
  monitoringCategory: string | null;
  riskTypes: string;
  effectiveOn: Instant;
  recordedById: number;
  recordedAt: Instant;
};

export type NewSearchTerm = { term: string; townshipId: number; villageId: number; householdId: number };

export type NewAuditEvent = {
  at: Instant;
  actorId: number;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  townshipId: number;
  villageId: number;
  before: string | null;
  after: string | null;
};

/** A contracted plot's columns an import sets (creates and updates alike). */
export type PlotColumns = {
  groupId: number;
  householdId: number;
  name: string;
  category: string;
  contractArea: string;
  measuredArea: string | null;
  landClass: string;
  grade: string;
  basicFarmland: boolean;
  east: string;
  south: string;
  west: string;
  north: string;
  contractEnd: string;
};

/** A new ContractedPlot row: the place, the owner, the parcel code, the columns, the instants. */
export type NewPlot = Record<string, Param> & PlotColumns & { townshipId: number; villageId: number; parcelCode: string; createdAt: Instant; updatedAt: Instant };

/** A TransferContract row: the contract module's own columns (contractData) plus the import's. */
export type NewContract = Record<string, Param> & { draftNo: string; createdAt: Instant; updatedAt: Instant };

export type NewContractPlot = { contractId: number; plotId: number; householdId: number; area: string };

export type NewContractParty = { contractId: number; householdId: number; entrustmentNo: string; entrustmentDate: string | null; receivingAccount: string };

export type NewInstallment = {
  contractId: number;
  householdId: number;
  townshipId: number;
  villageId: number;
  seq: number;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  area: string;
  rateNote: string;
  amountFen: bigint | null;
  paidFen: bigint;
};

export type NewRentPayment = {
  installmentId: number;
  contractId: number;
  householdId: number;
  townshipId: number;
  villageId: number;
  paidOn: string;
  amountFen: bigint;
  method: string;
  receiptNo: string;
  recordedById: number;
  createdAt: Instant;
};

// ─── Batches and jobs ──────────────────────────────────────────────────────

/**
 * The kept upload's bytes, read straight from the database: through the ORM a
 * 10 MB file comes back as an array of ten million numbers first.
 */
export async function batchFile(db: RawDb, id: number): Promise<Buffer | undefined> {
  const row = await db.get<{ file: Buffer }>(`SELECT "file" FROM "ImportBatch" WHERE "id" = ?`, [id]);
  return row?.file;
}

/** The job's heartbeat, only while it is still RUNNING on `workerId`; resolves to the rows changed (1 or 0). */
export function touchRunningJob(db: RawDb, jobId: number, workerId: string, at: Date): Promise<number> {
  return db.run(`UPDATE "Job" SET "heartbeatAt" = ? WHERE "id" = ? AND "status" = 'RUNNING' AND "workerId" = ?`, [at, jobId, workerId]);
}

/** The batch becomes IMPORTED with its counts, only from IMPORTING; resolves to the rows changed (1 or 0). */
export function markBatchImported(db: RawDb, batchId: number, counts: { created: number; updated: number; unchanged: number }, importedAt: Instant): Promise<number> {
  return db.run(`UPDATE "ImportBatch" SET "status" = 'IMPORTED', "createCount" = ?, "updateCount" = ?, "unchangedCount" = ?, "importedAt" = ? WHERE "id" = ? AND "status" = 'IMPORTING'`, [
    counts.created,
    counts.updated,
    counts.unchanged,
    importedAt,
    batchId,
  ]);
}

export function insertAuditEvents(db: RawDb, rows: readonly NewAuditEvent[]): Promise<number[]> {
  return db.insertMany("AuditEvent", rows);
}

// ─── Checks ────────────────────────────────────────────────────────────────

/**
 * Current members of households outside the village among `ids` (ID
 * numbers): one query over the ID-number index with the numbers as one JSON
 * array. (Through the ORM, 500 at a time, 200,000 numbers took 400 queries,
 * three seconds and a hundred MB.)
 */
export function idNumbersElsewhere(db: RawDb, ids: readonly string[], villageId: number): Promise<{ idNumber: string; householdCode: string; villageName: string }[]> {
  // taking a JSON array apart: jsonb_array_elements_text on PostgreSQL, json_each on SQLite
  const list = db.engine === "postgres" ? "SELECT jsonb_array_elements_text(?::jsonb)" : "SELECT value FROM json_each(?)";
  return db.all<{ idNumber: string; householdCode: string; villageName: string }>(
    `SELECT p."idNumber" AS "idNumber", h."code" AS "householdCode", v."name" AS "villageName"
           FROM "Person" p JOIN "Household" h ON h."id" = p."householdId" JOIN "Village" v ON v."id" = h."villageId"
          WHERE p."idNumber" IN (${list}) AND p."leftOn" IS NULL AND h."villageId" <> ?`,
    [JSON.stringify(ids), villageId],
  );
}

// ─── Households ────────────────────────────────────────────────────────────

/** Inserts the households; resolves to their new ids, in order. */
export function insertHouseholds(db: RawDb, rows: readonly NewHousehold[]): Promise<number[]> {
  return db.insertMany("Household", rows, { ids: true });
}

type StoredStatus = { status: string; statusYear: number | null; statusReason: string; monitoringCategory: string | null; riskTypes: string };
export async function householdStatus(db: RawDb, id: number, villageId: number): Promise<StoredStatus | undefined> {
  return db.get<StoredStatus>(`SELECT "status", "statusYear", "statusReason", "monitoringCategory", "riskTypes" FROM "Household" WHERE "id" = ? AND "villageId" = ?`, [id, villageId]);
}

/** A household's columns from the file; a null `statusDate` keeps the stored one. Resolves to the rows changed. */
export function updateHousehold(
  db: RawDb,
  id: number,
  villageId: number,
  v: {
    code: string;
    groupId: number;
    headName: string;
    address: string;
    phone: string;
    bankName: string;
    bankAccount: string;
    status: string;
    statusYear: number | null;
    statusReason: string;
    monitoringCategory: string | null;
    riskTypes: string;
    statusDate: Instant | null;
    updatedAt: Instant;
  },
): Promise<number> {
  return db.run(
    `UPDATE "Household" SET "code" = ?, "groupId" = ?, "headName" = ?, "address" = ?, "phone" = ?, "bankName" = ?, "bankAccount" = ?, "status" = ?, "statusYear" = ?, "statusReason" = ?, "monitoringCategory" = ?, "riskTypes" = ?, "statusDate" = COALESCE(?, "statusDate"), "updatedAt" = ? WHERE "id" = ? AND "villageId" = ?`,
    [v.code, v.groupId, v.headName, v.address, v.phone, v.bankName, v.bankAccount, v.status, v.statusYear, v.statusReason, v.monitoringCategory, v.riskTypes, v.statusDate, v.updatedAt, id, villageId],
  );
}

/** A member's columns from the file; a null `joinedOn` keeps the stored one. Resolves to the rows changed. */
export function updatePerson(
  db: RawDb,
  id: number,
  householdId: number,
  v: { name: string; idNumber: string; birthDate: string; sex: string; relation: string; ableToWork: boolean; phone: string; joinedOn: string | null },
): Promise<number> {
  return db.run(`UPDATE "Person" SET "name" = ?, "idNumber" = ?, "birthDate" = ?, "sex" = ?, "relation" = ?, "ableToWork" = ?, "phone" = ?, "joinedOn" = COALESCE(?, "joinedOn") WHERE "id" = ? AND "householdId" = ?`, [
    v.name,
    v.idNumber,
    v.birthDate,
    v.sex,
    v.relation,
    v.ableToWork,
    v.phone,
    v.joinedOn,
    id,
    householdId,
  ]);
}

export function insertPeople(db: RawDb, rows: readonly NewPerson[]): Promise<number[]> {
  return db.insertMany("Person", rows);
}

export function insertStatusChanges(db: RawDb, rows: readonly NewStatusChange[]): Promise<number[]> {
  return db.insertMany("HouseholdStatusChange", rows);
}

// ─── The household search index ────────────────────────────────────────────

/** Drops one household's search terms (rebuilt after the import commits). */
export function deleteHouseholdSearchTerms(db: RawDb, householdId: number): Promise<number> {
  return db.run(`DELETE FROM "HouseholdSearchTerm" WHERE "householdId" = ?`, [householdId]);
}

/** Drops the search terms of the given households (one chunk of the index rebuild). */
export function deleteSearchTerms(db: RawDb, householdIds: readonly number[]): Promise<number> {
  return db.run(`DELETE FROM "HouseholdSearchTerm" WHERE "householdId" IN (${placeholders(householdIds.length)})`, householdIds);
}

/** Inserts search terms; a term already there is left out. */
export function insertSearchTerms(db: RawDb, rows: readonly NewSearchTerm[]): Promise<number[]> {
  return db.insertMany("HouseholdSearchTerm", rows, { ignoreConflicts: true });
}

/** What the search index is built from: the households… */
export function householdsToIndex(db: RawDb, ids: readonly number[]): Promise<{ id: number; townshipId: number; villageId: number; phone: string }[]> {
  return db.all<{ id: number; townshipId: number; villageId: number; phone: string }>(`SELECT "id", "townshipId", "villageId", "phone" FROM "Household" WHERE "id" IN (${placeholders(ids.length)})`, ids);
}

/** …and their current members, in the order they were added. */
export function membersToIndex(db: RawDb, householdIds: readonly number[]): Promise<{ householdId: number; name: string; idNumber: string; phone: string }[]> {
  return db.all<{ householdId: number; name: string; idNumber: string; phone: string }>(
    `SELECT "householdId", "name", "idNumber", "phone" FROM "Person" WHERE "householdId" IN (${placeholders(householdIds.length)}) AND "leftOn" IS NULL ORDER BY "id"`,
    householdIds,
  );
}

/** The village's households without any search term. */
export async function unindexedHouseholds(db: RawDb, villageId: number): Promise<number[]> {
  const rows = await db.all<{ id: number }>(`SELECT h."id" FROM "Household" h WHERE h."villageId" = ? AND NOT EXISTS (SELECT 1 FROM "HouseholdSearchTerm" t WHERE t."householdId" = h."id")`, [villageId]);
  return rows.map((r) => r.id);
}

// ─── Contracted plots ──────────────────────────────────────────────────────

/** Inserts the plots; resolves to their new ids, in order. */
export function insertPlots(db: RawDb, rows: readonly NewPlot[]): Promise<number[]> {
  return db.insertMany("ContractedPlot", rows, { ids: true });
}

/** A plot's columns from the file; resolves to the rows changed (0 when it left the village). */
export function updatePlot(db: RawDb, id: number, villageId: number, c: PlotColumns, updatedAt: Instant): Promise<number> {
  return db.run(
    `UPDATE "ContractedPlot" SET "groupId" = ?, "householdId" = ?, "name" = ?, "category" = ?, "contractArea" = ?, "measuredArea" = ?, "landClass" = ?, "grade" = ?, "basicFarmland" = ?, "east" = ?, "south" = ?, "west" = ?, "north" = ?, "contractEnd" = ?, "updatedAt" = ? WHERE "id" = ? AND "villageId" = ?`,
    [c.groupId, c.householdId, c.name, c.category, c.contractArea, c.measuredArea, c.landClass, c.grade, c.basicFarmland, c.east, c.south, c.west, c.north, c.contractEnd, updatedAt, id, villageId],
  );
}

// ─── Transfer contracts ────────────────────────────────────────────────────

/** The highest stored draft number after `prefix` (the village and year's, e.g. "D12-2026-"), or null. */
export async function highestDraftNo(db: RawDb, prefix: string): Promise<string | null> {
  const stored = await db.get<{ draftNo: string }>(`SELECT "draftNo" FROM "TransferContract" WHERE "draftNo" > ? AND "draftNo" < ? ORDER BY "draftNo" DESC LIMIT 1`, [prefix, `${prefix}\uffff`]);
  return stored?.draftNo ?? null;
}

/** Inserts the contracts; resolves to their new ids, in order. */
export function insertContracts(db: RawDb, rows: readonly NewContract[]): Promise<number[]> {
  return db.insertMany("TransferContract", rows, { ids: true });
}

export function insertContractPlots(db: RawDb, rows: readonly NewContractPlot[]): Promise<number[]> {
  return db.insertMany("ContractPlot", rows);
}

export function insertContractParties(db: RawDb, rows: readonly NewContractParty[]): Promise<number[]> {
  return db.insertMany("ContractParty", rows);
}

/** Inserts the installments; resolves to their new ids, in order. */
export function insertInstallments(db: RawDb, rows: readonly NewInstallment[]): Promise<number[]> {
  return db.insertMany("RentInstallment", rows, { ids: true });
}

export function insertRentPayments(db: RawDb, rows: readonly NewRentPayment[]): Promise<number[]> {
  return db.insertMany("RentPayment", rows);
}
