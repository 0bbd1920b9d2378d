/**
 * Large list exports as long jobs (ADR 016). Each export link stays a plain
 * GET: the route counts the rows the workbook would have; up to
 * EXPORT_JOB_ROWS it streams the file as before, beyond that it queues an
 * EXPORT job and sends the user to the job's page, where the file is offered
 * when the job runner has written it. The job runs the very same export
 * (exports.server.ts): same rows, same masking, and the same `export` event
 * in the audit trail, recorded when the rows are read.
 *
 * The job carries the user as they were when they asked (role and scope,
 * checked by the route); its result file is theirs alone (jobs.server.ts).
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Job, Prisma } from "@prisma/client";
import { redirect } from "@remix-run/node";
import { householdScopeWhere, placeScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { contractListWhere, installmentScopeWhere } from "~/contracts/contracts.server";
import { enqueueJob, resultFilePath } from "~/jobs/jobs.server";
import type { JobKind } from "~/jobs/runner.server";
import { today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { DEFAULT_LOCALE, isLocale, localeFromCookieHeader, translator, type Locale } from "~/lib/i18n";
import { xlsxHeaders } from "~/lib/xlsx.server";
import { plotScopeWhere } from "~/plots/plots.server";
import { parseSearch } from "~/registry/search-terms";
import { exportArrears, exportContractedPlots, exportContracts, exportHouseholds, exportOrchardPlots, selectHouseholds, type ExportFile, type ExportList } from "./exports.server";
import { contractFilters, householdFilters, orchardPlotFilters, type HouseholdListFilters } from "./list-filters";

export const EXPORT = "EXPORT";
/** Exports of more rows than this (on their main sheet) are written by a job instead of on the request. */
export const EXPORT_JOB_ROWS = 5_000;

const LISTS: readonly ExportList[] = ["households", "contracted-plots", "contracts", "arrears", "orchard-plots"];

function householdWhere(user: CurrentUser, f: HouseholdListFilters): Prisma.HouseholdWhereInput {
  return { AND: [householdScopeWhere(user.scope), f.villageId ? { villageId: f.villageId } : {}, f.groupId ? { groupId: f.groupId } : {}, f.status ? { status: f.status } : {}] };
}

/** Rows of the export's main sheet, counted with the export's own scope and filters (a foreign village counts none). */
export async function exportRowCount(user: CurrentUser, list: ExportList, params: URLSearchParams): Promise<number> {
  switch (list) {
    case "households": {
      const f = householdFilters(params);
      if (parseSearch(f.q).kind === "none") return prisma.household.count({ where: householdWhere(user, f) });
      return (await selectHouseholds(user.scope, f)).length;
    }
    case "contracted-plots": {
      const f = householdFilters(params);
      const plotScope = placeScopeWhere(user.scope, (s) => ({ villageId: { in: s.villageIds } })) as Prisma.ContractedPlotWhereInput;
      if (parseSearch(f.q).kind === "none") return prisma.contractedPlot.count({ where: { AND: [plotScope, { household: householdWhere(user, f) }] } });
      const ids = (await selectHouseholds(user.scope, f)).map((h) => h.id);
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) n += await prisma.contractedPlot.count({ where: { AND: [plotScope, { householdId: { in: ids.slice(i, i + 500) } }] } });
      return n;
    }
    case "contracts":
      return prisma.transferContract.count({ where: contractListWhere(user.scope, contractFilters(params), today()) });
    case "arrears":
      // the overdue installments not paid in full: the longest of the workbook's sheets
      return prisma.rentInstallment.count({
        where: {
          AND: [
            installmentScopeWhere(user.scope),
            { cancelledAt: null, amountFen: { not: null }, contract: { form: { not: "EQUITY" } }, dueDate: { lte: today() } },
            { amountFen: { gt: prisma.rentInstallment.fields.paidFen } },
          ],
        },
      });
    case "orchard-plots": {
      const f = orchardPlotFilters(params);
      return prisma.orchardPlot.count({ where: { AND: [plotScopeWhere(user.scope), f.villageId ? { villageId: f.villageId } : {}] } });
    }
  }
}

/** The export itself, as the route ran it before jobs existed. */
export function runExport(list: ExportList, user: CurrentUser, locale: Locale, params: URLSearchParams): Promise<ExportFile> {
  const ctx = { user, t: translator(locale) };
  switch (list) {
    case "households":
      return exportHouseholds(ctx, householdFilters(params));
    case "contracted-plots":
      return exportContractedPlots(ctx, householdFilters(params));
    case "contracts":
      return exportContracts(ctx, contractFilters(params));
    case "arrears":
      return exportArrears(ctx);
    case "orchard-plots":
      return exportOrchardPlots(ctx, orchardPlotFilters(params));
  }
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
      if (!LISTS.includes(input.list)) throw new Error(`unknown export ${input.list}`);
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
