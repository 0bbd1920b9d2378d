import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  esbuild: { jsx: "automatic" },
  test: {
    include: ["app/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/models/**/*.test.ts"],
    setupFiles: ["tests/setup/setup.ts"],
    globalSetup: ["tests/setup/global.ts"],
    pool: "forks",
    testTimeout: 20000,
  },
});
