import { prisma } from "~/lib/db.server";
import type { World } from "../../factories";

/** A contracted plot for H1 (V1) and H3 (V3), and a signed contract in each village. */
export async function extend(w: World): Promise<Record<string, number>> {
  const plot = async (h: World["h1"], v: World["v1"], code: string) =>
    prisma.contractedPlot.create({
      data: { townshipId: v.townshipId, villageId: v.id, groupId: v.groups[0]!.id, householdId: h.id, parcelCode: code, name: "村东地", contractArea: "5.00", contractEnd: "2057-12-31" },
    });
  const contract = async (h: World["h1"], v: World["v1"], plotId: number, no: string, cooperativeId: number | null) =>
    prisma.transferContract.create({
      data: {
        townshipId: v.townshipId,
        villageId: v.id,
        draftNo: no,
        transfereeKind: cooperativeId ? "COOPERATIVE" : "GROWER",
        cooperativeId,
        transfereeName: cooperativeId ? "" : "王建设",
        form: "LEASE",
        use: "GRAIN",
        startDate: "2024-01-01",
        endDate: "2033-12-31",
        rentKind: "CASH",
        rentPerMu: "800.00",
        paymentTiming: "YEARLY",
        paymentMonthDay: "12-31",
        status: "SIGNED",
        createdById: w.users.secretary.id,
        parties: { create: { householdId: h.id } },
        plots: { create: { plotId, householdId: h.id, area: "2.00" } },
        installments: { create: { householdId: h.id, townshipId: v.townshipId, villageId: v.id, seq: 1, periodStart: "2024-01-01", periodEnd: "2024-12-31", dueDate: "2024-12-31", area: "2.00", rateNote: "CASH 800.00", amountFen: 160000n } },
      },
      include: { installments: true },
    });
  const p1 = await plot(w.h1, w.v1, "3717021020010100001");
  const p3 = await plot(w.h3, w.v3, "3717021040010100001");
  const k1 = await contract(w.h1, w.v1, p1.id, "D-ACCESS-1", w.c1.id);
  const k3 = await contract(w.h3, w.v3, p3.id, "D-ACCESS-3", null);
  return { contractV1: k1.id, contractV3: k3.id, installmentV1: k1.installments[0]!.id };
}
