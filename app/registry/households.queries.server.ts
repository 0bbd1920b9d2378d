/**
 * The registry's raw SQL (docs/decisions/018-data-access-layer.md): the
 * household search over the HouseholdSearchTerm index (ADR 005) and the
 * export's plain reads of households and their members. Each runs as
 * written on SQLite and PostgreSQL.
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { placeColumns, scopeSql } from "~/auth/scope-sql.server";
import { prisma } from "~/lib/db.server";

type Num = number | bigint;

/**
 * Just above every term that starts with a prefix. Prefixes are digits (a
 * partial ID number or phone, ./search-terms.ts), so the next character is
 * never beyond U+FFFF; both engines compare the terms' UTF-8 bytes (SQLite's
 * BINARY, PostgreSQL's C collation), so the range is the same on both.
 */
const prefixEnd = (p: string) => p + "\uffff";

export interface SearchFilters {
  villageId?: number;
  groupId?: number;
  status?: string;
  category?: string;
}

/**
 * One page of the households whose search terms match (every exact term, or
 * any prefix), inside the scope and the filters, in the list's order
 * (township, village, id), and how many match in all.
 */
export async function searchHouseholdIds(
  scope: Scope,
  query: { kind: "exact"; terms: string[] } | { kind: "prefix"; prefixes: string[] },
  f: SearchFilters,
  page: { offset: number; limit: number },
): Promise<{ ids: number[]; total: number }> {
  const filters = Prisma.sql`${scopeSql(scope, placeColumns("t0"))}${f.villageId ? Prisma.sql` AND t0."villageId" = ${f.villageId}` : Prisma.empty}${
    f.groupId ? Prisma.sql` AND h."groupId" = ${f.groupId}` : Prisma.empty
  }${f.status ? Prisma.sql` AND h."status" = ${f.status}` : Prisma.empty}${f.category ? Prisma.sql` AND h."monitoringCategory" = ${f.category}` : Prisma.empty}`;
  const joinH = f.groupId || f.status || f.category ? Prisma.sql` JOIN "Household" h ON h."id" = t0."householdId"` : Prisma.empty;
  let from: Prisma.Sql;
  if (query.kind === "exact") {
    const [first, ...rest] = query.terms;
    const more = rest.map((term, i) => {
      const t = Prisma.raw(`t${i + 1}`);
      return Prisma.sql` JOIN "HouseholdSearchTerm" ${t} ON ${t}."term" = ${term} AND ${t}."townshipId" = t0."townshipId" AND ${t}."villageId" = t0."villageId" AND ${t}."householdId" = t0."householdId"`;
    });
    const joins = more.length ? Prisma.join(more, "", "", "") : Prisma.empty;
    from = Prisma.sql`FROM "HouseholdSearchTerm" t0${joins}${joinH} WHERE t0."term" = ${first} AND ${filters}`;
  } else {
    const ranges = query.prefixes.map((p) => Prisma.sql`(t0."term" >= ${p} AND t0."term" < ${prefixEnd(p)})`);
    from = Prisma.sql`FROM "HouseholdSearchTerm" t0${joinH} WHERE (${Prisma.join(ranges, " OR ")}) AND ${filters}`;
  }
  const [found, counted] = await Promise.all([
    prisma.$queryRaw<{ householdId: Num }[]>(
      Prisma.sql`SELECT DISTINCT t0."townshipId", t0."villageId", t0."householdId" ${from} ORDER BY t0."townshipId", t0."villageId", t0."householdId" LIMIT ${page.limit} OFFSET ${page.offset}`,
    ),
    prisma.$queryRaw<{ n: Num }[]>(Prisma.sql`SELECT COUNT(DISTINCT t0."householdId") AS n ${from}`),
  ]);
  return { ids: found.map((r) => Number(r.householdId)), total: Number(counted[0]?.n ?? 0) };
}

export interface HouseholdExportRow {
  id: number;
  code: string;
  townshipId: number;
  villageId: number;
  groupId: number;
  headName: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
  status: string;
  statusYear: number | null;
}

/**
 * Households of a chunk of ids, inside the scope, in no particular order.
 * Plain SQL: Prisma's typed nested read of the same rows takes about ten
 * times as long (3 s instead of 0.3 s for a township's 28,000 rows).
 */
export async function householdsByIds(scope: Scope, ids: readonly number[]): Promise<HouseholdExportRow[]> {
  if (ids.length === 0) return [];
  type H = Omit<HouseholdExportRow, "id" | "townshipId" | "villageId" | "groupId" | "statusYear"> & Record<"id" | "townshipId" | "villageId" | "groupId", Num> & { statusYear: Num | null };
  const rows = await prisma.$queryRaw<H[]>(
    Prisma.sql`SELECT h."id", h."code", h."townshipId", h."villageId", h."groupId", h."headName", h."address", h."phone", h."bankName", h."bankAccount", h."status", h."statusYear"
      FROM "Household" h WHERE h."id" IN (${Prisma.join(ids)}) AND ${scopeSql(scope, placeColumns("h"))}`,
  );
  return rows.map((h) => ({
    ...h,
    id: Number(h.id),
    townshipId: Number(h.townshipId),
    villageId: Number(h.villageId),
    groupId: Number(h.groupId),
    statusYear: h.statusYear === null ? null : Number(h.statusYear),
  }));
}

export interface CurrentMemberRow {
  householdId: number;
  name: string;
  relation: string;
  idNumber: string;
  sex: string;
  birthDate: string;
  ableToWork: boolean;
  phone: string;
}

/** The current members (not moved out) of these households, in the order they were recorded. */
export async function currentMembersOf(householdIds: readonly number[]): Promise<CurrentMemberRow[]> {
  if (householdIds.length === 0) return [];
  // ableToWork: 0/1 on SQLite, a boolean on PostgreSQL
  const rows = await prisma.$queryRaw<(Omit<CurrentMemberRow, "householdId" | "ableToWork"> & { householdId: Num; ableToWork: Num | boolean })[]>(
    Prisma.sql`SELECT p."householdId", p."name", p."relation", p."idNumber", p."sex", p."birthDate", p."ableToWork", p."phone"
      FROM "Person" p WHERE p."leftOn" IS NULL AND p."householdId" IN (${Prisma.join(householdIds)}) ORDER BY p."id"`,
  );
  return rows.map((p) => ({ ...p, householdId: Number(p.householdId), ableToWork: Boolean(Number(p.ableToWork)) }));
}

/**
 * Households whose search terms predate a kind of term the index now holds:
 * a current member without the term of the last four characters of their ID
 * number (ADR 005). Databases made before those terms existed list every
 * household here; an index kept current lists none. Both engines evaluate
 * the NOT EXISTS as one primary-key lookup per person.
 */
export async function householdsWithStaleTerms(): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ id: Num }[]>(
    Prisma.sql`SELECT DISTINCT h."id" AS id FROM "Person" p JOIN "Household" h ON h."id" = p."householdId"
      WHERE p."leftOn" IS NULL AND length(p."idNumber") > 4 AND NOT EXISTS (
        SELECT 1 FROM "HouseholdSearchTerm" t
        WHERE t."term" = 's:' || upper(substr(p."idNumber", length(p."idNumber") - 3)) AND t."townshipId" = h."townshipId" AND t."villageId" = h."villageId" AND t."householdId" = h."id")
      ORDER BY h."id"`,
  );
  return rows.map((r) => Number(r.id));
}
