import Database from "better-sqlite3";
import { bookPendingEvents, ensureBooks } from "../../app/books/books.server.ts";
import { trialBalance } from "../../app/books/books.queries.server.ts";
import { ROLE_CODES } from "../../app/books/chart.ts";
import type { BenchContext } from "./context.ts";

const MEMBERS = 5000;
const VOUCHERS = 100_000;
const STAMP = "2026-01-01T00:00:00.000+00:00";

/**
 * The books (ADR 021). Standalone: on an empty database it makes its own
 * township, village and 5,000 households; on the district set it uses the
 * first 5,000 households. Each run makes two new cooperatives marked
 * BENCH-BOOKS (earlier ones and their books are removed first):
 * - vouchers_from_run_5k_ms: an issued run of 5,000 lines (every tenth with a
 *   deduction) booked by bookPendingEvents — cost, reserves, the distribution
 *   (10,000 member credits), the deductions, and 15,000 member sub-accounts;
 * - trial_balance_100k_vouchers_ms: the trial balance of a year of 100,000
 *   vouchers (250,000 lines over 40 accounts, inserted with raw SQL).
 */
export async function run({ db, report }: BenchContext) {
  const raw = new Database(db);
  raw.pragma("journal_mode = WAL");
  const old = (raw.prepare(`SELECT id FROM "Cooperative" WHERE "name" LIKE 'BENCH-BOOKS%'`).all() as { id: number }[]).map((r) => r.id);
  for (const id of old) {
    raw.exec(`DELETE FROM "VoucherLine" WHERE "cooperativeId" = ${id}; DELETE FROM "Voucher" WHERE "cooperativeId" = ${id}; DELETE FROM "LedgerAccount" WHERE "cooperativeId" = ${id};
              DELETE FROM "AccountingPeriod" WHERE "cooperativeId" = ${id};
              DELETE FROM "DividendLine" WHERE "runId" IN (SELECT "id" FROM "DividendRun" WHERE "cooperativeId" = ${id}); DELETE FROM "DividendRun" WHERE "cooperativeId" = ${id};
              DELETE FROM "CooperativeVillage" WHERE "cooperativeId" = ${id}; DELETE FROM "Cooperative" WHERE "id" = ${id};`);
  }
  let households = raw.prepare(`SELECT "id", "townshipId", "villageId" FROM "Household" ORDER BY "id" LIMIT ?`).all(MEMBERS) as { id: number; townshipId: number; villageId: number }[];
  if (households.length < MEMBERS) {
    raw.transaction(() => {
      const t = raw.prepare(`INSERT INTO "Township" ("code", "name", "countyCode", "createdAt") VALUES ('379999999000', '账簿基准镇', '379999', ?)`).run(STAMP);
      const v = raw.prepare(`INSERT INTO "Village" ("code", "parcelCode", "name", "townshipId") VALUES ('379999999001', '001', '账簿基准村', ?)`).run(t.lastInsertRowid);
      const g = raw.prepare(`INSERT INTO "VillagerGroup" ("villageId", "number", "name") VALUES (?, '01', '第一村民小组')`).run(v.lastInsertRowid);
      const h = raw.prepare(`INSERT INTO "Household" ("code", "townshipId", "villageId", "groupId", "headName", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (let i = households.length; i < MEMBERS; i++) h.run(`B${String(i).padStart(5, "0")}`, t.lastInsertRowid, v.lastInsertRowid, g.lastInsertRowid, `成员${i}`, STAMP, STAMP);
    })();
    households = raw.prepare(`SELECT "id", "townshipId", "villageId" FROM "Household" ORDER BY "id" LIMIT ?`).all(MEMBERS) as typeof households;
  }
  const townshipId = households[0]!.townshipId;
  const coop = (name: string) =>
    Number(
      raw
        .prepare(`INSERT INTO "Cooperative" ("name", "creditCode", "type", "townshipId", "legalRepresentative", "accountingSystem", "createdAt", "updatedAt") VALUES (?, ?, 'PROFESSIONAL', ?, '基准', 'COOP_2021', ?, ?)`)
        .run(name, `BENCH${Date.now()}${Math.random().toString(36).slice(2, 8)}`, townshipId, STAMP, STAMP).lastInsertRowid,
    );
  const runCoop = coop("BENCH-BOOKS 分配记账");
  const tbCoop = coop("BENCH-BOOKS 科目余额表");

  // an issued run of 5,000 lines
  const runId = Number(
    raw
      .prepare(`INSERT INTO "DividendRun" ("cooperativeId", "townshipId", "year", "method", "status", "incomeFen", "costFen", "providentFen", "riskFen", "distributableFen", "distributedFen", "createdById", "issuedAt", "createdAt", "updatedAt") VALUES (?, ?, 2025, 'PROFESSIONAL', 'ISSUED', 0, 900000000, 50000000, 20000000, 0, 0, 1, ?, ?, ?)`)
      .run(runCoop, townshipId, STAMP, STAMP, STAMP).lastInsertRowid,
  );
  const line = raw.prepare(`INSERT INTO "DividendLine" ("runId", "householdId", "townshipId", "villageId", "areaMu", "shares", "weight", "transactionFen", "surplusFen", "deductionFen", "netFen") VALUES (?, ?, ?, ?, '1.00', '1.00', '1.00', ?, ?, ?, ?)`);
  raw.transaction(() => {
    households.forEach((h, i) => {
      const t = 30_000 + i;
      const s = 20_000 + (i % 97);
      const d = i % 10 === 0 ? 1_000 : 0;
      line.run(runId, h.id, h.townshipId, h.villageId, t, s, d, t + s - d);
    });
  })();

  // 100,000 vouchers of one year over the standard leaves and 20 member accounts
  raw.close();
  await ensureBooks(tbCoop);
  const raw2 = new Database(db);
  const leaves = raw2.prepare(`SELECT "id", "code" FROM "LedgerAccount" WHERE "cooperativeId" = ? AND "isLeaf" = 1 ORDER BY "code"`).all(tbCoop) as { id: number; code: string }[];
  const parent = raw2.prepare(`SELECT "id" FROM "LedgerAccount" WHERE "cooperativeId" = ? AND "code" = ?`).get(tbCoop, ROLE_CODES.COOP_2021.memberCurrent) as { id: number };
  const insAcc = raw2.prepare(`INSERT INTO "LedgerAccount" ("cooperativeId", "code", "name", "parentId", "category", "normalSide", "isLeaf", "householdId", "standard", "createdAt") VALUES (?, ?, ?, ?, 'ASSET', 'DEBIT', 1, ?, 0, ?)`);
  const members: number[] = [];
  raw2.transaction(() => {
    for (let i = 0; i < 20; i++) members.push(Number(insAcc.run(tbCoop, `114-${String(i + 1).padStart(4, "0")}`, `成员${i}`, parent.id, households[i]!.id, STAMP).lastInsertRowid));
  })();
  const pool = [...leaves.map((l) => l.id), ...members];
  const insV = raw2.prepare(`INSERT INTO "Voucher" ("cooperativeId", "townshipId", "year", "month", "number", "date", "summary", "source", "status", "totalFen", "createdAt") VALUES (?, ?, 2024, ?, ?, ?, '基准凭证', 'MANUAL', 'CHECKED', ?, ?)`);
  const insL = raw2.prepare(`INSERT INTO "VoucherLine" ("voucherId", "cooperativeId", "seq", "accountId", "summary", "debitFen", "creditFen") VALUES (?, ?, ?, ?, '', ?, ?)`);
  const t0 = performance.now();
  raw2.transaction(() => {
    const perMonth = VOUCHERS / 12;
    for (let i = 0; i < VOUCHERS; i++) {
      const month = Math.min(12, 1 + Math.floor(i / perMonth));
      const number = i - Math.floor((month - 1) * perMonth) + 1;
      const a = 100 + ((i * 7919) % 100_000);
      const b = 50 + ((i * 104_729) % 50_000);
      const v = Number(insV.run(tbCoop, townshipId, month, number, `2024-${String(month).padStart(2, "0")}-15`, a + b, STAMP).lastInsertRowid);
      // one debit, two credits (a + b): 2.5 lines a voucher on average
      insL.run(v, tbCoop, 1, pool[i % pool.length]!, a + b, 0);
      insL.run(v, tbCoop, 2, pool[(i * 13 + 5) % pool.length]!, 0, a);
      if (i % 2 === 0) insL.run(v, tbCoop, 3, pool[(i * 31 + 11) % pool.length]!, 0, b);
      else raw2.prepare(`UPDATE "VoucherLine" SET "creditFen" = "creditFen" + ? WHERE "voucherId" = ? AND "seq" = 2`).run(b, v);
    }
  })();
  raw2.close();
  console.log(`(inserted ${VOUCHERS} vouchers in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const accountant = { id: 1, username: "bench", displayName: "bench", role: "ACCOUNTANT" as const, scope: { kind: "cooperative" as const, cooperativeId: runCoop, townshipId, villageIds: [] } };
  await ensureBooks(runCoop);
  const t1 = performance.now();
  const r = await bookPendingEvents(accountant, runCoop);
  report("vouchers_from_run_5k_ms", performance.now() - t1);
  console.log(`(booked ${r.booked} vouchers)`);

  await trialBalance(tbCoop, 2024); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const tb = await trialBalance(tbCoop, 2024);
    times.push(performance.now() - t);
    if (i === 0) {
      const debit = tb.filter((x) => x.isLeaf).reduce((s, x) => s + x.debitFen, 0n);
      const credit = tb.filter((x) => x.isLeaf).reduce((s, x) => s + x.creditFen, 0n);
      if (debit !== credit) throw new Error(`trial balance does not balance: ${debit} ≠ ${credit}`);
    }
  }
  times.sort((a, b) => a - b);
  report("trial_balance_100k_vouchers_ms", times[1]!);
}
