import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const DB = "tests/e2e/.tmp/e2e.db";

// Debian's Chromium, with the flags that keep it off the closed network (../shared/STACK.md).
export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tests/e2e/.tmp/results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // A fresh database with the demo data for every run, served from the production build.
    command: `rm -f ${DB} ${DB}-wal ${DB}-shm && tsx scripts/setup.ts && tsx scripts/server.ts`,
    url: `http://localhost:${PORT}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { DATABASE_URL: `file:./${DB}`, PORT: String(PORT), NODE_ENV: "production", BACKUP_DIR: "tests/e2e/.tmp/backups", TRUST_PROXY: "1" },
  },
});
