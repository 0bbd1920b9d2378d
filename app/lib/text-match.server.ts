/**
 * Prisma's `contains` as the search boxes mean it on either engine
 * (docs/decisions/018-data-access-layer.md). On SQLite `contains` is LIKE,
 * which ignores the case of ASCII letters; on PostgreSQL LIKE minds case, so
 * there it asks for ILIKE (`mode: "insensitive"`, which PostgreSQL's client
 * knows and SQLite's does not). PostgreSQL's C.UTF-8 locale folds the case of
 * other letters too (Ä/ä), which SQLite does not: names here are Chinese.
 */
import { engine } from "./database-url.server";

export function containsText(text: string): { contains: string } {
  return engine() === "postgres" ? ({ contains: text, mode: "insensitive" } as { contains: string }) : { contains: text };
}

/** Prisma's `startsWith`, ignoring the case of ASCII letters on both engines as `containsText` does. */
export function startsWithText(text: string): { startsWith: string } {
  return engine() === "postgres" ? ({ startsWith: text, mode: "insensitive" } as { startsWith: string }) : { startsWith: text };
}
