import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:pg`: the model tests again, on PostgreSQL (ADR 019). Files that
// test SQLite itself (its backup API, its file format, a migration of SQLite
// rows) stay SQLite's, and so do the demo data's: the seed writes a SQLite file,
// which reaches PostgreSQL through the copy that migrate-to-pg.test.ts tests.

// Read by the global setup (this process) and by each test file's setup (its workers inherit it).
process.env.CUNSHE_TEST_ENGINE = "postgres";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/models/**/*.test.ts"],
    exclude: [
      "tests/models/backup.test.ts",
      "tests/models/backup-live.test.ts",
      "tests/models/sqlite-library.test.ts",
      "tests/models/person-dates-migration.test.ts",
      "tests/models/demo-data.test.ts",
      "tests/models/plots-seed.test.ts",
    ],
  },
});
