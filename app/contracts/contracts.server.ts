import { Prisma } from "@prisma/client";
import { changedFields, recordAudit } from "~/auth/audit.server";
import { hasPermission, ownPlace, type Scope } from "~/auth/permissions";
import type { CurrentUser } from "~/auth/session.server";
import { placeScopeWhere, requireCan, townshipScopeWhere } from "~/auth/permissions.server";
import { addDays, now, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/http";
import { hasLikeWildcards, literalPieces } from "~/lib/search-text";
import { containsText } from "~/lib/text-match.server";
import type { FieldErrors } from "~/lib/forms";
import { checkLinesAgainstPlots, sumAreas, type ContractInput } from "./contract-form";
import { generateSchedule, type ScheduleInput } from "./schedule";
import { HOLDING_STATUSES, holdsUntil, periodsOverlap } from "./status";
import { contractIdsHolding } from "./contracts.queries.server";
import { suggestFilingNumber } from "./filing.server";

type Tx = Prisma.TransactionClient;
type VillageScope = Extract<Scope, { kind: "village" }>;

/** Contracts a scope may read: its township or village, or a cooperative's own contracts. */
export function contractScopeWhere(scope: Scope): Prisma.TransferContractWhereInput {
  return placeScopeWhere(scope, (s) => ({ cooperativeId: s.cooperativeId }));
}

/** Installments and payments are scoped the same way, through their own place columns. */
export function installmentScopeWhere(scope: Scope): Prisma.RentInstallmentWhereInput {
  return placeScopeWhere(scope, (s) => ({ contract: { cooperativeId: s.cooperativeId } }));
}

/** The plots of a village with what is already transferred of each, for the contract form. */
export async function villagePlots(villageId: number, excludeContractId: number | null = null) {
  const plots = await prisma.contractedPlot.findMany({
    where: { villageId },
    orderBy: [{ householdId: "asc" }, { parcelCode: "asc" }],
    select: {
      id: true,
      parcelCode: true,
      name: true,
      contractArea: true,
      contractEnd: true,
      basicFarmland: true,
      householdId: true,
      household: { select: { headName: true, code: true } },
    },
  });
  return plots.map((p) => ({ ...p, excludeContractId }));
}

/** What other contracts already hold of each plot during the period. */
async function overlappingHoldings(tx: Tx, plotIds: number[], period: { start: string; end: string }, excludeIds: number[]) {
  const lines = await tx.contractPlot.findMany({
    where: { plotId: { in: plotIds }, contract: { status: { in: [...HOLDING_STATUSES] }, id: { notIn: excludeIds } } },
    select: { plotId: true, area: true, contract: { select: { draftNo: true, contractNo: true, startDate: true, endDate: true, terminatedOn: true } } },
  });
  const byPlot = new Map<number, { contract: string; area: string }[]>();
  for (const l of lines) {
    const c = l.contract;
    if (!periodsOverlap(period, { start: c.startDate, end: holdsUntil(c) })) continue;
    const list = byPlot.get(l.plotId) ?? [];
    list.push({ contract: c.contractNo ?? c.draftNo, area: l.area });
    byPlot.set(l.plotId, list);
  }
  return byPlot;
}

/**
 * Every check of a contract that needs the database: the transferee
 * cooperative, the plots (of this village, within their contract term, with
 * free area for the period, no orchard on basic farmland) and entrustments.
 */
async function checkContract(tx: Tx, villageId: number, townshipId: number, input: ContractInput, excludeIds: number[]): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.transfereeKind === "COOPERATIVE") {
    const coop = await tx.cooperative.findFirst({ where: { id: input.cooperativeId!, townshipId }, select: { id: true } });
    if (!coop) errors.cooperativeId = { key: "contract.cooperativeRequired" };
  }
  const plotIds = input.lines.map((l) => l.plotId);
  const plots = await tx.contractedPlot.findMany({
    where: { id: { in: plotIds }, villageId },
    select: { id: true, contractEnd: true, contractArea: true, basicFarmland: true, householdId: true },
  });
  const holdings = await overlappingHoldings(tx, plotIds, { start: input.startDate, end: input.endDate }, excludeIds);
  const map = new Map(plots.map((p) => [p.id, { ...p, overlapping: holdings.get(p.id) ?? [] }]));
  Object.assign(errors, checkLinesAgainstPlots(input, map));
  if (input.villageSigns) {
    for (const hid of new Set(plots.map((p) => p.householdId))) {
      if (!input.entrustments[hid]?.no) errors[`entrust.${hid}.no`] = { key: "contract.entrustmentRequired" };
    }
  }
  return errors;
}

export function contractData(input: ContractInput) {
  return {
    transfereeKind: input.transfereeKind,
    cooperativeId: input.cooperativeId,
    transfereeName: input.transfereeName,
    transfereeEntityType: input.transfereeEntityType,
    transfereeCode: input.transfereeCode,
    transfereeRep: input.transfereeRep,
    transfereeAddress: input.transfereeAddress,
    transfereePhone: input.transfereePhone,
    reviewApprovalNo: input.reviewApprovalNo,
    reviewDate: input.reviewDate,
    form: input.form,
    use: input.use,
    useNote: input.useNote,
    startDate: input.startDate,
    endDate: input.endDate,
    rentKind: input.rentKind,
    rentPerMu: input.rentPerMu,
    inKindCrop: input.inKindCrop,
    inKindJinPerMu: input.inKindJinPerMu,
    priceBasis: input.priceBasis,
    stepPercent: input.stepPercent,
    stepEveryYears: input.stepEveryYears,
    paymentTiming: input.paymentTiming,
    paymentMonthDay: input.paymentMonthDay,
    instalmentsPerYear: input.instalmentsPerYear,
    riskDepositFen: input.riskDepositFen,
    penaltyPerTenThousand: input.penaltyPerTenThousand,
  };
}

export async function writeLines(tx: Tx, contractId: number, input: ContractInput) {
  const plots = await tx.contractedPlot.findMany({ where: { id: { in: input.lines.map((l) => l.plotId) } }, select: { id: true, householdId: true } });
  const owner = new Map(plots.map((p) => [p.id, p.householdId]));
  await tx.contractPlot.deleteMany({ where: { contractId } });
  await tx.contractParty.deleteMany({ where: { contractId } });
  await tx.contractPlot.createMany({ data: input.lines.map((l) => ({ contractId, plotId: l.plotId, householdId: owner.get(l.plotId)!, area: l.area })) });
  const households = [...new Set(plots.map((p) => p.householdId))];
  const accounts = await tx.household.findMany({ where: { id: { in: households } }, select: { id: true, bankAccount: true } });
  await tx.contractParty.createMany({
    data: accounts.map((h) => ({
      contractId,
      householdId: h.id,
      entrustmentNo: input.villageSigns ? (input.entrustments[h.id]?.no ?? "") : "",
      entrustmentDate: input.villageSigns ? (input.entrustments[h.id]?.date ?? null) : null,
      receivingAccount: h.bankAccount,
    })),
  });
}

export async function nextDraftNo(tx: Tx, villageId: number, year: string): Promise<string> {
  const prefix = `D${villageId}-${year}-`;
  const last = await tx.transferContract.findFirst({ where: { draftNo: { startsWith: prefix } }, orderBy: { draftNo: "desc" }, select: { draftNo: true } });
  const n = last ? Number(last.draftNo.slice(prefix.length)) + 1 : 1;
  return prefix + String(n).padStart(4, "0");
}

export type SaveResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** A new draft, or a new version of an existing contract (an amendment or a renewal). */
export async function createContract(
  user: CurrentUser,
  input: ContractInput,
  origin: { kind: "amend" | "renew"; id: number; changeNote: string } | null = null,
): Promise<SaveResult> {
  // A secretary's new contract lies in their own village: write:contract holds nowhere else.
  requireCan(user, "write:contract", ownPlace(user.scope));
  const { villageId, townshipId } = user.scope as VillageScope;
  return prisma.$transaction(async (tx) => {
    let source: { id: number; version: number } | null = null;
    if (origin) {
      source = await tx.transferContract.findFirst({ where: { id: origin.id, villageId }, select: { id: true, version: true } });
      if (!source) notFound();
    }
    // An amendment replaces its source, so the source's own holding does not count against it.
    const errors = await checkContract(tx, villageId, townshipId, input, origin?.kind === "amend" ? [origin.id] : []);
    if (origin && !origin.changeNote.trim()) errors.changeNote = { key: "contract.changeNoteRequired" };
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const c = await tx.transferContract.create({
      data: {
        ...contractData(input),
        townshipId,
        villageId,
        draftNo: await nextDraftNo(tx, villageId, input.startDate.slice(0, 4)),
        createdById: user.id,
        amendsId: origin?.kind === "amend" ? origin.id : null,
        renewsId: origin?.kind === "renew" ? origin.id : null,
        version: origin?.kind === "amend" ? source!.version + 1 : 1,
        changeNote: origin?.changeNote.trim() ?? "",
      },
      select: { id: true },
    });
    await writeLines(tx, c.id, input);
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "create", entity: "TransferContract", entityId: c.id, townshipId, villageId, after: { ...input, origin } },
      tx,
    );
    return { ok: true as const, id: c.id };
  });
}

/** Drafts may be edited in place; anything signed is changed by a new version. */
export async function updateDraft(user: CurrentUser, id: number, input: ContractInput): Promise<SaveResult> {
  return prisma.$transaction(async (tx) => {
    const c = await tx.transferContract.findFirst({ where: { AND: [{ id }, contractScopeWhere(user.scope)] } });
    if (!c) notFound();
    requireCan(user, "write:contract", c);
    if (c.status !== "DRAFT") return { ok: false as const, errors: { form: { key: "contract.notDraft" } } };
    const errors = await checkContract(tx, c.villageId, c.townshipId, input, [id, ...(c.amendsId ? [c.amendsId] : [])]);
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const data = contractData(input);
    await tx.transferContract.update({ where: { id }, data });
    await writeLines(tx, id, input);
    const diff = changedFields(c as unknown as Record<string, unknown>, data);
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "update", entity: "TransferContract", entityId: id, townshipId: c.townshipId, villageId: c.villageId, before: diff.before, after: { ...diff.after, lines: input.lines } },
      tx,
    );
    return { ok: true as const, id };
  });
}

export const contractSelect = {
  id: true,
  townshipId: true,
  villageId: true,
  draftNo: true,
  contractNo: true,
  transfereeKind: true,
  cooperativeId: true,
  cooperative: { select: { name: true, creditCode: true, legalRepresentative: true, address: true, phone: true } },
  transfereeName: true,
  transfereeEntityType: true,
  transfereeCode: true,
  transfereeRep: true,
  transfereeAddress: true,
  transfereePhone: true,
  reviewApprovalNo: true,
  reviewDate: true,
  form: true,
  use: true,
  useNote: true,
  startDate: true,
  endDate: true,
  rentKind: true,
  rentPerMu: true,
  inKindCrop: true,
  inKindJinPerMu: true,
  priceBasis: true,
  stepPercent: true,
  stepEveryYears: true,
  paymentTiming: true,
  paymentMonthDay: true,
  instalmentsPerYear: true,
  riskDepositFen: true,
  penaltyPerTenThousand: true,
  status: true,
  signedDate: true,
  filedDate: true,
  terminatedOn: true,
  terminationReason: true,
  renewsId: true,
  amendsId: true,
  version: true,
  changeNote: true,
  createdAt: true,
} as const;

export type ContractRow = Prisma.TransferContractGetPayload<{ select: typeof contractSelect }>;

/** Builds the schedule input from a stored contract, its lines and the reference prices. */
export async function scheduleInputOf(tx: Tx, c: ContractRow, lines: { householdId: number; area: string }[], terminatedOn: string | null = c.terminatedOn): Promise<ScheduleInput> {
  const byHousehold = new Map<number, string[]>();
  for (const l of lines) byHousehold.set(l.householdId, [...(byHousehold.get(l.householdId) ?? []), l.area]);
  const parties = [...byHousehold.entries()].map(([householdId, areas]) => ({ householdId, areaMu: sumAreas(areas).toFixed(2) }));
  let rent: ScheduleInput["rent"];
  if (c.rentKind === "IN_KIND") {
    const prices = await tx.referencePrice.findMany({ where: { townshipId: c.townshipId, crop: c.inKindCrop!, basis: c.priceBasis! }, select: { year: true, price: true } });
    rent = { kind: "IN_KIND", crop: c.inKindCrop as "WHEAT" | "CORN", jinPerMu: c.inKindJinPerMu!, prices: Object.fromEntries(prices.map((p) => [p.year, p.price])) };
  } else rent = { kind: "CASH", yuanPerMu: c.rentPerMu! };
  const payment: ScheduleInput["payment"] =
    c.paymentTiming === "YEARLY" ? { timing: "YEARLY", monthDay: c.paymentMonthDay ?? "12-31" }
    : c.paymentTiming === "INSTALMENTS" ? { timing: "INSTALMENTS", perYear: (c.instalmentsPerYear ?? 2) as 2 | 3 | 4 | 12 }
    : { timing: c.paymentTiming as "ONCE" | "ADVANCE" };
  return {
    startDate: c.startDate,
    endDate: c.endDate,
    rent,
    step: c.stepPercent && c.stepEveryYears ? { percent: c.stepPercent, everyYears: c.stepEveryYears } : null,
    payment,
    terminatedOn,
    parties,
  };
}

/**
 * Writes the contract's schedule: new installments are created, existing ones
 * (matched by household and sequence) get their new period and amount, and
 * installments the schedule no longer has (after an early termination) are
 * cancelled, never deleted, so their payments keep pointing somewhere.
 */
export async function syncSchedule(tx: Tx, c: ContractRow) {
  const existing = await tx.rentInstallment.findMany({ where: { contractId: c.id }, select: { id: true, householdId: true, seq: true } });
  if (c.form === "EQUITY") {
    // An equity share (入股) earns the cooperative's dividend (guarantee + surplus), never rent.
    await tx.rentInstallment.updateMany({ where: { contractId: c.id, cancelledAt: null }, data: { cancelledAt: now() } });
    return;
  }
  const lines = await tx.contractPlot.findMany({ where: { contractId: c.id }, select: { householdId: true, area: true } });
  const schedule = generateSchedule(await scheduleInputOf(tx, c, lines));
  const byKey = new Map(existing.map((e) => [`${e.householdId}:${e.seq}`, e.id]));
  const keep = new Set<number>();
  for (const i of schedule.installments) {
    const data = { periodStart: i.periodStart, periodEnd: i.periodEnd, dueDate: i.dueDate, area: i.areaMu, rateNote: i.rateNote, amountFen: i.amountFen, cancelledAt: null };
    const id = byKey.get(`${i.householdId}:${i.seq}`);
    if (id) {
      keep.add(id);
      await tx.rentInstallment.update({ where: { id }, data });
    } else {
      await tx.rentInstallment.create({ data: { ...data, contractId: c.id, householdId: i.householdId, townshipId: c.townshipId, villageId: c.villageId, seq: i.seq } });
    }
  }
  const drop = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (drop.length) await tx.rentInstallment.updateMany({ where: { id: { in: drop } }, data: { cancelledAt: now() } });
}

async function requireContract(tx: Tx, user: CurrentUser, id: number) {
  const c = await tx.transferContract.findFirst({ where: { AND: [{ id }, contractScopeWhere(user.scope)] }, select: contractSelect });
  if (!c) notFound();
  return c;
}

/** DRAFT → SIGNED: the schedule is generated from the signed terms. */
export async function signContract(user: CurrentUser, id: number, signedDate: string): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const c = await requireContract(tx, user, id);
    requireCan(user, "write:contract", c);
    if (c.status !== "DRAFT") return { signedDate: { key: "contract.wrongStatus" } };
    // Signing re-checks the land: another contract may have taken it since the draft.
    const lines = await tx.contractPlot.findMany({ where: { contractId: id }, select: { plotId: true, area: true } });
    const input = { endDate: c.endDate, use: c.use, lines: lines.map((l, row) => ({ row, plotId: l.plotId, area: l.area })) };
    const plots = await tx.contractedPlot.findMany({ where: { id: { in: lines.map((l) => l.plotId) } }, select: { id: true, contractEnd: true, contractArea: true, basicFarmland: true } });
    const holdings = await overlappingHoldings(tx, lines.map((l) => l.plotId), { start: c.startDate, end: c.endDate }, [id, ...(c.amendsId ? [c.amendsId] : [])]);
    const errors = checkLinesAgainstPlots(input, new Map(plots.map((p) => [p.id, { ...p, overlapping: holdings.get(p.id) ?? [] }])));
    if (Object.keys(errors).length) return { signedDate: Object.values(errors)[0]! };
    await tx.transferContract.update({ where: { id }, data: { status: "SIGNED", signedDate } });
    await syncSchedule(tx, { ...c, status: "SIGNED" });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "TransferContract", entityId: id, townshipId: c.townshipId, villageId: c.villageId, before: { status: c.status }, after: { status: "SIGNED", signedDate } }, tx);
    return null;
  });
}

/**
 * SIGNED → FILED by a township official with the township's contract number.
 * Filing an amendment supersedes the version it amends and cancels that
 * version's unpaid installments from the amendment's start; filing a
 * renewal marks the old contract renewed.
 */
export async function fileContract(user: CurrentUser, id: number, contractNo: string, filedDate: string): Promise<FieldErrors | null> {
  try {
    return await fileContractOnce(user, id, contractNo, filedDate);
  } catch (e) {
    // Two officials filing at once with the same number: the unique index lets one through; the other is told, nothing saved.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return { contractNo: { key: "contract.contractNoTaken", params: { next: await suggestFilingNumber(id, filedDate) } } };
    throw e;
  }
}

async function fileContractOnce(user: CurrentUser, id: number, contractNo: string, filedDate: string): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const c = await requireContract(tx, user, id);
    requireCan(user, "file:contract", c);
    if (c.status !== "SIGNED") return { contractNo: { key: "contract.wrongStatus" } };
    const no = contractNo.trim();
    if (!no || no.length > 40) return { contractNo: { key: "contract.contractNoRequired" } };
    if (await tx.transferContract.findFirst({ where: { contractNo: no }, select: { id: true } })) return { contractNo: { key: "contract.contractNoTaken", params: { next: await suggestFilingNumber(id, filedDate, tx) } } };
    await tx.transferContract.update({ where: { id }, data: { status: "FILED", contractNo: no, filedDate, filedById: user.id } });
    if (c.amendsId) {
      await tx.transferContract.update({ where: { id: c.amendsId }, data: { status: "SUPERSEDED" } });
      await tx.rentInstallment.updateMany({ where: { contractId: c.amendsId, dueDate: { gte: c.startDate }, paidFen: 0, cancelledAt: null }, data: { cancelledAt: now() } });
    }
    if (c.renewsId) await tx.transferContract.update({ where: { id: c.renewsId }, data: { status: "RENEWED" } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "TransferContract", entityId: id, townshipId: c.townshipId, villageId: c.villageId, before: { status: c.status }, after: { status: "FILED", contractNo: no, filedDate } }, tx);
    return null;
  });
}

/**
 * Early termination: the schedule is cut at the date, with the reason (an
 * Art. 42 code) on the contract and the secretary's explanation in the audit trail.
 */
export async function terminateContract(user: CurrentUser, id: number, date: string, reason: string, note = ""): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx): Promise<FieldErrors | null> => {
    const c = await requireContract(tx, user, id);
    requireCan(user, "write:contract", c);
    if (!["SIGNED", "FILED"].includes(c.status)) return { terminatedOn: { key: "contract.wrongStatus" } };
    if (date < c.startDate || date > c.endDate) return { terminatedOn: { key: "contract.terminationDateRange" } };
    if (!reason) return { terminationReason: { key: "contract.terminationReasonRequired" } };
    await tx.transferContract.update({ where: { id }, data: { status: "TERMINATED", terminatedOn: date, terminationReason: reason } });
    await syncSchedule(tx, { ...c, status: "TERMINATED", terminatedOn: date, terminationReason: reason });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "TransferContract", entityId: id, townshipId: c.townshipId, villageId: c.villageId, before: { status: c.status }, after: { status: "TERMINATED", terminatedOn: date, terminationReason: reason, reason: note.trim().slice(0, 200) } }, tx);
    return null;
  });
}

/** One contract with everything its page shows, inside the scope. */
export async function getContract(user: CurrentUser, id: number) {
  const c = await prisma.transferContract.findFirst({
    where: { AND: [{ id }, contractScopeWhere(user.scope)] },
    select: {
      ...contractSelect,
      parties: { select: { householdId: true, entrustmentNo: true, entrustmentDate: true, receivingAccount: true, household: { select: { townshipId: true, villageId: true, headName: true, code: true, address: true, phone: true, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true } } } } } },
      plots: { select: { plotId: true, householdId: true, area: true, plot: { select: { parcelCode: true, name: true, east: true, south: true, west: true, north: true, grade: true, landClass: true, contractArea: true, basicFarmland: true, contractEnd: true, groupId: true } } } },
      installments: {
        orderBy: [{ dueDate: "asc" }, { householdId: "asc" }],
        select: {
          id: true,
          householdId: true,
          seq: true,
          periodStart: true,
          periodEnd: true,
          dueDate: true,
          area: true,
          rateNote: true,
          amountFen: true,
          paidFen: true,
          cancelledAt: true,
          payments: { orderBy: { id: "asc" }, select: { id: true, paidOn: true, amountFen: true, method: true, receiptNo: true, reversesId: true, reason: true, createdAt: true } },
        },
      },
    },
  });
  if (!c) return null;
  const village = await prisma.village.findUniqueOrThrow({ where: { id: c.villageId }, select: { name: true, township: { select: { name: true } }, groups: { select: { id: true, name: true } } } });
  return { ...c, village };
}

export interface ContractFilters {
  status?: string;
  form?: string;
  q?: string;
  endingWithinDays?: number;
  page?: number;
}

/**
 * The contract list's filters as a `where`; the list page and its Excel
 * export share it (through contractList). A search with "%" or "_" in it is
 * only narrowed here to the rows holding each literal piece (a superset:
 * `contains` is SQL LIKE, where those characters are wildcards);
 * contractList keeps the exact matches.
 */
export function contractListWhere(scope: Scope, f: Omit<ContractFilters, "page">, now = today()): Prisma.TransferContractWhereInput {
  const and: Prisma.TransferContractWhereInput[] = [contractScopeWhere(scope)];
  if (f.status === "ACTIVE") and.push({ status: "FILED", startDate: { lte: now }, endDate: { gte: now } });
  else if (f.status === "EXPIRED") and.push({ status: "FILED", endDate: { lt: now } });
  else if (f.status) and.push({ status: f.status });
  if (f.form) and.push({ form: f.form });
  if (f.endingWithinDays) {
    const until = addDays(now, f.endingWithinDays);
    and.push({ status: { in: ["SIGNED", "FILED"] }, endDate: { gte: now, lte: until } });
  }
  if (f.q) {
    const contains = (p: string): Prisma.TransferContractWhereInput => ({
      OR: [
        { draftNo: containsText(p) },
        { contractNo: containsText(p) },
        { transfereeName: containsText(p) },
        { cooperative: { name: containsText(p) } },
        { parties: { some: { household: { headName: containsText(p) } } } },
      ],
    });
    and.push(...(hasLikeWildcards(f.q) ? literalPieces(f.q) : [f.q]).map(contains));
  }
  return { AND: and };
}

/** Ids per query: within the bind-variable limit of Prisma's SQLite adapter. */
const ID_CHUNK = 500;

function idChunks(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(ids.slice(i, i + ID_CHUNK));
  return out;
}

/**
 * The rows of the contract list in its order (latest end first, or soonest
 * with "ending soon"), one page or all, and how many there are. A search is
 * literal: with "%" or "_" in it the exact matches are found in SQL
 * (contractIdsHolding) inside the scope and the list's filters applied to them in chunks, so that
 * the count and the pages stay exact however many match.
 */
export async function contractList(scope: Scope, f: Omit<ContractFilters, "page">, page: { skip: number; take: number } | null, now = today()) {
  const select = { ...contractListSelect, signedDate: true, filedDate: true } as const;
  const where = contractListWhere(scope, f, now);
  const soonest = !!f.endingWithinDays;
  if (!f.q || !hasLikeWildcards(f.q)) {
    const [rows, total] = await Promise.all([
      prisma.transferContract.findMany({ where, orderBy: [{ endDate: soonest ? "asc" : "desc" }, { id: "desc" }], ...(page ?? {}), select }),
      prisma.transferContract.count({ where }),
    ]);
    return { rows, total };
  }
  const keys: { id: number; endDate: string }[] = [];
  for (const chunk of idChunks(await contractIdsHolding(scope, f.q))) {
    keys.push(...(await prisma.transferContract.findMany({ where: { AND: [where, { id: { in: chunk } }] }, select: { id: true, endDate: true } })));
  }
  keys.sort((a, b) => (a.endDate === b.endDate ? b.id - a.id : (a.endDate < b.endDate) === soonest ? -1 : 1));
  const wanted = (page ? keys.slice(page.skip, page.skip + page.take) : keys).map((k) => k.id);
  const rows: Prisma.TransferContractGetPayload<{ select: typeof select }>[] = [];
  for (const chunk of idChunks(wanted)) {
    const found = new Map((await prisma.transferContract.findMany({ where: { id: { in: chunk } }, select })).map((r) => [r.id, r]));
    for (const id of chunk) rows.push(found.get(id)!);
  }
  return { rows, total: keys.length };
}

/** What a row of the contract list (and its export) shows. */
export const contractListSelect = {
  id: true,
  draftNo: true,
  contractNo: true,
  status: true,
  form: true,
  use: true,
  startDate: true,
  endDate: true,
  rentKind: true,
  rentPerMu: true,
  inKindCrop: true,
  inKindJinPerMu: true,
  transfereeName: true,
  cooperative: { select: { name: true } },
  villageId: true,
  parties: { select: { household: { select: { headName: true } } } },
  plots: { select: { area: true } },
} satisfies Prisma.TransferContractSelect;

/** The contract list of a scope: latest end first, with the transferors and total area. */
export async function listContracts(scope: Scope, f: ContractFilters) {
  const page = Math.max(1, f.page ?? 1);
  const { rows, total } = await contractList(scope, f, { skip: (page - 1) * 50, take: 50 });
  const villages = new Map((await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / 50)),
    rows: rows.map((r) => ({
      ...r,
      villageName: villages.get(r.villageId) ?? "",
      transferee: r.cooperative?.name ?? r.transfereeName,
      transferors: r.parties.map((p) => p.household.headName),
      area: sumAreas(r.plots.map((p) => p.area)).toFixed(2),
    })),
  };
}

/**
 * What the contract form offers a secretary: the township's cooperatives.
 * Plots are searched (plot-picker.server.ts), never listed whole: a village has hundreds.
 */
export async function contractFormChoices(user: CurrentUser) {
  requireCan(user, "write:contract", ownPlace(user.scope));
  const { townshipId } = user.scope as VillageScope;
  const cooperatives = await prisma.cooperative.findMany({ where: { townshipId }, select: { id: true, name: true }, orderBy: { id: "asc" } });
  return { cooperatives };
}

/** Reference prices of a township for rent in kind, newest year first. */
export async function referencePrices(townshipId: number) {
  return prisma.referencePrice.findMany({ where: { townshipId }, orderBy: [{ year: "desc" }, { crop: "asc" }, { basis: "asc" }] });
}

/** The townships whose reference prices a user reads: their own, or every one for an administrator. */
export async function priceTownships(scope: Scope) {
  return prisma.township.findMany({ where: townshipScopeWhere(scope), select: { id: true, name: true }, orderBy: { id: "asc" } });
}

/**
 * The township whose prices the user may set: a township official's own; an
 * administrator names one (404 when it does not exist). Secretaries and
 * accountants only read them: a price settles rent in every village.
 */
export async function priceTownshipFor(user: CurrentUser, requested: number | null): Promise<number> {
  if (!hasPermission(user.role, "set:reference-price")) forbidden();
  // A township's user sets their own township's prices, whatever the form names.
  const id = user.scope.kind === "township" ? user.scope.townshipId : requested;
  if (!id) notFound();
  const t = await prisma.township.findUnique({ where: { id }, select: { id: true } });
  if (!t) notFound();
  requireCan(user, "set:reference-price", { townshipId: t.id });
  return t.id;
}

/**
 * Records a year's reference price and settles every in-kind installment of
 * the township that was waiting for it. A price, once recorded, is not
 * overwritten: rent already settled at it must stay explainable.
 */
export async function recordReferencePrice(
  user: CurrentUser,
  input: { crop: string; year: number; basis: string; price: string; source: string; townshipId?: number },
): Promise<FieldErrors | null> {
  const { townshipId: requested, ...entry } = input;
  const townshipId = await priceTownshipFor(user, requested ?? null);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.referencePrice.findUnique({ where: { townshipId_crop_year_basis: { townshipId, crop: entry.crop, year: entry.year, basis: entry.basis } } });
    if (existing) return { year: { key: "price.exists", params: { price: existing.price } } };
    await tx.referencePrice.create({ data: { ...entry, townshipId, recordedById: user.id } });
    const waiting = await tx.transferContract.findMany({
      where: { townshipId, rentKind: "IN_KIND", form: { not: "EQUITY" }, inKindCrop: entry.crop, priceBasis: entry.basis, status: { in: ["SIGNED", "FILED", "TERMINATED"] }, installments: { some: { amountFen: null, cancelledAt: null } } },
      select: contractSelect,
    });
    for (const c of waiting) await syncSchedule(tx, c);
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "ReferencePrice", entityId: `${entry.crop}-${entry.year}-${entry.basis}`, townshipId, after: { ...entry, settledContracts: waiting.length } }, tx);
    return null;
  });
}
