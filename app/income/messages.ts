// Messages of this capability, merged into the catalogs in app/lib/i18n/index.ts.
export const zhCN = {
} as const;

export const en: Record<keyof typeof zhCN, string> = {
};
