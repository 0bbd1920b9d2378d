import fs from "node:fs";
import path from "node:path";
import { applyMigrations } from "../../scripts/lib/migrate.ts";

// One migrated template database per test run; each worker copies it.
export default function setup() {
  const dir = path.resolve("tests/.tmp");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  applyMigrations(path.join(dir, "template.db"));
}
