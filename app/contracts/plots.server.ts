import { changedFields, recordAudit } from "~/auth/audit.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import type { FieldErrors } from "~/lib/forms";
import { householdScopeWhere, requireCan } from "~/auth/permissions.server";
import { checkParcelCode, villageParcelPrefix } from "./parcel-code";
import type { PlotInput } from "./plot-form";

/** The household (inside the scope) that owns or will own a plot, with its village's parcel prefix. */
export async function plotOwner(user: CurrentUser, householdId: number) {
  const h = await prisma.household.findFirst({
    where: { AND: [{ id: householdId }, householdScopeWhere(user.scope)] },
    select: { id: true, townshipId: true, villageId: true, headName: true, village: { select: { parcelCode: true, township: { select: { code: true } }, groups: { orderBy: { number: "asc" }, select: { id: true, name: true, number: true } } } } },
  });
  if (!h) notFound();
  return h;
}

/**
 * Saves a contracted plot of a household. The parcel code must carry the
 * village's county, township and village digits and the chosen group's number.
 */
export async function savePlot(user: CurrentUser, householdId: number, plotId: number | null, input: PlotInput): Promise<{ ok: true; id: number } | { ok: false; errors: FieldErrors }> {
  const h = await plotOwner(user, householdId);
  requireCan(user, "write:household", h);
  const group = h.village.groups.find((g) => g.id === input.groupId);
  if (!group) return { ok: false, errors: { groupId: { key: "group.required" } } };
  const prefix = villageParcelPrefix(h.village.township.code, h.village.parcelCode);
  const code = checkParcelCode(input.parcelCode, { villagePrefix: prefix, groupNumber: group.number });
  if (!code.ok) return { ok: false, errors: { parcelCode: { key: code.error, params: { prefix, group: group.number } } } };
  return prisma.$transaction(async (tx) => {
    const same = await tx.contractedPlot.findFirst({ where: { parcelCode: input.parcelCode, ...(plotId ? { NOT: { id: plotId } } : {}) }, select: { id: true } });
    if (same) return { ok: false as const, errors: { parcelCode: { key: "parcel.duplicate" } } };
    const data = { ...input, townshipId: h.townshipId, villageId: h.villageId, householdId };
    const actor = { id: user.id, name: user.username };
    if (plotId === null) {
      const p = await tx.contractedPlot.create({ data, select: { id: true } });
      await recordAudit({ actor, action: "create", entity: "ContractedPlot", entityId: p.id, townshipId: h.townshipId, villageId: h.villageId, after: input }, tx);
      return { ok: true as const, id: p.id };
    }
    const before = await tx.contractedPlot.findFirst({ where: { id: plotId, householdId } });
    if (!before) notFound();
    await tx.contractedPlot.update({ where: { id: plotId }, data });
    const diff = changedFields(before as unknown as Record<string, unknown>, input as unknown as Record<string, unknown>);
    await recordAudit({ actor, action: "update", entity: "ContractedPlot", entityId: plotId, townshipId: h.townshipId, villageId: h.villageId, ...diff }, tx);
    return { ok: true as const, id: plotId };
  });
}

export async function householdPlots(householdId: number) {
  return prisma.contractedPlot.findMany({
    where: { householdId },
    orderBy: { parcelCode: "asc" },
    select: {
      id: true,
      parcelCode: true,
      name: true,
      category: true,
      contractArea: true,
      measuredArea: true,
      basicFarmland: true,
      contractEnd: true,
      east: true,
      south: true,
      west: true,
      north: true,
      contractLines: { where: { contract: { status: { in: ["SIGNED", "FILED"] } } }, select: { area: true, contract: { select: { id: true, draftNo: true, contractNo: true, endDate: true } } } },
    },
  });
}
