import { createCookie, redirect } from "@remix-run/node";
import { env } from "./env.server";

/**
 * "Every save answers" (issue 15): an action that saved something redirects
 * (POST → redirect → GET, so a reload never submits twice) and leaves one
 * message for the page it lands on, saying what was saved. The message is a
 * catalog key with parameters, carried in a short-lived signed cookie and
 * shown once by the app layout.
 */
export interface FlashMessage {
  key: string;
  params?: Record<string, string | number>;
  /** the path the message belongs to: the layout shows it only there */
  at: string;
}

function flashCookie() {
  return createCookie("__cunshe_flash", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
    secrets: [env().SESSION_SECRET],
    // long enough for a slow phone to follow the redirect, short enough never to surface later
    maxAge: 120,
  });
}

/**
 * Redirect to `to` with a message for that page. `to` must be a path inside
 * the app (callers pass their own route paths, never user input).
 */
export async function redirectWithMessage(
  to: string,
  key: string,
  params?: Record<string, string | number>,
  init?: { headers?: HeadersInit },
): Promise<Response> {
  const at = new URL(to, "http://app.invalid").pathname;
  const headers = new Headers(init?.headers);
  headers.append("Set-Cookie", await flashCookie().serialize({ key, params, at } satisfies FlashMessage));
  return redirect(to, { headers });
}

/**
 * The Set-Cookie header of a message for the page at `to`, for a response that
 * is not itself the redirect (an upload answered as JSON, after which the page
 * navigates there).
 */
export async function messageCookie(to: string, key: string, params?: Record<string, string | number>): Promise<string> {
  const at = new URL(to, "http://app.invalid").pathname;
  return flashCookie().serialize({ key, params, at } satisfies FlashMessage);
}

/** The pending message, if any, and the header that clears it. */
export async function takeFlash(request: Request): Promise<{ message: FlashMessage | null; headers: HeadersInit | undefined }> {
  const header = request.headers.get("Cookie");
  if (!header || !header.includes("__cunshe_flash=")) return { message: null, headers: undefined };
  const value: unknown = await flashCookie().parse(header);
  const clear = { "Set-Cookie": await flashCookie().serialize("", { maxAge: 0 }) };
  if (!isFlash(value)) return { message: null, headers: clear };
  return { message: value, headers: clear };
}

function isFlash(value: unknown): value is FlashMessage {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  if (typeof v.key !== "string" || typeof v.at !== "string") return false;
  if (v.params === undefined) return true;
  if (!v.params || typeof v.params !== "object") return false;
  return Object.values(v.params as Record<string, unknown>).every((p) => typeof p === "string" || typeof p === "number");
}
