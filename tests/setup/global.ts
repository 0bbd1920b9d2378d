import fs from "node:fs";
import path from "node:path";
import { applyMigrations } from "../../scripts/lib/migrate.ts";

// One migrated template database per test run, in a folder of this run's own,
// so that two runs at once never delete each other's files.
export default function setup() {
  const root = path.resolve("tests/.tmp");
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, "run-"));
  applyMigrations(path.join(dir, "template.db"));
  process.env.CUNSHE_TEST_DIR = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
