import { prisma } from "~/lib/db.server";
import type { World } from "../../factories";
import { plotData } from "./plots.world";

/**
 * Plots and harvests for the harvest routes, away from the plots of
 * plots.world.ts: in V1 one of cooperative C1 and one of household H1 (the
 * accountant may record only on the first), in V2 and V3 one each, and a
 * removed orchard in V1. One harvest on each plot that is not removed.
 */
export async function extend(w: World): Promise<Record<string, number>> {
  const plot = (v: World["v1"], code: string, lon: number, lat: number, extra: Record<string, unknown>) =>
    prisma.orchardPlot.create({ data: plotData(v, code, lon, lat, extra), select: { id: true, townshipId: true, villageId: true, cooperativeId: true, householdId: true, crop: true } });
  const coopV1 = await plot(w.v1, "HV1-C1", 115.401, 35.322, { cooperativeId: w.c1.id });
  const houseV1 = await plot(w.v1, "HV1-H1", 115.403, 35.322, { householdId: w.h1.id });
  const removedV1 = await plot(w.v1, "HV1-RM", 115.405, 35.322, { status: "REMOVED" });
  const v2 = await plot(w.v2, "HV2-H2", 115.376, 35.304, { householdId: w.h2.id });
  const v3 = await plot(w.v3, "HV3-C2", 115.534, 35.374, { cooperativeId: w.c2.id });
  const harvest = (p: Awaited<ReturnType<typeof plot>>) =>
    prisma.harvest.create({
      data: {
        plotId: p.id,
        townshipId: p.townshipId,
        villageId: p.villageId,
        cooperativeId: p.cooperativeId,
        householdId: p.householdId,
        crop: p.crop,
        year: 2024,
        harvestedOn: "2024-07-20",
        variety: "黄桃",
        quantityKg: "1500.00",
        enteredQuantity: "3000",
        enteredUnit: "JIN",
        price: "1.5",
        priceUnit: "JIN",
        salesFen: 450000n,
        recordedById: w.users.admin.id,
      },
      select: { id: true },
    });
  return {
    hPlotV1Coop: coopV1.id,
    hPlotV1House: houseV1.id,
    hPlotV1Removed: removedV1.id,
    hPlotV2: v2.id,
    hPlotV3: v3.id,
    harvestV1Coop: (await harvest(coopV1)).id,
    harvestV1House: (await harvest(houseV1)).id,
    harvestV2: (await harvest(v2)).id,
    harvestV3: (await harvest(v3)).id,
  };
}
