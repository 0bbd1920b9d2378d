/**
 * Moves the app's SQLite database to PostgreSQL (README "Growing past one
 * server", ADR 019):
 *
 *   npm run migrate-to-pg -- --from file:./prisma/data.db --to postgresql://user@host/cunshe
 *
 * The target must be an empty database with the C collation
 * (createdb --template=template0 --locale=C.UTF-8 --encoding=UTF8 cunshe). Its
 * migrations are applied, every table is copied in one transaction, and the
 * copy is kept only if the row count of every table and the sum of every
 * integer column (money is integer fen) equal SQLite's; the table of counts
 * is printed either way. Stop the app first: rows written to SQLite after the
 * copy began are not in it.
 *
 * Exit status: 0 copied and checked, 1 refused or different (nothing kept), 2 usage.
 */
import { CopyRefused, copySqliteToPg, formatReport } from "./lib/copy-to-pg.ts";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run migrate-to-pg -- [--from file:./prisma/data.db] --to postgresql://…");
  process.exit(2);
}

let from = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./prisma/data.db";
let to: string | undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const flag = argv[i]!;
  const value = () => argv[++i] ?? usage(`${flag} needs a value`);
  if (flag === "--from") from = value();
  else if (flag === "--to") to = value();
  else usage(`unknown argument ${flag}`);
}
if (!to) usage("--to is required");
if (!/^postgres(ql)?:\/\//.test(to)) usage(`--to must be a postgresql:// URL, not ${to}`);
if (/^postgres(ql)?:\/\//.test(from)) usage("--from must be the SQLite database (file:…)");

try {
  const report = await copySqliteToPg({ from, to, log: (s) => console.log(s) });
  console.log(formatReport(report));
  if (!report.ok) {
    console.error("the copy differs from the SQLite database: nothing was kept in PostgreSQL");
    process.exit(1);
  }
  console.log(`copied ${report.rows} rows and checked every count and sum in ${(report.ms / 1000).toFixed(1)} s`);
} catch (e) {
  if (e instanceof CopyRefused) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
