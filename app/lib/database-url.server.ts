import path from "node:path";

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "file:./prisma/data.db";
}

export type Engine = "sqlite" | "postgres";

/** Which database the app runs on (ADR 019): a `postgresql://` URL means PostgreSQL, anything else a SQLite file. */
export function engine(url = databaseUrl()): Engine {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

/** The file path behind a `file:` URL, for raw better-sqlite3 access and backups. */
export function databaseFile(url = databaseUrl()): string {
  if (engine(url) !== "sqlite") throw new Error("databaseFile: the database is not a SQLite file");
  return url.replace(/^file:/, "");
}

/**
 * Where the app keeps files beside its database (job results, import
 * reports, the session secret, backups): the SQLite file's folder, or
 * DATA_DIR (default ./prisma) on PostgreSQL — a folder every app process
 * must share when several run (README, "Growing past one server").
 */
export function dataDirectory(url = databaseUrl()): string {
  if (engine(url) === "postgres") return path.resolve(process.env.DATA_DIR ?? "prisma");
  return path.dirname(path.resolve(databaseFile(url)));
}
