/**
 * Every kind of long job the runner knows, registered from the capability
 * that owns it. The runner process (scripts/jobs.ts) and the tests import
 * this module; the web process only enqueues.
 */
import { exportJobKinds } from "~/exports/exports.server";
import { statementsJobKinds } from "~/dividends/statements-job.server";
import { importJobKinds } from "~/imports/imports.server";
import { registerJobKind } from "./runner.server";

let registered = false;

export async function registerAllJobKinds(): Promise<void> {
  if (registered) return;
  registered = true;
  for (const kinds of [importJobKinds, statementsJobKinds, exportJobKinds]) for (const [kind, handler] of Object.entries(kinds)) registerJobKind(kind, handler);
}
