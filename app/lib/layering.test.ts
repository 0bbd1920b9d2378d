/**
 * The layering rule (ADR 017), read from the source files themselves:
 *
 * - app/lib, the lowest layer, imports nothing else of app/: no capability,
 *   no auth, no jobs, no composition (the message catalogs are composed in
 *   app/i18n, above the capabilities).
 * - app code imports nothing from scripts/ or tests/ (tests beside the code
 *   may use the helpers under tests/).
 * - test and bench helpers live under tests/ or scripts/, not in app/: a
 *   module of app/ that only tests, benches or load scripts import, or that
 *   is named like a helper (test-…, …-bench, fixtures, factories, mocks), is
 *   one.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|tsx)$/;

function walk(dir: string): string[] {
  if (!fs.existsSync(path.join(ROOT, dir))) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...walk(rel));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Every module specifier of a file: static and dynamic imports, and re-exports. */
export function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*["']([^"']+)["']/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The repository path a specifier names ("~/x" is app/x), or null for a package. */
export function resolve(from: string, spec: string, exists: (p: string) => boolean): string | null {
  let base: string;
  if (spec.startsWith("~/")) base = `app/${spec.slice(2)}`;
  else if (spec.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (exists(candidate)) return candidate;
  return base;
}

const isTest = (f: string) => /\.(test|spec)\.tsx?$/.test(f) || f.startsWith("tests/");
const isBenchOrLoad = (f: string) => f.startsWith("scripts/bench/") || f.startsWith("scripts/load/") || f === "scripts/bench.ts";
const HELPER_NAME = /(^|[-._])(test|tests|bench|fixtures?|factories|mocks?)([-._]|$)/;
/** Modules Remix or the server load by name rather than by an import. */
const ENTRY = /^app\/(routes\/|entry\.(client|server)\.tsx$|root\.tsx$)/;

interface Graph {
  files: string[];
  imports: Map<string, string[]>;
}

export function readGraph(root: string = ROOT): Graph {
  const files = [...walk("app"), ...walk("tests"), ...walk("scripts")];
  const known = new Set(files);
  const exists = (p: string) => known.has(p) || (fs.existsSync(path.join(root, p)) && fs.statSync(path.join(root, p)).isFile());
  const imports = new Map<string, string[]>();
  for (const f of files) {
    // this file's own examples are strings, not imports
    if (f === "app/lib/layering.test.ts") continue;
    const targets = specifiers(fs.readFileSync(path.join(root, f), "utf8"))
      .map((s) => resolve(f, s, exists))
      .filter((t): t is string => t !== null);
    imports.set(f, targets);
  }
  return { files, imports };
}

/** Imports that break the layering rule, as "from → to: why". */
export function layeringProblems({ files, imports }: Graph): string[] {
  const problems: string[] = [];
  const importers = new Map<string, string[]>();
  for (const [f, targets] of imports) for (const t of targets) importers.set(t, [...(importers.get(t) ?? []), f]);

  for (const f of files) {
    for (const t of imports.get(f) ?? []) {
      if (f.startsWith("app/lib/") && t.startsWith("app/") && !t.startsWith("app/lib/")) problems.push(`${f} → ${t}: app/lib imports nothing above it`);
      if (f.startsWith("app/") && t.startsWith("scripts/")) problems.push(`${f} → ${t}: app code imports nothing from scripts/`);
      if (f.startsWith("app/") && !isTest(f) && t.startsWith("tests/")) problems.push(`${f} → ${t}: app code imports nothing from tests/`);
    }
  }
  for (const f of files) {
    if (!f.startsWith("app/") || isTest(f) || ENTRY.test(f)) continue;
    const name = path.posix.basename(f).replace(SOURCE, "");
    if (HELPER_NAME.test(name)) {
      problems.push(`${f}: named like a test or bench helper; helpers live under tests/ or scripts/`);
      continue;
    }
    const users = importers.get(f) ?? [];
    if (users.length > 0 && users.every((u) => isTest(u) || isBenchOrLoad(u))) {
      problems.push(`${f}: only tests and benches import it (${users.join(", ")}); helpers live under tests/ or scripts/`);
    }
  }
  return problems;
}

/** Raw SQL (ADR 018) is written only in `*.queries.server.ts`, and only they take the raw connection; these are the engines' own machinery. */
const SQL_MODULE = /\.queries\.server\.ts$/;
const SQL_MACHINERY = ["app/lib/db.server.ts", "app/lib/raw-db.server.ts", "app/admin/backup-files.server.ts"];
/** `$queryRaw`, `$executeRaw`, or a string literal that opens a statement (not "SELECT" alone, a tag name). */
const RAW_SQL = /\$queryRaw|\$executeRaw|["'`]\s*(?:SELECT|INSERT|UPDATE|DELETE)\s/g;

/** Raw SQL, or the raw connection, in app code outside the data-access layer, as "file: why". */
export function rawSqlProblems({ files, imports }: Graph, read: (f: string) => string): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (!f.startsWith("app/") || isTest(f) || SQL_MODULE.test(f) || SQL_MACHINERY.includes(f)) continue;
    const text = read(f).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(RAW_SQL)) problems.push(`${f}: raw SQL (${text.slice(m.index, m.index + 40).replace(/\s+/g, " ").trim()}…) outside *.queries.server.ts`);
    if ((imports.get(f) ?? []).includes("app/lib/raw-db.server.ts")) problems.push(`${f}: takes the raw connection (raw-db) outside *.queries.server.ts`);
  }
  return problems;
}

describe("the layering rule", () => {
  it("reads the imports of the source files", () => {
    expect(specifiers(`import a from "~/x";\nimport type { B } from "./y";\nexport { c } from "../z";\nimport "./side";\nconst d = await import("~/lazy");\n// import e from "~/commented";`)).toEqual([
      "~/x",
      "./y",
      "../z",
      "./side",
      "~/lazy",
    ]);
    expect(specifiers(`import {\n  a,\n  type B,\n} from "~/multi";`)).toEqual(["~/multi"]);
    const exists = (p: string) => ["app/lib/dates.ts", "app/i18n/index.ts"].includes(p);
    expect(resolve("app/lib/money.ts", "./dates", exists)).toBe("app/lib/dates.ts");
    expect(resolve("app/routes/x.tsx", "~/i18n", exists)).toBe("app/i18n/index.ts");
    expect(resolve("app/lib/x.ts", "decimal.js", exists)).toBeNull();
  });

  it("finds each kind of breach", () => {
    const graph: Graph = {
      files: ["app/lib/i18n/index.ts", "app/contracts/messages.ts", "app/admin/backups.server.ts", "scripts/lib/backup.ts", "app/income/test-households.ts", "app/income/audit.test.ts", "app/dividends/statement-helper.server.ts", "scripts/bench/dividends.ts", "tests/models/pdf.test.ts"],
      imports: new Map([
        ["app/lib/i18n/index.ts", ["app/contracts/messages.ts"]],
        ["app/admin/backups.server.ts", ["scripts/lib/backup.ts"]],
        ["app/income/audit.test.ts", ["app/income/test-households.ts"]],
        ["scripts/bench/dividends.ts", ["app/dividends/statement-helper.server.ts"]],
        ["tests/models/pdf.test.ts", ["app/dividends/statement-helper.server.ts"]],
      ]),
    };
    const found = layeringProblems(graph).join("\n");
    expect(found).toContain("app/lib/i18n/index.ts → app/contracts/messages.ts");
    expect(found).toContain("app/admin/backups.server.ts → scripts/lib/backup.ts");
    expect(found).toContain("app/income/test-households.ts: named like");
    expect(found).toContain("app/dividends/statement-helper.server.ts: only tests and benches import it");
  });

  it("holds for the app", () => {
    expect(layeringProblems(readGraph())).toEqual([]);
  });
});

describe("raw SQL only in *.queries.server.ts", () => {
  it("finds each kind of breach", () => {
    const sources: Record<string, string> = {
      "app/registry/a.server.ts": "const rows = await prisma.$queryRaw(Prisma.sql`SELECT 1`);",
      "app/imports/b.server.ts": 'import { withRawConnection } from "~/lib/raw-db.server";\nawait db.run(\n  `\n  UPDATE "Job" SET x = 1`);',
      "app/jobs/c.server.ts": "/** One `UPDATE … WHERE` claims it */\n// DELETE FROM nothing\nawait prisma.$executeRaw`x`;",
      "app/routes/d.tsx": 'if (el.tagName === "SELECT" || method === "DELETE") submit();',
      "app/imports/b.queries.server.ts": 'await db.get(`SELECT "file" FROM "ImportBatch"`);',
      "app/lib/raw-db.server.ts": "const sql = `INSERT INTO ${table}`;",
      "app/imports/e.test.ts": "await db.run(`DELETE FROM x`);",
    };
    const graph: Graph = { files: Object.keys(sources), imports: new Map([["app/imports/b.server.ts", ["app/lib/raw-db.server.ts"]]]) };
    const found = rawSqlProblems(graph, (f) => sources[f]!);
    expect(found.filter((p) => p.startsWith("app/registry/a.server.ts")).length).toBe(2);
    expect(found.filter((p) => p.startsWith("app/imports/b.server.ts")).length).toBe(2);
    expect(found.filter((p) => p.startsWith("app/jobs/c.server.ts"))).toEqual(["app/jobs/c.server.ts: raw SQL ($executeRaw`x`;…) outside *.queries.server.ts"]);
    expect(found.filter((p) => /d\.tsx|queries|raw-db|e\.test/.test(p.split(":")[0]!))).toEqual([]);
  });

  it("holds for the app", () => {
    expect(rawSqlProblems(readGraph(), (f) => fs.readFileSync(path.join(ROOT, f), "utf8"))).toEqual([]);
  });
});
