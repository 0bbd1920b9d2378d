import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { dataDirectory } from "./database-url.server";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must be a SQLite file: URL or a postgresql:// URL")
    .default("file:./prisma/data.db"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
});

export interface Env {
  NODE_ENV: "development" | "production" | "test";
  DATABASE_URL: string;
  SESSION_SECRET: string;
}

let cached: Env | null = null;

/**
 * The environment, checked once. Without SESSION_SECRET a random secret is
 * made on first start and kept beside the database, so that a fresh
 * `npm start` is safe without any configuration and sessions survive restarts.
 */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const secret = parsed.data.SESSION_SECRET ?? storedSecret(parsed.data.DATABASE_URL);
  cached = { ...parsed.data, SESSION_SECRET: secret };
  return cached;
}

function storedSecret(databaseUrl: string): string {
  const file = path.join(dataDirectory(databaseUrl), ".session-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not made yet
  }
  const secret = randomBytes(32).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The map's base-layer settings (docs/decisions/010-orchard-map.md), read
 * each call so that tests can pass their own. Nothing configured means no
 * base layer at all: the plots on a plain background, offline.
 * - TIANDITU_KEY: a Tianditu (天地图) key; with it Tianditu's vector and
 *   imagery tiles are offered and the vector map is the default.
 * - TIANDITU_APPROVAL_NO: the map approval number (审图号) shown in the
 *   attribution, as tianditu.gov.cn currently prints it.
 * - MAP_OSM_URL: a tile server of one's own ({z}/{x}/{y}); offered, never the default.
 * - MAP_AMAP=1: offer AMap (高德) tiles, shown in GCJ-02.
 * - MAP_BASE_LAYER: which of the offered layers opens first.
 */
export function mapEnv(source: Record<string, string | undefined> = process.env) {
  return {
    tiandituKey: (source.TIANDITU_KEY ?? "").trim(),
    tiandituApprovalNo: (source.TIANDITU_APPROVAL_NO ?? "").trim(),
    osmUrl: (source.MAP_OSM_URL ?? "").trim(),
    amap: (source.MAP_AMAP ?? "").trim() === "1",
    baseLayer: (source.MAP_BASE_LAYER ?? "").trim(),
  };
}
