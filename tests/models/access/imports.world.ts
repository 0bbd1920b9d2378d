import { prisma } from "~/lib/db.server";
import type { World } from "../../factories";

/** A checked import batch of V1 with one row in error, from a small CSV. */
export async function extend(w: World): Promise<Record<string, number>> {
  const csv = "户编号,村民小组,姓名,与户主关系,身份证号\n0009,1,王五,户主,371702197001010010\n";
  const b = await prisma.importBatch.create({
    data: {
      kind: "HOUSEHOLDS",
      townshipId: w.t1.id,
      villageId: w.v1.id,
      fileName: "roster.csv",
      fileSha256: "x",
      file: Buffer.from(csv, "utf8"),
      status: "CHECKED",
      rowCount: 1,
      errorCount: 1,
      report: JSON.stringify({ fileErrors: [], rowErrors: [[2, [{ column: "身份证号", key: "id.checksum" }]]], unknownHeadings: [], counts: {}, items: [] }),
      createdById: w.users.secretary.id,
    },
  });
  return { importV1: b.id };
}
