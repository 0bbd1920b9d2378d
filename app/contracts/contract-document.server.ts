import { Prisma } from "@prisma/client";
import { prisma } from "~/lib/db.server";
import { isPersonIdNumber, personalView, type Viewer } from "~/registry/privacy";
import type { ContractDocument } from "./contract-document";
import { formatInstant, now, today } from "~/lib/dates";
import { isEquity, sumAreas } from "./contract-form";
import { getContract, scheduleInputOf, type ContractRow } from "./contracts.server";
import { annualRentFen, generateSchedule, type ScheduleResult } from "./schedule";
import { effectiveStatus } from "./status";

type Contract = NonNullable<Awaited<ReturnType<typeof getContract>>>;

/**
 * The printable contract (ContractDocument) from a stored contract, as
 * `viewer` may print it. The model contract asks for the parties' ID
 * numbers, so the copy the village secretary who keeps those households
 * prints for signing carries them whole; every other copy (the township's,
 * the cooperative's, the administrator's) goes round masked. One policy
 * decides, per household: app/registry/privacy.ts.
 */
export async function contractDocument(c: Contract, viewer: Viewer | null): Promise<ContractDocument> {
  const lines = c.plots.map((p) => ({ householdId: p.householdId, area: p.area }));
  const input = await scheduleInputOf(prisma as unknown as Prisma.TransactionClient, c as unknown as ContractRow, lines);
  // An equity share earns the cooperative's dividend: no rent, no schedule (its rent fields may be empty).
  const equity = isEquity(c.form);
  const schedule: ScheduleResult = equity ? { installments: [], periods: [], totalFen: null, missingPriceYears: [] } : generateSchedule(input);
  const firstYear = new Map<number, bigint | null>();
  for (const i of schedule.installments) if (!firstYear.has(i.householdId)) firstYear.set(i.householdId, i.amountFen);
  const groupName = (id: number) => c.village.groups.find((g) => g.id === id)?.name ?? "";
  const heads = new Map(c.parties.map((p) => [p.householdId, p.household.headName]));
  const parties = c.parties.map((p) => ({ p, view: personalView(viewer, p.household) }));
  // A natural person taking the land: their numbers are personal data of the contract's village.
  const transfereeView = personalView(viewer, c);
  const transfereeIsPerson = isPersonIdNumber(c.transfereeCode) || c.transfereeEntityType === "自然人";
  return {
    contractNo: c.contractNo,
    draftNo: c.draftNo,
    status: effectiveStatus(c, today()),
    version: c.version,
    district: "牡丹区",
    township: c.village.township.name,
    village: c.village.name,
    transferors: parties.map(({ p, view }) => ({
      headName: p.household.headName,
      idNumber: view.idNumber(p.household.members[0]?.idNumber ?? ""),
      address: p.household.address,
      phone: view.phone(p.household.phone),
      receivingAccount: view.bankAccount(p.receivingAccount),
      areaMu: sumAreas(c.plots.filter((l) => l.householdId === p.householdId).map((l) => l.area)).toFixed(2),
      firstYearRentFen: firstYear.get(p.householdId) ?? null,
      entrustmentNo: p.entrustmentNo,
      entrustmentDate: p.entrustmentDate,
    })),
    personalNumbers: parties.length > 0 && parties.every(({ view }) => view.full) ? "full" : "masked",
    signedByVillageCommittee: c.parties.some((p) => p.entrustmentNo),
    transferee: c.cooperative
      ? {
          name: c.cooperative.name,
          kind: c.transfereeKind,
          entityType: "农民专业合作社",
          code: c.cooperative.creditCode,
          representative: c.cooperative.legalRepresentative,
          address: c.cooperative.address,
          phone: c.cooperative.phone,
          reviewApprovalNo: c.reviewApprovalNo,
          reviewDate: c.reviewDate,
        }
      : {
          name: c.transfereeName,
          kind: c.transfereeKind,
          entityType: c.transfereeEntityType,
          code: transfereeView.code(c.transfereeCode),
          representative: c.transfereeRep,
          address: c.transfereeAddress,
          phone: transfereeIsPerson ? transfereeView.phone(c.transfereePhone) : c.transfereePhone,
          reviewApprovalNo: c.reviewApprovalNo,
          reviewDate: c.reviewDate,
        },
    plots: c.plots.map((p) => ({
      householdHead: heads.get(p.householdId) ?? "",
      villageGroup: `${c.village.name} ${groupName(p.plot.groupId)}`,
      parcelName: p.plot.name,
      parcelCode: p.plot.parcelCode,
      east: p.plot.east,
      south: p.plot.south,
      west: p.plot.west,
      north: p.plot.north,
      gradeClass: `${p.plot.grade} ${p.plot.landClass}`.trim(),
      areaMu: p.area,
      basicFarmland: p.plot.basicFarmland,
    })),
    totalAreaMu: sumAreas(c.plots.map((p) => p.area)).toFixed(2),
    form: c.form,
    use: c.use,
    useNote: c.useNote,
    startDate: c.startDate,
    endDate: c.endDate,
    handoverDate: c.startDate,
    rent: equity ? { kind: "EQUITY" } : c.rentKind === "CASH" ? { kind: "CASH", yuanPerMu: c.rentPerMu ?? "" } : { kind: "IN_KIND", crop: c.inKindCrop ?? "", jinPerMu: c.inKindJinPerMu ?? "", priceBasis: c.priceBasis },
    step: !equity && c.stepPercent && c.stepEveryYears ? { percent: c.stepPercent, everyYears: c.stepEveryYears } : null,
    payment: input.payment,
    annualRentFen: equity ? null : annualRentFen(input, c.startDate),
    riskDepositFen: c.riskDepositFen,
    penaltyPerTenThousand: c.penaltyPerTenThousand,
    filingWithinDays: 10,
    renewalNoticeDays: 90,
    schedule: { periods: schedule.periods, totalFen: schedule.totalFen, missingPriceYears: schedule.missingPriceYears },
    householdAppendix: equity
      ? []
      : c.parties.map((p) => {
          const own = schedule.installments.filter((i) => i.householdId === p.householdId);
          return {
            headName: p.household.headName,
            areaMu: sumAreas(c.plots.filter((l) => l.householdId === p.householdId).map((l) => l.area)).toFixed(2),
            plots: c.plots.filter((l) => l.householdId === p.householdId).map((l) => ({ parcelName: l.plot.name, parcelCode: l.plot.parcelCode, areaMu: l.area })),
            installments: own.map((i) => ({ periodStart: i.periodStart, periodEnd: i.periodEnd, dueDate: i.dueDate, areaMu: i.areaMu, ratePerMu: i.yearlyRateYuanPerMu, amountFen: i.amountFen })),
            totalFen: own.some((i) => i.amountFen === null) ? null : own.reduce((t, i) => t + i.amountFen!, 0n),
          };
        }),
    signedDate: c.signedDate,
    signingPlace: `${c.village.township.name}${c.village.name}村民委员会`,
    filedDate: c.filedDate,
    generatedAt: formatInstant(now()),
  };
}
