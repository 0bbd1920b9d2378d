/**
 * The PostgreSQL figures of the bench, measured in a process of its own
 * (the app's Prisma client is made from DATABASE_URL when first imported, and
 * the bench's own process already holds SQLite's). Run by scripts/bench/pg/run.ts
 * with DATABASE_URL naming the province database; prints progress, then one
 * line `RESULT {json}` with each figure or the error that stopped it.
 *
 * The same server functions as the SQLite sections, with the same inputs:
 * the household search by name (registry), the township audit from stored
 * figures (income), a 5,000-household dividend run (dividends) and a
 * 20,000-row roster's dry run and import (imports).
 */
import pg from "pg";
import type { Scope } from "../../../app/auth/permissions.ts";
import type { CurrentUser } from "../../../app/auth/session.server.ts";
import { parseRunForm } from "../../../app/dividends/run-form.ts";
import { saveDraft } from "../../../app/dividends/runs.server.ts";
import { getBatch, startDryRun, startImport } from "../../../app/imports/imports.server.ts";
import { townshipAudit } from "../../../app/income/audit.server.ts";
import { prisma } from "../../../app/lib/db.server.ts";
import { listHouseholds } from "../../../app/registry/households.server.ts";
import { measure, percentile, seededRandom } from "../context.ts";
import { roster } from "../imports.ts";

const url = process.env.DATABASE_URL ?? "";
if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("scripts/bench/pg/measure.ts needs DATABASE_URL=postgresql://…");
const sql = new pg.Client({ connectionString: url });
await sql.connect();
const rows = async <T,>(text: string, values: unknown[] = []) => (await sql.query(text, values)).rows as T[];

const results: Record<string, number> = {};
const errors: Record<string, string> = {};
const wanted = new Set((process.env.BENCH_PG_FIGURES ?? "search,audit,dividend,import").split(","));

async function figure(name: string, key: string, body: () => Promise<number>) {
  if (!wanted.has(key)) return;
  try {
    results[name] = await body();
    console.log(`(${name}: ${results[name]!.toFixed(2)})`);
  } catch (e) {
    errors[name] = (e as Error).message.slice(0, 500);
    console.log(`(${name} failed: ${errors[name]})`);
  }
}

// Household search by name, as the registry section: full names, or the given name without the surname.
await figure("household_search_name_p95_ms_pg", "search", async () => {
  const { rand, pick } = seededRandom(20261126);
  const people = await rows<{ name: string }>(`SELECT name FROM "Person" WHERE id % 797 = 13 ORDER BY id LIMIT 400`);
  const queries = people.map((p) => (rand() < 0.6 || p.name.length < 3 ? p.name : p.name.slice(1)));
  const all: Scope = { kind: "all" };
  const times = await measure(300, () => listHouseholds(all, { q: pick(queries) }));
  console.log(`(search by name over the province: p50 ${percentile(times, 50).toFixed(1)} ms)`);
  return percentile(times, 95);
});

// The township audit from the stored figures, as the income section's audit_summary_ms (median of 10, memo off).
await figure("audit_township_summary_ms_pg", "audit", async () => {
  const [largest] = await rows<{ id: number; n: string }>(`SELECT "townshipId" AS id, COUNT(*)::text AS n FROM "Household" GROUP BY "townshipId" ORDER BY COUNT(*) DESC, "townshipId" LIMIT 1`);
  console.log(`(township ${largest!.id}: ${largest!.n} households)`);
  const times = await measure(10, () => townshipAudit({ townshipId: largest!.id, villageId: null }, 2025, { memo: false }), 2);
  return percentile(times, 50);
});

// A dividend run of 5,000 households, as the dividends section: equity contracts made once (BENCH-EQ), the run saved.
await figure("dividend_run_5k_ms_pg", "dividend", async () => {
  const HOUSEHOLDS = 5000;
  const YEAR = 2025;
  const [coop] = await rows<{ id: number; townshipId: number }>(`SELECT id, "townshipId" FROM "Cooperative" WHERE type = 'LAND_SHARE' ORDER BY id LIMIT 1`);
  const bench = `SELECT id FROM "TransferContract" WHERE "draftNo" LIKE 'BENCH-EQ-%'`;
  const [have] = await rows<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "TransferContract" WHERE "draftNo" LIKE 'BENCH-EQ-%'`);
  if (Number(have!.n) < HOUSEHOLDS) {
    await sql.query("BEGIN");
    await sql.query(`DELETE FROM "ContractPlot" WHERE "contractId" IN (${bench})`);
    await sql.query(`DELETE FROM "ContractParty" WHERE "contractId" IN (${bench})`);
    await sql.query(`DELETE FROM "TransferContract" WHERE "draftNo" LIKE 'BENCH-EQ-%'`);
    const plots = await rows<{ id: number; householdId: number; villageId: number; townshipId: number; contractArea: string }>(
      `SELECT p.id, p."householdId", p."villageId", p."townshipId", p."contractArea" FROM "ContractedPlot" p
        WHERE p.id IN (SELECT MIN(id) FROM "ContractedPlot" GROUP BY "householdId") ORDER BY p.id LIMIT $1`,
      [HOUSEHOLDS],
    );
    for (const [i, p] of plots.entries()) {
      // Most joined before the year; one in ten mid-year, so the run weighs days.
      const start = i % 10 === 0 ? `${YEAR}-0${1 + (i % 9)}-15` : "2021-01-01";
      const [c] = await rows<{ id: number }>(
        `INSERT INTO "TransferContract" ("townshipId", "villageId", "draftNo", "transfereeKind", "cooperativeId", "transfereeName", form, use, "startDate", "endDate", "rentKind", "rentPerMu", "paymentTiming", status, "createdById", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, 'COOPERATIVE', $4, '', 'EQUITY', 'GRAIN', $5, '2039-12-31', 'CASH', '1.00', 'YEARLY', 'FILED', 1, '2026-01-01', '2026-01-01') RETURNING id`,
        [p.townshipId, p.villageId, `BENCH-EQ-${i}`, coop!.id, start],
      );
      await sql.query(`INSERT INTO "ContractParty" ("contractId", "householdId") VALUES ($1, $2)`, [c!.id, p.householdId]);
      await sql.query(`INSERT INTO "ContractPlot" ("contractId", "plotId", "householdId", area) VALUES ($1, $2, $3, $4)`, [c!.id, p.id, p.householdId, p.contractArea]);
    }
    await sql.query("COMMIT");
  }
  const runs = `SELECT id FROM "DividendRun" WHERE "cooperativeId" = ${Number(coop!.id)}`;
  await sql.query(`DELETE FROM "DividendPayment" WHERE "lineId" IN (SELECT id FROM "DividendLine" WHERE "runId" IN (${runs}))`);
  await sql.query(`DELETE FROM "DividendLine" WHERE "runId" IN (${runs})`);
  await sql.query(`DELETE FROM "DividendObjection" WHERE "runId" IN (${runs})`);
  await sql.query(`DELETE FROM "DividendRun" WHERE "cooperativeId" = $1`, [coop!.id]);
  const accountant = { id: 1, username: "bench", displayName: "bench", role: "ACCOUNTANT", scopeName: "", scope: { kind: "cooperative", cooperativeId: coop!.id, townshipId: coop!.townshipId, villageIds: [] } } as unknown as CurrentUser;
  const form = parseRunForm({ year: String(YEAR), income: "30000000", cost: "9000000", providentPercent: "10", riskPercent: "5", guaranteePerShare: "800", noticeDays: "7" }, "LAND_SHARE", 2026);
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  const t0 = performance.now();
  const saved = await saveDraft(accountant, null, form.value);
  const ms = performance.now() - t0;
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return ms;
});

// A 20,000-row roster checked and imported into a village made for the run and removed afterwards, as the imports section.
await figure("import_20k_rows_ms_pg", "import", async () => {
  const [township] = await rows<{ id: number; code: string }>(`SELECT id, code FROM "Township" ORDER BY id LIMIT 1`);
  const code = `${township!.code.slice(0, 9)}998`;
  const removeVillage = async () => {
    const [v] = await rows<{ id: number }>(`SELECT id FROM "Village" WHERE code = $1`, [code]);
    if (!v) return;
    const hh = `SELECT id FROM "Household" WHERE "villageId" = ${Number(v.id)}`;
    await sql.query("BEGIN");
    for (const s of [
      `DELETE FROM "HouseholdSearchTerm" WHERE "villageId" = $1`,
      `DELETE FROM "HouseholdStatusChange" WHERE "householdId" IN (${hh})`,
      `DELETE FROM "Person" WHERE "householdId" IN (${hh})`,
      `DELETE FROM "IncomeFigureStale" WHERE "householdId" IN (${hh})`,
      `DELETE FROM "IncomeFigure" WHERE "villageId" = $1`,
      `DELETE FROM "Household" WHERE "villageId" = $1`,
      `DELETE FROM "AuditEvent" WHERE "villageId" = $1`,
      `DELETE FROM "Job" WHERE ref IN (SELECT 'ImportBatch:' || id FROM "ImportBatch" WHERE "villageId" = $1)`,
      `DELETE FROM "ImportBatch" WHERE "villageId" = $1`,
      `DELETE FROM "VillagerGroup" WHERE "villageId" = $1`,
      `DELETE FROM "Village" WHERE id = $1`,
    ]) {
      await sql.query(s, s.includes("$1") ? [v.id] : []);
    }
    await sql.query("COMMIT");
  };
  await removeVillage();
  const [village] = await rows<{ id: number }>(`INSERT INTO "Village" (code, "parcelCode", name, "townshipId") VALUES ($1, '998', '导入测速村', $2) RETURNING id`, [code, township!.id]);
  for (let g = 1; g <= 5; g++) await sql.query(`INSERT INTO "VillagerGroup" ("villageId", number, name) VALUES ($1, $2, $3)`, [village!.id, String(g).padStart(2, "0"), `第${g}组`]);
  const user = { id: 1, role: "SECRETARY", scope: { kind: "village", townshipId: township!.id, villageId: village!.id }, username: "bench", displayName: "bench", scopeName: "" } as CurrentUser;
  try {
    const bytes = await roster();
    const t0 = performance.now();
    const started = await startDryRun(user, { kind: "HOUSEHOLDS", villageId: village!.id, fileName: "roster.xlsx", bytes, updateExisting: false }, { wait: true });
    if (!started.ok) throw new Error(JSON.stringify(started));
    const t1 = performance.now();
    const checked = await getBatch(user, started.id);
    if (checked?.status !== "CHECKED" || checked.errorCount !== 0) throw new Error(`dry run: ${checked?.status} with ${checked?.errorCount} errors ${checked?.failure ?? ""} ${checked?.report.slice(0, 300)}`);
    await startImport(user, started.id, { wait: true });
    const t2 = performance.now();
    const done = await getBatch(user, started.id);
    if (done?.status !== "IMPORTED") throw new Error(`import: ${done?.status} ${done?.failure}`);
    console.log(`(${done.createCount} households created; dry run ${(t1 - t0).toFixed(0)} ms, import ${(t2 - t1).toFixed(0)} ms)`);
    return t2 - t0;
  } finally {
    await removeVillage();
  }
});

results.pg_households = Number((await rows<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "Household"`))[0]!.n);

await prisma.$disconnect();
await sql.end();
console.log(`RESULT ${JSON.stringify({ results, errors })}`);
