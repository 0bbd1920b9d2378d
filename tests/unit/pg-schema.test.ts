import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { PG_SCHEMA, SQLITE_SCHEMA, postgresSchema } from "../../scripts/lib/pg-schema";

describe("PostgreSQL's Prisma schema", () => {
  it("is the SQLite schema with only the provider and the client's folder changed", () => {
    // A change to prisma/schema.prisma needs its PostgreSQL migration too: `npm run db:pg-migration -- <name>`.
    expect(fs.readFileSync(PG_SCHEMA, "utf8")).toBe(postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  });
});
