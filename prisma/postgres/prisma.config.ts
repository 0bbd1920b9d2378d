import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The PostgreSQL client is generated from this folder's schema (made from
// ../schema.prisma, ADR 019). Only `prisma generate` and `prisma migrate diff`
// are used with it: migrations are applied by scripts/lib/migrate.ts, since
// the WebAssembly schema engine cannot read PostgreSQL 15's catalogue.
// `prisma generate` needs the schema's env("DATABASE_URL") to resolve, though
// it never connects: without it the CLI goes looking for a native engine.
process.env.DATABASE_URL ??= "postgresql://localhost/cunshe";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
