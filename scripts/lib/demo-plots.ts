/**
 * Deterministic orchard plots (果园地块) for the demo and district data sets,
 * written with raw SQL into a database the registry seed has already filled.
 *
 * Each village gets a block of field strips near its (invented but
 * plausible) place north-west of Heze: plots side by side along east-west
 * strips, 4 m paths between neighbours and 6 m roads between strips, corners
 * moved by at most 1.2 m so the shapes look drawn by hand yet never touch.
 * Areas are measured from the shapes with the same code the app uses.
 * Deliberate problems: in the demo one overlapping pair and one plot whose
 * contract area is 9% above its measured area; at district scale about one
 * overlap per 500 plots and 3% of plots with a discrepancy over 5%.
 *
 *   seedOrchardPlots(db, { scale: "demo" })     a few dozen plots in 鲁谢庄村, 梨高庄村, 刘庄村
 *   seedOrchardPlots(db, { scale: "district" }) about 5,200 in 小留镇 and some in three other townships
 */
import type Database from "better-sqlite3";
import type { Polygon, Position } from "geojson";
import { Decimal } from "../../app/lib/money";
import { normalizeGeometry, simplifyForLowZoom, type PlotGeometry } from "../../app/plots/geometry";
import type { Crop, PlotStatus } from "../../app/plots/vocabulary";
import { Rng as BaseRng } from "./rng";

export interface SeedPlotsResult {
  plots: number;
  /** plots already present: nothing was added */
  skipped: boolean;
  byTownship: Record<string, number>;
}

const STAMP = "2026-01-01T00:00:00.000+00:00";
const AS_OF_YEAR = 2026;
const R = 6371008.8;

/** Where the demo villages lie (lon, lat): north-west of Heze city, in 小留镇 and 安兴镇. */
const PLACES: Record<string, [number, number]> = {
  鲁谢庄村: [115.395, 35.318],
  刘庄村: [115.372, 35.3],
  梨高庄村: [115.418, 35.338],
  吴油坊村: [115.44, 35.312],
  邵寺村: [115.352, 35.326],
  王集村: [115.405, 35.29],
  郭吴朱村: [115.43, 35.352],
  船郭庄村: [115.53, 35.37],
};
const XIAOLIU = "小留镇";
/** The centre of the grid on which the other villages of a township are placed. */
const TOWNSHIP_CENTRES: Record<string, [number, number]> = {
  小留镇: [115.4, 35.32],
  安兴镇: [115.53, 35.37],
  沙土镇: [115.6, 35.38],
  吴店镇: [115.32, 35.2],
};

const DEMO_PLAN: Record<string, number> = { 鲁谢庄村: 16, 梨高庄村: 14, 刘庄村: 12 };
const DISTRICT_XIAOLIU = 5200;
const DISTRICT_ELSEWHERE: Record<string, number> = { 安兴镇: 160, 沙土镇: 120, 吴店镇: 120 };

// What each village grows, by its cooperatives (DEMO_COOPERATIVES) or by chance.
const VILLAGE_CROPS: Record<string, [Crop, number][]> = {
  鲁谢庄村: [["PEACH", 4], ["HAWTHORN", 3], ["CRABAPPLE", 2], ["PEAR", 1]],
  梨高庄村: [["PEAR", 8], ["PEACH", 1], ["GRAPE", 1]],
  刘庄村: [["PEACH", 7], ["GRAPE", 2], ["PEAR", 1]],
  吴油坊村: [["CRABAPPLE", 6], ["NURSERY", 4]],
  邵寺村: [["CRABAPPLE", 5], ["NURSERY", 4], ["HAWTHORN", 1]],
};
const DEFAULT_CROPS: [Crop, number][] = [["PEACH", 4], ["PEAR", 3], ["HAWTHORN", 2], ["CRABAPPLE", 2], ["GRAPE", 1], ["NURSERY", 1], ["OTHER", 0.3]];
const VARIETIES: Record<Crop, string[]> = {
  PEACH: ["黄桃", "油桃", "水蜜桃", "蟠桃"],
  PEAR: ["酥梨", "黄金梨", "圆黄梨", "玉露香梨"],
  HAWTHORN: ["大金星", "敞口"],
  CRABAPPLE: ["西府海棠", "北美海棠", "垂丝海棠"],
  GRAPE: ["巨峰", "夏黑", "阳光玫瑰"],
  NURSERY: ["海棠苗", "白蜡苗", "国槐苗"],
  OTHER: ["核桃", "樱桃"],
};
/** trees per mu */
const DENSITY: Record<Crop, [number, number]> = {
  PEACH: [40, 60],
  PEAR: [40, 55],
  HAWTHORN: [40, 60],
  CRABAPPLE: [60, 110],
  GRAPE: [110, 160],
  NURSERY: [800, 2000],
  OTHER: [30, 50],
};
/** years from planting to the first crop */
const BEARS_AFTER: Record<Crop, number> = { PEACH: 3, PEAR: 4, HAWTHORN: 4, CRABAPPLE: 3, GRAPE: 2, NURSERY: 99, OTHER: 4 };

/** The shared generator, plus the plot-size distribution of these villages. */
class Rng extends BaseRng {
  /** a plot area in mu: log-normal around 8 mu, kept within 2–60 */
  areaMu(): number {
    const u = Math.max(1e-9, this.next());
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    // 58 rather than 60: the corners' wobble adds up to a few tenths of a mu.
    return Math.min(58, Math.max(2.2, Math.exp(Math.log(8) + 0.75 * z)));
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

interface VillageRow {
  id: number;
  code: string;
  name: string;
  townshipId: number;
  township: string;
}

interface PlannedPlot {
  rings: [number, number][];
  /** a deliberate problem */
  overlapsPrevious?: boolean;
  discrepancy?: boolean;
}

interface Block {
  /** rings in metres east and north of the block's south-west corner */
  rings: [number, number][][];
  width: number;
  height: number;
}

/** Lays out `count` plots as field strips, in metres from the block's south-west corner. */
function layout(rng: Rng, count: number): Block {
  const areas = Array.from({ length: count }, () => rng.areaMu() * (2000 / 3));
  const blockWidth = Math.max(300, Math.sqrt(areas.reduce((s, a) => s + a, 0) * 1.6));
  const rings: [number, number][][] = [];
  let y = 0;
  let i = 0;
  let width = 0;
  while (i < count) {
    const depth = rng.range(45, 110);
    let x = 0;
    while (i < count) {
      const length = Math.min(400, Math.max(20, areas[i]! / depth));
      if (x > 0 && x + length > blockWidth) break;
      // Corners move by at most 1.2 m: half the path between neighbours is 2 m.
      const j = () => rng.range(-1.2, 1.2);
      const ring: [number, number][] = [
        [x + j(), y + j()],
        [x + length + j(), y + j()],
        [x + length + j(), y + depth + j()],
      ];
      if (rng.next() < 0.2) ring.push([x + length / 2 + j(), y + depth + rng.range(-1.5, 0.8)]);
      ring.push([x + j(), y + depth + j()]);
      ring.push(ring[0]!);
      rings.push(ring);
      x += length + 4;
      width = Math.max(width, x);
      i++;
    }
    y += depth + 6;
  }
  // The deliberate overlap reaches 80 m north of the last strip.
  return { rings, width, height: y + 80 };
}

function metresPerDegree(lat: number): [number, number] {
  return [(R * Math.cos((lat * Math.PI) / 180) * Math.PI) / 180, (R * Math.PI) / 180];
}

function toLonLat(ring: [number, number][], origin: [number, number]): Position[] {
  const [mLon, mLat] = metresPerDegree(origin[1]);
  return ring.map(([x, y]) => [origin[0] + x / mLon, origin[1] + y / mLat]);
}

/** A narrow rectangle straddling the north edge of `under` (metres): 20–30 m of it lies inside. */
function overlapping(under: [number, number][], rng: Rng): [number, number][] {
  const [w] = under[0]!;
  const north = Math.min(under[under.length - 2]![1], under[2]![1]);
  const x0 = w + 5;
  const y0 = north - rng.range(20, 30);
  return [
    [x0, y0],
    [x0 + 14, y0],
    [x0 + 14, y0 + 100],
    [x0, y0 + 100],
    [x0, y0],
  ];
}

/**
 * South-west corners of the village blocks on a grid around the township
 * centre, each cell a little larger than the largest block, so that no two
 * villages' plots can meet. Cells nearest the centre go first.
 */
function gridPlaces(villages: VillageRow[], blocks: Map<number, Block>, centre: [number, number]): Map<number, [number, number]> {
  const cellW = Math.max(...villages.map((v) => blocks.get(v.id)?.width ?? 0)) + 400;
  const cellH = Math.max(...villages.map((v) => blocks.get(v.id)?.height ?? 0)) + 400;
  const [mLon, mLat] = metresPerDegree(centre[1]);
  const side = Math.ceil(Math.sqrt(villages.length));
  const cells: [number, number][] = [];
  for (let gx = 0; gx < side; gx++) for (let gy = 0; gy < side; gy++) cells.push([gx - (side - 1) / 2, gy - (side - 1) / 2]);
  cells.sort((a, b) => Math.hypot(...a) - Math.hypot(...b) || a[0] - b[0] || a[1] - b[1]);
  const out = new Map<number, [number, number]>();
  villages.forEach((v, i) => {
    const [gx, gy] = cells[i]!;
    out.set(v.id, [centre[0] + (gx * cellW) / mLon, centre[1] + (gy * cellH) / mLat]);
  });
  return out;
}

function splitCount(total: number, villages: VillageRow[], rng: Rng): Map<number, number> {
  // Orchard villages of the demo carry more; the rest share by chance.
  const weights = villages.map((v) => (VILLAGE_CROPS[v.name] ? 2.5 : 0.6 + rng.next()));
  const sum = weights.reduce((s, w) => s + w, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - counts.reduce((s, c) => s + c, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i]!++;
  return new Map(villages.map((v, i) => [v.id, counts[i]!]));
}

/**
 * Inserts the plots unless the database already has some. `db` must hold
 * the registry (townships, villages, households, cooperatives) of the same
 * scale; villages missing from it are passed over.
 */
export function seedOrchardPlots(db: Database.Database, opts: { scale: "demo" | "district" }): SeedPlotsResult {
  const existing = (db.prepare("SELECT COUNT(*) AS n FROM OrchardPlot").get() as { n: number }).n;
  if (existing > 0) return { plots: 0, skipped: true, byTownship: {} };
  const villages = db
    .prepare("SELECT v.id, v.code, v.name, v.townshipId, t.name AS township FROM Village v JOIN Township t ON t.id = v.townshipId ORDER BY v.code")
    .all() as VillageRow[];
  const counts = new Map<number, number>();
  const planRng = new Rng(20260415);
  if (opts.scale === "demo") {
    for (const v of villages) if (DEMO_PLAN[v.name] && v.township === XIAOLIU) counts.set(v.id, DEMO_PLAN[v.name]!);
  } else {
    const xiaoliu = villages.filter((v) => v.township === XIAOLIU);
    for (const [id, n] of splitCount(DISTRICT_XIAOLIU, xiaoliu, planRng)) counts.set(id, n);
    for (const [township, n] of Object.entries(DISTRICT_ELSEWHERE)) {
      const vs = villages.filter((v) => v.township === township).slice(0, 3);
      if (vs.length) for (const [id, c] of splitCount(n, vs, planRng)) counts.set(id, c);
    }
  }
  // Each village's block is laid out first, so that the district grid can leave room for the largest.
  const rngs = new Map<number, Rng>();
  const blocks = new Map<number, Block>();
  for (const v of villages) {
    const n = counts.get(v.id);
    if (!n) continue;
    const rng = new Rng(hash(v.code) ^ (opts.scale === "demo" ? 0x5eed : 0xd15c));
    rngs.set(v.id, rng);
    blocks.set(v.id, layout(rng, n));
  }
  const places = new Map<number, [number, number]>();
  if (opts.scale === "demo") {
    for (const v of villages) if (blocks.has(v.id)) places.set(v.id, PLACES[v.name] ?? TOWNSHIP_CENTRES[XIAOLIU]!);
  } else {
    const byTownship = new Map<string, VillageRow[]>();
    for (const v of villages) if (blocks.has(v.id)) byTownship.set(v.township, [...(byTownship.get(v.township) ?? []), v]);
    for (const [township, vs] of byTownship) {
      const centre = TOWNSHIP_CENTRES[township] ?? [115.48, 35.24];
      for (const [id, p] of gridPlaces(vs, blocks, centre)) places.set(id, p);
    }
  }

  const households = db.prepare("SELECT id FROM Household WHERE villageId = ? ORDER BY id");
  const coops = db.prepare("SELECT cooperativeId AS id FROM CooperativeVillage WHERE villageId = ? ORDER BY cooperativeId");
  const insert = db.prepare(
    `INSERT INTO OrchardPlot (townshipId, villageId, code, name, crop, variety, plantingYear, trees, cooperativeId, householdId, contractId, status,
       geometry, geometryLow, areaMu, declaredMu, minLon, minLat, maxLon, maxLat, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byTownship: Record<string, number> = {};
  let total = 0;
  db.transaction(() => {
    for (const v of villages) {
      const n = counts.get(v.id);
      if (!n) continue;
      const rng = rngs.get(v.id)!;
      const place = places.get(v.id)!;
      const hh = (households.all(v.id) as { id: number }[]).map((h) => h.id);
      const coopIds = (coops.all(v.id) as { id: number }[]).map((c) => c.id);
      const rings = blocks.get(v.id)!.rings;
      const planned: PlannedPlot[] = rings.map((r) => ({ rings: r }));
      if (opts.scale === "demo") {
        if (v.name === "鲁谢庄村") {
          planned[3]!.discrepancy = true;
          planned.push({ rings: overlapping(rings[rings.length - 1]!, rng), overlapsPrevious: true });
        }
      } else {
        for (let k = 0; k < planned.length; k++) if (rng.next() < 0.03) planned[k]!.discrepancy = true;
        // About one overlap per 500 plots, always over the village's last plot, which lies on the block's north edge.
        if (rng.next() < n / 500) planned.push({ rings: overlapping(rings[rings.length - 1]!, rng), overlapsPrevious: true });
      }
      const short = v.name.replace(/村$/, "");
      const cropMix = VILLAGE_CROPS[v.name] ?? DEFAULT_CROPS;
      planned.forEach((p, k) => {
        const checked = normalizeGeometry({ type: "Polygon", coordinates: [toLonLat(p.rings, place)] } satisfies Polygon);
        if (!checked.ok) throw new Error(`demo plot ${v.name} #${k + 1}: ${checked.problems.map((x) => x.key).join(", ")}`);
        const geometry: PlotGeometry = checked.geometry;
        const crop = rng.weighted(cropMix);
        const variety = rng.next() < 0.85 ? rng.pick(VARIETIES[crop]) : "";
        const plantingYear = rng.int(2006, 2024);
        // Some district orchards have been cleared; never the deliberate pair, whose flag would vanish.
        const removed = opts.scale === "district" && !p.overlapsPrevious && k < rings.length - 1 && rng.next() < 0.03;
        const status: PlotStatus = removed ? "REMOVED" : AS_OF_YEAR - plantingYear >= BEARS_AFTER[crop] ? (crop === "NURSERY" ? "PLANTED" : "BEARING") : "YOUNG";
        const mu = new Decimal(checked.areaMu);
        const [d0, d1] = DENSITY[crop];
        const trees = mu.times(Math.round(rng.range(d0, d1))).toDecimalPlaces(0).toNumber();
        // Contract areas agree with the measured ones to within 3%, except the deliberate ones.
        const declared = p.discrepancy ? mu.times("1.09") : rng.next() < 0.15 ? null : mu.times(1 + Math.round(rng.range(-300, 300)) / 10000);
        const byCoop = coopIds.length > 0 && rng.next() < 0.35;
        const serial = String(k + 1).padStart(5, "0");
        insert.run(
          v.townshipId,
          v.id,
          `${v.code}${String((k % 4) + 1).padStart(2, "0")}${serial}`,
          p.overlapsPrevious ? `${short}${k + 1}号园（补划）` : `${short}${k + 1}号园`,
          crop,
          variety,
          plantingYear,
          trees,
          byCoop ? rng.pick(coopIds) : null,
          !byCoop && hh.length ? rng.pick(hh) : null,
          status,
          JSON.stringify(geometry),
          JSON.stringify(simplifyForLowZoom(geometry)),
          checked.areaMu,
          declared === null ? null : declared.toFixed(2),
          checked.bbox[0],
          checked.bbox[1],
          checked.bbox[2],
          checked.bbox[3],
          STAMP,
          STAMP,
        );
        total++;
        byTownship[v.township] = (byTownship[v.township] ?? 0) + 1;
      });
    }
  })();
  return { plots: total, skipped: false, byTownship };
}
