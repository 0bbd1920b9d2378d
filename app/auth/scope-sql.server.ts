/**
 * The user's scope as a condition of raw SQL (docs/decisions/018-data-access-layer.md):
 * the one place that writes a scope clause for the `*.queries.server.ts`
 * modules, as permissions.server.ts writes it for Prisma's `where`. Both say
 * the same thing (tests/models/queries.test.ts compares them on every scope).
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "./permissions";

/**
 * The columns of a row that place it, as SQL references such as
 * `h."townshipId"` (an alias, a dot and a double-quoted name; a bare quoted
 * name also does).
 */
export interface ScopeColumns {
  townshipId: string;
  villageId: string;
  /**
   * The cooperative the row belongs to. With it, a cooperative's accountant
   * reaches the cooperative's own rows (its contracts); without it, the rows
   * of the villages the cooperative serves (households, plots).
   */
  cooperativeId?: string;
}

const COLUMN = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)?"[A-Za-z_][A-Za-z0-9_]*"$/;

function column(ref: string): Prisma.Sql {
  // References are written in code, never taken from a request; still, nothing else may reach Prisma.raw.
  if (!COLUMN.test(ref)) throw new Error(`scopeSql: not a column reference: ${ref}`);
  return Prisma.raw(ref);
}

/** The columns of `alias` named townshipId and villageId (and cooperativeId, when `cooperative`). */
export function placeColumns(alias: string, cooperative = false): ScopeColumns {
  const a = alias ? `${alias}.` : "";
  return { townshipId: `${a}"townshipId"`, villageId: `${a}"villageId"`, ...(cooperative ? { cooperativeId: `${a}"cooperativeId"` } : {}) };
}

/**
 * A condition that holds exactly for the rows inside the scope: TRUE for the
 * whole system, FALSE for a cooperative that serves no village. A village's
 * and a cooperative's villages also name their township: they lie in it
 * (a cooperative serves villages of its own township only), and indexes that
 * lead with the township are used.
 */
export function scopeSql(scope: Scope, columns: ScopeColumns): Prisma.Sql {
  const township = column(columns.townshipId);
  const village = column(columns.villageId);
  switch (scope.kind) {
    case "all":
      return Prisma.sql`TRUE`;
    case "township":
      return Prisma.sql`${township} = ${scope.townshipId}`;
    case "village":
      return Prisma.sql`(${township} = ${scope.townshipId} AND ${village} = ${scope.villageId})`;
    case "cooperative":
      if (columns.cooperativeId) return Prisma.sql`${column(columns.cooperativeId)} = ${scope.cooperativeId}`;
      return scope.villageIds.length ? Prisma.sql`(${township} = ${scope.townshipId} AND ${village} IN (${Prisma.join(scope.villageIds)}))` : Prisma.sql`FALSE`;
  }
}
