/**
 * Bank payment files and bank result files of an issued run (ADR 020): the
 * cooperative's templates, the payment file in its template, the result
 * file checked against the run (a dry run, stored as a BankReturn) and then
 * applied once, in one transaction, through the one payment writer of
 * runs.server.ts (writeDividendPayments).
 */
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { recordAudit } from "~/auth/audit.server";
import type { CurrentUser } from "~/auth/session.server";
import { decodeText, detectDelimiter, MAX_IMPORT_ROWS, numberText, parseCsv, cellText } from "~/imports/read-table.server";
import { FileRefused, readWorkbookFast, UnsupportedWorkbook } from "~/imports/xlsx-fast.server";
import { now, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { notFound } from "~/lib/http";
import { MiB, ZipFormatError } from "~/lib/upload-limits.server";
import { sheetName } from "~/lib/xlsx.server";
import { maskIdNumber } from "~/registry/masking";
import { checkAccount, type AccountProblem } from "./bank-account";
import { reconcile, type ReconReport } from "./bank-reconcile";
import { csvText, EXAMPLE_TEMPLATES, parseStoredSpec, paymentRows, specFromForm, type BankTemplateSpec, type PayeeLine } from "./bank-template";
import { paymentDateError, requireOwnCooperative, writeDividendPayments } from "./runs.server";

/** A bank's result file: the same bound as any upload (ADR 012). */
export const MAX_RESULT_FILE_BYTES = 20 * MiB;

// ─── Templates ──────────────────────────────────────────────────────────────

export async function templatesOf(user: CurrentUser) {
  const coop = await requireOwnCooperative(user);
  const [rows, chosen] = await Promise.all([
    prisma.paymentTemplate.findMany({ where: { cooperativeId: coop.id }, orderBy: { id: "asc" }, select: { id: true, name: true, spec: true, updatedAt: true } }),
    prisma.cooperative.findUniqueOrThrow({ where: { id: coop.id }, select: { paymentTemplateId: true } }),
  ]);
  return { coop, chosenId: chosen.paymentTemplateId, templates: rows.map((r) => ({ id: r.id, name: r.name, spec: parseStoredSpec(r.spec) })) };
}

/** Copies a shipped example into the cooperative, to adjust; the copy becomes the cooperative's template. */
export async function adoptExample(user: CurrentUser, index: number): Promise<number> {
  const coop = await requireOwnCooperative(user);
  const example = EXAMPLE_TEMPLATES[index];
  if (!example) notFound();
  return prisma.$transaction(async (tx) => {
    const t = await tx.paymentTemplate.create({ data: { cooperativeId: coop.id, name: example.name, spec: JSON.stringify(example), createdById: user.id }, select: { id: true } });
    await tx.cooperative.update({ where: { id: coop.id }, data: { paymentTemplateId: t.id } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "PaymentTemplate", entityId: t.id, townshipId: coop.townshipId, after: { example: example.name, chosen: true } }, tx);
    return t.id;
  });
}

async function ownTemplate(cooperativeId: number, id: number) {
  const t = await prisma.paymentTemplate.findFirst({ where: { id, cooperativeId } });
  if (!t) notFound();
  return t;
}

export async function chooseTemplate(user: CurrentUser, id: number) {
  const coop = await requireOwnCooperative(user);
  await ownTemplate(coop.id, id);
  await prisma.cooperative.update({ where: { id: coop.id }, data: { paymentTemplateId: id } });
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "Cooperative", entityId: coop.id, townshipId: coop.townshipId, after: { paymentTemplateId: id } });
}

/** Saves an edited template; nothing is saved when any field is wrong. */
export async function saveTemplate(user: CurrentUser, id: number, get: (name: string) => string): Promise<FieldErrors | null> {
  const coop = await requireOwnCooperative(user);
  const before = await ownTemplate(coop.id, id);
  const r = specFromForm(get);
  if (!r.ok) return r.errors;
  await prisma.paymentTemplate.update({ where: { id }, data: { name: r.spec.name, spec: JSON.stringify(r.spec) } });
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "PaymentTemplate", entityId: id, townshipId: coop.townshipId, before: { spec: JSON.parse(before.spec) }, after: { spec: r.spec } });
  return null;
}

/** The cooperative's chosen template, or null when none is chosen (or it no longer validates). */
async function chosenTemplate(cooperativeId: number) {
  const coop = await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperativeId }, select: { paymentTemplateId: true } });
  if (coop.paymentTemplateId === null) return null;
  const t = await prisma.paymentTemplate.findFirst({ where: { id: coop.paymentTemplateId, cooperativeId } });
  const spec = t ? parseStoredSpec(t.spec) : null;
  return t && spec ? { id: t.id, spec } : null;
}

// ─── The payment file ───────────────────────────────────────────────────────

export type PayoutMode = "unpaid" | "all";

async function ownIssuedRun(user: CurrentUser, runId: number) {
  const coop = await requireOwnCooperative(user);
  const run = await prisma.dividendRun.findFirst({ where: { id: runId, cooperativeId: coop.id }, select: { id: true, year: true, title: true, status: true, cooperativeId: true, townshipId: true } });
  if (!run) notFound();
  return { coop, run };
}

/**
 * Who the file pays and who is paid in cash: every line with something to
 * pay (what is outstanding, or for "all" the whole net), split by whether
 * its account passes the checks of bank-account.ts.
 */
export async function payoutPlan(user: CurrentUser, runId: number, mode: PayoutMode) {
  const { coop, run } = await ownIssuedRun(user, runId);
  const lines = await prisma.dividendLine.findMany({
    where: { runId },
    orderBy: [{ villageId: "asc" }, { id: "asc" }],
    select: {
      id: true,
      statementNo: true,
      netFen: true,
      paidFen: true,
      household: { select: { code: true, headName: true, bankName: true, bankAccount: true, village: { select: { name: true } }, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true }, take: 1 } } },
    },
  });
  const payees: (PayeeLine & { lineId: number })[] = [];
  const cash: { lineId: number; statementNo: string; name: string; village: string; amountFen: bigint; problem: AccountProblem }[] = [];
  for (const l of lines) {
    const amountFen = mode === "unpaid" ? l.netFen - l.paidFen : l.netFen;
    if (amountFen <= 0n) continue;
    const h = l.household;
    const acct = checkAccount(h.bankAccount);
    if (!acct.ok) {
      cash.push({ lineId: l.id, statementNo: l.statementNo ?? "", name: h.headName, village: h.village.name, amountFen, problem: acct.problem });
      continue;
    }
    payees.push({ lineId: l.id, statementNo: l.statementNo ?? "", account: acct.account, name: h.headName, amountFen, idMasked: maskIdNumber(h.members[0]?.idNumber ?? ""), bankName: h.bankName, village: h.village.name, householdCode: h.code });
  }
  return { coop, run, payees, cash, template: await chosenTemplate(coop.id) };
}

export type PaymentFile = { ok: true; body: Uint8Array<ArrayBuffer>; fileName: string; contentType: string; count: number; totalFen: bigint } | { ok: false; error: { key: string } };

/** The payment file of an issued run in the cooperative's template; in the audit trail. */
export async function paymentFile(user: CurrentUser, runId: number, mode: PayoutMode): Promise<PaymentFile> {
  const plan = await payoutPlan(user, runId, mode);
  if (plan.run.status !== "ISSUED") return { ok: false, error: { key: "dividend.notIssued" } };
  if (!plan.template) return { ok: false, error: { key: "bank.noTemplate" } };
  const spec = plan.template.spec;
  const date = today();
  const { rows, headerRowCount, totalFen } = paymentRows(spec, plan.payees, { cooperative: plan.coop.name, date, run: String(runId) });
  const body = spec.format === "csv" ? encodeText(csvText(rows), spec.encoding) : await xlsxOf(spec, rows, headerRowCount);
  const fileName = `分红代发_第${runId}号_${mode === "unpaid" ? "未付" : "全部"}_${date}.${spec.format}`;
  await recordAudit({
    actor: { id: user.id, name: user.username },
    action: "export",
    entity: "DividendRun",
    entityId: runId,
    townshipId: plan.run.townshipId,
    after: { bankFile: { template: spec.name, mode, lines: plan.payees.length, totalFen, cash: plan.cash.map((c) => c.lineId) } },
  });
  return { ok: true, body, fileName, contentType: spec.format === "csv" ? `text/csv; charset=${spec.encoding === "GBK" ? "GBK" : "UTF-8"}` : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", count: plan.payees.length, totalFen };
}

function encodeText(text: string, encoding: BankTemplateSpec["encoding"]): Uint8Array<ArrayBuffer> {
  const bytes = encoding === "GBK" ? iconv.encode(text, "gbk") : Buffer.from(text, "utf8");
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** The rows as one sheet of text cells, except the amount column, which stays text too: a bank reads the digits, not a float. */
async function xlsxOf(spec: BankTemplateSpec, rows: string[][], headerRowCount: number): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "村社账本 Cunshe Ledger";
  wb.created = now();
  const ws = wb.addWorksheet(sheetName("代发明细"));
  ws.columns = spec.columns.map((c) => ({ width: c.field === "account" ? 24 : c.field === "note" || c.field === "statementNo" ? 26 : 14, style: { numFmt: "@" } }));
  for (const [i, r] of rows.entries()) {
    const row = ws.addRow(r);
    if (i === headerRowCount - 1) row.font = { bold: true };
  }
  const out = await wb.xlsx.writeBuffer();
  const bytes = new Uint8Array(out.byteLength);
  bytes.set(new Uint8Array(out as ArrayBuffer));
  return bytes;
}

// ─── The result file ────────────────────────────────────────────────────────

type Rows = { rowNumber: number; cells: string[] }[];
export type ReadRows = { ok: true; rows: Rows } | { ok: false; error: { key: string; params?: Record<string, string | number> } };

/**
 * The rows of a result file as text: CSV in UTF-8 or GBK (GB18030), or the
 * first visible sheet of an .xlsx read by the bounded reader of imports.
 * At most MAX_IMPORT_ROWS rows, an .xlsx inflating to at most 100 MB.
 */
export async function readResultRows(bytes: Uint8Array, fileName: string): Promise<ReadRows> {
  const ext = /\.([^.]+)$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? "";
  if (bytes.byteLength === 0) return { ok: false, error: { key: "import.file.empty" } };
  try {
    if (ext === "csv" || ext === "txt") {
      const { text } = decodeText(bytes);
      if (text.includes("\u0000")) return { ok: false, error: { key: "import.file.notCsv", params: { name: fileName } } };
      const records = parseCsv(text, detectDelimiter(text), MAX_IMPORT_ROWS);
      return { ok: true, rows: records.map((r) => ({ rowNumber: r.line, cells: r.cells.map((c) => (/^="[^"]*"$/.test(c) ? c.slice(2, -1) : c).trim()) })) };
    }
    if (ext === "xlsx") {
      const sheets = await readWorkbookFast(bytes, { maxInflatedBytes: 100 * MiB, maxSheetRows: MAX_IMPORT_ROWS });
      const sheet = sheets.find((s) => s.state === "visible") ?? sheets[0];
      if (!sheet) return { ok: false, error: { key: "import.file.empty" } };
      return {
        ok: true,
        rows: sheet.rowNumbers.map((rn) => {
          const cells: string[] = [];
          for (let c = 1; c <= sheet.cellCount(rn); c++) {
            const v = sheet.value(rn, c);
            cells.push((typeof v === "number" ? numberText(v) : cellText(v)).trim());
          }
          return { rowNumber: rn, cells };
        }),
      };
    }
  } catch (e) {
    if (e instanceof FileRefused) return { ok: false, error: { key: e.key, params: { max: MAX_IMPORT_ROWS, mb: 100, name: fileName } } };
    if (e instanceof ZipFormatError || e instanceof UnsupportedWorkbook) return { ok: false, error: { key: "import.file.unreadable", params: { name: fileName } } };
    throw e;
  }
  return { ok: false, error: { key: "bank.result.fileType" } };
}

export type CheckResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/**
 * The dry run: reads the bank's result file, matches each row to a line by
 * statement number, account and amount, and stores the report as a
 * BankReturn (CHECKED). Nothing is paid yet.
 */
export async function checkBankReturn(user: CurrentUser, runId: number, file: { bytes: Uint8Array; name: string }, paidOn: string): Promise<CheckResult> {
  const { run } = await ownIssuedRun(user, runId);
  if (run.status !== "ISSUED") return { ok: false, errors: { file: { key: "dividend.notIssued" } } };
  const errors: FieldErrors = {};
  const dateError = paymentDateError(paidOn);
  if (dateError) errors.paidOn = dateError;
  const template = await chosenTemplate(run.cooperativeId);
  if (!template) errors.file = { key: "bank.noTemplate" };
  else if (!file.name) errors.file = { key: "bank.result.noFile" };
  if (Object.keys(errors).length) return { ok: false, errors };
  const read = await readResultRows(file.bytes, file.name);
  if (!read.ok) return { ok: false, errors: { file: read.error } };
  const lines = await prisma.dividendLine.findMany({ where: { runId }, select: { id: true, statementNo: true, netFen: true, paidFen: true, household: { select: { bankAccount: true } } } });
  const result = reconcile(read.rows, template!.spec, lines.map((l) => ({ id: l.id, statementNo: l.statementNo, account: l.household.bankAccount, netFen: l.netFen, paidFen: l.paidFen })));
  if (!result.ok) return { ok: false, errors: { file: result.error } };
  const fileName = file.name.slice(0, 200);
  const saved = await prisma.bankReturn.create({
    data: { runId, cooperativeId: run.cooperativeId, townshipId: run.townshipId, templateId: template!.id, fileName, status: "CHECKED", report: JSON.stringify(result.report), paidOn, createdById: user.id },
    select: { id: true },
  });
  const r = result.report;
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "import", entity: "BankReturn", entityId: saved.id, townshipId: run.townshipId, after: { runId, fileName, paidOn, rows: r.rows, entries: r.entries.length, problems: r.problems.length } });
  return { ok: true, id: saved.id };
}

export async function bankReturnsOf(user: CurrentUser, runId: number) {
  const { run } = await ownIssuedRun(user, runId);
  const rows = await prisma.bankReturn.findMany({ where: { runId: run.id }, orderBy: { id: "desc" }, take: 20 });
  return rows.map((b) => ({ id: b.id, fileName: b.fileName, status: b.status, paidOn: b.paidOn, createdAt: b.createdAt, appliedAt: b.appliedAt, report: JSON.parse(b.report) as ReconReport }));
}

/** What a failed payment says when the bank gave no reason. */
export const NO_REASON = "银行未注明原因";

/**
 * Records the checked rows: PAID and FAILED payments (with the bank's
 * reason) in one transaction, each tied to the BankReturn. Once only: the
 * CHECKED → APPLIED update is the guard. Refused, with nothing written, when
 * any line's payments changed since the check (check the file again).
 */
/** `reason`: the confirm step's, kept in the trail (applying cannot be undone). */
export async function applyBankReturn(user: CurrentUser, runId: number, returnId: number, reason = ""): Promise<FieldErrors | null> {
  const { run } = await ownIssuedRun(user, runId);
  const ret = await prisma.bankReturn.findFirst({ where: { id: returnId, runId: run.id } });
  if (!ret) notFound();
  if (ret.status !== "CHECKED") return { form: { key: "bank.return.notChecked" } };
  if (run.status !== "ISSUED") return { form: { key: "dividend.notIssued" } };
  const dateError = paymentDateError(ret.paidOn);
  if (dateError) return { form: dateError };
  const report = JSON.parse(ret.report) as ReconReport;
  class Stale extends Error {}
  try {
    return await prisma.$transaction(async (tx) => {
      const lines = await tx.dividendLine.findMany({
        // the whole run, not `id IN (…)`: thousands of ids pass the engines' parameter limits
        where: { runId },
        select: { id: true, householdId: true, townshipId: true, villageId: true, netFen: true, paidFen: true, household: { select: { bankAccount: true } } },
      });
      const byId = new Map(lines.map((l) => [l.id, l]));
      for (const e of report.entries) if (byId.get(e.lineId)?.paidFen !== BigInt(e.paidFenAtCheck)) throw new Stale();
      const claimed = await tx.bankReturn.updateMany({ where: { id: returnId, status: "CHECKED" }, data: { status: "APPLIED", appliedById: user.id, appliedAt: now() } });
      if (claimed.count !== 1) return { form: { key: "bank.return.notChecked" } };
      const items = report.entries.map((e) => ({
        line: byId.get(e.lineId)!,
        fen: BigInt(e.amountFen),
        status: e.status,
        paidOn: ret.paidOn,
        reference: `银行结果 #${returnId} 第${e.row}行`,
        failureReason: e.status === "FAILED" ? e.reason || NO_REASON : "",
        bankReturnId: returnId,
      }));
      if (items.length) {
        const written = await writeDividendPayments(tx, user, items);
        if (!("ids" in written)) throw new Stale();
      }
      await recordAudit(
        {
          actor: { id: user.id, name: user.username },
          action: "update",
          entity: "BankReturn",
          entityId: returnId,
          townshipId: run.townshipId,
          before: { status: "CHECKED" },
          after: { status: "APPLIED", paid: report.entries.filter((e) => e.status === "PAID").map((e) => e.lineId), failed: report.entries.filter((e) => e.status === "FAILED").map((e) => e.lineId), paidFen: report.paidFen, ...(reason ? { reason } : {}) },
        },
        tx,
      );
      return null;
    });
  } catch (e) {
    if (e instanceof Stale) return { form: { key: "bank.return.stale" } };
    throw e;
  }
}

/** Sets a checked file aside without recording anything. */
export async function discardBankReturn(user: CurrentUser, runId: number, returnId: number): Promise<FieldErrors | null> {
  const { run } = await ownIssuedRun(user, runId);
  const done = await prisma.bankReturn.updateMany({ where: { id: returnId, runId: run.id, status: "CHECKED" }, data: { status: "DISCARDED" } });
  if (done.count !== 1) return { form: { key: "bank.return.notChecked" } };
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "BankReturn", entityId: returnId, townshipId: run.townshipId, before: { status: "CHECKED" }, after: { status: "DISCARDED" } });
  return null;
}
