import { prisma } from "~/lib/db.server";
import { normalizeGeometry, simplifyForLowZoom } from "~/plots/geometry";
import type { World } from "../../factories";

/** A plot of about 10 mu with its south-west corner at (lon, lat), as the app would store it. */
export function plotData(w: { townshipId: number; id: number }, code: string, lon: number, lat: number, extra: Record<string, unknown> = {}) {
  const n = normalizeGeometry({ type: "Polygon", coordinates: [[[lon, lat], [lon + 0.0011, lat], [lon + 0.0011, lat + 0.0006], [lon, lat + 0.0006], [lon, lat]]] });
  if (!n.ok) throw new Error("bad test plot");
  return {
    townshipId: w.townshipId,
    villageId: w.id,
    code,
    name: `${code} 号园`,
    crop: "PEACH",
    variety: "黄桃",
    status: "BEARING",
    geometry: JSON.stringify(n.geometry),
    geometryLow: JSON.stringify(simplifyForLowZoom(n.geometry)),
    areaMu: n.areaMu,
    minLon: n.bbox[0],
    minLat: n.bbox[1],
    maxLon: n.bbox[2],
    maxLat: n.bbox[3],
    ...extra,
  };
}

/** One orchard plot in each of V1, V2 and V3 (another township), far apart. */
export async function extend(w: World): Promise<Record<string, number>> {
  const p1 = await prisma.orchardPlot.create({ data: plotData(w.v1, "V1-001", 115.395, 35.318, { householdId: w.h1.id }) });
  const p2 = await prisma.orchardPlot.create({ data: plotData(w.v2, "V2-001", 115.372, 35.3, { householdId: w.h2.id }) });
  const p3 = await prisma.orchardPlot.create({ data: plotData(w.v3, "V3-001", 115.53, 35.37, { householdId: w.h3.id }) });
  return { plotV1: p1.id, plotV2: p2.id, plotV3: p3.id };
}
