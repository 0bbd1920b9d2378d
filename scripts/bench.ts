/**
 * `npm run bench`: builds the district-scale data set if it is missing, then
 * measures the server time of the operations with speed goals and prints each
 * figure as `name: value`, also written to tests/bench/results.json.
 *
 * Server time is measured in-process around the same server functions the
 * loaders call, so it excludes the network and rendering but includes Prisma,
 * SQLite and result shaping.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { seedDatabase } from "./lib/demo-data.ts";

const DB = path.resolve("tests/bench/district.db");
const RESULTS = path.resolve("tests/bench/results.json");

if (!fs.existsSync(DB)) {
  console.log(`building the district-scale data set at ${path.relative(".", DB)} (once)…`);
  const r = await seedDatabase(DB, { scale: "district", log: (s) => console.log(s) });
  console.log(`built: ${r.households} households, ${r.people} people in ${(r.ms / 1000).toFixed(1)} s`);
}
process.env.DATABASE_URL = `file:${DB}`;
process.env.SESSION_SECRET ??= "bench-secret-bench-secret-bench-secret";

const { listHouseholds } = await import("../app/registry/households.server.ts");
const { prisma } = await import("../app/lib/db.server.ts");
type Scope = import("../app/auth/permissions.ts").Scope;

// A fixed-seed generator so that every run samples the same queries.
let seed = 20261126;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

const raw = new Database(DB, { readonly: true });
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

async function measure(name: string, runs: number, op: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await op(); // warm caches and prepared statements
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times;
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const results: Record<string, number> = {};
const report = (name: string, value: number) => {
  results[name] = Math.round(value * 100) / 100;
  console.log(`${name}: ${results[name]}`);
};

// Names as people type them: the full name, or the given name without the surname.
const nameQueries = people.map((p) => {
  const name = String(p.name);
  return rand() < 0.6 || name.length < 3 ? name : name.slice(1);
});
const byName = await measure("name", 300, () => listHouseholds(all, { q: pick(nameQueries) }));
report("household_search_name_p50_ms", pct(byName, 50));
report("household_search_name_p95_ms", pct(byName, 95));
const bySurname = await measure("surname", 100, () => listHouseholds(all, { q: pick(["王", "李", "张", "刘", "陈"]) }));
report("household_search_surname_p95_ms", pct(bySurname, 95));
const byId = await measure("id", 300, () => listHouseholds(all, { q: String(pick(people).idNumber) }));
report("household_search_id_p95_ms", pct(byId, 95));
const byPhone = await measure("phone", 300, () => listHouseholds(all, { q: String(pick(phones).phone) }));
report("household_search_phone_p95_ms", pct(byPhone, 95));
const statuses = ["ORDINARY", "ALLEVIATED", "MONITORED", undefined] as const;
const filtered = await measure("list", 300, () => {
  const v = pick(villages);
  const scope: Scope = { kind: "township", townshipId: v.townshipId };
  const group = rand() < 0.5 ? Number(pick(v.groups.split(","))) : undefined;
  return listHouseholds(scope, { villageId: v.id, groupId: group, status: pick([...statuses]), page: 1 + Math.floor(rand() * 3) });
});
report("household_list_filtered_p95_ms", pct(filtered, 95));
const townshipList = await measure("township", 100, () => {
  const v = pick(villages);
  return listHouseholds({ kind: "township", townshipId: v.townshipId }, { status: pick([...statuses]), page: 1 + Math.floor(rand() * 20) });
});
report("household_list_township_p95_ms", pct(townshipList, 95));

await prisma.$disconnect();
const previous = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, "utf8")) : {};
fs.writeFileSync(RESULTS, JSON.stringify({ ...previous, ...results, measuredAt: new Date().toISOString() }, null, 2) + "\n");
console.log(`written to ${path.relative(".", RESULTS)}`);
