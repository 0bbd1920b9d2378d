/**
 * What a new password must be (ADR 015): at least 10 characters, not the
 * user name, and not a common password — from a bundled list (no network at
 * run time), plus the patterns such lists are made of: one repeated
 * character or short unit, runs along the alphabet, the digits or a keyboard
 * row.
 */
import { COMMON_PASSWORDS } from "./common-passwords";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = "password.short" | "password.long" | "password.username" | "password.common";

const KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz", "1qaz2wsx3edc4rfv5tgb", "0987654321"];

function isRepetition(p: string): boolean {
  for (let unit = 1; unit <= 4; unit++) {
    if (p.length % unit !== 0 && p.length < unit * 3) continue;
    const head = p.slice(0, unit);
    if (head.repeat(Math.ceil(p.length / unit)).slice(0, p.length) === p) return true;
  }
  return false;
}

function isRun(p: string): boolean {
  for (const row of KEYBOARD_ROWS) {
    const both = [row, [...row].reverse().join("")];
    for (const r of both) if (r.includes(p) || (p.length > r.length && isRepetitionOf(p, r))) return true;
  }
  return false;
}

function isRepetitionOf(p: string, row: string): boolean {
  return row.repeat(Math.ceil(p.length / row.length) + 1).includes(p);
}

export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return "password.short";
  if (password.length > MAX_PASSWORD_LENGTH) return "password.long";
  const p = password.toLowerCase();
  const u = username.trim().toLowerCase();
  if (u && (p.includes(u) && u.length >= 3)) return "password.username";
  if (COMMON_PASSWORDS.has(p)) return "password.common";
  // the same list with digits, a year or "!" stuck on the end
  const stems = new Set([p.replace(/(?:19|20)\d\d$/, ""), p.replace(/\d+$/, ""), p.replace(/[^\p{L}]+$/u, "")]);
  for (const stem of stems) {
    if (stem !== p && stem.length >= 4 && (COMMON_PASSWORDS.has(stem) || isRepetition(stem) || isRun(stem))) return "password.common";
  }
  if (isRepetition(p) || isRun(p)) return "password.common";
  return null;
}
