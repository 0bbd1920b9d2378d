/**
 * Import batches: upload → dry run (every row checked, nothing written) →
 * the user imports all rows (only when none has an error) or discards the
 * batch. The uploaded file is kept with the batch so the import applies
 * exactly the file the dry run checked, checked again against the database
 * as it is at that moment. Dry runs and imports run in the background of this
 * process; their progress is kept in memory and read by the batch page.
 */
import crypto from "node:crypto";
import type { CurrentUser } from "~/auth/session.server";
import { hasPermission, scopeIncludes } from "~/auth/permissions";
import { recordAudit } from "~/auth/audit.server";
import { today } from "~/contracts/contracts.server";
import { prisma } from "~/lib/db.server";
import { applyHouseholds, applyPlots, type ApplyOptions } from "./apply.server";
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
const progress = new Map<number, Progress>();
export function progressOf(batchId: number): Progress | null {
  return progress.get(batchId) ?? null;
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
  // A job that is not running in this process was cut off by a restart; its transaction never committed.
  if ((b.status === "CHECKING" || b.status === "IMPORTING") && !progress.has(b.id)) {
    const status = b.status === "CHECKING" ? "FAILED" : "CHECKED";
    await prisma.importBatch.updateMany({ where: { id: b.id, status: b.status }, data: { status, failure: "interrupted" } });
    return { ...b, status, failure: "interrupted" };
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
  const b = await prisma.importBatch.create({
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
  progress.set(b.id, { phase: "reading", done: 0, total: 0 });
  const job = runDryRun(b.id).catch(async (e: unknown) => {
    await prisma.importBatch.update({ where: { id: b.id }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
  });
  if (opts.wait) await job;
  return { ok: true, id: b.id };
}

async function runDryRun(id: number): Promise<void> {
  try {
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id } });
    progress.set(id, { phase: "checking", done: 0, total: 0 });
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, new Uint8Array(b.file), b.fileName, Number(today().slice(0, 4)));
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
  } finally {
    progress.delete(id);
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
  const claimed = await prisma.importBatch.updateMany({ where: { id, status: "CHECKED", errorCount: 0 }, data: { status: "IMPORTING", failure: "" } });
  if (claimed.count !== 1) return { ok: false, error: { key: "importPage.notReady" } };
  progress.set(id, { phase: "checking", done: 0, total: 0 });
  const job = runImport(user, id, opts.apply ?? {});
  if (opts.wait) await job;
  else job.catch(() => undefined);
  return { ok: true };
}

async function runImport(user: CurrentUser, id: number, hooks: Pick<ApplyOptions, "beforeRecord" | "chunk">): Promise<void> {
  try {
    const b = await prisma.importBatch.findUniqueOrThrow({ where: { id } });
    // The database may have changed since the dry run: check again, and refuse rather than import what was not shown.
    const checked = await checkFile(b.kind as ImportKind, b.villageId!, new Uint8Array(b.file), b.fileName, Number(today().slice(0, 4)));
    if (!checked.ok || errorCount(checked.report) > 0) {
      await prisma.importBatch.update({
        where: { id },
        data: { status: "CHECKED", errorCount: checked.ok ? errorCount(checked.report) : 1, report: checked.ok ? JSON.stringify(checked.report) : b.report, failure: "changedSinceDryRun" },
      });
      return;
    }
    const actor = { id: user.id, username: user.username };
    const place = { townshipId: b.townshipId, villageId: b.villageId! };
    const opts: ApplyOptions = { updateExisting: b.updateExisting, ...hooks, onProgress: (done, total) => progress.set(id, { phase: "importing", done, total }) };
    const counts =
      checked.kind === "HOUSEHOLDS"
        ? await applyHouseholds(id, actor, place, checked.plan, opts)
        : checked.kind === "PLOTS"
          ? await applyPlots(id, actor, place, checked.plan, opts)
          : await applyContracts(id, actor, place, checked.plan, opts);
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "import", entity: "ImportBatch", entityId: id, townshipId: b.townshipId, villageId: b.villageId, after: { kind: b.kind, fileName: b.fileName, rows: checked.table.rows.length, ...counts } });
  } catch (e) {
    // Nothing was written: the transaction rolled back. The batch says why.
    await prisma.importBatch.update({ where: { id }, data: { status: "FAILED", failure: String(e instanceof Error ? e.message : e).slice(0, 500) } });
  } finally {
    progress.delete(id);
  }
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
