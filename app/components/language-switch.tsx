import { Form, useLocation } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";

export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/locale" className="inline" reloadDocument>
      <input type="hidden" name="locale" value={locale === "zh-CN" ? "en" : "zh-CN"} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" className="link-button" lang={locale === "zh-CN" ? "en" : "zh-CN"}>
        {t("nav.language")}
      </button>
    </Form>
  );
}
