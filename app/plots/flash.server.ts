/** The messages plot saves answer with (issue 15 "every save answers"): what was saved, in the user's language. */
import { translator } from "~/i18n";
import { redirectWithMessage } from "~/lib/flash.server";
import { localeFromCookieHeader } from "~/lib/i18n";

/** Redirect to the plot's page with "已保存地块 A-03（桃，12.35 亩）". */
export function redirectPlotSaved(request: Request, to: string, plot: { code: string; crop: string; areaMu: string }): Promise<Response> {
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  return redirectWithMessage(to, "plots.saved", { code: plot.code, crop: t(`plots.crop.${plot.crop}`), area: plot.areaMu });
}
