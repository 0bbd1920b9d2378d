import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";
import * as contracts from "~/contracts/messages";
import * as dividends from "~/dividends/messages";
import * as plots from "~/plots/messages";
import * as harvests from "~/harvests/messages";
import * as income from "~/income/messages";
import * as incomePages from "~/income/page-messages";
import * as imports from "~/imports/messages";
import * as importPages from "~/imports/page-messages";
import * as admin from "~/admin/messages";
import * as jobs from "~/jobs/messages";

export type { MessageKey };
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

// Each capability keeps its own messages (app/<capability>/messages.ts, with
// the English typed against the Chinese keys); they are merged here.
const catalogs: Record<Locale, Record<string, string>> = {
  "zh-CN": { ...zhCN, ...contracts.zhCN, ...plots.zhCN, ...dividends.zhCN, ...harvests.zhCN, ...income.zhCN, ...incomePages.zhCN, ...imports.zhCN, ...importPages.zhCN, ...admin.zhCN, ...jobs.zhCN },
  en: { ...en, ...contracts.en, ...plots.en, ...dividends.en, ...harvests.en, ...income.en, ...incomePages.en, ...imports.en, ...importPages.en, ...admin.en, ...jobs.en },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function catalog(locale: Locale): Record<string, string> {
  return catalogs[locale];
}

export type Translate = (key: MessageKey | string, params?: Record<string, string | number>) => string;

/**
 * A translator over one catalog. Unknown keys come back as the key itself,
 * so that a missing message is visible on the page instead of blank.
 */
export function translator(locale: Locale): Translate {
  const messages = catalogs[locale] as Record<string, string>;
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
