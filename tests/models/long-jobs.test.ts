/**
 * Long jobs of issue 12 (ADR 016): the batch PDF of a run's statements, large
 * list exports and import error files run as jobs with a result file; the
 * dry-run report is stored as a summary with its row errors paged; an
 * import's write lock is short; a runner killed during a batch PDF leaves the
 * job interrupted and no part of its file.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { EXPORT, exportResponse, type ExportList } from "~/exports/exports.server";
import { startStatementsPdf, STATEMENTS_PDF } from "~/dividends/statements-job.server";
import { getBatch, IMPORT_CHECK, IMPORT_ERRORS, startDryRun, startImport } from "~/imports/imports.server";
import { parseReport, REPORT_PAGE } from "~/imports/report-store.server";
import { jobsDirectory, viewOf } from "~/jobs/jobs.server";
import { registerAllJobKinds } from "~/jobs/kinds.server";
import { recoverJobs, runJobNow } from "~/jobs/runner.server";
import { databaseFile, databaseUrl, engine, PG_WRITE_LOCK, prisma } from "~/lib/db.server";
import { withRawConnection } from "~/lib/raw-db.server";
import { makeIdNumber } from "~/registry/id-number";
import { buildWorld, request, type World } from "../factories";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as dividendsWorld } from "./access/dividends.world";

import * as statementsRoute from "../../app/routes/resources.dividends.$id.statements[.]pdf";
import * as jobPage from "../../app/routes/_app.jobs.$id";
import * as jobFile from "../../app/routes/resources.jobs.$id.file";
import * as batchPage from "../../app/routes/_app.imports.$id";
import * as errorsRoute from "../../app/routes/resources.imports.$id.errors[.]xlsx";
import * as householdsRoute from "../../app/routes/resources.households[.]xlsx";

const require = createRequire(import.meta.url);
type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const call = async (fn: unknown, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string>): Promise<Response> => {
  try {
    return (await (fn as Fn)({ request: request(path, { cookie, form }), params, context: {} })) as Response;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
};
const dataOf = async <T,>(fn: unknown, path: string, cookie: string, params: Record<string, string> = {}) => (await (fn as Fn)({ request: request(path, { cookie }), params, context: {} })) as T;

let w: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await dividendsWorld(w), await contractsWorld(w));
  for (const who of ["admin", "township", "secretary", "secretary2", "accountant"] as const) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
  await registerAllJobKinds();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > until) throw new Error("timed out");
    await sleep(25);
  }
}
const jobFiles = (jobId: number) => fs.readdirSync(jobsDirectory()).filter((f) => f.startsWith(`job-${jobId}-`));
const jobIdOf = (res: Response) => {
  expect(res.status).toBe(302);
  const m = /^\/jobs\/(\d+)$/.exec(res.headers.get("Location") ?? "");
  expect(m, res.headers.get("Location") ?? "").not.toBeNull();
  return Number(m![1]);
};

/** `n` households of V1 with a head each, written directly (fast), and an issued run of C1 with a line for each. */
let serial = 0;
async function issuedRun(n: number): Promise<number> {
  const now = new Date();
  const run = await prisma.dividendRun.create({ data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year: 2025, method: "LAND_SHARE", status: "ISSUED", issuedAt: new Date(), incomeFen: 0n, costFen: 0n, guaranteePerShare: "1000.00", createdById: w.users.accountant.id } });
  const ks = Array.from({ length: n }, () => ++serial);
  await withRawConnection((db) =>
    db.transaction(async (tx) => {
      const ids = await tx.insertMany(
        "Household",
        ks.map((k) => ({ code: `J${String(k).padStart(5, "0")}`, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: `任${k}`, address: "", phone: "", bankName: "菏泽农商银行", bankAccount: `62305800${String(k).padStart(11, "0")}`, status: "ORDINARY", createdAt: now, updatedAt: now })),
        { ids: true },
      );
      await tx.insertMany("Person", ks.map((k, i) => ({ householdId: ids[i]!, name: `任${k}`, idNumber: makeIdNumber(`3799${String(10 + Math.floor(k / 1000)).padStart(2, "0")}`, "19700101", String(k % 1000).padStart(3, "0")), birthDate: "1970-01-01", sex: "M", relation: "HEAD", ableToWork: true, phone: "" })));
      await tx.insertMany(
        "DividendLine",
        ks.map((k, i) => ({ runId: run.id, householdId: ids[i]!, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "2.00", shares: "2.00", weight: "2.00", guaranteedFen: 200000n, netFen: 200000n, statementNo: `FH-JOB-${k}`, verifyCode: `JOB${String(k).padStart(7, "0")}` })),
      );
    }),
  );
  return run.id;
}

const pdfPages = (file: string) => (fs.readFileSync(file).toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;

describe("the batch of a run's statements is a job", () => {
  it("the run page's button queues it and opens its page; the job renders a page per statement, counting them, into a file only its owner gets", async () => {
    const runId = await issuedRun(25);
    const cookie = w.users.accountant.cookie;
    const jobId = jobIdOf(await call(statementsRoute.action, `/resources/dividends/${runId}/statements.pdf`, cookie, { id: String(runId) }, {}));
    const queued = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([queued.kind, queued.status, queued.createdById]).toEqual([STATEMENTS_PDF, "QUEUED", w.users.accountant.id]);
    // the job's page while it waits
    const waiting = await dataOf<{ job: { status: string; hasFile: boolean } }>(jobPage.loader, `/jobs/${jobId}`, cookie, { id: String(jobId) });
    expect([waiting.job.status, waiting.job.hasFile]).toEqual(["QUEUED", false]);

    expect(await runJobNow(jobId)).toBe(true);
    const done = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([done.status, done.done, done.total]).toEqual(["DONE", 25, 25]);
    expect(done.resultName).toContain("分红明细单");
    expect(fs.readFileSync(done.resultPath).subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfPages(done.resultPath)).toBe(26); // the cover and one page per household
    expect(fs.statSync(done.resultPath).mode & 0o077).toBe(0);

    const page = await dataOf<{ job: { hasFile: boolean } }>(jobPage.loader, `/jobs/${jobId}`, cookie, { id: String(jobId) });
    expect(page.job.hasFile).toBe(true);
    const file = await call(jobFile.loader, `/resources/jobs/${jobId}/file`, cookie, { id: String(jobId) });
    expect([file.status, file.headers.get("Content-Type")]).toEqual([200, "application/pdf"]);
    expect(Buffer.from(await file.arrayBuffer()).equals(fs.readFileSync(done.resultPath))).toBe(true);
    // someone else's job is as good as missing
    expect((await call(jobFile.loader, `/resources/jobs/${jobId}/file`, w.users.township.cookie, { id: String(jobId) })).status).toBe(404);
    // a run outside the user's scope queues nothing
    const before = await prisma.job.count();
    expect((await call(statementsRoute.action, `/resources/dividends/${runId}/statements.pdf`, w.users.secretary2.cookie, { id: String(runId) }, {})).status).toBe(404);
    expect(await prisma.job.count()).toBe(before);
    // a small run may still be fetched straight away
    const direct = await call(statementsRoute.loader, `/resources/dividends/${runId}/statements.pdf`, cookie, { id: String(runId) });
    expect(direct.status).toBe(200);
    await direct.arrayBuffer();
  }, 60_000);

  it("a village secretary's batch holds only the households of their village", async () => {
    const runId = await issuedRun(3);
    // a line of the same run in another village (V2)
    await prisma.dividendLine.create({ data: { runId, householdId: w.h2.id, townshipId: w.t1.id, villageId: w.v2.id, areaMu: "1.00", shares: "1.00", weight: "1.00", netFen: 100000n, guaranteedFen: 100000n } });
    const jobId = (await startStatementsPdf(users.secretary, runId, "http://localhost"))!;
    await runJobNow(jobId);
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.status, job.total]).toEqual(["DONE", 3]);
    expect(pdfPages(job.resultPath)).toBe(4);
  }, 60_000);
});

describe("a large list export is a job", () => {
  const readBook = async (bytes: Uint8Array | Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb.worksheets.map((ws) => {
      const rows: string[] = [];
      ws.eachRow((r) => void rows.push(JSON.stringify(r.values)));
      // the subtitle carries the time of the export
      return rows.filter((r) => !r.includes("导出时间") && !/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(r));
    });
  };

  it("over the threshold the link queues an EXPORT job and opens its page; the job writes the same workbook and records the export in the trail", async () => {
    const user = users.admin;
    const cookie = w.users.admin.cookie;
    const exports = () => prisma.auditEvent.count({ where: { action: "export" } });
    const direct = await exportResponse(request("/resources/households.xlsx", { cookie }), user, "households");
    expect(direct.status).toBe(200);
    const directBook = await readBook(Buffer.from(await direct.arrayBuffer()));
    const before = await exports();
    const jobId = jobIdOf(await exportResponse(request("/resources/households.xlsx", { cookie }), user, "households", 0));
    expect(await exports()).toBe(before); // recorded when the rows are read, by the job
    await runJobNow(jobId);
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.kind, job.status, job.resultType]).toEqual([EXPORT, "DONE", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    expect(job.resultName).toMatch(/\.xlsx$/);
    expect(await exports()).toBe(before + 1);
    expect(await readBook(fs.readFileSync(job.resultPath))).toEqual(directBook);
  }, 60_000);

  it("every list can go through the job, with the user's masking and scope", async () => {
    for (const [list, who] of [["households", "township"], ["contracted-plots", "secretary"], ["contracts", "township"], ["arrears", "secretary"], ["orchard-plots", "township"]] as [ExportList, keyof typeof users][]) {
      const jobId = jobIdOf(await exportResponse(request(`/resources/${list}.xlsx`, { cookie: w.users[who].cookie }), users[who], list, -1));
      await runJobNow(jobId);
      const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      expect(job.status, `${list}: ${job.error}`).toBe("DONE");
      expect((await readBook(fs.readFileSync(job.resultPath))).length).toBeGreaterThan(0);
    }
    // the township official sees ID numbers masked, in the job's file as on screen
    const jobId = jobIdOf(await exportResponse(request("/resources/households.xlsx", { cookie: w.users.township.cookie }), users.township, "households", -1));
    await runJobNow(jobId);
    const text = JSON.stringify(await readBook(fs.readFileSync((await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).resultPath)));
    expect(text).not.toContain(w.h1.members[0]!.idNumber);
  }, 60_000);

  it("under the threshold the link still streams the workbook at once", async () => {
    const res = await call(householdsRoute.loader, "/resources/households.xlsx", w.users.secretary.cookie);
    expect([res.status, res.headers.get("Content-Type")]).toEqual([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    await res.arrayBuffer();
  });
});

/** A roster of `n` people whose ID numbers are all wrong (a digit changed): every row has an error. */
async function badRoster(n: number, from = 0): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("花名册");
  ws.addRow(["户编号", "村民小组", "姓名", "与户主关系", "身份证号"]);
  for (let i = 0; i < n; i++) {
    const h = from + Math.floor(i / 2);
    const good = makeIdNumber(`3798${String(10 + Math.floor(i / 1000)).padStart(2, "0")}`, i % 2 ? "19720202" : "19700101", String(i % 1000).padStart(3, "0"));
    const bad = good.slice(0, 17) + (good.endsWith("1") ? "2" : "1");
    ws.addRow([`K${String(h).padStart(5, "0")}`, "1", i % 2 ? `钱${h}` : `赵${h}`, i % 2 ? "配偶" : "户主", bad]);
  }
  ws.getColumn(5).numFmt = "@";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const dryRun = async (bytes: Uint8Array, user = users.secretary) => {
  const r = await startDryRun(user, { kind: "HOUSEHOLDS", villageId: w.v1.id, fileName: "花名册.xlsx", bytes, updateExisting: false, locale: "zh-CN" }, { wait: true });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return (await getBatch(user, r.id))!;
};
type PageData = { errorRows: number; rowErrors: [number, unknown[]][]; page: number; pages: number; pageKept: boolean };
const batchData = (id: number, page?: number) => dataOf<PageData>(batchPage.loader, `/imports/${id}${page ? `?page=${page}` : ""}`, w.users.secretary.cookie, { id: String(id) });

describe("the dry-run report is a summary; its row errors are paged", () => {
  let batchId: number;

  it("stores counts and the first page; every page of 200 rows is read from its own part of the pages file", async () => {
    const b = await dryRun(await badRoster(450));
    batchId = b.id;
    expect([b.status, b.rowCount, b.errorCount]).toEqual(["CHECKED", 450, 450]);
    const report = parseReport(b.report);
    expect([report.v, report.errorRows, report.rowErrors.length, report.pages?.offsets.length]).toEqual([2, 450, REPORT_PAGE, 4]);
    expect(b.report.length).toBeLessThan(80_000);

    const p1 = await batchData(b.id);
    expect([p1.page, p1.pages, p1.errorRows, p1.rowErrors.length]).toEqual([1, 3, 450, 200]);
    expect(p1.rowErrors[0]![0]).toBe(2);
    const p2 = await batchData(b.id, 2);
    expect([p2.page, p2.rowErrors.length, p2.rowErrors[0]![0], p2.rowErrors[199]![0]]).toEqual([2, 200, 202, 401]);
    const p3 = await batchData(b.id, 3);
    expect([p3.rowErrors.length, p3.rowErrors[49]![0], p3.pageKept]).toEqual([50, 451, true]);
    // out of range: the last page; nonsense: the first
    expect((await batchData(b.id, 99)).page).toBe(3);
    expect((await dataOf<PageData>(batchPage.loader, `/imports/${b.id}?page=x`, w.users.secretary.cookie, { id: String(b.id) })).page).toBe(1);
  }, 60_000);

  it("the dry run writes the error workbook as its result; the error link streams that file", async () => {
    const job = (await prisma.job.findFirst({ where: { ref: `ImportBatch:${batchId}`, kind: IMPORT_CHECK } }))!;
    expect([job.status, job.resultName]).toEqual(["DONE", "花名册-错误说明.xlsx"]);
    const res = await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Length")).toBe(String(fs.statSync(job.resultPath).size));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(job.resultPath))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    let flagged = 0;
    wb.worksheets[0]!.eachRow((r, n) => void (n > 1 && JSON.stringify(r.values).includes("身份证号：") ? flagged++ : 0));
    expect(flagged).toBe(450);
    // in English the stored (Chinese) workbook does not fit: a small batch gets its own made at once
    const en = await (errorsRoute.loader as Fn)({ request: request(`/resources/imports/${batchId}/errors.xlsx`, { cookie: w.users.secretary.cookie, headers: { Cookie: `${w.users.secretary.cookie}; lang=en` } }), params: { id: String(batchId) }, context: {} }) as Response;
    expect(en.status).toBe(200);
    await en.arrayBuffer();
  }, 60_000);

  it("an error file no longer kept is made again: at once for a small batch, by a job for a large one", async () => {
    const job = (await prisma.job.findFirst({ where: { ref: `ImportBatch:${batchId}`, kind: IMPORT_CHECK } }))!;
    fs.rmSync(job.resultPath);
    const small = await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) });
    expect(small.status).toBe(200);
    await small.arrayBuffer();
    // as if the file had 6,000 rows
    await prisma.importBatch.update({ where: { id: batchId }, data: { rowCount: 6000 } });
    const jobId = jobIdOf(await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) }));
    // asking again while it waits leads to the same job
    expect(jobIdOf(await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) }))).toBe(jobId);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).kind).toBe(IMPORT_ERRORS);
    await runJobNow(jobId);
    const made = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(made.status).toBe("DONE");
    // and from now on the link streams the job's file
    const res = await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) });
    expect([res.status, res.headers.get("Content-Length")]).toEqual([200, String(fs.statSync(made.resultPath).size)]);
    await res.arrayBuffer();
    await prisma.importBatch.update({ where: { id: batchId }, data: { rowCount: 450 } });
  }, 60_000);

  it("when the pages file is gone (a database restored without it) the first page still shows and later pages say so", async () => {
    const report = parseReport((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } })).report);
    fs.rmSync(path.join(process.env.IMPORT_REPORTS_DIR!, report.pages!.file));
    expect((await batchData(batchId)).rowErrors.length).toBe(200);
    const p2 = await batchData(batchId, 2);
    expect([p2.pageKept, p2.rowErrors.length]).toEqual([false, 0]);
    // the error file is then made by checking the kept upload again
    for (const j of await prisma.job.findMany({ where: { ref: `ImportBatch:${batchId}` } })) if (j.resultPath) fs.rmSync(j.resultPath, { force: true });
    const res = await call(errorsRoute.loader, `/resources/imports/${batchId}/errors.xlsx`, w.users.secretary.cookie, { id: String(batchId) });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(451);
  }, 60_000);

  it("a batch stored by an older version (every row error in the report) still pages", async () => {
    const rowErrors = Array.from({ length: 230 }, (_, i) => [i + 2, [{ column: "身份证号", key: "id.checksum" }]]);
    const csv = "户编号,村民小组,姓名,与户主关系,身份证号\n" + Array.from({ length: 230 }, (_, i) => `${i},1,王${i},户主,371702197001010010`).join("\n") + "\n";
    const b = await prisma.importBatch.create({
      data: { kind: "HOUSEHOLDS", townshipId: w.t1.id, villageId: w.v1.id, fileName: "old.csv", fileSha256: "x", file: Buffer.from(csv), status: "CHECKED", rowCount: 230, errorCount: 230, report: JSON.stringify({ fileErrors: [], rowErrors, unknownHeadings: [], counts: {}, items: [] }), createdById: w.users.secretary.id },
    });
    const p2 = await batchData(b.id, 2);
    expect([p2.pages, p2.errorRows, p2.rowErrors.length, p2.rowErrors[0]![0]]).toEqual([2, 230, 30, 202]);
    const res = await call(errorsRoute.loader, `/resources/imports/${b.id}/errors.xlsx`, w.users.secretary.cookie, { id: String(b.id) });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("the batch page of a 20,000-row file with an error on every row reads a few kilobytes and answers in well under 100 ms", async () => {
    const b = await dryRun(await badRoster(20_000, 50_000));
    expect(b.errorCount).toBe(20_000);
    // before: every row's errors in one JSON string of megabytes, parsed on every view
    expect(b.report.length).toBeLessThan(80_000);
    const times: number[] = [];
    for (const page of [1, 2, 50, 100, 1, 77, 3]) {
      const t0 = performance.now();
      const d = await batchData(b.id, page);
      times.push(performance.now() - t0);
      expect(d.rowErrors.length).toBe(200);
    }
    times.sort((a, c) => a - c);
    // about 5 ms here, 4 s before; the bound leaves room for a loaded CI core
    expect(times[3]).toBeLessThan(1_000);
  }, 120_000);
});

/** A ledger of `n` contracts, each on `area` mu of H1's plot (3 mu of it free), with one payment made. */
async function ledger(n: number, area = "0.10"): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("流转台账");
  ws.addRow(["合同编号", "地块编码", "流转面积（亩）", "流转方式", "受让方类型", "受让方名称", "受让方证件号", "用途", "起始日期", "终止日期", "租金（元/亩/年）", "支付方式", "每年支付日", "签订日期", "备案日期", "已付租金（元）", "付款日期"]);
  for (let i = 0; i < n; i++) {
    ws.addRow([`XLZ-2025-${String(100 + i)}`, "3717021020010100001", area, "出租", "种植大户", `鲁${"一二三四五六七八九"[i % 9]}华`, makeIdNumber("371702", "19850505", String(100 + i).padStart(3, "0")), "粮食种植", "2025-01-01", "2034-12-31", "800", "每年", "12-31", "2024-12-20", i % 2 ? "" : "2024-12-28", String(Number(area) * 800), "2025-12-31"]);
  }
  ws.getColumn(2).numFmt = "@";
  ws.getColumn(7).numFmt = "@";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * A writer on a thread (and connection) of its own that never waits for the
 * lock: it tries again and again and records the longest stretch it could not write.
 */
function lockWatcher(townshipId: number) {
  return engine() === "postgres" ? pgLockWatcher(townshipId) : sqliteLockWatcher(townshipId);
}

/**
 * On PostgreSQL, a connection of its own that tries the writers' advisory
 * lock (PG_WRITE_LOCK, which every transaction of the app and the import's
 * writer take) without waiting, writes when it gets it, and records the
 * longest stretch it did not.
 */
function pgLockWatcher(townshipId: number) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  let stop = false;
  const ready = client.connect();
  const seen = (async () => {
    await ready;
    let busySince: number | null = null;
    let longestMs = 0;
    let writes = 0;
    while (!stop) {
      const t = performance.now();
      await client.query("BEGIN");
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${PG_WRITE_LOCK}) AS ok`);
      if (rows[0]!.ok) {
        await client.query(`UPDATE "Township" SET "name" = "name" WHERE "id" = $1`, [townshipId]);
        writes++;
        if (busySince !== null) longestMs = Math.max(longestMs, t - busySince);
        busySince = null;
      } else busySince ??= t;
      await client.query("COMMIT");
      await new Promise((r) => setImmediate(r));
    }
    await client.end();
    return { longestMs, writes };
  })();
  return {
    ready,
    stop: () => {
      stop = true;
      return seen;
    },
  };
}

function sqliteLockWatcher(townshipId: number) {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require(workerData.module);
     const db = new Database(workerData.file, { timeout: 0 });
     const write = db.prepare("UPDATE Township SET name = name WHERE id = ?");
     let busySince = null, longestMs = 0, writes = 0, stop = false;
     parentPort.on("message", () => { stop = true; });
     const step = () => {
       const t = performance.now();
       try {
         write.run(workerData.townshipId);
         writes++;
         if (busySince !== null) { longestMs = Math.max(longestMs, t - busySince); busySince = null; }
       } catch (e) {
         if (e.code !== "SQLITE_BUSY") throw e;
         if (busySince === null) busySince = t;
       }
       if (stop) { db.close(); parentPort.postMessage({ longestMs, writes }); return; }
       setImmediate(step);
     };
     parentPort.postMessage("ready");
     step();`,
    { eval: true, workerData: { file: databaseFile(), townshipId, module: require.resolve("better-sqlite3") } },
  );
  const ready = new Promise<void>((resolve) => worker.once("message", () => resolve()));
  return {
    ready,
    stop: () =>
      new Promise<{ longestMs: number; writes: number }>((resolve, reject) => {
        worker.once("message", (m: { longestMs: number; writes: number }) => void worker.terminate().then(() => resolve(m)));
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}

describe("an import holds the write lock only for its inserts", () => {
  it("while contracts are imported, another connection can write at any moment but for a few milliseconds", async () => {
    const N = 50;
    const r = await startDryRun(users.secretary, { kind: "CONTRACTS", villageId: w.v1.id, fileName: "台账.xlsx", bytes: await ledger(N, "0.05"), updateExisting: false }, { wait: true });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const checked = (await getBatch(users.secretary, r.id))!;
    expect([checked.errorCount, checked.createCount], checked.report.slice(0, 500)).toEqual([0, N]);
    // Another writer on a thread of its own, as another process would be: it tries to write
    // without waiting, again and again, and records the longest time the lock was taken.
    const other = lockWatcher(w.t1.id);
    await other.ready;
    expect(await startImport(users.secretary, r.id, { wait: true })).toEqual({ ok: true });
    const seen = await other.stop();
    expect(seen.writes).toBeGreaterThan(0);
    // one ORM transaction around the whole import held it for about 3 s here; now about 20 ms.
    // The rule is "never about a second at a time"; a loaded CI core gets that much room.
    expect(seen.longestMs).toBeLessThan(1_000);
    const b = (await getBatch(users.secretary, r.id))!;
    expect([b.status, b.createCount]).toEqual(["IMPORTED", N]);
    // as the contract module writes them: filed ones with a draft number of their own, the schedule, the payment on the first installment
    const imported = await prisma.transferContract.findMany({ where: { OR: [{ contractNo: { startsWith: "XLZ-2025-1" } }, { draftNo: { startsWith: "XLZ-2025-1" } }] }, include: { installments: { orderBy: { seq: "asc" } }, plots: true, parties: true }, orderBy: { id: "asc" } });
    expect(imported.filter((c) => c.status === "FILED").length).toBe(N / 2);
    expect(new Set(imported.map((c) => c.draftNo)).size).toBe(N);
    for (const c of imported) {
      expect([c.plots.length, c.parties.length, c.installments.length]).toEqual([1, 1, 10]);
      expect(c.parties[0]!.receivingAccount).toBe(w.h1.bankAccount);
      expect(c.installments.map((i) => [i.amountFen, i.paidFen])).toEqual([[4000n, 4000n], ...Array(9).fill([4000n, 0n])]);
    }
    expect(await prisma.rentPayment.count({ where: { contractId: { in: imported.map((c) => c.id) } } })).toBe(N);
    expect(await prisma.auditEvent.count({ where: { entity: "TransferContract", entityId: { in: imported.map((c) => String(c.id)) } } })).toBe(N);
  }, 120_000);

  it("a database error on the 3rd contract leaves nothing of the import", async () => {
    const before = await prisma.transferContract.count();
    const bytes = await ledger(4);
    // other numbers than the import above
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    wb.worksheets[0]!.eachRow((row, n) => void (n > 1 ? row.getCell(1).value = `XLZ-2026-${n}` : null));
    const r = await startDryRun(users.secretary, { kind: "CONTRACTS", villageId: w.v1.id, fileName: "台账.xlsx", bytes: new Uint8Array(await wb.xlsx.writeBuffer()), updateExisting: false }, { wait: true });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect((await getBatch(users.secretary, r.id))!.errorCount).toBe(0);
    await startImport(users.secretary, r.id, { wait: true, apply: { beforeRecord: async (db, i) => void (i === 2 ? await db.run(`INSERT INTO "no such table" VALUES (1)`) : null) } });
    const b = (await getBatch(users.secretary, r.id))!;
    expect(b.status).toBe("FAILED");
    expect(await prisma.transferContract.count()).toBe(before);
  }, 60_000);
});

describe("other writers wait for the lock instead of failing", () => {
  // SQLite's own: Prisma's deferred BEGIN traded for BEGIN IMMEDIATE (db.server.ts). PostgreSQL's equivalent is the next case.
  it.skipIf(engine() === "postgres")("a transaction that reads and then writes goes through although another connection wrote in between", async () => {
    // (with Prisma's deferred BEGIN the other write went first and this one failed at once with SQLITE_BUSY_SNAPSHOT)
    const other = new Database(databaseFile(), { timeout: 0 });
    let otherRefused = false;
    try {
      await prisma.$transaction(async (tx) => {
        await tx.township.findFirstOrThrow({ where: { id: w.t1.id } });
        try {
          other.prepare(`INSERT INTO AuditEvent (at, actorName, action, entity, entityId) VALUES (?, 'test', 'test', 'Test', '1')`).run(new Date().toISOString());
        } catch (e) {
          otherRefused = (e as { code?: string }).code === "SQLITE_BUSY";
        }
        await tx.township.update({ where: { id: w.t1.id }, data: { name: w.t1.name } });
      });
    } finally {
      other.close();
    }
    // the transaction held the write lock from its start: the other connection had to wait (here: not at all, so it was refused)
    expect(otherRefused).toBe(true);
  });

  it.skipIf(engine() !== "postgres")("PostgreSQL: every transaction holds the writers' lock from its start, so another writer (the import's) waits for it", async () => {
    const other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
    let otherGotIt: boolean | null = null;
    try {
      await prisma.$transaction(async (tx) => {
        await tx.township.findFirstOrThrow({ where: { id: w.t1.id } });
        await other.query("BEGIN");
        otherGotIt = (await other.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${PG_WRITE_LOCK}) AS ok`)).rows[0]!.ok;
        await other.query("COMMIT");
        await tx.township.update({ where: { id: w.t1.id }, data: { name: w.t1.name } });
      });
    } finally {
      await other.end();
    }
    expect(otherGotIt).toBe(false);
  });
});

/** The real job runner (scripts/jobs.ts) as its own process on this test's database. */
function startRunner(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/jobs.ts"], { env: { ...process.env, NODE_ENV: "test" }, stdio: ["ignore", "pipe", "pipe"] });
}

describe("kill -9 during a batch PDF, then a restart", () => {
  it("leaves the job interrupted, with no part of its file kept or offered", async () => {
    const runId = await issuedRun(1500);
    // a run this large is never rendered on a plain link: it goes to the run page and its button
    const link = await call(statementsRoute.loader, `/resources/dividends/${runId}/statements.pdf`, w.users.accountant.cookie, { id: String(runId) });
    expect([link.status, link.headers.get("Location")]).toEqual([302, `/dividends/${runId}`]);
    const jobId = (await startStatementsPdf(users.accountant, runId, "http://localhost"))!;
    const runner = startRunner();
    try {
      // killed part-way: some statements rendered, some of the file written
      await waitFor(async () => {
        const j = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
        return j.status === "RUNNING" && j.done > 0 && j.done < j.total && jobFiles(jobId).some((f) => fs.statSync(path.join(jobsDirectory(), f)).size > 0);
      }, 90_000);
      runner.kill("SIGKILL");
      await new Promise((done) => runner.once("exit", done));
    } finally {
      runner.kill("SIGKILL");
    }
    expect(jobFiles(jobId).length).toBe(1);
    const again = startRunner();
    try {
      await waitFor(async () => (await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status === "INTERRUPTED");
    } finally {
      again.kill("SIGKILL");
      await new Promise((done) => again.once("exit", done));
    }
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect([job.status, job.resultPath]).toEqual(["INTERRUPTED", ""]);
    expect(jobFiles(jobId)).toEqual([]);
    expect(viewOf(job).hasFile).toBe(false);
    expect((await call(jobFile.loader, `/resources/jobs/${jobId}/file`, w.users.accountant.cookie, { id: String(jobId) })).status).toBe(404);
    // recovering again changes nothing
    expect(await recoverJobs({ allRunning: true })).toBe(0);
  }, 180_000);
});

describe("a runner that died during any kind of job", () => {
  // The batch PDF above is killed for real; every other kind shares the same
  // recovery, checked here from the state a kill -9 leaves: RUNNING, a dead
  // runner's id, a stale heartbeat and a half-written result file.
  it.each([EXPORT, IMPORT_ERRORS, STATEMENTS_PDF])("%s: interrupted after the restart, its partial file removed and never offered", async (kind) => {
    const job = await prisma.job.create({
      data: { kind, status: "RUNNING", input: "{}", createdById: w.users.accountant.id, workerId: "99999-dead", heartbeatAt: new Date(Date.now() - 120_000), startedAt: new Date(Date.now() - 130_000) },
    });
    const partial = path.join(jobsDirectory(), `job-${job.id}-deadbeef0000.part`);
    fs.writeFileSync(partial, "half a file", { mode: 0o600 });
    expect(await recoverJobs({})).toBeGreaterThanOrEqual(1);
    const after = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([after.status, after.resultPath]).toEqual(["INTERRUPTED", ""]);
    expect(jobFiles(job.id)).toEqual([]);
    expect(viewOf(after).hasFile).toBe(false);
  });
});
