/**
 * The batch of a run's statements (one page per household behind the cover)
 * as a long job (ADR 016): the run page's button queues it and opens the
 * job's page; the job runner renders the PDF into a result file, reporting
 * each statement as it goes; the user downloads the file when it is done.
 *
 * Starting the batch is a read (read:dividend, ADR 004): it shows nothing the
 * run's pages do not. The job checks again when it runs, as its requester
 * stands then: an account disabled or stripped of read:dividend since gets
 * nothing, and the batch holds what that scope may read (a village
 * secretary's only their village's households, as the download does).
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Job } from "@prisma/client";
import { hasPermission, ownPlace, type Scope } from "~/auth/permissions";
import { actorById, type CurrentUser } from "~/auth/session.server";
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
  /** the requester's scope when it was asked, for the record; the job reads with the scope they hold when it runs */
  scope: Scope;
  /** where the QR codes point, from the request that asked */
  baseUrl: string;
}

/** Queues the batch PDF of a run in the user's scope; null when the run is not theirs to read. */
export async function startStatementsPdf(user: CurrentUser, runId: number, baseUrl: string): Promise<number | null> {
  const run = await runForDocuments(user.scope, runId);
  if (!run) return null;
  const input: Input = { runId, scope: user.scope, baseUrl };
  const place = ownPlace(user.scope);
  return enqueueJob(
    STATEMENTS_PDF,
    input,
    { id: user.id, townshipId: place?.townshipId ?? null, villageId: place?.villageId ?? null, cooperativeId: place?.cooperativeId ?? null },
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
      const actor = await actorById(job.createdById);
      if (!actor || !hasPermission(actor.role, "read:dividend")) throw new Error("whoever asked for it may no longer read dividend runs");
      const scope = actor.scope;
      const run = await runForDocuments(scope, input.runId);
      if (!run) throw new Error("the run is no longer there");
      const total = await countLines(scope, run.id);
      ctx.progress("rendering", 0, total, true);
      const path = resultFilePath(job.id, "pdf");
      try {
        const pdf = renderStatementBatch(await coverOf(scope, run), counted(statementsOf(scope, run, input.baseUrl), (n) => ctx.progress("rendering", n, total)));
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
