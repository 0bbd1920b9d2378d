/**
 * Only paths of this site: a `redirectTo` must never send a user to another
 * host. Browsers forgive a lot in a Location header — they drop tabs and
 * newlines, read "\" as "/", and treat "//host" and "/\host" as another
 * host — so the target is refused on any control character or backslash,
 * then resolved against a placeholder origin and accepted only when it stays
 * there. What is returned is the resolved path, so what the browser follows
 * is exactly what was checked.
 */
const PLACEHOLDER = "http://cunshe.invalid";

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/home"): string {
  if (!to || typeof to !== "string" || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let decoded = to;
  try {
    // A path that decodes to another host is somebody's trick, even if this
    // router would not follow it: refuse "/%2F%2Fevil", "/%5Cevil" and the like.
    decoded = decodeURIComponent(to);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(to, PLACEHOLDER);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? fallback : path;
}
