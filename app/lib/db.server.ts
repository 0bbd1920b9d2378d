import { remember } from "@epic-web/remember";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "file:./prisma/data.db";
}

/** The file path behind a `file:` URL, for raw better-sqlite3 access and backups. */
export function databaseFile(url = databaseUrl()): string {
  return url.replace(/^file:/, "");
}

function createClient() {
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: databaseUrl() }),
    log: [{ level: "query", emit: "event" }],
  });
  // Slow queries are the first sign that a scope lost its index.
  client.$on("query", (e) => {
    if (e.duration > 100) console.warn(`slow query ${e.duration}ms: ${e.query.slice(0, 200)}`);
  });
  return client;
}

export const prisma = remember("prisma", createClient);
