/**
 * The batch of a run's statements (one page per household behind the cover)
 * as a long job (ADR 016): the run page's button queues it and opens the
 * job's page; the job runner renders the PDF into a result file, reporting
 * each statement as it goes; the user downloads the file when it is done.
 *
 * The job carries the scope of the user who asked for it, checked when it was
 * queued, so that a village secretary's batch holds only their village's
 * households, as the download did.
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Job } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import type { CurrentUser } from "~/auth/session.server";
import { enqueueJob, resultFilePath } from "~/jobs/jobs.server";
import type { JobKind } from "~/jobs/runner.server";
import { countLines, coverOf, documentName, runForDocuments, statementsOf } from "./documents.server";
import { renderStatementBatch } from "./statement-pdf.server";
import type { StatementDocument } from "./statement-document";

export const STATEMENTS_PDF = "STATEMENTS_PDF";

/** Runs of up to this many statements may still be downloaded straight away (GET); larger ones only through the job. */
export const STATEMENTS_INLINE_MAX = 200;

interface Input {
  runId: number;
  scope: Scope;
  /** where the QR codes point, from the request that asked */
  baseUrl: string;
}

/** Queues the batch PDF of a run in the user's scope; null when the run is not theirs to read. */
export async function startStatementsPdf(user: CurrentUser, runId: number, baseUrl: string): Promise<number | null> {
  const run = await runForDocuments(user.scope, runId);
  if (!run) return null;
  const s = user.scope;
  const input: Input = { runId, scope: s, baseUrl };
  return enqueueJob(
    STATEMENTS_PDF,
    input,
    { id: user.id, townshipId: s.kind === "all" ? null : s.townshipId, villageId: s.kind === "village" ? s.villageId : null, cooperativeId: s.kind === "cooperative" ? s.cooperativeId : null },
    `DividendRun:${runId}`,
  );
}

/** Yields the statements and counts them for the job's page. */
async function* counted(statements: AsyncIterable<StatementDocument>, onEach: (n: number) => void): AsyncGenerator<StatementDocument> {
  let n = 0;
  for await (const s of statements) {
    yield s;
    onEach(++n);
  }
}

export const statementsJobKinds: Record<string, JobKind> = {
  [STATEMENTS_PDF]: {
    async run(job: Job, ctx) {
      const input = JSON.parse(job.input) as Input;
      const run = await runForDocuments(input.scope, input.runId);
      if (!run) throw new Error("the run is no longer there");
      const total = await countLines(input.scope, run.id);
      ctx.progress("rendering", 0, total, true);
      const path = resultFilePath(job.id, "pdf");
      try {
        const pdf = renderStatementBatch(await coverOf(input.scope, run), counted(statementsOf(input.scope, run, input.baseUrl), (n) => ctx.progress("rendering", n, total)));
        await pipeline(pdf, fs.createWriteStream(path));
      } catch (e) {
        // a half-written PDF is never offered
        fs.rmSync(path, { force: true });
        throw e;
      }
      ctx.progress("rendering", total, total, true);
      return { result: { runId: run.id, statements: total }, file: { path, name: documentName("分红明细单", run), type: "application/pdf" } };
    },
  },
};
