/**
 * One side of a race for the same import batch, as a process of its own
 * (tests/models/import-concurrency.test.ts): it loads everything, says
 * "ready", waits for "go" on stdin, then either starts the import of a checked
 * batch (`start`) or runs the writer on a batch already claimed (`apply`), and
 * prints what happened as one line of JSON.
 *
 *   node --import tsx tests/import-race-child.ts start|apply BATCH_ID COOKIE
 */
import { getUser } from "~/auth/session.server";
import { applyHouseholds } from "~/imports/apply.server";
import { checkFile, startImport } from "~/imports/imports.server";
import type { ImportKind } from "~/imports/columns";
import { currentYear } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { withRawConnection } from "~/lib/raw-db.server";
import { request } from "./factories";

const [mode, batchArg, cookie] = process.argv.slice(2);
const batchId = Number(batchArg);
const user = (await getUser(request("/", { cookie })))!;
let work: () => Promise<unknown>;
if (mode === "start") {
  work = () => startImport(user, batchId, { wait: true });
} else {
  const b = await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } });
  const file = await withRawConnection((db) => db.get<{ file: Buffer }>(`SELECT "file" FROM "ImportBatch" WHERE "id" = ?`, [batchId]));
  const checked = await checkFile(b.kind as ImportKind, b.villageId!, new Uint8Array(file!.file), b.fileName, currentYear());
  if (!checked.ok || checked.kind !== "HOUSEHOLDS") throw new Error("not a checked roster");
  work = () => applyHouseholds(batchId, { id: user.id, username: user.username }, { townshipId: b.townshipId, villageId: b.villageId! }, checked.plan, { updateExisting: b.updateExisting });
}
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
try {
  process.stdout.write(`${JSON.stringify({ ok: true, result: await work() })}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) })}\n`);
}
await prisma.$disconnect();
process.exit(0);
