/**
 * The list exports' index and their long jobs (ADR 016). Each capability
 * writes its own lists (registry/, contracts/, plots/ `list-export.server.ts`);
 * this index only names them for the routes and the job runner.
 *
 * Each export link stays a plain GET: the route counts the rows the workbook
 * would have; up to EXPORT_JOB_ROWS it streams the file as before, beyond
 * that it queues an EXPORT job and sends the user to the job's page, where
 * the file is offered when the job runner has written it. The job runs the
 * very same export: same rows, same masking, and the same `export` event in
 * the audit trail, recorded when the rows are read.
 *
 * The job carries the user as they were when they asked (role and scope,
 * checked by the route); its result file is theirs alone (jobs.server.ts).
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Job } from "@prisma/client";
import { redirect } from "@remix-run/node";
import type { CurrentUser } from "~/auth/session.server";
import { arrearsExport, contractsExport } from "~/contracts/list-export.server";
import { translator } from "~/i18n";
import { enqueueJob, resultFilePath } from "~/jobs/jobs.server";
import type { JobKind } from "~/jobs/runner.server";
import { DEFAULT_LOCALE, isLocale, localeFromCookieHeader, type Locale } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";
import { orchardPlotsExport } from "~/plots/list-export.server";
import { contractedPlotsExport, householdsExport } from "~/registry/list-export.server";
import type { ExportFile, ExportList, ListExport } from "./frame.server";

export type { ExportList };

export const EXPORT = "EXPORT";
/** Exports of more rows than this (on their main sheet) are written by a job instead of on the request. */
export const EXPORT_JOB_ROWS = 5_000;

const LISTS: Record<ExportList, ListExport> = {
  households: householdsExport,
  "contracted-plots": contractedPlotsExport,
  contracts: contractsExport,
  arrears: arrearsExport,
  "orchard-plots": orchardPlotsExport,
};

/** Rows of the export's main sheet, counted with the export's own scope and filters (a foreign village counts none). */
export function exportRowCount(user: CurrentUser, list: ExportList, params: URLSearchParams): Promise<number> {
  return LISTS[list].count(user, params);
}

/** The export itself, as the route ran it before jobs existed. */
export function runExport(list: ExportList, user: CurrentUser, locale: Locale, params: URLSearchParams): Promise<ExportFile> {
  return LISTS[list].run({ user, t: translator(locale) }, params);
}

interface Input {
  list: ExportList;
  /** the list's filters, as the link carried them */
  query: string;
  locale: Locale;
  user: Pick<CurrentUser, "id" | "username" | "displayName" | "role" | "scope" | "scopeName">;
}

/**
 * What an export route answers: the workbook itself when it is small, else a
 * redirect to the page of the job that writes it. `threshold` is for tests.
 */
export async function exportResponse(request: Request, user: CurrentUser, list: ExportList, threshold = EXPORT_JOB_ROWS): Promise<Response> {
  const url = new URL(request.url);
  const locale = localeFromCookieHeader(request.headers.get("Cookie"));
  if ((await exportRowCount(user, list, url.searchParams)) > threshold) {
    const jobId = await startExportJob(user, list, url.searchParams, locale);
    return redirect(`/jobs/${jobId}`);
  }
  const file = await runExport(list, user, locale, url.searchParams);
  return new Response(file.body, { headers: xlsxHeaders(file.fileName) });
}

export async function startExportJob(user: CurrentUser, list: ExportList, params: URLSearchParams, locale: Locale): Promise<number> {
  const s = user.scope;
  const input: Input = { list, query: params.toString(), locale, user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, scope: s, scopeName: user.scopeName } };
  return enqueueJob(EXPORT, input, { id: user.id, townshipId: s.kind === "all" ? null : s.townshipId, villageId: s.kind === "village" ? s.villageId : null, cooperativeId: s.kind === "cooperative" ? s.cooperativeId : null }, `Export:${list}`);
}

export const exportJobKinds: Record<string, JobKind> = {
  [EXPORT]: {
    async run(job: Job, ctx) {
      const input = JSON.parse(job.input) as Input;
      if (!Object.hasOwn(LISTS, input.list)) throw new Error(`unknown export ${input.list}`);
      const locale = isLocale(input.locale) ? input.locale : DEFAULT_LOCALE;
      ctx.progress("rendering", 0, 0, true);
      let file: ExportFile;
      try {
        file = await runExport(input.list, input.user as CurrentUser, locale, new URLSearchParams(input.query));
      } catch (e) {
        // a 404 thrown by the export (the village is no longer in scope)
        if (e instanceof Response) throw new Error(`export refused (${e.status})`);
        throw e;
      }
      ctx.progress("rendering", 0, file.rows, true);
      const path = resultFilePath(job.id, "xlsx");
      try {
        await pipeline(Readable.fromWeb(file.body as unknown as WebReadableStream<Uint8Array>), fs.createWriteStream(path));
      } catch (e) {
        fs.rmSync(path, { force: true });
        throw e;
      }
      ctx.progress("rendering", file.rows, file.rows, true);
      return { result: { list: input.list, rows: file.rows }, file: { path, name: file.fileName, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } };
    },
  },
};
