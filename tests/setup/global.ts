import fs from "node:fs";
import path from "node:path";
import { applyMigrations, applyPgMigrations } from "../../scripts/lib/migrate.ts";
import { startCluster } from "../../scripts/lib/pg-cluster.ts";
import { createDatabase, dropDatabase } from "./pg.ts";

// One migrated template database per test run, in a folder of this run's own,
// so that two runs at once never delete each other's files. On PostgreSQL
// (`npm run test:pg`, ADR 019) the template is a database of a throwaway
// cluster, or of the server DATABASE_URL names, and each test file gets a copy.
export default async function setup() {
  const root = path.resolve("tests/.tmp");
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, "run-"));
  process.env.CUNSHE_TEST_DIR = dir;
  if (process.env.CUNSHE_TEST_ENGINE !== "postgres") {
    applyMigrations(path.join(dir, "template.db"));
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const given = process.env.DATABASE_URL?.match(/^postgres(ql)?:\/\//) ? process.env.DATABASE_URL : undefined;
  const cluster = given ? null : startCluster();
  const admin = given ?? cluster!.url;
  const template = `cunshe_template_${path.basename(dir).replace(/\W/g, "_").toLowerCase()}`;
  const templateUrl = await createDatabase(admin, template);
  await applyPgMigrations(templateUrl);
  process.env.CUNSHE_PG_ADMIN_URL = admin;
  process.env.CUNSHE_PG_TEMPLATE = template;
  return async () => {
    try {
      if (given) await dropDatabase(admin, template);
    } finally {
      cluster?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
