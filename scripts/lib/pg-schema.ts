import fs from "node:fs";

/**
 * PostgreSQL's Prisma schema is made from the SQLite one (ADR 019): one
 * schema has one provider, and the models must never drift apart. Only the
 * generator's output and the datasource differ; `tests/unit/pg-schema.test.ts`
 * fails when the committed copy is stale (`npm run db:pg-migration -- <name>` rewrites it with its migration).
 */
export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const PG_SCHEMA = "prisma/postgres/schema.prisma";

export function postgresSchema(sqlite: string): string {
  const generator = /generator client \{([^}]*)\}/;
  const datasource = /datasource db \{[^}]*\}/;
  if (!generator.test(sqlite) || !datasource.test(sqlite)) throw new Error(`${SQLITE_SCHEMA}: generator or datasource block not found`);
  return (
    "// GENERATED from prisma/schema.prisma by `npm run db:pg-migration`: edit that file, not this one.\n" +
    sqlite
      .replace(generator, (_all, body: string) => `generator client {${body.replace(/\n$/, "")}\n  output          = "../../node_modules/.prisma/client-pg"\n}`)
      .replace(datasource, 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}')
  );
}

export function writePostgresSchema(): boolean {
  const next = postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
  const current = fs.existsSync(PG_SCHEMA) ? fs.readFileSync(PG_SCHEMA, "utf8") : "";
  if (current === next) return false;
  fs.writeFileSync(PG_SCHEMA, next);
  return true;
}
