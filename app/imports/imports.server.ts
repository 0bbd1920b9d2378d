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
import fs from "node:fs";
import type { CurrentUser } from "~/auth/session.server";
import { can, hasPermission } from "~/auth/permissions";
import { placeScopeWhere, villageScopeWhere } from "~/auth/permissions.server";
import { recordAudit } from "~/auth/audit.server";
import { currentYear, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { Job } from "@prisma/client";
import { enqueueJob, isActive, latestJobFor, resultFilePath } from "~/jobs/jobs.server";
import { translator } from "~/i18n";
import { DEFAULT_LOCALE, isLocale, type Locale } from "~/lib/i18n";
import { registerJobKind, runJobNow, type JobContext, type JobKind } from "~/jobs/runner.server";
import { applyHouseholds, applyPlots, indexUnindexedHouseholds, JobNoLongerRunning, type ApplyOptions } from "./apply.server";
import { mapHeadings, type ImportKind, IMPORT_KINDS } from "./columns";
import type { Note, RowError } from "./check-common";
import { contractContext, householdContext, plotContext } from "./context.server";
import { applyContracts } from "./apply-contracts.server";
import { checkContractRows, type PlannedContract } from "./contracts";
import { checkHouseholdRows, type PlannedHousehold } from "./households";
import { checkPlotRows, type PlannedPlot } from "./plots";
import { readTable, type RawTable } from "./read-table.server";
import { errorFileXlsx, errorFileXlsxTo } from "./error-file.server";
import { allRowErrors, parseReport, removePages, storeReport, type FullReport, type ReportItem, type StoredReport } from "./report-store.server";
import { batchFile, withRawConnection } from "./imports.queries.server";

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

export type { ReportItem, StoredReport };
/** A check's whole report, in memory; the batch keeps a summary of it (report-store.server.ts). */
export type Report = FullReport;

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

/**
 * The kept upload, read straight from the database on a raw connection:
 * through the ORM a 10 MB file comes back as an array of ten million numbers
 * first (hundreds of MB for a moment).
 */
async function keptFile(id: number): Promise<Uint8Array> {
  const file = await withRawConnection((db) => batchFile(db, id), { readonly: true });
  if (!file) throw new Error(`import batch ${id} is gone`);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

/** Rows with errors; problems of the file as a whole sit on its heading row and count once. */
const errorCount = (r: Report) => (r.rowErrors.length > 0 || r.fileErrors.length === 0 ? r.rowErrors.length : r.fileErrors.length);

/** Villages the user may import into. */
export async function importVillages(user: CurrentUser) {
  if (!hasPermission(user.role, "import:records")) return [];
  return prisma.village.findMany({
    where: villageScopeWhere(user.scope),
    select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
  });
}

function batchScope(user: CurrentUser) {
  return placeScopeWhere(user.scope, (s) => ({ villageId: { in: s.villageIds } }));
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
  input: { kind: string; villageId: number; fileName: string; bytes: Uint8Array; updateExisting: boolean; locale?: Locale },
  opts: { wait?: boolean } = {},
): Promise<StartResult> {
  if (!(IMPORT_KINDS as readonly string[]).includes(input.kind)) return { ok: false, field: "kind", error: { key: "importPage.chooseKind" } };
  const village = await prisma.village.findUnique({ where: { id: input.villageId }, select: { id: true, townshipId: true } });
  if (!village || !can(user, "import:records", { townshipId: village.townshipId, villageId: village.id })) return { ok: false, field: "villageId", error: { key: "importPage.chooseVillage" } };
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
    // The error file is written in the uploader's language.
    const jobId = await enqueueJob(IMPORT_CHECK, { batchId: b.id, locale: input.locale ?? DEFAULT_LOCALE }, { id: user.id, townshipId: village.townshipId, villageId: village.id }, batchRef(b.id), tx);
    return { b, jobId };
  });
  if (opts.wait) await runNow(jobId);
  return { ok: true, id: b.id };
}

/**
 * The dry run: checks the kept file and stores the report's summary (and its
 * pages of row errors); when rows have errors, the error workbook is written
 * as the job's result file, which the error-file link then serves as it is.
 */
async function runDryRun(id: number, job: Job, ctx: JobContext): Promise<{ file?: { path: string; name: string; type: string } }> {
  const b = await prisma.importBatch.findUniqueOrThrow({ where: { id }, select: { kind: true, villageId: true, fileName: true } });
  ctx.progress("checking", 0, 0, true);
  const checked = await checkFile(b.kind as ImportKind, b.villageId!, await keptFile(id), b.fileName, currentYear());
  if (!checked.ok) {
    await prisma.importBatch.updateMany({ where: { id }, data: { status: "FAILED", failure: JSON.stringify(checked.error) } });
    return {};
  }
  const r = checked.report;
  const errors = errorCount(r);
  const locale = localeOf(job);
  const file = errors > 0 ? await writeErrorFile(job.id, checked.table, r, b.fileName, locale) : undefined;
  const stored = storeReport(id, r);
  if (file) stored.errorFile = { jobId: job.id, locale };
  await prisma.importBatch.updateMany({
    where: { id },
    data: {
      status: "CHECKED",
      rowCount: checked.table.rows.length,
      errorCount: errors,
      createCount: r.counts.create ?? 0,
      updateCount: r.counts.update ?? 0,
      unchangedCount: r.counts.unchanged ?? 0,
      report: JSON.stringify(stored),
    },
  });
  return { file };
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const errorFileName = (fileName: string) => `${fileName.replace(/\.(xlsx|csv)$/i, "")}-错误说明.xlsx`;

/** The error workbook of a checked file, written to a fresh result file of the job. */
async function writeErrorFile(jobId: number, table: RawTable, r: Pick<FullReport, "rowErrors"> | Map<number, RowError[]>, fileName: string, locale: Locale) {
  const path = resultFilePath(jobId, "xlsx");
  const out = fs.createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  try {
    await errorFileXlsxTo(out, table, r instanceof Map ? r : new Map(r.rowErrors), translator(locale));
    await closed;
  } catch (e) {
    out.destroy();
    fs.rmSync(path, { force: true });
    throw e;
  }
  return { path, name: errorFileName(fileName), type: XLSX_TYPE };
}

export type ImportStart = { ok: true } | { ok: false; error: Note };

/** Imports every row of a checked batch without errors, in one transaction. */
export async function startImport(user: CurrentUser, id: number, opts: { wait?: boolean; apply?: Pick<ApplyOptions, "beforeRecord" | "chunk">; locale?: Locale; reason?: string } = {}): Promise<ImportStart | null> {
  const b = await getBatch(user, id);
  if (!b) return null;
  if (!can(user, "import:records", b)) return { ok: false, error: { key: "importPage.notAllowed" } };
  if (!(APPLICABLE_KINDS as readonly string[]).includes(b.kind)) return { ok: false, error: { key: "importPage.kindNotYet" } };
  if (b.status !== "CHECKED") return { ok: false, error: { key: "importPage.notReady" } };
  if (b.errorCount > 0) return { ok: false, error: { key: "importPage.hasErrors", params: { n: b.errorCount } } };
  // The batch's claim and its job commit together: a batch is never IMPORTING without a job.
  const jobId = await prisma.$transaction(async (tx) => {
    const claimed = await tx.importBatch.updateMany({ where: { id, status: "CHECKED", errorCount: 0 }, data: { status: "IMPORTING", failure: "" } });
    if (claimed.count !== 1) return null;
    return enqueueJob(IMPORT_APPLY, { batchId: id, actor: { id: user.id, username: user.username }, locale: opts.locale ?? DEFAULT_LOCALE, ...(opts.reason ? { reason: opts.reason } : {}) }, { id: user.id, townshipId: b.townshipId, villageId: b.villageId }, batchRef(id), tx);
  });
  if (jobId == null) return { ok: false, error: { key: "importPage.notReady" } };
  if (opts.apply) inlineHooks.set(jobId, opts.apply);
  if (opts.wait) await runNow(jobId);
  return { ok: true };
}

/** Test hooks for a job run in this process (runJobNow), by job id. */
const inlineHooks = new Map<number, Pick<ApplyOptions, "beforeRecord" | "chunk">>();

async function runImport(user: { id: number; username: string }, id: number, hooks: Pick<ApplyOptions, "beforeRecord" | "chunk">, job: Job, ctx: JobContext): Promise<{ file?: { path: string; name: string; type: string }; lockMs: number }> {
  let file: { path: string; name: string; type: string } | undefined;
  // the longest the import held the write lock at a time: the job's result says it
  let lockMs = 0;
  try {
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id }, select: { kind: true, townshipId: true, villageId: true, fileName: true, report: true, updateExisting: true } });
    ctx.progress("checking", 0, 0, true);
    // The database may have changed since the dry run: check again, and refuse rather than import what was not shown.
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, await keptFile(id), b.fileName, currentYear());
    if (!checked.ok || errorCount(checked.report) > 0) {
      // The report shown (and its error file) becomes the new one.
      let report = b.report;
      if (checked.ok) {
        const stored = storeReport(id, checked.report);
        const locale = localeOf(job);
        file = await writeErrorFile(job.id, checked.table, checked.report, b.fileName, locale);
        stored.errorFile = { jobId: job.id, locale };
        removePages(parseReport(b.report));
        report = JSON.stringify(stored);
      }
      await prisma.importBatch.updateMany({
        where: { id },
        data: { status: "CHECKED", errorCount: checked.ok ? errorCount(checked.report) : 1, report, failure: "changedSinceDryRun" },
      });
      return { file, lockMs };
    }
    const actor = { id: user.id, username: user.username };
    const place = { townshipId: b.townshipId, villageId: b.villageId! };
    const opts: ApplyOptions = {
      updateExisting: b.updateExisting,
      ...hooks,
      onProgress: (done, total, phase = "importing") => ctx.progress(phase, done, total),
      onLockHeld: (ms) => void (lockMs = Math.max(lockMs, Math.round(ms))),
      // the rows commit only while this runner still holds the job
      job: { id: job.id, workerId: ctx.workerId },
    };
    const counts =
      checked.kind === "HOUSEHOLDS"
        ? await applyHouseholds(id, actor, place, checked.plan, opts)
        : checked.kind === "PLOTS"
          ? await applyPlots(id, actor, place, checked.plan, opts)
          : await applyContracts(id, actor, place, checked.plan, opts);
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "import", entity: "ImportBatch", entityId: id, townshipId: b.townshipId, villageId: b.villageId, after: { kind: b.kind, fileName: b.fileName, rows: checked.table.rows.length, ...counts, ...(inputOf(job).reason ? { reason: inputOf(job).reason } : {}) } });
  } catch (e) {
    // Nothing was written: the transaction rolled back. The batch says why (unless a restarted runner has since put it back).
    if (!(e instanceof JobNoLongerRunning)) await prisma.importBatch.updateMany({ where: { id, status: "IMPORTING" }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
    if (file) fs.rmSync(file.path, { force: true });
    file = undefined;
  }
  return { file, lockMs };
}

// ─── Jobs ──────────────────────────────────────────────────────────────────

export const IMPORT_CHECK = "IMPORT_CHECK";
export const IMPORT_APPLY = "IMPORT_APPLY";

export const IMPORT_ERRORS = "IMPORT_ERRORS";

const inputOf = (job: Job) => JSON.parse(job.input) as { batchId: number; actor?: { id: number; username: string }; locale?: string; reason?: string };
const localeOf = (job: Job): Locale => {
  const l = inputOf(job).locale;
  return isLocale(l) ? l : DEFAULT_LOCALE;
};

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
      const { file } = await runDryRun(batchId, job, ctx);
      return { result: { batchId }, file };
    },
    async onInterrupted(job) {
      await putBackInterrupted(inputOf(job).batchId, "CHECKING");
    },
    async onFailed(job, e) {
      await prisma.importBatch.updateMany({ where: { id: inputOf(job).batchId, status: "CHECKING" }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
    },
  },
  [IMPORT_ERRORS]: {
    async run(job, ctx) {
      const { batchId } = inputOf(job);
      ctx.progress("rendering", 0, 0, true);
      const f = await fileAndRowErrors(batchId);
      if (!f) throw new Error("the batch's file can no longer be read");
      return { result: { batchId }, file: await writeErrorFile(job.id, f.table, f.rowErrors, f.fileName, localeOf(job)) };
    },
  },
  [IMPORT_APPLY]: {
    async run(job, ctx) {
      const { batchId, actor } = inputOf(job);
      const hooks = inlineHooks.get(job.id) ?? {};
      inlineHooks.delete(job.id);
      const { file, lockMs } = await runImport(actor!, batchId, hooks, job, ctx);
      return { result: { batchId, lockMs }, file };
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

/**
 * The uploaded file and every row error of its report, for the error file.
 * When the report's pages are no longer kept, the kept file is checked again.
 */
export async function batchFileAndReport(user: CurrentUser, id: number) {
  const b = await prisma.importBatch.findFirst({ where: { id, ...batchScope(user) }, select: { id: true } });
  return b ? fileAndRowErrors(id) : null;
}

async function fileAndRowErrors(id: number) {
  const b = await prisma.importBatch.findUniqueOrThrow({ where: { id }, select: { kind: true, villageId: true, fileName: true, report: true } });
  const bytes = await keptFile(id);
  const report = parseReport(b.report);
  const kept = allRowErrors(report);
  if (kept === null) {
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, bytes, b.fileName, currentYear());
    if (!checked.ok) return null;
    return { fileName: b.fileName, table: checked.table, rowErrors: new Map(checked.report.rowErrors), fileErrors: checked.report.fileErrors };
  }
  const read = await readTable(bytes, b.fileName);
  if (!read.ok) return null;
  return { fileName: b.fileName, table: read.table, rowErrors: kept, fileErrors: report.fileErrors };
}

/** Batches up to this many rows get their error file made on the request when no stored one fits; larger ones by a job. */
export const INLINE_ERROR_FILE_ROWS = 5_000;

export type ErrorFile =
  | { kind: "stored"; path: string; name: string }
  | { kind: "made"; body: Buffer; name: string }
  | { kind: "job"; jobId: number };

/**
 * The error workbook of a batch with errors, in the reader's language: the
 * one its dry run wrote when it is still kept (and in that language), else
 * made now for a small batch, else by a job whose page the reader is sent to.
 */
export async function errorFileFor(user: CurrentUser, id: number, locale: Locale): Promise<ErrorFile | null> {
  const b = await prisma.importBatch.findFirst({ where: { id, ...batchScope(user) }, select: { id: true, fileName: true, rowCount: true, report: true, townshipId: true, villageId: true } });
  if (!b) return null;
  const report = parseReport(b.report);
  // the dry run's own workbook, or one an error-file job made since (newest first)
  const made = await prisma.job.findMany({ where: { ref: batchRef(id), kind: { in: [IMPORT_CHECK, IMPORT_APPLY, IMPORT_ERRORS] }, status: "DONE", NOT: { resultPath: "" } }, orderBy: { id: "desc" }, take: 10 });
  for (const job of made) {
    const current = job.kind === IMPORT_ERRORS ? job.id > (report.errorFile?.jobId ?? 0) : job.id === report.errorFile?.jobId;
    if (current && localeOf(job) === locale && fs.existsSync(job.resultPath)) return { kind: "stored", path: job.resultPath, name: errorFileName(b.fileName) };
  }
  if (b.rowCount <= INLINE_ERROR_FILE_ROWS) {
    const f = await fileAndRowErrors(id);
    if (!f) return null;
    return { kind: "made", body: await errorFileXlsx(f.table, f.rowErrors, translator(locale)), name: errorFileName(b.fileName) };
  }
  // One job per reader at a time: asking again while it runs leads to the same job.
  const running = await prisma.job.findFirst({ where: { kind: IMPORT_ERRORS, ref: batchRef(id), createdById: user.id, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  if (running) return { kind: "job", jobId: running.id };
  const jobId = await enqueueJob(IMPORT_ERRORS, { batchId: id, locale }, { id: user.id, townshipId: b.townshipId, villageId: b.villageId }, batchRef(id));
  return { kind: "job", jobId };
}
