/**
 * Rules every request passes before it reaches a route (ADR 015): where it
 * comes from (the client's address, for throttles) and whether a
 * state-changing request was sent by one of our own pages.
 *
 * Pure, so that the server (scripts/server.ts) and tests share it.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CrossSiteVerdict = { ok: true } | { ok: false; reason: "cross-site" | "origin-mismatch" };

/**
 * A POST (or any unsafe method) is refused when the browser says it came
 * from another site. Browsers send `Sec-Fetch-Site` on every request
 * (Chromium, Firefox, Safari since 2023) and `Origin` on every cross-origin
 * POST; a request with neither did not come from a page in a browser (curl,
 * scripts on this machine) and cannot carry another site's cookies by
 * accident. `allowedOrigins` are this server's own origins: the Host it was
 * reached at, and PUBLIC_BASE_URL behind a proxy.
 */
export function checkCrossSite(method: string, headers: Headers, allowedOrigins: readonly string[]): CrossSiteVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return { ok: false, reason: "cross-site" };
  const origin = headers.get("origin");
  if (origin != null) {
    // "null" is what a sandboxed frame or a data: page sends: never our page.
    if (origin === "null" || !allowedOrigins.includes(normaliseOrigin(origin))) return { ok: false, reason: "origin-mismatch" };
  }
  return { ok: true };
}

export function normaliseOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return origin.toLowerCase();
  }
}

/** The origins a request may come from: the host it reached (http and https) and the configured public address. */
export function ownOrigins(host: string | null, publicBaseUrl: string | undefined): string[] {
  const out: string[] = [];
  if (host) out.push(`http://${host}`.toLowerCase(), `https://${host}`.toLowerCase());
  if (publicBaseUrl) out.push(normaliseOrigin(publicBaseUrl));
  return out;
}

/**
 * The client's address. It comes from the connection; `X-Forwarded-For` is
 * believed only when TRUST_PROXY says how many proxies stand in front of the
 * app, and then only the entry that the outermost trusted proxy added (the
 * client can put anything it likes before that).
 */
export function clientAddress(connectionAddress: string | undefined | null, forwardedFor: string | null, trustedHops: number): string {
  const direct = normaliseAddress(connectionAddress ?? "") || "unknown";
  if (trustedHops <= 0 || !forwardedFor) return direct;
  const chain = forwardedFor.split(",").map((s) => s.trim()).filter(Boolean);
  // Each trusted proxy appended the address it saw; the client is the entry
  // `trustedHops` from the right (the last hop's view is the connection itself).
  const i = chain.length - trustedHops;
  const picked = i >= 0 ? chain[i] : chain[0];
  return normaliseAddress(picked ?? "") || direct;
}

/** "::ffff:127.0.0.1" → "127.0.0.1"; anything that is not an address → "". */
export function normaliseAddress(a: string): string {
  const s = a.trim().replace(/^::ffff:/i, "");
  return /^[0-9a-fA-F:.]{2,45}$/.test(s) ? s.toLowerCase() : "";
}

/** TRUST_PROXY: a number of hops (0 = none, the default); "true"/"false" are not accepted: say how many. */
export function parseTrustProxy(value: string | undefined): number {
  if (value == null || value.trim() === "") return 0;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new RangeError(`TRUST_PROXY must be a number of proxy hops (0–10), not "${value}"`);
  return n;
}
