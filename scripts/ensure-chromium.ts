/**
 * The browser tests drive Debian's Chromium (never a downloaded build). When it
 * is missing on a Debian machine where we are root, install it with the CJK
 * fonts that Chinese pages need; anywhere else, stop and say how.
 */
import { execSync } from "node:child_process";
import fs from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HOW = "Install Debian's chromium and fonts-noto-cjk (apt-get install -y chromium fonts-noto-cjk), or set CHROMIUM_PATH to a Chromium binary.";

function fontsPresent(): boolean {
  try {
    return execSync("fc-list :lang=zh family", { encoding: "utf8" }).trim().length > 0;
  } catch {
    return false;
  }
}

if (!fs.existsSync(CHROMIUM) || !fontsPresent()) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (fs.existsSync("/etc/debian_version") && isRoot && !process.env.CHROMIUM_PATH) {
    console.log("Installing Debian's chromium and fonts-noto-cjk for the browser tests…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk", { stdio: "inherit" });
  } else {
    console.error(`Chromium or the CJK fonts are missing (looked for ${CHROMIUM}). ${HOW}`);
    process.exit(1);
  }
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`Chromium is still missing at ${CHROMIUM}. ${HOW}`);
  process.exit(1);
}
console.log(`browser tests use ${CHROMIUM}`);
