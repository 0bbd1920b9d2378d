/**
 * Fills a database with deterministic demo data.
 *
 *   npx tsx scripts/seed.ts [--scale demo|district] [--db path] [--force]
 *
 * demo:     2 townships, 8 villages, ~1,500 households (the default)
 * district: 20 townships of Mudan District, ~100,000 households, ~350,000 people
 *
 * The database defaults to DATABASE_URL (file:...) or prisma/data.db. It is
 * migrated first. A database that already holds data is left alone unless
 * --force, which deletes every row before seeding.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNTS, DEMO_CHILD, databaseFileFromEnv, seedDatabase, type SeedScale } from "./lib/demo-data";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: tsx scripts/seed.ts [--scale demo|district] [--db path] [--force]");
  process.exit(2);
}

function parseArgs(argv: string[]): { scale: SeedScale; db: string; force: boolean } {
  let scale: SeedScale = "demo";
  let db: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--scale") {
      const v = value();
      if (v !== "demo" && v !== "district") usage(`unknown scale: ${v}`);
      scale = v;
    } else if (flag === "--db") db = value();
    else if (flag === "--force") force = true;
    else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown argument: ${a}`);
  }
  return { scale, db: path.resolve(db ?? databaseFileFromEnv()), force };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  // Migrations are found relative to the project root.
  process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
  console.log(`seeding ${args.scale} data into ${args.db}`);
  try {
    const r = await seedDatabase(args.db, { scale: args.scale, force: args.force, log: (s) => console.log(`  ${s}`) });
    console.log(`seeded ${r.households} households and ${r.people} people in ${(r.ms / 1000).toFixed(1)} s`);
    console.log(`demo accounts (password "${DEMO_ACCOUNTS[0]!.password}"): ${DEMO_ACCOUNTS.map((a) => a.username).join(", ")}`);
    console.log(`search example: ${DEMO_CHILD.name} (child in ${DEMO_CHILD.villageName}, head ${DEMO_CHILD.headName})`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

void main();
