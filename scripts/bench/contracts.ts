import Database from "better-sqlite3";
import { today } from "../../app/lib/dates.ts";
import { arrears } from "../../app/contracts/rent.server.ts";
import { generateSchedule, type ScheduleInput } from "../../app/contracts/schedule.ts";
import { measure, percentile, seededRandom, type BenchContext } from "./context.ts";

/** Rent schedules for 10,000 contracts, and the township arrears page (issue: land transfer contracts). */
export async function run({ db, report }: BenchContext) {
  const { rand, pick } = seededRandom(3);
  const inputs: ScheduleInput[] = Array.from({ length: 10_000 }, (_, i) => {
    const year = 2018 + Math.floor(rand() * 8);
    const start = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-01`;
    const years = pick([10, 12, 15]);
    const end = `${year + years - 1}-12-31`;
    const households = 1 + Math.floor(rand() * 5);
    const inKind = i % 7 === 0;
    return {
      startDate: start,
      endDate: end,
      rent: inKind
        ? { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", prices: { 2018: "1.15", 2019: "1.12", 2020: "1.12", 2021: "1.13", 2022: "1.15", 2023: "1.17", 2024: "1.18", 2025: "1.19" } }
        : { kind: "CASH", yuanPerMu: pick(["600", "800", "1000", "1200.50"]) },
      step: rand() < 0.3 ? { percent: "5", everyYears: 3 } : null,
      payment: pick([{ timing: "YEARLY", monthDay: "12-31" }, { timing: "ADVANCE" }, { timing: "INSTALMENTS", perYear: 2 }] as const),
      terminatedOn: null,
      parties: Array.from({ length: households }, (_, h) => ({ householdId: h + 1, areaMu: (0.5 + rand() * 8).toFixed(2) })),
    };
  });
  // Warm the JIT once, then time the whole batch.
  for (const input of inputs.slice(0, 200)) generateSchedule(input);
  let installments = 0;
  const t0 = performance.now();
  for (const input of inputs) installments += generateSchedule(input).installments.length;
  const ms = performance.now() - t0;
  console.log(`(${installments} installments)`);
  report("contract_schedules_10k_ms", ms);

  const raw = new Database(db, { readonly: true });
  const busiest = raw
    .prepare(`SELECT townshipId, COUNT(*) AS n FROM RentInstallment WHERE cancelledAt IS NULL AND amountFen > paidFen GROUP BY townshipId ORDER BY n DESC LIMIT 3`)
    .all() as { townshipId: number; n: number }[];
  const contracts = (raw.prepare(`SELECT COUNT(*) AS n FROM TransferContract`).get() as { n: number }).n;
  raw.close();
  console.log(`(${contracts} contracts in the data set; busiest township has ${busiest[0]?.n ?? 0} open installments)`);
  const asOf = today();
  const times = await measure(60, () => arrears({ kind: "township", townshipId: pick(busiest).townshipId }, asOf), 5);
  report("township_arrears_p95_ms", percentile(times, 95));
}
