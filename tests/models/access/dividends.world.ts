import { prisma } from "~/lib/db.server";
import type { World } from "../../factories";

/** An issued run of C1 (V1) with one line and its verification code, and a draft run of C2 (V3). */
export async function extend(w: World): Promise<Record<string, number>> {
  const run = (cooperativeId: number, townshipId: number, status: string) =>
    prisma.dividendRun.create({ data: { cooperativeId, townshipId, year: 2025, method: "LAND_SHARE", status, incomeFen: 0n, costFen: 0n, guaranteePerShare: "1000.00", createdById: w.users.accountant.id } });
  const r1 = await run(w.c1.id, w.t1.id, "ISSUED");
  const r2 = await run(w.c2.id, w.t2.id, "DRAFT");
  const line = await prisma.dividendLine.create({
    data: { runId: r1.id, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "2.00", shares: "2.00", weight: "2.00", guaranteedFen: 200000n, netFen: 200000n, statementNo: "FH2025-ACCESS-1", verifyCode: "ACCESS2345" },
  });
  // a run of C1 under public notice, for objections (the supervisor's and the accountant's)
  const published = await prisma.dividendRun.create({
    data: { cooperativeId: w.c1.id, townshipId: w.t1.id, year: 2024, method: "LAND_SHARE", status: "PUBLISHED", incomeFen: 0n, costFen: 0n, guaranteePerShare: "1000.00", createdById: w.users.accountant.id, noticeStartsOn: "2025-01-01", noticeEndsOn: "2025-01-07" },
  });
  return { runV1: r1.id, runV3: r2.id, lineV1: line.id, runV1Published: published.id };
}
