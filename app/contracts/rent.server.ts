import { recordAudit } from "~/auth/audit.server";
import type { Scope } from "~/auth/permissions";
import { placeScopeWhere, requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { Prisma } from "@prisma/client";
import { isValidDate, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { formatYuan, fromFen, parseYuan, toFen } from "~/lib/money";
import type { FieldErrors } from "~/lib/forms";
import { MASKED_VIEW } from "~/registry/privacy";
import type { LedgerRow } from "./contract-document";
import { contractScopeWhere, installmentScopeWhere } from "./contracts.server";
import { isEquity, PAYMENT_METHODS, sumAreas } from "./contract-form";
import { accruedPenaltyFen, outstandingPenaltyFen, type PenaltyPayment } from "./penalty";
import { agingBucket, type AgingBucket } from "./schedule";
import { latePaidInstallmentIds } from "./rent.queries.server";
import { effectiveStatus } from "./status";


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
  const now = today();
  if (!isValidDate(raw.paidOn)) errors.paidOn = { key: "date.format" };
  // Money not yet received is not a payment: it would count as income of a year to come.
  else if (raw.paidOn > now) errors.paidOn = { key: "payment.dateFuture", params: { today: now } };
  const amount = parseYuan(raw.amount);
  if (!amount.ok) errors.amount = { key: amount.error };
  else if (amount.value.isZero()) errors.amount = { key: "payment.amountZero" };
  if (!(PAYMENT_METHODS as readonly string[]).includes(raw.method)) errors.method = { key: "payment.methodRequired" };
  const receiptNo = raw.receiptNo.trim().slice(0, 40);
  return prisma.$transaction(async (tx) => {
    const inst = await tx.rentInstallment.findFirst({
      where: { AND: [{ id: installmentId }, installmentScopeWhere(user.scope)] },
      select: { id: true, contractId: true, householdId: true, townshipId: true, villageId: true, amountFen: true, paidFen: true, cancelledAt: true, contract: { select: { status: true, form: true } }, household: { select: { bankAccount: true } } },
    });
    if (!inst) notFound();
    // Rent is recorded by the secretary of the installment's village.
    requireCan(user, "write:contract", inst);
    if (inst.cancelledAt || isEquity(inst.contract.form)) errors.amount = { key: "payment.cancelled" };
    else if (inst.amountFen === null) errors.amount = { key: "payment.noAmount" };
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

/**
 * Undoes a payment with a negative row that points at it; the original stays
 * as it was. The reason (asked by the page on every 冲销) is kept on the
 * reversing row and in the audit trail.
 */
export async function reversePayment(user: CurrentUser, paymentId: number, reason = ""): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const p = await tx.rentPayment.findFirst({ where: { id: paymentId, installment: installmentScopeWhere(user.scope) } });
    if (!p) notFound();
    requireCan(user, "write:contract", p);
    if (p.reversesId !== null || p.amountFen <= 0n) return { payment: { key: "contract.wrongStatus" } };
    if (await tx.rentPayment.findFirst({ where: { reversesId: p.id }, select: { id: true } })) return { payment: { key: "payment.alreadyReversed" } };
    const r = await tx.rentPayment.create({
      data: { ...p, id: undefined, amountFen: -p.amountFen, reversesId: p.id, paidOn: today(), reason: reason.trim().slice(0, 200), recordedById: user.id, createdAt: undefined },
      select: { id: true },
    });
    await tx.rentInstallment.update({ where: { id: p.installmentId }, data: { paidFen: { decrement: p.amountFen } } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "RentPayment", entityId: r.id, townshipId: p.townshipId, villageId: p.villageId, after: { reverses: p.id, amountFen: -p.amountFen, reason: reason.trim().slice(0, 200) } }, tx);
    return null;
  });
}

export const SETTLEMENT_KINDS = ["PAID", "WAIVED"] as const;
export type SettlementKind = (typeof SETTLEMENT_KINDS)[number];

/**
 * The late penalty of one contract per household as of a date: accrued on
 * its installments, paid, waived and outstanding, with the settlement rows
 * (PenaltySettlement) in the order they were recorded.
 */
export async function contractPenalty(
  contract: { id: number; form: string; penaltyPerTenThousand: string; installments: (InstallmentForPenalty & { householdId: number })[] },
  asOf: string,
) {
  const byHousehold = new Map<number, bigint>();
  for (const i of contract.installments) {
    byHousehold.set(i.householdId, (byHousehold.get(i.householdId) ?? 0n) + (isEquity(contract.form) ? 0n : installmentPenaltyFen(i, contract.penaltyPerTenThousand, asOf)));
  }
  const rows = await prisma.penaltySettlement.findMany({
    where: { contractId: contract.id },
    orderBy: { id: "asc" },
    select: { id: true, householdId: true, kind: true, amountFen: true, on: true, method: true, receiptNo: true, reason: true, decidedBy: true, reversesId: true, recordedById: true, createdAt: true },
  });
  const users = new Map((await prisma.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.recordedById))] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  const settled = settledSums(rows.filter((r) => r.on <= asOf).map((r) => ({ ...r, contractId: contract.id })));
  const reversed = new Set(rows.map((r) => r.reversesId).filter((x): x is number => x !== null));
  return [...byHousehold.keys()].map((householdId) => {
    const s = settled.get(`${contract.id}:${householdId}`) ?? { paidFen: 0n, waivedFen: 0n };
    const accruedFen = byHousehold.get(householdId)!;
    return {
      householdId,
      accruedFen,
      paidFen: s.paidFen,
      waivedFen: s.waivedFen,
      outstandingFen: outstandingPenaltyFen(accruedFen, s.paidFen, s.waivedFen),
      settlements: rows
        .filter((r) => r.householdId === householdId)
        .map((r) => ({ ...r, recordedBy: users.get(r.recordedById) ?? "", reversed: reversed.has(r.id) })),
    };
  });
}

/**
 * Records a late penalty paid (PAID) or waived (WAIVED) for one household
 * of a contract. A waiver is a decision: it names why and who decided it
 * (a meeting of the village committee, the township), besides the user who
 * records it. Nothing is settled beyond the penalty outstanding on the
 * row's date (accrued up to that day, less everything settled so far), and
 * nothing is dated after today. Rows are never edited: see
 * reversePenaltySettlement.
 */
export async function recordPenaltySettlement(
  user: CurrentUser,
  contractId: number,
  householdId: number,
  raw: { kind: string; on: string; amount: string; method?: string; receiptNo?: string; reason?: string; decidedBy?: string },
): Promise<FieldErrors | null> {
  const errors: FieldErrors = {};
  const now = today();
  const kind = raw.kind as SettlementKind;
  if (!(SETTLEMENT_KINDS as readonly string[]).includes(kind)) throw new Response("Bad Request", { status: 400 });
  if (!isValidDate(raw.on)) errors.on = { key: "date.format" };
  else if (raw.on > now) errors.on = { key: "penalty.dateFuture", params: { today: now } };
  const amount = parseYuan(raw.amount);
  if (!amount.ok) errors.amount = { key: amount.error };
  else if (amount.value.isZero()) errors.amount = { key: "penalty.amountZero" };
  const method = kind === "PAID" ? (raw.method ?? "") : "";
  if (kind === "PAID" && !(PAYMENT_METHODS as readonly string[]).includes(method)) errors.method = { key: "payment.methodRequired" };
  const reason = (raw.reason ?? "").trim();
  const decidedBy = (raw.decidedBy ?? "").trim();
  if (kind === "WAIVED") {
    if (!reason) errors.reason = { key: "penalty.reasonRequired" };
    else if (reason.length > 200) errors.reason = { key: "text.tooLong", params: { max: 200 } };
    if (!decidedBy) errors.decidedBy = { key: "penalty.decidedByRequired" };
    else if (decidedBy.length > 100) errors.decidedBy = { key: "text.tooLong", params: { max: 100 } };
  }
  const receiptNo = (raw.receiptNo ?? "").trim().slice(0, 40);
  return prisma.$transaction(async (tx) => {
    const c = await tx.transferContract.findFirst({
      where: { AND: [{ id: contractId }, contractScopeWhere(user.scope)], parties: { some: { householdId } } },
      select: {
        id: true,
        townshipId: true,
        villageId: true,
        form: true,
        penaltyPerTenThousand: true,
        installments: { where: { householdId }, select: { dueDate: true, amountFen: true, cancelledAt: true, payments: { select: { id: true, paidOn: true, amountFen: true, reversesId: true } } } },
      },
    });
    if (!c) notFound();
    requireCan(user, "write:contract", c);
    if (Object.keys(errors).length || !amount.ok) return errors;
    const on = raw.on;
    let accrued = 0n;
    if (!isEquity(c.form)) for (const i of c.installments) accrued += installmentPenaltyFen(i, c.penaltyPerTenThousand, on);
    const already = await tx.penaltySettlement.aggregate({ where: { contractId, householdId }, _sum: { amountFen: true } });
    const outstanding = accrued - (already._sum.amountFen ?? 0n);
    const fen = toFen(amount.value);
    if (fen > outstanding) return { amount: { key: "penalty.amountTooLarge", params: { outstanding: formatYuan(outstanding > 0n ? outstanding : 0n) } } };
    const row = await tx.penaltySettlement.create({
      data: { contractId, householdId, townshipId: c.townshipId, villageId: c.villageId, kind, amountFen: fen, on, method, receiptNo, reason: kind === "WAIVED" ? reason : "", decidedBy: kind === "WAIVED" ? decidedBy : "", recordedById: user.id },
      select: { id: true },
    });
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "create", entity: "PenaltySettlement", entityId: row.id, townshipId: c.townshipId, villageId: c.villageId, after: { contractId, householdId, kind, on, amountFen: fen, method, receiptNo, reason, decidedBy } },
      tx,
    );
    return null;
  });
}

/** Undoes a penalty payment or waiver by a negative row of the same kind that points at it; the reversal's reason is kept on that row. */
export async function reversePenaltySettlement(user: CurrentUser, contractId: number, settlementId: number, reason = ""): Promise<FieldErrors | null> {
  return prisma.$transaction(async (tx) => {
    const c = await tx.transferContract.findFirst({ where: { AND: [{ id: contractId }, contractScopeWhere(user.scope)] }, select: { id: true, townshipId: true, villageId: true } });
    if (!c) notFound();
    const s = await tx.penaltySettlement.findFirst({ where: { id: settlementId, contractId } });
    if (!s) notFound();
    requireCan(user, "write:contract", c);
    if (s.reversesId !== null || s.amountFen <= 0n) return { settlement: { key: "contract.wrongStatus" } };
    if (await tx.penaltySettlement.findFirst({ where: { reversesId: s.id }, select: { id: true } })) return { settlement: { key: "penalty.alreadyReversed" } };
    const r = await tx.penaltySettlement.create({
      data: { contractId, householdId: s.householdId, townshipId: s.townshipId, villageId: s.villageId, kind: s.kind, amountFen: -s.amountFen, on: today(), method: s.method, receiptNo: s.receiptNo, reason: reason.trim().slice(0, 200) || s.reason, decidedBy: s.decidedBy, reversesId: s.id, recordedById: user.id },
      select: { id: true },
    });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "PenaltySettlement", entityId: r.id, townshipId: s.townshipId, villageId: s.villageId, after: { reverses: s.id, kind: s.kind, amountFen: -s.amountFen, reason: reason.trim().slice(0, 200) } }, tx);
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
  /** the late penalty accrued on this installment up to asOf (penalty.ts) */
  penaltyFen: bigint;
}

/**
 * The late penalty of one household under one contract: accrued on its
 * installments, less what was paid and what was waived (PenaltySettlement).
 */
export interface PenaltyAccount {
  contractId: number;
  householdId: number;
  villageId: number;
  accruedFen: bigint;
  paidFen: bigint;
  waivedFen: bigint;
  /** accrued − paid − waived */
  outstandingFen: bigint;
}

/** What every arrears total carries. penaltyFen is the penalty accrued. */
export interface ArrearsSum {
  outstandingFen: bigint;
  penaltyFen: bigint;
  penaltyPaidFen: bigint;
  penaltyWaivedFen: bigint;
  penaltyOutstandingFen: bigint;
  buckets: Record<AgingBucket, bigint>;
}

type InstallmentForPenalty = { dueDate: string; amountFen: bigint | null; cancelledAt: Date | null; payments: PenaltyPayment[] };

/** The penalty accrued on one installment; none for a cancelled one or one without an amount yet. */
export function installmentPenaltyFen(i: InstallmentForPenalty, perTenThousand: string, asOf: string): bigint {
  if (i.cancelledAt || i.amountFen === null) return 0n;
  return accruedPenaltyFen({ dueDate: i.dueDate, amountFen: i.amountFen, perTenThousand, payments: i.payments, asOf });
}

/** Paid and waived penalty of (contract, household) pairs, settled on or before asOf. */
function settledSums(rows: { contractId: number; householdId: number; kind: string; amountFen: bigint }[]) {
  const m = new Map<string, { paidFen: bigint; waivedFen: bigint }>();
  for (const r of rows) {
    const k = `${r.contractId}:${r.householdId}`;
    const s = m.get(k) ?? { paidFen: 0n, waivedFen: 0n };
    if (r.kind === "WAIVED") s.waivedFen += r.amountFen;
    else s.paidFen += r.amountFen;
    m.set(k, s);
  }
  return m;
}

const arrearsSelect = {
  id: true,
  contractId: true,
  householdId: true,
  villageId: true,
  dueDate: true,
  amountFen: true,
  paidFen: true,
  cancelledAt: true,
  household: { select: { headName: true } },
  contract: { select: { draftNo: true, contractNo: true, penaltyPerTenThousand: true } },
  payments: { select: { id: true, paidOn: true, amountFen: true, reversesId: true } },
} satisfies Prisma.RentInstallmentSelect;

/**
 * Outstanding rent of a scope as of a date, with ageing, and the late
 * penalty of each (contract, household): accrued, paid, waived and
 * outstanding. The penalty accrues day by day on what each overdue
 * installment leaves unpaid that day (penalty.ts, ADR 008), so an
 * installment paid in full but late still carries the penalty of its late
 * days until that penalty is paid or waived. Equity contracts have no rent
 * (their return is the dividend) and cancelled installments are not owed:
 * neither is ever counted.
 */
export async function arrears(scope: Scope, asOf: string, opts: { includeNotDue?: boolean; villageId?: number; householdId?: number; contractId?: number } = {}) {
  const narrow: Prisma.RentInstallmentWhereInput[] = [
    installmentScopeWhere(scope),
    { cancelledAt: null, amountFen: { not: null }, contract: { form: { not: "EQUITY" } } },
    opts.villageId ? { villageId: opts.villageId } : {},
    opts.householdId ? { householdId: opts.householdId } : {},
    opts.contractId ? { contractId: opts.contractId } : {},
  ];
  const open = await prisma.rentInstallment.findMany({
    where: { AND: [...narrow, { amountFen: { gt: prisma.rentInstallment.fields.paidFen } }, opts.includeNotDue ? {} : { dueDate: { lte: asOf } }] },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    select: arrearsSelect,
  });
  // Installments paid in full, but some of it after the due date: their penalty stays until settled.
  const latePaidIds = await latePaidInstallmentIds(scope, asOf, opts);
  const latePaid: typeof open = [];
  // In chunks: the installment rows and their related rows are each read with an IN list, which SQLite bounds.
  for (let k = 0; k < latePaidIds.length; k += 500) {
    latePaid.push(...(await prisma.rentInstallment.findMany({ where: { id: { in: latePaidIds.slice(k, k + 500) } }, orderBy: [{ dueDate: "asc" }, { id: "asc" }], select: arrearsSelect })));
  }
  const rows = [...open, ...latePaid];

  const contractIds = [...new Set(rows.map((r) => r.contractId))];
  const settlements = await prisma.penaltySettlement.findMany({
    where: {
      AND: [
        placeScopeWhere(scope, () => ({ contractId: { in: contractIds } })),
        { on: { lte: asOf } },
        opts.villageId ? { villageId: opts.villageId } : {},
        opts.householdId ? { householdId: opts.householdId } : {},
        opts.contractId ? { contractId: opts.contractId } : {},
      ],
    },
    select: { contractId: true, householdId: true, villageId: true, kind: true, amountFen: true },
  });
  const settled = settledSums(settlements);

  const villages = new Map((await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  const all: ArrearsLine[] = rows.map((r) => {
    const outstanding = r.amountFen! - r.paidFen;
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
      penaltyFen: installmentPenaltyFen(r, r.contract.penaltyPerTenThousand, asOf),
    };
  });

  // One penalty account per (contract, household); settled accounts with no rent owed drop out.
  const accountsByKey = new Map<string, PenaltyAccount & { rentFen: bigint }>();
  for (const l of all) {
    const k = `${l.contractId}:${l.householdId}`;
    const a = accountsByKey.get(k) ?? { contractId: l.contractId, householdId: l.householdId, villageId: l.villageId, accruedFen: 0n, paidFen: 0n, waivedFen: 0n, outstandingFen: 0n, rentFen: 0n };
    a.accruedFen += l.penaltyFen;
    a.rentFen += l.outstandingFen;
    accountsByKey.set(k, a);
  }
  for (const [k, a] of accountsByKey) {
    const s = settled.get(k);
    if (s) {
      a.paidFen = s.paidFen;
      a.waivedFen = s.waivedFen;
    }
    a.outstandingFen = outstandingPenaltyFen(a.accruedFen, a.paidFen, a.waivedFen);
    if (a.rentFen <= 0n && a.outstandingFen <= 0n) accountsByKey.delete(k);
  }
  const lines = all.filter((l) => accountsByKey.has(`${l.contractId}:${l.householdId}`) && (l.outstandingFen > 0n || l.penaltyFen > 0n));
  const accounts: PenaltyAccount[] = [...accountsByKey.values()].map(({ rentFen: _, ...a }) => a);

  const empty = (): ArrearsSum => ({ outstandingFen: 0n, penaltyFen: 0n, penaltyPaidFen: 0n, penaltyWaivedFen: 0n, penaltyOutstandingFen: 0n, buckets: { PAID: 0n, NOT_DUE: 0n, DUE: 0n, D1_30: 0n, D31_90: 0n, D90_PLUS: 0n } });
  const addLine = (s: ArrearsSum, l: ArrearsLine) => {
    s.outstandingFen += l.outstandingFen;
    s.buckets[l.bucket] += l.outstandingFen;
  };
  const addAccount = (s: ArrearsSum, a: PenaltyAccount) => {
    s.penaltyFen += a.accruedFen;
    s.penaltyPaidFen += a.paidFen;
    s.penaltyWaivedFen += a.waivedFen;
    s.penaltyOutstandingFen += a.outstandingFen;
  };
  const group = <K,>(key: (l: { contractId: number; householdId: number; villageId: number }) => K, label: (l: ArrearsLine) => Record<string, unknown>) => {
    const m = new Map<K, ArrearsSum & Record<string, unknown>>();
    for (const l of lines) {
      const k = key(l);
      if (!m.has(k)) m.set(k, { ...empty(), ...label(l) });
      addLine(m.get(k)!, l);
    }
    for (const a of accounts) {
      const g = m.get(key(a));
      if (g) addAccount(g, a);
    }
    return [...m.values()].sort((a, b) => (b.outstandingFen > a.outstandingFen ? 1 : b.outstandingFen < a.outstandingFen ? -1 : b.penaltyOutstandingFen > a.penaltyOutstandingFen ? 1 : b.penaltyOutstandingFen < a.penaltyOutstandingFen ? -1 : 0));
  };
  const total = empty();
  for (const l of lines) addLine(total, l);
  for (const a of accounts) addAccount(total, a);
  return {
    asOf,
    lines,
    accounts,
    total,
    byVillage: group((l) => l.villageId, (l) => ({ villageId: l.villageId, villageName: l.villageName })),
    byHousehold: group((l) => l.householdId, (l) => ({ householdId: l.householdId, headName: l.headName, villageName: l.villageName })),
    byContract: group((l) => l.contractId, (l) => ({ contractId: l.contractId, contractLabel: l.contractLabel, villageName: l.villageName })),
  };
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
      const equity = isEquity(c.form);
      const annual = !equity && c.rentKind === "CASH" && c.rentPerMu ? area.times(c.rentPerMu).toDecimalPlaces(2) : null;
      rows.push({
        no: rows.length + 1,
        contractNo: c.contractNo ?? c.draftNo,
        villageGroup: `${v?.name ?? ""} ${[...new Set(lines.map((l) => groupName(l.plot.groupId)))].join("、")}`.trim(),
        householdHead: p.household.headName,
        // the ledger is a list that goes to the township: masked for every reader (ADR 004)
        idNumberMasked: MASKED_VIEW.idNumber(p.household.members[0]?.idNumber ?? ""),
        parcelCodes: lines.map((l) => l.plot.parcelCode),
        parcelNames: lines.map((l) => l.plot.name).join("、"),
        areaMu: area.toFixed(2),
        transferee: c.cooperative?.name ?? c.transfereeName,
        transfereeKind: c.transfereeKind,
        transfereeCode: c.cooperative?.creditCode ?? MASKED_VIEW.code(c.transfereeCode),
        form: c.form,
        use: c.use,
        useNote: c.useNote,
        startDate: c.startDate,
        endDate: c.endDate,
        rentStandard: equity ? { kind: "EQUITY" } : c.rentKind === "CASH" ? { kind: "CASH", yuanPerMu: c.rentPerMu ?? "" } : { kind: "IN_KIND", crop: c.inKindCrop ?? "", jinPerMu: c.inKindJinPerMu ?? "" },
        annualRentYuan: annual ? annual.toFixed(2) : null,
        paymentTiming: c.paymentTiming,
        paymentMonthDay: c.paymentMonthDay,
        step: !equity && c.stepPercent && c.stepEveryYears ? { percent: c.stepPercent, everyYears: c.stepEveryYears } : null,
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
