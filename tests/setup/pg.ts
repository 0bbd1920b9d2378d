import pg from "pg";

/** The URL of database `name` on the server of `adminUrl` (same host, port and credentials). */
export function urlOf(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Makes a database with the C collation the app needs (ADR 019), from `template` when given; returns its URL. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const from = template ? `TEMPLATE "${template}"` : `TEMPLATE template0 LOCALE 'C.UTF-8' ENCODING 'UTF8'`;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" ${from}`);
        break;
      } catch (e) {
        // copying a template another copy is being made from at this instant is refused: try again
        if (attempt > 50 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await client.end();
  }
  return urlOf(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
