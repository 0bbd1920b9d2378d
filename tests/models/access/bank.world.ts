import { prisma } from "~/lib/db.server";
import { EXAMPLE_TEMPLATES } from "~/dividends/bank-template";
import type { World } from "../../factories";

/** An issued run of C1 with one line, C1's chosen payment template, and an issued run of C2 (another township). */
export async function extend(w: World): Promise<Record<string, number>> {
  const run = (cooperativeId: number, townshipId: number) =>
    prisma.dividendRun.create({ data: { cooperativeId, townshipId, year: 2024, method: "LAND_SHARE", status: "ISSUED", incomeFen: 0n, costFen: 0n, guaranteePerShare: "1000.00", createdById: w.users.accountant.id } });
  const r1 = await run(w.c1.id, w.t1.id);
  const r3 = await run(w.c2.id, w.t2.id);
  await prisma.dividendLine.create({ data: { runId: r1.id, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, areaMu: "1.00", shares: "1.00", weight: "1.00", guaranteedFen: 1000n, netFen: 1000n, statementNo: "FH2024-BANK-1" } });
  const t = await prisma.paymentTemplate.create({ data: { cooperativeId: w.c1.id, name: EXAMPLE_TEMPLATES[0]!.name, spec: JSON.stringify(EXAMPLE_TEMPLATES[0]) } });
  const t2 = await prisma.paymentTemplate.create({ data: { cooperativeId: w.c2.id, name: "C2", spec: JSON.stringify(EXAMPLE_TEMPLATES[0]) } });
  await prisma.cooperative.update({ where: { id: w.c1.id }, data: { paymentTemplateId: t.id } });
  return { bankRunC1: r1.id, bankRunC2: r3.id, templateC1: t.id, templateC2: t2.id };
}
