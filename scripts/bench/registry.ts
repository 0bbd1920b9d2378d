import Database from "better-sqlite3";
import type { Scope } from "../../app/auth/permissions.ts";
import { listHouseholds } from "../../app/registry/households.server.ts";
import { measure, percentile as pct, seededRandom, type BenchContext } from "./context.ts";

/** Household search by member name, ID number and phone, and the filtered list (issue: foundation). */
export async function run({ db, report }: BenchContext) {
  const { rand, pick } = seededRandom(20261126);
  const raw = new Database(db, { readonly: true });
  const sample = (sql: string, n: number) => raw.prepare(sql).all(n) as Record<string, unknown>[];
  // Every 797th row: spread over the whole data set, and the same rows every run.
  const people = sample("SELECT name, idNumber FROM Person WHERE id % 797 = 13 LIMIT ?", 400);
  const phones = sample("SELECT phone FROM Household WHERE phone <> '' AND id % 211 = 5 LIMIT ?", 400);
  const villages = raw.prepare("SELECT v.id, v.townshipId, (SELECT group_concat(g.id) FROM VillagerGroup g WHERE g.villageId = v.id) AS groups FROM Village v").all() as {
    id: number;
    townshipId: number;
    groups: string;
  }[];
  const counts = raw.prepare("SELECT (SELECT COUNT(*) FROM Household) AS households, (SELECT COUNT(*) FROM Person) AS people, (SELECT COUNT(*) FROM Township) AS townships").get() as Record<string, number>;
  raw.close();
  console.log(`data set: ${counts.households} households, ${counts.people} people, ${counts.townships} townships`);

  const all: Scope = { kind: "all" };


  // Names as people type them: the full name, or the given name without the surname.
  const nameQueries = people.map((p) => {
    const name = String(p.name);
    return rand() < 0.6 || name.length < 3 ? name : name.slice(1);
  });
  const byName = await measure(300, () => listHouseholds(all, { q: pick(nameQueries) }));
  report("household_search_name_p50_ms", pct(byName, 50));
  report("household_search_name_p95_ms", pct(byName, 95));
  const bySurname = await measure(100, () => listHouseholds(all, { q: pick(["王", "李", "张", "刘", "陈"]) }));
  report("household_search_surname_p95_ms", pct(bySurname, 95));
  const byId = await measure(300, () => listHouseholds(all, { q: String(pick(people).idNumber) }));
  report("household_search_id_p95_ms", pct(byId, 95));
  const byPhone = await measure(300, () => listHouseholds(all, { q: String(pick(phones).phone) }));
  report("household_search_phone_p95_ms", pct(byPhone, 95));
  // The last 4 digits of an ID across the district (anyone may), and the secretary's 6 digits and birth dates in their village (ADR 005).
  const ids = people.map((p) => String(p.idNumber));
  const bySuffix = await measure(300, () => listHouseholds(all, { q: pick(ids).slice(-4) }));
  report("household_search_id_suffix4_p95_ms", pct(bySuffix, 95));
  const secretaryOf = (v: (typeof villages)[number]) => ({ role: "SECRETARY" as const, scope: { kind: "village" as const, townshipId: v.townshipId, villageId: v.id } });
  const byBirth = await measure(300, () => {
    const v = pick(villages);
    const id = pick(ids);
    const q = rand() < 0.5 ? id.slice(-6) : `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    return listHouseholds(secretaryOf(v).scope, { q }, secretaryOf(v));
  });
  report("household_search_secretary_suffix6_or_birthdate_p95_ms", pct(byBirth, 95));
  const statuses = ["ORDINARY", "ALLEVIATED", "MONITORED", undefined] as const;
  const filtered = await measure(300, () => {
    const v = pick(villages);
    const scope: Scope = { kind: "township", townshipId: v.townshipId };
    const group = rand() < 0.5 ? Number(pick(v.groups.split(","))) : undefined;
    return listHouseholds(scope, { villageId: v.id, groupId: group, status: pick([...statuses]), page: 1 + Math.floor(rand() * 3) });
  });
  report("household_list_filtered_p95_ms", pct(filtered, 95));
  const townshipList = await measure(100, () => {
    const v = pick(villages);
    return listHouseholds({ kind: "township", townshipId: v.townshipId }, { status: pick([...statuses]), page: 1 + Math.floor(rand() * 20) });
  });
  report("household_list_township_p95_ms", pct(townshipList, 95));
}
