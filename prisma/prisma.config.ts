import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The WebAssembly schema engine and the better-sqlite3 adapter: nothing is
// downloaded at install or run time (see ../shared/STACK.md, ADR 002).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  adapter: async () =>
    new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./prisma/data.db" }),
});
