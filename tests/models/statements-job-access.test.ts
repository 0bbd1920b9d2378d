/**
 * Starting the batch PDF of a run's statements is a read (read:dividend,
 * ADR 004), so the job must check again when it runs: whoever asked for it is
 * judged as they stand then, not as they stood when they clicked.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { getUser, type CurrentUser } from "~/auth/session.server";
import { startStatementsPdf } from "~/dividends/statements-job.server";
import { registerAllJobKinds } from "~/jobs/kinds.server";
import { runJobNow } from "~/jobs/runner.server";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import { extend as dividendsWorld } from "./access/dividends.world";

let w: World;
let secretary: CurrentUser;

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await dividendsWorld(w));
  secretary = (await getUser(request("/", { cookie: w.users.secretary.cookie })))!;
  await registerAllJobKinds();
});

const finished = async (jobId: number) => {
  expect(await runJobNow(jobId)).toBe(true);
  return prisma.job.findUniqueOrThrow({ where: { id: jobId } });
};

describe("the statements job checks its requester again when it runs", () => {
  it("renders for a requester who may still read the run", async () => {
    const job = await finished((await startStatementsPdf(secretary, w.extra.runV1!, "http://localhost"))!);
    expect([job.status, job.total]).toEqual(["DONE", 1]);
    expect(fs.existsSync(job.resultPath)).toBe(true);
  }, 60_000);

  it("renders nothing for an account disabled after it asked", async () => {
    const jobId = (await startStatementsPdf(secretary, w.extra.runV1!, "http://localhost"))!;
    await prisma.user.update({ where: { id: secretary.id }, data: { disabled: true } });
    try {
      const job = await finished(jobId);
      expect(job.status).toBe("FAILED");
      expect(job.error).toContain("may no longer read");
      expect(job.resultPath).toBe("");
    } finally {
      await prisma.user.update({ where: { id: secretary.id }, data: { disabled: false } });
    }
  }, 60_000);

  it("reads with the scope the requester holds when it runs: moved to a village the cooperative does not serve, the run is not theirs", async () => {
    const jobId = (await startStatementsPdf(secretary, w.extra.runV1!, "http://localhost"))!;
    await prisma.user.update({ where: { id: secretary.id }, data: { villageId: w.v3.id } });
    try {
      const job = await finished(jobId);
      expect(job.status).toBe("FAILED");
      expect(job.resultPath).toBe("");
    } finally {
      await prisma.user.update({ where: { id: secretary.id }, data: { villageId: w.v1.id } });
    }
  }, 60_000);
});
