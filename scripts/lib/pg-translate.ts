/**
 * What the SQLite migrations say by hand that schema.prisma cannot (partial
 * indexes, the income-figure triggers), said again for PostgreSQL. Used once,
 * to write PostgreSQL's first migration (ADR 019); later hand-written SQL is
 * written for each engine in its own migration folder.
 */
export function sqliteExtrasToPostgres(sqliteSql: string): string {
  const out: string[] = [];
  for (const m of sqliteSql.matchAll(/CREATE INDEX "[^"]+" ON "[^"]+"\([^)]*\)\s+WHERE [^;]+;/g)) out.push(m[0].replace(/\s+/g, " "));
  const trigger = /CREATE TRIGGER "([^"]+)" AFTER (INSERT|UPDATE|DELETE)( OF [^]*?)? ON "([^"]+)"(?: WHEN ([^]*?))? BEGIN\n([^]*?)\nEND;/g;
  for (const m of sqliteSql.matchAll(trigger)) {
    const [, name, event, of = "", table, when, body] = m as unknown as [string, string, string, string | undefined, string, string | undefined, string];
    const pgBody = body!
      // PostgreSQL refuses an upsert that touches one row twice in a statement; SQLite updates it twice.
      .replace(/(INSERT INTO "IncomeFigureStale" \([^)]*\)\s+SELECT) /g, "$1 DISTINCT ")
      // The clock moves once per transaction, not once per row: PostgreSQL keeps every version of an
      // updated row until the transaction ends, so 27,000 bumps of one row in an import's transaction cost
      // more with each bump. Marks of one transaction share its seq, which is all a seq must tell apart
      // (ADR 011: a figure computed from a mark is kept only while the mark still carries that seq).
      .replace(
        /  INSERT INTO "IncomeFigureClock" \("id", "n"\) VALUES \(1, 1\) ON CONFLICT \("id"\) DO UPDATE SET "n" = "n" \+ 1;/g,
        `  IF current_setting('cunshe.clock_tx', true) IS DISTINCT FROM txid_current()::text THEN
    INSERT INTO "IncomeFigureClock" ("id", "n") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "n" = "IncomeFigureClock"."n" + 1;
    PERFORM set_config('cunshe.clock_tx', txid_current()::text, true);
  END IF;`,
      );
    const pgWhen = when ? ` WHEN (${when.replace(/ IS NOT (?!NULL)/g, " IS DISTINCT FROM ")})` : "";
    out.push(
      `CREATE FUNCTION "${name}_fn"() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n${pgBody}\n  RETURN NULL;\nEND\n$$;\n` +
        `CREATE TRIGGER "${name}" AFTER ${event}${of} ON "${table}" FOR EACH ROW${pgWhen} EXECUTE FUNCTION "${name}_fn"();`,
    );
  }
  return out.join("\n\n") + "\n";
}
