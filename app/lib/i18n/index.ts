/**
 * The machinery of the UI's two languages: locales, the `lang` cookie and
 * filling a message's placeholders. Generic: the catalogs themselves are
 * composed above the capabilities, in ~/i18n (ADR 017).
 */
import type { MessageKey } from "./zh-CN";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey | string, params?: Record<string, string | number>) => string;

/**
 * A translator over one catalog. Unknown keys come back as the key itself,
 * so that a missing message is visible on the page instead of blank.
 */
export function translatorOver(messages: Record<string, string>): Translate {
  return (key, params) => {
    const text = messages[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The locale from the `lang` cookie; Simplified Chinese unless the user chose English. */
export function localeFromCookieHeader(header: string | null): Locale {
  const match = /(?:^|;\s*)lang=([^;]+)/.exec(header ?? "");
  const value = match ? decodeURIComponent(match[1]!) : null;
  return isLocale(value) ? value : DEFAULT_LOCALE;
}
