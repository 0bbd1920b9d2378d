/** Sections that need no district data set: run alone (`npm run bench uploads`) they get an empty migrated database. */
export const STANDALONE_SECTIONS = ["uploads", "import-scale", "roster", "books"];

/** What the bench runner gives each section in scripts/bench/. */
export interface BenchContext {
  /** the SQLite file DATABASE_URL points at: the district-scale set, or an empty one for standalone sections run alone */
  db: string;
  /** prints `name: value` and records it in tests/bench/results.json */
  report(name: string, value: number): void;
}

/** A fixed-seed generator, so that every run samples the same queries. */
export function seededRandom(seed: number) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return { rand, pick };
}

/** Runs `op` after a warm-up and returns the sorted durations in milliseconds. */
export async function measure(runs: number, op: () => Promise<unknown>, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await op();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
