/**
 * The public notice period (公示期) of a dividend run, pure.
 *
 * RULE. An N-day notice is N calendar days counted from the day it is
 * published, both ends included: published on 12月3日 for 7 days it runs
 * 12月3日至12月9日（共 7 天）, and the run may be issued from 12月10日, the
 * day after the last day. The notice sheet prints, and issuing enforces, the
 * same dates (both come from here).
 */
import { addDays, chineseDate, chineseMonthDay, inclusiveDays, lastDayOfPeriod, parseDateParts } from "~/lib/dates";

export interface NoticePeriod {
  /** first day (the publish day) */
  from: string;
  /** last day, included */
  to: string;
  days: number;
  /** the first day the run may be issued */
  issueFrom: string;
}

export function noticePeriod(publishedOn: string, days: number): NoticePeriod {
  const to = lastDayOfPeriod(publishedOn, days);
  return { from: publishedOn, to, days, issueFrom: addDays(to, 1) };
}

/** The period as a run stores it (first and last day), for showing; never throws on odd stored dates. */
export function storedNoticePeriod(from: string, to: string): NoticePeriod | null {
  if (!parseDateParts(from) || !parseDateParts(to)) return null;
  return { from, to, days: inclusiveDays(from, to), issueFrom: addDays(to, 1) };
}

/** A run on notice until `noticeEndsOn` (its last day) may be issued on `asOf` only after that day. */
export function noticeOver(noticeEndsOn: string | null | undefined, asOf: string): boolean {
  return !noticeEndsOn || asOf > noticeEndsOn;
}

/** "2026年12月3日至12月9日（共 7 天）"; the year is repeated only when the period crosses into the next. */
export function noticePeriodZh(from: string, to: string): string {
  const a = parseDateParts(from);
  const b = parseDateParts(to);
  if (!a || !b || to < from) return `${chineseDate(from)}至${chineseDate(to)}`;
  const end = a[0] === b[0] ? chineseMonthDay(to) : chineseDate(to);
  return `${chineseDate(from)}至${end}（共 ${inclusiveDays(from, to)} 天）`;
}
