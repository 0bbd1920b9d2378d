/**
 * Computes every household's stored income figures (IncomeFigure, ADR 011)
 * for a range of years, so that the first audit read after loading or
 * importing a large data set finds them ready. Without it the audit computes
 * a township's missing figures on its first read. Safe while the app runs.
 *
 *   npm run income:figures [-- --db path] [--from YEAR] [--to YEAR]
 *
 * The years default to the current one and the five before; the database to
 * DATABASE_URL (file:...) or prisma/data.db. It is migrated first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./lib/migrate.ts";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: tsx scripts/income-figures.ts [--db path] [--from YEAR] [--to YEAR]");
  process.exit(2);
}

let db = (process.env.DATABASE_URL ?? "file:./prisma/data.db").replace(/^file:/, "");
let from: number | undefined;
let to: number | undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const flag = argv[i]!;
  const value = () => argv[++i] ?? usage(`${flag} needs a value`);
  const year = () => {
    const y = Number(value());
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : usage(`${flag}: not a year`);
  };
  if (flag === "--db") db = value();
  else if (flag === "--from") from = year();
  else if (flag === "--to") to = year();
  else usage(flag === "--help" || flag === "-h" ? undefined : `unknown argument: ${flag}`);
}

const file = path.resolve(db);
// Migrations are found relative to the project root.
process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
applyMigrations(file);
process.env.DATABASE_URL = `file:${file}`;

const { defaultFigureYears, rebuildFigures } = await import("../app/income/figures.server.ts");
const { prisma } = await import("../app/lib/db.server.ts");
const defaults = defaultFigureYears();
const first = from ?? (to !== undefined ? to - 5 : defaults[0]!);
const last = to ?? defaults[defaults.length - 1]!;
if (first > last) usage("--from is after --to");
const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const t0 = performance.now();
console.log(`income figures ${first}–${last} in ${path.relative(".", file) || file}`);
const r = await rebuildFigures(years, (s) => console.log(`  ${s}`));
console.log(`${r.rows} household-years in ${r.townships} townships in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await prisma.$disconnect();
