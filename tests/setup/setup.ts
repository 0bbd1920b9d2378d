import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { createDatabase } from "./pg";

// A fresh copy of the migrated template per test file, so model tests run
// against a real SQLite file and never see each other's rows.
const dir = process.env.CUNSHE_TEST_DIR;
if (!dir) throw new Error("tests/setup/global.ts did not run");
const file = path.join(dir, `test-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
if (process.env.CUNSHE_TEST_ENGINE === "postgres") {
  // a copy of the migrated template database; the cluster goes at the end of the run, and the copies with it
  const name = `test_${path.basename(file, ".db").replace(/\W/g, "_")}`;
  process.env.DATABASE_URL = await createDatabase(process.env.CUNSHE_PG_ADMIN_URL!, name, process.env.CUNSHE_PG_TEMPLATE!);
  process.env.DATA_DIR = `${file}-data`;
} else {
  fs.copyFileSync(path.join(dir, "template.db"), file);
  process.env.DATABASE_URL = `file:${file}`;
}
// Job results and import reports beside this test file's database, not shared with the others running at once (ADR 016).
process.env.JOBS_DIR = `${file}-jobs`;
process.env.IMPORT_REPORTS_DIR = `${file}-import-reports`;
process.env.SESSION_SECRET ??= "test-session-secret-at-least-32-characters";
process.env.VERIFY_SECRET ??= "test-verify-secret-at-least-32-characters";

// A console.error during a test is a bug we did not expect: fail the test.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (errors.length) throw new Error(`console.error was called: ${String(errors[0]?.[0])}`);
});
