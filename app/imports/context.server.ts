/**
 * What the row checks need to know about the target village, loaded once per
 * dry run (read-only) so that checking 20,000 rows makes a handful of queries.
 */
import { prisma } from "~/lib/db.server";
import { formatInstantDate, today } from "~/lib/dates";
import { normalizeIdNumber } from "~/registry/id-number";
import type { HouseholdImportContext } from "./households";
import type { PlotImportContext } from "./plots";
import type { ContractImportContext } from "./contracts";
import { HOLDING_STATUSES, holdsUntil } from "~/contracts/status";
import type { RawTable } from "./table";
import { idNumbersElsewhere, withRawConnection } from "./imports.queries.server";

/** The China date of a stored status instant (ADR 014). */
const day = (d: Date | null | undefined) => (d ? formatInstantDate(d) : null);

/** Every 18-character token of the file that could be an ID number, to look up memberships elsewhere. */
function idNumbersIn(table: RawTable): string[] {
  const ids = new Set<string>();
  for (const r of table.rows) for (const c of r.cells) if (c.length >= 15 && c.length <= 20 && /^\d{17}[\dXx]$/.test(c.trim())) ids.add(normalizeIdNumber(c));
  return [...ids];
}

async function groupsOf(villageId: number) {
  return prisma.villagerGroup.findMany({ where: { villageId }, select: { id: true, number: true, name: true }, orderBy: { number: "asc" } });
}

export async function householdContext(villageId: number, table: RawTable): Promise<HouseholdImportContext> {
  const ids = idNumbersIn(table);
  const [groups, households, others] = await Promise.all([
    groupsOf(villageId),
    prisma.household.findMany({
      where: { villageId },
      select: {
        id: true,
        code: true,
        groupId: true,
        headName: true,
        address: true,
        phone: true,
        bankName: true,
        bankAccount: true,
        status: true,
        statusYear: true,
        statusReason: true,
        monitoringCategory: true,
        riskTypes: true,
        statusDate: true,
        statusChanges: { orderBy: [{ effectiveOn: "desc" }, { id: "desc" }], take: 1, select: { effectiveOn: true } },
        members: { where: { leftOn: null }, select: { id: true, name: true, idNumber: true, relation: true, ableToWork: true, phone: true, joinedOn: true }, orderBy: { id: "asc" } },
      },
    }),
    otherMemberships(ids, villageId),
  ]);
  return {
    villageId,
    groups,
    households: households.map(({ statusChanges, ...h }) => ({ ...h, statusDate: day(h.statusDate), statusSince: day(statusChanges[0]?.effectiveOn) ?? day(h.statusDate) })),
    otherMemberships: others,
    today: today(),
  };
}

/**
 * Current members of households outside the village among the file's ID
 * numbers: one query over the ID-number index with the numbers as one JSON
 * array, on a connection of its own. (Through the ORM, 500 at a time,
 * 200,000 numbers took 400 queries, three seconds and a hundred MB.)
 */
async function otherMemberships(ids: string[], villageId: number): Promise<{ idNumber: string; householdCode: string; villageName: string }[]> {
  if (ids.length === 0) return [];
  return withRawConnection((db) => idNumbersElsewhere(db, ids, villageId), { readonly: true });
}

export async function plotContext(villageId: number, table: RawTable): Promise<PlotImportContext> {
  const village = await prisma.village.findUniqueOrThrow({ where: { id: villageId }, select: { parcelCode: true, township: { select: { code: true } } } });
  const codes = new Set<string>();
  for (const r of table.rows) for (const c of r.cells) if (/^\d{19}$/.test(c.trim())) codes.add(c.trim());
  const [groups, households, plots, elsewhere] = await Promise.all([
    groupsOf(villageId),
    prisma.household.findMany({ where: { villageId }, select: { id: true, code: true, headName: true, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true }, take: 1 } } }),
    prisma.contractedPlot.findMany({
      where: { villageId },
      select: { id: true, parcelCode: true, householdId: true, groupId: true, name: true, category: true, contractArea: true, measuredArea: true, landClass: true, grade: true, basicFarmland: true, east: true, south: true, west: true, north: true, contractEnd: true },
    }),
    prisma.contractedPlot.findMany({ where: { parcelCode: { in: [...codes] }, NOT: { villageId } }, select: { parcelCode: true, household: { select: { village: { select: { name: true } } } } } }),
  ]);
  return {
    villageId,
    townshipCode: village.township.code,
    villageParcelCode: village.parcelCode,
    groups,
    households: households.map((h) => ({ id: h.id, code: h.code, headName: h.headName, headIdNumber: h.members[0]?.idNumber ?? "" })),
    plots,
    otherVillagePlots: elsewhere.map((p) => ({ parcelCode: p.parcelCode, villageName: p.household.village.name })),
  };
}

export async function contractContext(villageId: number, asOf: string): Promise<ContractImportContext> {
  const village = await prisma.village.findUniqueOrThrow({ where: { id: villageId }, select: { townshipId: true } });
  const [plots, cooperatives, lines, existing] = await Promise.all([
    prisma.contractedPlot.findMany({ where: { villageId }, select: { id: true, parcelCode: true, householdId: true, contractArea: true, contractEnd: true, basicFarmland: true } }),
    prisma.cooperative.findMany({ where: { townshipId: village.townshipId }, select: { id: true, name: true, creditCode: true } }),
    prisma.contractPlot.findMany({
      where: { plot: { villageId }, contract: { status: { in: [...HOLDING_STATUSES] } } },
      select: { plotId: true, area: true, contract: { select: { startDate: true, endDate: true, terminatedOn: true, contractNo: true, draftNo: true } } },
    }),
    prisma.transferContract.findMany({ where: { villageId }, select: { id: true, contractNo: true, draftNo: true } }),
  ]);
  return {
    villageId,
    today: asOf,
    plots,
    cooperatives,
    activeLines: lines.map((l) => ({ plotId: l.plotId, startDate: l.contract.startDate, endDate: holdsUntil(l.contract), area: l.area, contractNo: l.contract.contractNo ?? l.contract.draftNo })),
    existingContracts: existing,
  };
}
