import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("one SQLite library in the process", () => {
  // Two copies of SQLite in one process clobber each other's POSIX locks: when
  // a raw connection (imports, backups) closed, it deleted the WAL under
  // Prisma's open connection and later writes vanished. See ADR 012.
  it("the app and Prisma's adapter load the same better-sqlite3", () => {
    const adapter = createRequire(require.resolve("@prisma/adapter-better-sqlite3"));
    expect(adapter.resolve("better-sqlite3")).toBe(require.resolve("better-sqlite3"));
  });
});
