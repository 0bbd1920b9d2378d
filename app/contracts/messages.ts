// UI messages of this capability, merged into the catalogs by app/lib/i18n/index.ts.
export const zhCN = {} as const;

export const en: Record<keyof typeof zhCN, string> = {};
