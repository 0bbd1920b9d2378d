/** Texts of the cooperative's books (issue 17, ADR 021). */
export const zhCN: Record<string, string> = {
  "books.nav": "账簿",
};

export const en: Record<string, string> = {
  "books.nav": "Books",
};
