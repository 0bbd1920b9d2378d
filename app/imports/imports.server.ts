/**
 * Import batches: upload → dry run (every row checked, nothing written) →
 * the user imports all rows (only when none has an error) or discards the
 * batch. The uploaded file is kept with the batch so the import applies
 * exactly the file the dry run checked, checked again against the database
 * as it is at that moment. Dry runs and imports are jobs (ADR 016): the
 * request records the batch and queues the job; the job runner process does
 * the work and writes its progress to the Job row, which the batch page reads.
 */
import crypto from "node:crypto";
import type { CurrentUser } from "~/auth/session.server";
import { hasPermission, scopeIncludes } from "~/auth/permissions";
import { recordAudit } from "~/auth/audit.server";
import { currentYear, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { Job } from "@prisma/client";
import { enqueueJob, isActive, latestJobFor } from "~/jobs/jobs.server";
import { registerJobKind, runJobNow, type JobContext, type JobKind } from "~/jobs/runner.server";
import { applyHouseholds, applyPlots, indexUnindexedHouseholds, type ApplyOptions } from "./apply.server";
import { mapHeadings, type ImportKind, IMPORT_KINDS } from "./columns";
import type { Change, Note, RowError } from "./check-common";
import { contractContext, householdContext, plotContext } from "./context.server";
import { applyContracts } from "./apply-contracts.server";
import { checkContractRows, type PlannedContract } from "./contracts";
import { checkHouseholdRows, type PlannedHousehold } from "./households";
import { checkPlotRows, type PlannedPlot } from "./plots";
import { readTable, type RawTable } from "./read-table.server";

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Kinds the app can import (all of them; kept as a list so a new kind can be checked before it can be written). */
export const APPLICABLE_KINDS: readonly ImportKind[] = ["HOUSEHOLDS", "PLOTS", "CONTRACTS"];

export interface Progress {
  phase: "reading" | "checking" | "importing" | "done";
  done: number;
  total: number;
}
const batchRef = (batchId: number) => `ImportBatch:${batchId}`;
const PHASE: Record<string, Progress["phase"]> = { reading: "reading", checking: "checking", importing: "importing", indexing: "importing" };

/** The running job's progress on a batch, or null when none runs. */
export async function progressOf(batchId: number): Promise<Progress | null> {
  const job = await latestJobFor(batchRef(batchId), [IMPORT_CHECK, IMPORT_APPLY]);
  if (!job || !isActive(job.status)) return null;
  return { phase: PHASE[job.phase] ?? (job.kind === IMPORT_APPLY ? "importing" : "reading"), done: job.done, total: job.total };
}

export interface ReportItem {
  rowNumbers: number[];
  action: "create" | "update" | "unchanged";
  label: string;
  changes: Change[];
  notes: Note[];
}

export interface Report {
  fileErrors: Note[];
  rowErrors: [number, RowError[]][];
  unknownHeadings: string[];
  counts: Record<string, number>;
  items: ReportItem[];
}

type Checked =
  | { ok: true; table: RawTable; kind: "HOUSEHOLDS"; plan: PlannedHousehold[]; report: Report }
  | { ok: true; table: RawTable; kind: "PLOTS"; plan: PlannedPlot[]; report: Report }
  | { ok: true; table: RawTable; kind: "CONTRACTS"; plan: PlannedContract[]; report: Report }
  | { ok: false; error: Note };

/** Reads and checks a file against the village as the database holds it now. Writes nothing. */
export async function checkFile(kind: ImportKind, villageId: number, bytes: Uint8Array, fileName: string, currentYear: number): Promise<Checked> {
  const read = await readTable(bytes, fileName);
  if (!read.ok) return { ok: false, error: read.error };
  const table = read.table;
  const headings = mapHeadings(kind, table.headings);
  const base = (fileErrors: Note[], rowErrors: Map<number, RowError[]>, counts: Record<string, number>, items: ReportItem[]): Report => ({
    fileErrors,
    rowErrors: [...rowErrors.entries()],
    unknownHeadings: headings.unknown,
    counts,
    items,
  });
  if (kind === "HOUSEHOLDS") {
    const ctx = await householdContext(villageId, table);
    const c = checkHouseholdRows(table, headings.index, ctx, currentYear);
    const items = c.households.map((h) => ({
      rowNumbers: h.rowNumbers,
      action: h.action,
      label: `${h.input.code} ${h.input.members.find((m) => m.relation === "HEAD")?.name ?? ""}`.trim(),
      changes: h.changes,
      notes: h.notes,
    }));
    return { ok: true, table, kind, plan: c.households, report: base(c.fileErrors, c.rowErrors, c.counts, items) };
  }
  if (kind === "PLOTS") {
    const ctx = await plotContext(villageId, table);
    const c = checkPlotRows(table, headings.index, ctx);
    const items = c.plots.map((p) => ({ rowNumbers: p.rowNumbers, action: p.action, label: `${p.input.parcelCode} ${p.input.name}`.trim(), changes: p.changes, notes: [] }));
    return { ok: true, table, kind, plan: c.plots, report: base(c.fileErrors, c.rowErrors, c.counts, items) };
  }
  const ctx = await contractContext(villageId, today());
  const c = checkContractRows(table, headings.index, ctx);
  const items = c.contracts.map((k) => ({ rowNumbers: k.rowNumbers, action: k.action, label: `${k.contractNo} ${k.input?.transfereeName ?? ""}`.trim(), changes: k.changes, notes: k.notes }));
  return { ok: true, table, kind, plan: c.contracts, report: base(c.fileErrors, c.rowErrors, c.counts, items) };
}

/** Rows with errors; problems of the file as a whole sit on its heading row and count once. */
const errorCount = (r: Report) => (r.rowErrors.length > 0 || r.fileErrors.length === 0 ? r.rowErrors.length : r.fileErrors.length);

/** Villages the user may import into. */
export async function importVillages(user: CurrentUser) {
  if (!hasPermission(user.role, "import:records")) return [];
  const s = user.scope;
  return prisma.village.findMany({
    where: s.kind === "all" ? {} : s.kind === "township" ? { townshipId: s.townshipId } : s.kind === "village" ? { id: s.villageId } : { id: { in: s.villageIds } },
    select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
  });
}

function batchScope(user: CurrentUser) {
  const s = user.scope;
  return s.kind === "all" ? {} : s.kind === "township" ? { townshipId: s.townshipId } : s.kind === "village" ? { villageId: s.villageId } : { villageId: { in: s.villageIds } };
}

export async function listBatches(user: CurrentUser) {
  return prisma.importBatch.findMany({
    where: batchScope(user),
    select: { id: true, kind: true, fileName: true, status: true, rowCount: true, errorCount: true, createCount: true, updateCount: true, unchangedCount: true, createdAt: true, importedAt: true, villageId: true },
    orderBy: { id: "desc" },
    take: 50,
  });
}

export async function getBatch(user: CurrentUser, id: number) {
  const b = await prisma.importBatch.findFirst({ where: { id, ...batchScope(user) }, select: { id: true, kind: true, townshipId: true, villageId: true, fileName: true, status: true, updateExisting: true, rowCount: true, errorCount: true, createCount: true, updateCount: true, unchangedCount: true, report: true, failure: true, createdAt: true, importedAt: true, createdById: true } });
  if (!b) return null;
  // A batch whose job is no longer running was cut off (the runner died); its transaction never committed.
  if (b.status === "CHECKING" || b.status === "IMPORTING") {
    const job = await latestJobFor(batchRef(b.id), [IMPORT_CHECK, IMPORT_APPLY]);
    if (!job || !isActive(job.status)) {
      const status = await putBackInterrupted(b.id, b.status);
      return { ...b, status, failure: "interrupted" };
    }
  }
  return b;
}

export type StartResult = { ok: true; id: number } | { ok: false; field: string; error: Note };

/** Stores the upload and starts its dry run. `wait` runs it to the end before returning (tests, benchmarks). */
export async function startDryRun(
  user: CurrentUser,
  input: { kind: string; villageId: number; fileName: string; bytes: Uint8Array; updateExisting: boolean },
  opts: { wait?: boolean } = {},
): Promise<StartResult> {
  if (!(IMPORT_KINDS as readonly string[]).includes(input.kind)) return { ok: false, field: "kind", error: { key: "importPage.chooseKind" } };
  const village = await prisma.village.findUnique({ where: { id: input.villageId }, select: { id: true, townshipId: true } });
  if (!village || !scopeIncludes(user.scope, { townshipId: village.townshipId, villageId: village.id })) return { ok: false, field: "villageId", error: { key: "importPage.chooseVillage" } };
  if (input.bytes.byteLength === 0) return { ok: false, field: "file", error: { key: "importPage.fileRequired" } };
  if (input.bytes.byteLength > MAX_FILE_BYTES) return { ok: false, field: "file", error: { key: "importPage.fileTooLarge", params: { mb: MAX_FILE_BYTES / 1024 / 1024 } } };
  const { b, jobId } = await prisma.$transaction(async (tx) => {
    const b = await tx.importBatch.create({
    data: {
      kind: input.kind,
      townshipId: village.townshipId,
      villageId: village.id,
      fileName: input.fileName.slice(0, 200),
      fileSha256: crypto.createHash("sha256").update(input.bytes).digest("hex"),
      file: Buffer.from(input.bytes),
      status: "CHECKING",
      updateExisting: input.updateExisting,
      createdById: user.id,
    },
    select: { id: true },
    });
    const jobId = await enqueueJob(IMPORT_CHECK, { batchId: b.id }, { id: user.id, townshipId: village.townshipId, villageId: village.id }, batchRef(b.id), tx);
    return { b, jobId };
  });
  if (opts.wait) await runNow(jobId);
  return { ok: true, id: b.id };
}

async function runDryRun(id: number, ctx: JobContext): Promise<void> {
  {
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id } });
    ctx.progress("checking", 0, 0, true);
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, new Uint8Array(b.file), b.fileName, currentYear());
    if (!checked.ok) {
      await prisma.importBatch.update({ where: { id }, data: { status: "FAILED", failure: JSON.stringify(checked.error) } });
      return;
    }
    const r = checked.report;
    await prisma.importBatch.update({
      where: { id },
      data: {
        status: "CHECKED",
        rowCount: checked.table.rows.length,
        errorCount: errorCount(r),
        createCount: r.counts.create ?? 0,
        updateCount: r.counts.update ?? 0,
        unchangedCount: r.counts.unchanged ?? 0,
        report: JSON.stringify(r),
      },
    });
  }
}

export type ImportStart = { ok: true } | { ok: false; error: Note };

/** Imports every row of a checked batch without errors, in one transaction. */
export async function startImport(user: CurrentUser, id: number, opts: { wait?: boolean; apply?: Pick<ApplyOptions, "beforeRecord" | "chunk"> } = {}): Promise<ImportStart | null> {
  const b = await getBatch(user, id);
  if (!b) return null;
  if (!hasPermission(user.role, "import:records")) return { ok: false, error: { key: "importPage.notAllowed" } };
  if (!(APPLICABLE_KINDS as readonly string[]).includes(b.kind)) return { ok: false, error: { key: "importPage.kindNotYet" } };
  if (b.status !== "CHECKED") return { ok: false, error: { key: "importPage.notReady" } };
  if (b.errorCount > 0) return { ok: false, error: { key: "importPage.hasErrors", params: { n: b.errorCount } } };
  // The batch's claim and its job commit together: a batch is never IMPORTING without a job.
  const jobId = await prisma.$transaction(async (tx) => {
    const claimed = await tx.importBatch.updateMany({ where: { id, status: "CHECKED", errorCount: 0 }, data: { status: "IMPORTING", failure: "" } });
    if (claimed.count !== 1) return null;
    return enqueueJob(IMPORT_APPLY, { batchId: id, actor: { id: user.id, username: user.username } }, { id: user.id, townshipId: b.townshipId, villageId: b.villageId }, batchRef(id), tx);
  });
  if (jobId == null) return { ok: false, error: { key: "importPage.notReady" } };
  if (opts.apply) inlineHooks.set(jobId, opts.apply);
  if (opts.wait) await runNow(jobId);
  return { ok: true };
}

/** Test hooks for a job run in this process (runJobNow), by job id. */
const inlineHooks = new Map<number, Pick<ApplyOptions, "beforeRecord" | "chunk">>();

async function runImport(user: { id: number; username: string }, id: number, hooks: Pick<ApplyOptions, "beforeRecord" | "chunk">, ctx: JobContext): Promise<void> {
  try {
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id } });
    ctx.progress("checking", 0, 0, true);
    // The database may have changed since the dry run: check again, and refuse rather than import what was not shown.
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, new Uint8Array(b.file), b.fileName, currentYear());
    if (!checked.ok || errorCount(checked.report) > 0) {
      await prisma.importBatch.update({
        where: { id },
        data: { status: "CHECKED", errorCount: checked.ok ? errorCount(checked.report) : 1, report: checked.ok ? JSON.stringify(checked.report) : b.report, failure: "changedSinceDryRun" },
      });
      return;
    }
    const actor = { id: user.id, username: user.username };
    const place = { townshipId: b.townshipId, villageId: b.villageId! };
    const opts: ApplyOptions = { updateExisting: b.updateExisting, ...hooks, onProgress: (done, total, phase = "importing") => ctx.progress(phase, done, total) };
    const counts =
      checked.kind === "HOUSEHOLDS"
        ? await applyHouseholds(id, actor, place, checked.plan, opts)
        : checked.kind === "PLOTS"
          ? await applyPlots(id, actor, place, checked.plan, opts)
          : await applyContracts(id, actor, place, checked.plan, opts);
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "import", entity: "ImportBatch", entityId: id, townshipId: b.townshipId, villageId: b.villageId, after: { kind: b.kind, fileName: b.fileName, rows: checked.table.rows.length, ...counts } });
  } catch (e) {
    // Nothing was written: the transaction rolled back. The batch says why.
    await prisma.importBatch.updateMany({ where: { id, status: "IMPORTING" }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
  }
}

// ─── Jobs ──────────────────────────────────────────────────────────────────

export const IMPORT_CHECK = "IMPORT_CHECK";
export const IMPORT_APPLY = "IMPORT_APPLY";

const inputOf = (job: Job) => JSON.parse(job.input) as { batchId: number; actor?: { id: number; username: string } };

/**
 * A batch whose job died returns to where it can be taken up again: a dry
 * run to FAILED (upload again), an import to CHECKED (nothing was written:
 * its transaction never committed; or, if it did, the batch is IMPORTED and
 * only the search index is finished here).
 */
async function putBackInterrupted(batchId: number, status: string): Promise<string> {
  if (status === "IMPORTING") {
    const back = await prisma.importBatch.updateMany({ where: { id: batchId, status: "IMPORTING" }, data: { status: "CHECKED", failure: "interrupted" } });
    return back.count === 1 ? "CHECKED" : (await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId }, select: { status: true } })).status;
  }
  await prisma.importBatch.updateMany({ where: { id: batchId, status: "CHECKING" }, data: { status: "FAILED", failure: "interrupted" } });
  return "FAILED";
}

export const importJobKinds: Record<string, JobKind> = {
  [IMPORT_CHECK]: {
    async run(job, ctx) {
      const { batchId } = inputOf(job);
      await runDryRun(batchId, ctx);
      return { result: { batchId } };
    },
    async onInterrupted(job) {
      await putBackInterrupted(inputOf(job).batchId, "CHECKING");
    },
    async onFailed(job, e) {
      await prisma.importBatch.updateMany({ where: { id: inputOf(job).batchId, status: "CHECKING" }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
    },
  },
  [IMPORT_APPLY]: {
    async run(job, ctx) {
      const { batchId, actor } = inputOf(job);
      const hooks = inlineHooks.get(job.id) ?? {};
      inlineHooks.delete(job.id);
      await runImport(actor!, batchId, hooks, ctx);
      return { result: { batchId } };
    },
    async onInterrupted(job) {
      const batchId = inputOf(job).batchId;
      const b = await prisma.importBatch.findUnique({ where: { id: batchId }, select: { status: true, villageId: true } });
      // The rows committed before the runner died: only the search index may be unfinished.
      if (b?.status === "IMPORTED" && b.villageId) await indexUnindexedHouseholds(b.villageId);
      else await putBackInterrupted(batchId, "IMPORTING");
    },
  },
};

/** Runs a queued job of this module in this process (tests, the bench, `wait`). */
async function runNow(jobId: number): Promise<void> {
  for (const [kind, handler] of Object.entries(importJobKinds)) registerJobKind(kind, handler);
  await runJobNow(jobId);
}

export async function discardBatch(user: CurrentUser, id: number): Promise<boolean | null> {
  const b = await getBatch(user, id);
  if (!b) return null;
  const r = await prisma.importBatch.updateMany({ where: { id, status: { in: ["CHECKED", "FAILED"] } }, data: { status: "DISCARDED" } });
  return r.count === 1;
}

/** The uploaded file and its dry-run report, for the error file. */
export async function batchFileAndReport(user: CurrentUser, id: number) {
  const b = await prisma.importBatch.findFirst({ where: { id, ...batchScope(user) }, select: { file: true, fileName: true, report: true } });
  if (!b) return null;
  const read = await readTable(new Uint8Array(b.file), b.fileName);
  if (!read.ok) return null;
  const report = JSON.parse(b.report) as Partial<Report>;
  return { fileName: b.fileName, table: read.table, rowErrors: new Map<number, RowError[]>(report.rowErrors ?? []), fileErrors: report.fileErrors ?? [] };
}
