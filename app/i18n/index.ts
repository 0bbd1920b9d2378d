/**
 * The app's message catalogs: the shell's own (~/lib/i18n/zh-CN.ts, en.ts)
 * and each capability's (app/<capability>/messages.ts, the English typed
 * against the Chinese keys), merged, with the translator over them.
 *
 * The machinery (locales, the cookie, filling placeholders) is ~/lib/i18n,
 * which imports no capability; the composition lives here, above the
 * capabilities, like the routes (ADR 017).
 */
import * as admin from "~/admin/messages";
import * as audit from "~/auth/messages";
import * as books from "~/books/messages";
import * as booksPages from "~/books/page-messages";
import * as contracts from "~/contracts/messages";
import * as dividends from "~/dividends/messages";
import * as listExports from "~/exports/messages";
import * as harvests from "~/harvests/messages";
import * as importPages from "~/imports/page-messages";
import * as imports from "~/imports/messages";
import * as income from "~/income/messages";
import * as incomePages from "~/income/page-messages";
import * as jobs from "~/jobs/messages";
import { translatorOver, type Locale, type Translate } from "~/lib/i18n";
import { en } from "~/lib/i18n/en";
import { zhCN } from "~/lib/i18n/zh-CN";
import * as plots from "~/plots/messages";
import * as registry from "~/registry/messages";

const catalogs: Record<Locale, Record<string, string>> = {
  "zh-CN": { ...zhCN, ...contracts.zhCN, ...plots.zhCN, ...dividends.zhCN, ...harvests.zhCN, ...income.zhCN, ...incomePages.zhCN, ...imports.zhCN, ...importPages.zhCN, ...admin.zhCN, ...listExports.zhCN, ...jobs.zhCN, ...books.zhCN, ...booksPages.zhCN, ...audit.zhCN, ...registry.zhCN },
  en: { ...en, ...contracts.en, ...plots.en, ...dividends.en, ...harvests.en, ...income.en, ...incomePages.en, ...imports.en, ...importPages.en, ...admin.en, ...listExports.en, ...jobs.en, ...books.en, ...booksPages.en, ...audit.en, ...registry.en },
};

export function catalog(locale: Locale): Record<string, string> {
  return catalogs[locale];
}

/** A translator over the app's catalog of one locale; unknown keys come back as themselves. */
export function translator(locale: Locale): Translate {
  return translatorOver(catalogs[locale]);
}
