/**
 * Deterministic harvest records (采收记录) for the demo and district data
 * sets: every bearing peach, pear and hawthorn orchard gets its pickings of
 * 2023, 2024 and 2025, written with prepared statements into a database the
 * registry and orchard seeds have already filled.
 *
 * Figures follow DOMAIN.md §4 [practice]: peach about 2,800–3,000 jin/mu at
 * about 1.5 yuan/jin, bearing from year 5 and declining after ~15; pear
 * 5,000–8,000 jin/mu at about 2.5 yuan/jin wholesale; hawthorn about 1,250
 * jin/mu at 0.35–0.5 yuan/jin. Crabapple and nursery stock are sold by the
 * tree, not by weight, and grapes have no figures there: they get no records.
 * Growers weigh in jin, so most records are typed in jin; some in kg. A third
 * of the sales are round sums the buyer paid rather than quantity × price.
 *
 *   seedHarvests(db, { scale: "demo", seed })   a few hundred records
 *   seedHarvests(db, { scale: "district", seed }) some tens of thousands
 */
import type Database from "better-sqlite3";
import { salesFromPrice, toKg, type Grade, type Unit } from "../../app/harvests/harvest-form";
import { Decimal, toFen } from "../../app/lib/money";
import { Rng } from "./rng";

export const HARVEST_YEARS = [2023, 2024, 2025] as const;
const STAMP = "2026-01-01T00:00:00.000+00:00";
/** Only a cooperative's own plots sell through it. */
const COOPERATIVE_SALE = "合作社统一销售";

interface CropPlan {
  /** jin per mu of a plot in full bearing, before the year and the plot's own luck */
  jinPerMu: [number, number];
  /** yuan per jin */
  price: [number, number];
  /** years from planting to the first crop, and to full bearing */
  firstCrop: number;
  fullBearing: number;
  /** age after which the yield declines, 3% a year */
  declineAfter: number;
  /** the picking season: first and last day, "MM-DD" */
  season: [string, string];
  pickings: [number, number];
  grades: [Grade, number][];
  buyers: string[];
}

const PLANS: Partial<Record<string, CropPlan>> = {
  PEACH: {
    jinPerMu: [2800, 3000],
    price: [1.3, 1.8],
    firstCrop: 3,
    fullBearing: 5,
    declineAfter: 15,
    season: ["06-25", "09-10"],
    pickings: [2, 3],
    grades: [["SPECIAL", 1], ["FIRST", 4], ["SECOND", 3], ["THIRD", 1], ["OFF", 0.5]],
    buyers: ["菏泽鲜果批发市场", "小留镇果品收购点", COOPERATIVE_SALE, "外地客商", "电商直播"],
  },
  PEAR: {
    jinPerMu: [5000, 8000],
    price: [2.2, 2.8],
    firstCrop: 4,
    fullBearing: 7,
    declineAfter: 30,
    season: ["08-10", "09-30"],
    pickings: [1, 2],
    grades: [["SPECIAL", 1], ["FIRST", 4], ["SECOND", 3], ["OFF", 0.5]],
    buyers: ["菏泽鲜果批发市场", "梨果冷库", COOPERATIVE_SALE, "外地客商"],
  },
  HAWTHORN: {
    jinPerMu: [1100, 1400],
    price: [0.35, 0.5],
    firstCrop: 4,
    fullBearing: 7,
    declineAfter: 40,
    season: ["09-25", "10-31"],
    pickings: [1, 1],
    grades: [["FIRST", 2], ["SECOND", 3], ["OFF", 1]],
    buyers: ["山楂加工厂", "小留镇果品收购点", "外地客商"],
  },
};

/** How each year went for each crop: a hail in 2024 for peaches, a good pear year in 2025. */
const SEASON: Record<number, Record<string, number>> = {
  2023: { PEACH: 1.0, PEAR: 0.95, HAWTHORN: 1.0 },
  2024: { PEACH: 0.82, PEAR: 1.0, HAWTHORN: 1.05 },
  2025: { PEACH: 1.04, PEAR: 1.08, HAWTHORN: 0.97 },
};

interface PlotRow {
  id: number;
  code: string;
  townshipId: number;
  villageId: number;
  cooperativeId: number | null;
  householdId: number | null;
  crop: string;
  variety: string;
  plantingYear: number | null;
  areaMu: string;
}

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** Share of a full crop at an age: rising to full bearing, steady, then declining. */
function ageFactor(plan: CropPlan, age: number): number {
  if (age < plan.firstCrop) return 0;
  if (age < plan.fullBearing) return 0.3 + (0.7 * (age - plan.firstCrop + 1)) / (plan.fullBearing - plan.firstCrop + 1);
  if (age > plan.declineAfter) return Math.max(0.5, 1 - 0.03 * (age - plan.declineAfter));
  return 1;
}

const dayOfYear = (year: number, md: string) => Date.UTC(year, Number(md.slice(0, 2)) - 1, Number(md.slice(3)));
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Inserts the harvests of bearing orchards unless there are harvests
 * already. Records are by the village's secretary, else the cooperative's
 * accountant, else the first account of the database.
 */
export function seedHarvests(db: Database.Database, opts: { scale: "demo" | "district"; seed: number }): { harvests: number } {
  if (db.prepare("SELECT 1 FROM Harvest LIMIT 1").get() !== undefined) return { harvests: 0 };
  const plots = db
    .prepare(
      `SELECT id, code, townshipId, villageId, cooperativeId, householdId, crop, variety, plantingYear, areaMu FROM OrchardPlot
       WHERE status = 'BEARING' AND crop IN ('PEACH', 'PEAR', 'HAWTHORN') ORDER BY id`,
    )
    .all() as PlotRow[];
  const first = db.prepare("SELECT MIN(id) AS id FROM User").get() as { id: number | null };
  if (first.id === null || plots.length === 0) return { harvests: 0 };
  const secretaries = new Map((db.prepare("SELECT villageId, MIN(id) AS id FROM User WHERE role = 'SECRETARY' AND villageId IS NOT NULL GROUP BY villageId").all() as { villageId: number; id: number }[]).map((r) => [r.villageId, r.id]));
  const accountants = new Map(
    (db.prepare("SELECT cooperativeId, MIN(id) AS id FROM User WHERE role = 'ACCOUNTANT' AND cooperativeId IS NOT NULL GROUP BY cooperativeId").all() as { cooperativeId: number; id: number }[]).map((r) => [r.cooperativeId, r.id]),
  );
  const insert = db.prepare(
    `INSERT INTO Harvest (plotId, townshipId, villageId, cooperativeId, householdId, year, harvestedOn, crop, variety, quantityKg, enteredQuantity, enteredUnit,
       grade, price, priceUnit, salesFen, buyer, note, recordedById, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)`,
  );

  let count = 0;
  db.transaction(() => {
    for (const p of plots) {
      const plan = PLANS[p.crop];
      if (!plan) continue;
      // One generator per plot, so adding a plot never changes another's harvests.
      const rng = new Rng((opts.seed ^ hash(p.code) ^ (opts.scale === "demo" ? 0x4a57 : 0xd4a7)) >>> 0);
      const luck = rng.range(0.85, 1.12);
      const base = rng.range(plan.jinPerMu[0], plan.jinPerMu[1]);
      const area = Number(p.areaMu);
      const recordedBy = secretaries.get(p.villageId) ?? (p.cooperativeId ? accountants.get(p.cooperativeId) : undefined) ?? first.id;
      for (const year of HARVEST_YEARS) {
        const age = year - (p.plantingYear ?? year - plan.fullBearing);
        const factor = ageFactor(plan, age) * (SEASON[year]?.[p.crop] ?? 1) * luck * rng.range(0.93, 1.07);
        if (factor <= 0) continue;
        const totalJin = Math.max(1, Math.round(base * factor * area));
        const pickings = rng.int(plan.pickings[0], plan.pickings[1]);
        const price = rng.range(plan.price[0], plan.price[1]);
        const from = dayOfYear(year, plan.season[0]);
        const span = (dayOfYear(year, plan.season[1]) - from) / 86_400_000;
        let left = totalJin;
        for (let k = 0; k < pickings; k++) {
          // Later pickings are smaller; the last takes what is left.
          const jin = k === pickings - 1 ? left : Math.max(1, Math.round(left * rng.range(0.45, 0.65)));
          left -= jin;
          if (jin <= 0) continue;
          const day = from + Math.round(((k + rng.next() * 0.8) * span) / pickings) * 86_400_000;
          // A quarter of the records are weighed in kg (whole kg when the jin are even).
          const unit: Unit = rng.chance(0.25) ? "KG" : "JIN";
          const entered = unit === "KG" ? new Decimal(jin).dividedBy(2).toString() : String(jin);
          const kg = toKg(entered, unit).toFixed(2);
          // Prices quoted to the jiao below 1 yuan, to the fen otherwise; some per kg.
          const perJin = new Decimal(price.toFixed(2));
          const priceUnit: Unit = rng.chance(0.15) ? "KG" : "JIN";
          const quoted = priceUnit === "KG" ? perJin.times(2) : perJin;
          const computed = salesFromPrice(kg, quoted, priceUnit);
          // Buyers often pay a round sum: the computed amount down to 10 yuan.
          const salesFen = rng.chance(0.33) && computed > 10_000n ? toFen(new Decimal((computed / 1000n).toString()).times(10)) : computed;
          insert.run(
            p.id,
            p.townshipId,
            p.villageId,
            p.cooperativeId,
            p.householdId,
            year,
            isoDay(day),
            p.crop,
            p.variety,
            kg,
            entered,
            unit,
            rng.weighted(plan.grades),
            quoted.toString(),
            priceUnit,
            salesFen,
            rng.pick(p.cooperativeId ? plan.buyers : plan.buyers.filter((b) => b !== COOPERATIVE_SALE)),
            recordedBy,
            STAMP,
          );
          count++;
        }
      }
    }
  })();
  return { harvests: count };
}
