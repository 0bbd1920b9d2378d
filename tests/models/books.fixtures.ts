/**
 * Money events for the books' model tests, written straight into the tables
 * the app's own forms fill (the books read them, never write them).
 */
import { makeCreditCode } from "~/registry/credit-code";
import { prisma } from "~/lib/db.server";
import type { World } from "../factories";

let seq = 0;
const next = () => ++seq;

/** A new cooperative of township T1 serving V1, with its own accountant and chair. */
export async function newCooperative(w: World, system: "COOP_2021" | "COLLECTIVE_2023" = "COOP_2021", type: "LAND_SHARE" | "PROFESSIONAL" = "PROFESSIONAL") {
  const n = next();
  const c = await prisma.cooperative.create({
    data: {
      name: `账簿测试合作社${n}`,
      creditCode: makeCreditCode(`93371702MA3D${String(n).padStart(5, "0")}`),
      type,
      townshipId: w.t1.id,
      legalRepresentative: "测试",
      accountingSystem: system,
      villages: { create: [{ villageId: w.v1.id }] },
    },
  });
  const user = (role: string) => prisma.user.create({ data: { username: `${role.toLowerCase()}-${n}-${c.id}`, displayName: `${role}${n}`, role, passwordHash: "x", cooperativeId: c.id } });
  const accountant = await user("ACCOUNTANT");
  const chair = await user("CHAIR");
  const scope = { kind: "cooperative" as const, townshipId: w.t1.id, cooperativeId: c.id, villageIds: [w.v1.id] };
  return {
    coop: c,
    accountant: { id: accountant.id, role: "ACCOUNTANT" as const, scope, username: accountant.username, displayName: accountant.displayName },
    chair: { id: chair.id, role: "CHAIR" as const, scope, username: chair.username, displayName: chair.displayName },
  };
}

/** A household of V1. */
export async function member(w: World, name = "成员") {
  const n = next();
  return prisma.household.create({ data: { code: `B${String(n).padStart(5, "0")}`, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: `${name}${n}` } });
}

/** A lease of a household's land in V1 to the cooperative (or to a third party when cooperativeId is null), with one installment. */
export async function lease(w: World, cooperativeId: number | null, householdId: number) {
  const n = next();
  const c = await prisma.transferContract.create({
    data: {
      townshipId: w.t1.id,
      villageId: w.v1.id,
      draftNo: `BK-${n}-${Math.random().toString(36).slice(2, 8)}`,
      transfereeKind: cooperativeId ? "COOPERATIVE" : "ENTERPRISE",
      cooperativeId,
      transfereeName: cooperativeId ? "" : "某农业公司",
      form: "LEASE",
      use: "ORCHARD",
      startDate: "2020-01-01",
      endDate: "2039-12-31",
      rentKind: "CASH",
      rentPerMu: "800",
      paymentTiming: "YEARLY",
      status: "FILED",
      createdById: w.users.secretary.id,
      parties: { create: { householdId } },
    },
  });
  const inst = await prisma.rentInstallment.create({
    data: { contractId: c.id, householdId, townshipId: w.t1.id, villageId: w.v1.id, seq: 1, periodStart: "2026-01-01", periodEnd: "2026-12-31", dueDate: "2026-03-01", area: "10", rateNote: "", amountFen: 800000n },
  });
  return { contract: c, installment: inst };
}

export async function rentPayment(w: World, l: Awaited<ReturnType<typeof lease>>, amountFen: bigint, paidOn: string, method = "BANK", reversesId: number | null = null) {
  return prisma.rentPayment.create({
    data: { installmentId: l.installment.id, contractId: l.contract.id, householdId: l.installment.householdId, townshipId: w.t1.id, villageId: w.v1.id, paidOn, amountFen, method, reversesId, reason: reversesId ? "录错" : "", recordedById: w.users.secretary.id },
  });
}

export async function orchard(w: World, cooperativeId: number) {
  const n = next();
  return prisma.orchardPlot.create({
    data: { townshipId: w.t1.id, villageId: w.v1.id, code: `BK${n}`, crop: "PEACH", cooperativeId, geometry: "{}", areaMu: "1.00", minLon: 0, minLat: 0, maxLon: 0, maxLat: 0 },
  });
}

export async function harvest(w: World, plotId: number, cooperativeId: number, salesFen: bigint, harvestedOn: string) {
  return prisma.harvest.create({
    data: { plotId, townshipId: w.t1.id, villageId: w.v1.id, cooperativeId, year: Number(harvestedOn.slice(0, 4)), harvestedOn, crop: "PEACH", quantityKg: "100.00", enteredQuantity: "100", enteredUnit: "KG", salesFen, buyer: "收购商", recordedById: w.users.secretary.id },
  });
}

export interface LineSpec {
  householdId: number;
  transactionFen?: bigint;
  guaranteedFen?: bigint;
  surplusFen?: bigint;
  capitalFen?: bigint;
  deductionFen?: bigint;
}

/** An issued run with these lines (totals made to fit), or a correction of `correctsId`. */
export async function issuedRun(w: World, cooperativeId: number, year: number, lines: LineSpec[], o: { costFen?: bigint; providentFen?: bigint; riskFen?: bigint; correctsId?: number; issuedAt?: Date } = {}) {
  const gross = (l: LineSpec) => (l.transactionFen ?? 0n) + (l.guaranteedFen ?? 0n) + (l.surplusFen ?? 0n) + (l.capitalFen ?? 0n);
  const distributed = lines.reduce((s, l) => s + gross(l), 0n);
  const run = await prisma.dividendRun.create({
    data: {
      cooperativeId,
      townshipId: w.t1.id,
      year,
      method: "PROFESSIONAL",
      status: "ISSUED",
      incomeFen: distributed + (o.costFen ?? 0n) + (o.providentFen ?? 0n) + (o.riskFen ?? 0n),
      costFen: o.costFen ?? 0n,
      providentFen: o.providentFen ?? 0n,
      riskFen: o.riskFen ?? 0n,
      distributableFen: distributed,
      distributedFen: distributed,
      correctsId: o.correctsId ?? null,
      createdById: w.users.accountant.id,
      issuedAt: o.issuedAt ?? new Date(`${year + 1}-01-15T04:00:00Z`),
    },
  });
  const rows = [];
  for (const l of lines) {
    rows.push(
      await prisma.dividendLine.create({
        data: {
          runId: run.id,
          householdId: l.householdId,
          townshipId: w.t1.id,
          villageId: w.v1.id,
          areaMu: "0",
          shares: "0",
          weight: "0",
          transactionFen: l.transactionFen ?? 0n,
          guaranteedFen: l.guaranteedFen ?? 0n,
          surplusFen: l.surplusFen ?? 0n,
          capitalFen: l.capitalFen ?? 0n,
          deductionFen: l.deductionFen ?? 0n,
          netFen: gross(l) - (l.deductionFen ?? 0n),
        },
      }),
    );
  }
  return { run, lines: rows };
}

export async function payment(w: World, line: { id: number; householdId: number }, amountFen: bigint, paidOn: string, status: "PAID" | "FAILED" = "PAID") {
  const p = await prisma.dividendPayment.create({
    data: { lineId: line.id, householdId: line.householdId, townshipId: w.t1.id, villageId: w.v1.id, paidOn, amountFen, status, failureReason: status === "FAILED" ? "账户已销户" : "", recordedById: w.users.accountant.id },
  });
  if (status === "PAID") await prisma.dividendLine.update({ where: { id: line.id }, data: { paidFen: { increment: amountFen } } });
  return p;
}

export async function capital(w: World, cooperativeId: number, householdId: number, amountFen: bigint, date: string) {
  return prisma.memberCapital.create({ data: { cooperativeId, householdId, date, amountFen, recordedById: w.users.accountant.id } });
}
