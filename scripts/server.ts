/**
 * The production server: the Remix build behind a small express app that
 * applies the rules every request must pass before any route runs
 * (docs/decisions/015-requests-addresses-and-sessions.md):
 *
 * - a state-changing request sent by another site's page is answered 403
 *   (Sec-Fetch-Site / Origin), for pages and resource routes alike;
 * - the client's address comes from the connection, and X-Forwarded-For is
 *   believed only for the TRUST_PROXY hops; routes read it from the load
 *   context (`context.clientAddress`).
 *
 *   tsx scripts/server.ts [build/index.js]
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import url from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { checkCrossSite, clientAddress, ownOrigins, parseTrustProxy } from "../app/lib/request-guard.ts";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";

const buildPath = path.resolve(process.argv[2] ?? "build/index.js");
const build = (await import(url.pathToFileURL(buildPath).href)) as ServerBuild;
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const trustedHops = parseTrustProxy(process.env.TRUST_PROXY);
const port = Number(process.env.PORT ?? 3000);

const app = express();
app.disable("x-powered-by");
// express's own req.ip must not read X-Forwarded-For either: clientAddress does that, by the same rule.
app.set("trust proxy", false);
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.use((req, res, next) => {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const verdict = checkCrossSite(req.method, headers, ownOrigins(req.headers.host ?? null, process.env.PUBLIC_BASE_URL));
  if (!verdict.ok) {
    res.status(403).type("text/plain; charset=utf-8").send("请求被拒绝：这个操作只能在本系统自己的页面上提交。\nForbidden: this action can only be submitted from this site's own pages.\n");
    return;
  }
  next();
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({
      clientAddress: clientAddress(req.socket.remoteAddress, (req.headers["x-forwarded-for"] as string | undefined) ?? null, trustedHops),
    }),
  }),
);

const server = process.env.HOST ? app.listen(port, process.env.HOST) : app.listen(port);
server.on("listening", () => console.log(`[cunshe] http://localhost:${port}`));

// The job runner (ADR 016) lives in a process of its own, restarted if it
// dies; JOB_RUNNER=off when it is run and watched separately (`npm run jobs`).
let runner: ChildProcess | null = null;
let stopping = false;
function startRunner(delayMs = 0): void {
  if (process.env.JOB_RUNNER === "off" || stopping) return;
  setTimeout(() => {
    if (stopping) return;
    const started = Date.now();
    runner = fork(path.resolve("scripts/jobs.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    runner.on("exit", (code, signal) => {
      runner = null;
      if (stopping) return;
      console.warn(`[cunshe] job runner stopped (${signal ?? code}); starting it again`);
      // a runner that dies at once is not restarted in a tight loop
      startRunner(Date.now() - started < 10_000 ? 5_000 : 0);
    });
  }, delayMs);
}
startRunner();

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    stopping = true;
    runner?.kill("SIGTERM");
    server.close(() => process.exit(0));
  });
}
