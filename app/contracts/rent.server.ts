import { recordAudit } from "~/auth/audit.server";
import { hasPermission, type Scope } from "~/auth/permissions";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { forbidden, notFound } from "~/lib/http";
import { formatYuan, fromFen, parseYuan, toFen } from "~/lib/money";
import { isValidDate, type FieldErrors } from "~/registry/household-form";
import { maskIdNumber } from "~/registry/masking";
import type { LedgerRow } from "./contract-document";
import { contractScopeWhere, installmentScopeWhere, today } from "./contracts.server";
import { PAYMENT_METHODS, sumAreas } from "./contract-form";
import { agingBucket, daysBetween, latePenaltyFen, type AgingBucket } from "./schedule";
import { effectiveStatus } from "./status";


/** Who may record rent payments: the secretary of the installment's village. */
function canRecordPayment(user: CurrentUser, villageId: number) {
  return hasPermission(user.role, "write:contract") && user.scope.kind === "village" && user.scope.villageId === villageId;
}

/**
 * Records a payment (possibly partial) against one installment. A payment is
 * never more than what is outstanding, and is never edited: a mistake is
 * undone by a reversal (see reversePayment).
 */
export async function recordPayment(
  user: CurrentUser,
  installmentId: number,
  raw: { paidOn: string; amount: string; method: string; receiptNo: string },
): Promise<FieldErrors | null> {
  const errors: FieldErrors = {};
  if (!isValidDate(raw.paidOn)) errors.paidOn = { key: "date.format" };
  const amount = parseYuan(raw.amount);
  if (!amount.ok) errors.amount = { key: amount.error };
  else if (amount.value.isZero()) errors.amount = { key: "payment.amountZero" };
  if (!(PAYMENT_METHODS as readonly string[]).includes(raw.method)) errors.method = { key: "payment.methodRequired" };
  const receiptNo = raw.receiptNo.trim().slice(0, 40);
  return prisma.$transaction(async (tx) => {
    const inst = await tx.rentInstallment.findFirst({
      where: { AND: [{ id: installmentId }, installmentScopeWhere(user.scope)] },
      select: { id: true, contractId: true, householdId: true, townshipId: true, villageId: true, amountFen: true, paidFen: true, cancelledAt: true, contract: { select: { status: true } }, household: { select: { bankAccount: true } } },
    });
    if (!inst) notFound();
    if (!canRecordPayment(user, inst.villageId)) forbidden();
    if (inst.amountFen === null) errors.amount = { key: "payment.noAmount" };
    if (!amount.ok || Object.keys(errors).length) return errors;
    const fen = toFen(amount.value);
    const outstanding = inst.amountFen! - inst.paidFen;
    if (fen > outstanding) return { amount: { key: "payment.amountTooLarge", params: { outstanding: formatYuan(outstanding) } } };
    const p = await tx.rentPayment.create({
      data: {
        installmentId: inst.id,
        contractId: inst.contractId,
        householdId: inst.householdId,
        townshipId: inst.townshipId,
        villageId: inst.villageId,
        paidOn: raw.paidOn,
        amountFen: fen,
        method: raw.method,
        receiptNo,
        account: raw.method === "BANK" ? inst.household.bankAccount : "",
        recordedById: user.id,
      },
      select: { id: true },
    });
    await tx.rentInstallment.update({ where: { id: inst.id }, data: { paidFen: { increment: fen } } });
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "create", entity: "RentPayment", entityId: p.id, townshipId: inst.townshipId, villageId: inst.villageId, after: { installmentId, paidOn: raw.paidOn, amountFen: fen, method: raw.method, receiptNo } },
      tx,
    );
    return null;
  });
}

/** Undoes a payment with a negative row that points at it; the original stays as it was. */
export async function reversePayment(user: CurrentUser, paymentId: number): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const p = await tx.rentPayment.findFirst({ where: { id: paymentId, installment: installmentScopeWhere(user.scope) } });
    if (!p) notFound();
    if (!canRecordPayment(user, p.villageId)) forbidden();
    if (p.reversesId !== null || p.amountFen <= 0n) return { payment: { key: "contract.wrongStatus" } };
    if (await tx.rentPayment.findFirst({ where: { reversesId: p.id }, select: { id: true } })) return { payment: { key: "payment.alreadyReversed" } };
    const r = await tx.rentPayment.create({
      data: { ...p, id: undefined, amountFen: -p.amountFen, reversesId: p.id, paidOn: today(), recordedById: user.id, createdAt: undefined },
      select: { id: true },
    });
    await tx.rentInstallment.update({ where: { id: p.installmentId }, data: { paidFen: { decrement: p.amountFen } } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "RentPayment", entityId: r.id, townshipId: p.townshipId, villageId: p.villageId, after: { reverses: p.id, amountFen: -p.amountFen } }, tx);
    return null;
  });
}

export interface ArrearsLine {
  installmentId: number;
  contractId: number;
  contractLabel: string;
  householdId: number;
  headName: string;
  villageId: number;
  villageName: string;
  dueDate: string;
  outstandingFen: bigint;
  bucket: AgingBucket;
  penaltyFen: bigint;
}

/**
 * Outstanding rent of a scope as of a date, with ageing and the late penalty
 * accrued. The penalty is the model contract's daily rate (N/10,000 per day)
 * applied to each overdue installment's outstanding amount: for yearly rent
 * that amount is the year's rent, as the model contract reads.
 */
export async function arrears(scope: Scope, asOf: string, opts: { includeNotDue?: boolean; villageId?: number; householdId?: number; contractId?: number } = {}) {
  const rows = await prisma.rentInstallment.findMany({
    where: {
      AND: [
        installmentScopeWhere(scope),
        { cancelledAt: null, amountFen: { gt: prisma.rentInstallment.fields.paidFen } },
        opts.includeNotDue ? {} : { dueDate: { lte: asOf } },
        opts.villageId ? { villageId: opts.villageId } : {},
        opts.householdId ? { householdId: opts.householdId } : {},
        opts.contractId ? { contractId: opts.contractId } : {},
      ],
    },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    select: {
      id: true,
      contractId: true,
      householdId: true,
      villageId: true,
      dueDate: true,
      amountFen: true,
      paidFen: true,
      household: { select: { headName: true } },
      contract: { select: { draftNo: true, contractNo: true, penaltyPerTenThousand: true } },
    },
  });
  const villages = new Map((await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  const lines: ArrearsLine[] = rows.map((r) => {
    const outstanding = r.amountFen! - r.paidFen;
    const late = daysBetween(r.dueDate, asOf);
    return {
      installmentId: r.id,
      contractId: r.contractId,
      contractLabel: r.contract.contractNo ?? r.contract.draftNo,
      householdId: r.householdId,
      headName: r.household.headName,
      villageId: r.villageId,
      villageName: villages.get(r.villageId) ?? "",
      dueDate: r.dueDate,
      outstandingFen: outstanding,
      bucket: agingBucket(r.dueDate, outstanding, asOf),
      penaltyFen: late > 0 ? latePenaltyFen(outstanding, r.contract.penaltyPerTenThousand, late) : 0n,
    };
  });
  type Sum = { outstandingFen: bigint; penaltyFen: bigint; buckets: Record<AgingBucket, bigint> };
  const empty = (): Sum => ({ outstandingFen: 0n, penaltyFen: 0n, buckets: { PAID: 0n, NOT_DUE: 0n, DUE: 0n, D1_30: 0n, D31_90: 0n, D90_PLUS: 0n } });
  const add = (s: Sum, l: ArrearsLine) => {
    s.outstandingFen += l.outstandingFen;
    s.penaltyFen += l.penaltyFen;
    s.buckets[l.bucket] += l.outstandingFen;
  };
  const group = <K,>(key: (l: ArrearsLine) => K, label: (l: ArrearsLine) => Record<string, unknown>) => {
    const m = new Map<K, Sum & Record<string, unknown>>();
    for (const l of lines) {
      const k = key(l);
      if (!m.has(k)) m.set(k, { ...empty(), ...label(l) });
      add(m.get(k)!, l);
    }
    return [...m.values()].sort((a, b) => (b.outstandingFen > a.outstandingFen ? 1 : b.outstandingFen < a.outstandingFen ? -1 : 0));
  };
  const total = empty();
  for (const l of lines) add(total, l);
  return {
    asOf,
    lines,
    total,
    byVillage: group((l) => l.villageId, (l) => ({ villageId: l.villageId, villageName: l.villageName })),
    byHousehold: group((l) => l.householdId, (l) => ({ householdId: l.householdId, headName: l.headName, villageName: l.villageName })),
    byContract: group((l) => l.contractId, (l) => ({ contractId: l.contractId, contractLabel: l.contractLabel, villageName: l.villageName })),
  };
}

/** Money as strings for loaders: JSON has no bigint. */
export function yuan(fen: bigint | null | undefined): string {
  return fen === null || fen === undefined ? "" : fromFen(fen).toFixed(2);
}

/** The transfer ledger (流转台账) rows of a scope, masked for lists and exports. */
export async function ledgerRows(scope: Scope): Promise<LedgerRow[]> {
  const asOf = today();
  const contracts = await prisma.transferContract.findMany({
    where: { AND: [contractScopeWhere(scope), { status: { notIn: ["DRAFT", "SUPERSEDED"] } }] },
    orderBy: [{ villageId: "asc" }, { startDate: "asc" }, { id: "asc" }],
    select: {
      id: true,
      draftNo: true,
      contractNo: true,
      villageId: true,
      status: true,
      transfereeKind: true,
      transfereeName: true,
      transfereeCode: true,
      cooperative: { select: { name: true, creditCode: true } },
      form: true,
      use: true,
      useNote: true,
      startDate: true,
      endDate: true,
      rentKind: true,
      rentPerMu: true,
      inKindCrop: true,
      inKindJinPerMu: true,
      stepPercent: true,
      stepEveryYears: true,
      paymentTiming: true,
      paymentMonthDay: true,
      riskDepositFen: true,
      reviewApprovalNo: true,
      signedDate: true,
      filedDate: true,
      terminatedOn: true,
      parties: { select: { household: { select: { id: true, headName: true, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true } } } } } },
      plots: { select: { area: true, householdId: true, plot: { select: { parcelCode: true, name: true, groupId: true } } } },
    },
  });
  const villages = await prisma.village.findMany({ where: { id: { in: [...new Set(contracts.map((c) => c.villageId))] } }, select: { id: true, name: true, groups: { select: { id: true, name: true } } } });
  const vmap = new Map(villages.map((v) => [v.id, v]));
  const rows: LedgerRow[] = [];
  for (const c of contracts) {
    const v = vmap.get(c.villageId);
    const groupName = (id: number) => v?.groups.find((g) => g.id === id)?.name ?? "";
    for (const p of c.parties) {
      const lines = c.plots.filter((l) => l.householdId === p.household.id);
      const area = sumAreas(lines.map((l) => l.area));
      const annual = c.rentKind === "CASH" && c.rentPerMu ? area.times(c.rentPerMu).toDecimalPlaces(2) : null;
      rows.push({
        no: rows.length + 1,
        contractNo: c.contractNo ?? c.draftNo,
        villageGroup: `${v?.name ?? ""} ${[...new Set(lines.map((l) => groupName(l.plot.groupId)))].join("、")}`.trim(),
        householdHead: p.household.headName,
        idNumberMasked: maskIdNumber(p.household.members[0]?.idNumber ?? ""),
        parcelCodes: lines.map((l) => l.plot.parcelCode),
        parcelNames: lines.map((l) => l.plot.name).join("、"),
        areaMu: area.toFixed(2),
        transferee: c.cooperative?.name ?? c.transfereeName,
        transfereeKind: c.transfereeKind,
        transfereeCode: c.cooperative?.creditCode ?? (c.transfereeCode.length === 18 && /^\d{17}[\dX]$/.test(c.transfereeCode) ? maskIdNumber(c.transfereeCode) : c.transfereeCode),
        form: c.form,
        use: c.use,
        useNote: c.useNote,
        startDate: c.startDate,
        endDate: c.endDate,
        rentStandard: c.rentKind === "CASH" ? { kind: "CASH", yuanPerMu: c.rentPerMu ?? "" } : { kind: "IN_KIND", crop: c.inKindCrop ?? "", jinPerMu: c.inKindJinPerMu ?? "" },
        annualRentYuan: annual ? annual.toFixed(2) : null,
        paymentTiming: c.paymentTiming,
        paymentMonthDay: c.paymentMonthDay,
        step: c.stepPercent && c.stepEveryYears ? { percent: c.stepPercent, everyYears: c.stepEveryYears } : null,
        riskDepositYuan: c.riskDepositFen !== null ? fromFen(c.riskDepositFen).toFixed(2) : null,
        reviewNo: c.reviewApprovalNo,
        signedDate: c.signedDate,
        filedDate: c.filedDate,
        status: effectiveStatus(c, asOf),
        notes: c.terminatedOn ? `terminated ${c.terminatedOn}` : "",
      });
    }
  }
  return rows;
}

/** Transferred area by village, by form and by transferee, for contracts holding land today. */
export async function townshipSummary(scope: Scope, asOf: string) {
  const lines = await prisma.contractPlot.findMany({
    where: { contract: { AND: [contractScopeWhere(scope), { status: { in: ["FILED", "SIGNED"] }, startDate: { lte: asOf }, endDate: { gte: asOf } }] } },
    select: { area: true, contract: { select: { id: true, villageId: true, form: true, transfereeName: true, cooperative: { select: { name: true } } } } },
  });
  const villages = new Map((await prisma.village.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.contract.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  const group = (key: (l: (typeof lines)[number]) => string) => {
    const m = new Map<string, { label: string; areas: string[]; contracts: Set<number> }>();
    for (const l of lines) {
      const k = key(l);
      const g = m.get(k) ?? { label: k, areas: [], contracts: new Set<number>() };
      g.areas.push(l.area);
      g.contracts.add(l.contract.id);
      m.set(k, g);
    }
    return [...m.values()]
      .map((g) => ({ label: g.label, area: sumAreas(g.areas), contracts: g.contracts.size }))
      .sort((a, b) => b.area.comparedTo(a.area))
      .map((g) => ({ ...g, area: g.area.toFixed(2) }));
  };
  return {
    totalArea: sumAreas(lines.map((l) => l.area)).toFixed(2),
    activeContracts: new Set(lines.map((l) => l.contract.id)).size,
    byVillage: group((l) => villages.get(l.contract.villageId) ?? ""),
    byForm: group((l) => l.contract.form),
    byTransferee: group((l) => l.contract.cooperative?.name ?? l.contract.transfereeName),
  };
}
