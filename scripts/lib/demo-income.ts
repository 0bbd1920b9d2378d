/**
 * Deterministic household income records (typed entries and base work days)
 * and demo monitoring lines, for the demo and district data sets. Rent and
 * dividends are not written here: they come from the payments seeded with
 * the contracts, as in the app.
 */
import type Database from "better-sqlite3";
import { Rng } from "./rng";

export interface IncomeCounts {
  entries: number;
  workDays: number;
  lines: number;
}

/** Demo lines: labelled as such, because no official Shandong figure is on hand to cite. */
const DEMO_LINES: [number, number][] = [
  [2021, 6000],
  [2022, 6300],
  [2023, 6600],
  [2024, 6900],
  [2025, 7200],
];
export const DEMO_LINE_SOURCE = "演示数据：非官方数值，仅供演示，请按山东省当年文件更正";

const STATUS_FACTOR: Record<string, number> = { ORDINARY: 1, ALLEVIATED: 0.55, MONITORED: 0.4 };

export function seedIncome(db: Database.Database, opts: { scale: "demo" | "district"; seed: number; stamp: string }): IncomeCounts {
  const rng = new Rng(opts.seed ^ 0x1c0e);
  const years = opts.scale === "demo" ? [2021, 2022, 2023, 2024, 2025] : [2024, 2025];
  const insLine = db.prepare(`INSERT INTO MonitoringLine (year, provinceCode, amountFen, source, sourceUrl, enteredById, createdAt, updatedAt) VALUES (?, '37', ?, ?, '', NULL, ?, ?)`);
  for (const [year, yuan] of DEMO_LINES) insLine.run(year, yuan * 100, DEMO_LINE_SOURCE, opts.stamp, opts.stamp);

  const households = db.prepare(`SELECT id, townshipId, villageId, status FROM Household ORDER BY id`).all() as { id: number; townshipId: number; villageId: number; status: string }[];
  const people = db.prepare(`SELECT id, householdId, birthDate, ableToWork FROM Person WHERE leftOn IS NULL ORDER BY householdId, id`).all() as { id: number; householdId: number; birthDate: string; ableToWork: number }[];
  const byHousehold = new Map<number, typeof people>();
  for (const p of people) {
    let list = byHousehold.get(p.householdId);
    if (!list) byHousehold.set(p.householdId, (list = []));
    list.push(p);
  }
  const coopOfVillage = new Map<number, number>();
  for (const r of db.prepare(`SELECT cooperativeId, villageId FROM CooperativeVillage ORDER BY cooperativeId`).all() as { cooperativeId: number; villageId: number }[]) {
    if (!coopOfVillage.has(r.villageId)) coopOfVillage.set(r.villageId, r.cooperativeId);
  }
  const secretary = (db.prepare(`SELECT id FROM User WHERE role = 'SECRETARY' ORDER BY id LIMIT 1`).get() as { id: number } | undefined)?.id ?? 1;

  const insEntry = db.prepare(
    `INSERT INTO IncomeEntry (householdId, townshipId, villageId, personId, year, category, kind, amountFen, costFen, source, receivedOn, note, recordedById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`,
  );
  const insWork = db.prepare(
    `INSERT INTO WorkDay (personId, householdId, townshipId, villageId, cooperativeId, employer, year, periodStart, periodEnd, days, dailyWageFen, amountFen, paidOn, note, recordedById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`,
  );
  let entries = 0;
  let workDays = 0;
  const fen = (yuan: number) => Math.round(yuan) * 100;

  for (const h of households) {
    const members = byHousehold.get(h.id) ?? [];
    const factor = STATUS_FACTOR[h.status] ?? 1;
    // A few households have a bad last year (illness, a lost job): the audit's "income fell" list.
    const shock = rng.chance(0.05);
    const workers = members.filter((m) => m.ableToWork && ageIn(m.birthDate, 2025) >= 18 && ageIn(m.birthDate, 2025) < 60);
    const migrants = workers.filter(() => rng.chance(0.55));
    const baseWorkers = workers.filter((m) => !migrants.includes(m) && rng.chance(0.35));
    const elderly = members.filter((m) => ageIn(m.birthDate, 2025) >= 60);
    const dibao = (h.status === "MONITORED" && rng.chance(0.4)) || (h.status === "ALLEVIATED" && rng.chance(0.15));
    const assetDividend = h.status !== "ORDINARY" && rng.chance(0.8);
    const coop = coopOfVillage.get(h.villageId) ?? null;
    const migrantPay = migrants.map(() => rng.range(18000, 45000));
    const farm = rng.range(4000, 12000);
    for (const year of years) {
      const growth = Math.pow(1.06, year - 2025) * (shock && year === 2025 ? 0.45 : 1) * rng.range(0.92, 1.08);
      const add = (personId: number | null, category: string, kind: string, yuan: number, costYuan: number, source: string, month: number) => {
        insEntry.run(h.id, h.townshipId, h.villageId, personId, year, category, kind, fen(yuan), fen(costYuan), source, `${year}-${String(month).padStart(2, "0")}-15`, secretary, opts.stamp);
        entries++;
      };
      migrants.forEach((m, i) => add(m.id, "WAGE", "MIGRANT_WORK", migrantPay[i]! * factor * growth, 0, "外出务工（本人申报，村委会核实）", 12));
      const farmIncome = farm * factor * growth;
      add(null, "OPERATING", "CROPS", farmIncome, farmIncome * rng.range(0.35, 0.5), "小麦、玉米种植", 10);
      add(null, "TRANSFER", "AGRI_SUBSIDY", rng.range(300, 900), 0, "牡丹区农业农村局 耕地地力保护补贴", 5);
      for (const m of elderly) add(m.id, "TRANSFER", "PENSION", rng.range(1920, 2400), 0, "城乡居民基本养老保险", 12);
      if (dibao) add(null, "TRANSFER", "DIBAO", rng.range(4000, 6000), 0, "牡丹区民政局 农村低保金", 12);
      if (assetDividend) add(null, "PROPERTY", "ASSET_DIVIDEND", rng.range(300, 800), 0, "村集体光伏扶贫电站收益分配", 12);
      for (const m of baseWorkers) {
        const days = rng.int(80, 300) / 2;
        const wageFen = rng.int(8, 12) * 1000;
        insWork.run(m.id, h.id, h.townshipId, h.villageId, coop, coop ? "" : "本村扶贫车间", year, `${year}-03-01`, `${year}-11-30`, String(days), wageFen, Math.round(days * wageFen), `${year}-12-10`, secretary, opts.stamp);
        workDays++;
      }
    }
  }
  return { entries, workDays, lines: DEMO_LINES.length };
}

function ageIn(birthDate: string, year: number): number {
  return year - Number(birthDate.slice(0, 4));
}
