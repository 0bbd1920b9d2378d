/**
 * The books' raw SQL (docs/decisions/018-data-access-layer.md, ADR 021):
 * balances summed in the database, one statement for a year's trial balance.
 * Written once for SQLite and PostgreSQL: quoted identifiers, CAST(SUM(..) AS
 * BIGINT), numbers normalised with Number()/BigInt().
 */
import { Prisma } from "@prisma/client";
import { prisma } from "~/lib/db.server";

type Tx = Prisma.TransactionClient;
type Num = number | bigint | string | null;

const big = (x: Num | { toString(): string }): bigint => (x === null || x === undefined ? 0n : typeof x === "bigint" ? x : BigInt(String(x).split(".")[0]!));

export interface AccountRow {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  category: string;
  normalSide: "DEBIT" | "CREDIT";
  isLeaf: boolean;
  householdId: number | null;
  counterparty: string;
  standard: boolean;
}

export interface TrialBalanceRow {
  accountId: number;
  code: string;
  name: string;
  parentId: number | null;
  level: number;
  category: string;
  normalSide: "DEBIT" | "CREDIT";
  isLeaf: boolean;
  householdId: number | null;
  /** balances signed by the account's normal side (positive = on its usual side) */
  openingFen: bigint;
  debitFen: bigint;
  creditFen: bigint;
  closingFen: bigint;
}

export async function accountsOf(cooperativeId: number, tx: Tx = prisma): Promise<AccountRow[]> {
  const rows = await tx.ledgerAccount.findMany({
    where: { cooperativeId },
    select: { id: true, code: true, name: true, parentId: true, category: true, normalSide: true, isLeaf: true, householdId: true, counterparty: true, standard: true },
    orderBy: { code: "asc" },
  });
  return rows.map((r) => ({ ...r, normalSide: r.normalSide as "DEBIT" | "CREDIT" }));
}

interface FlowRow {
  accountId: number;
  prior: bigint;
  early: bigint;
  debit: bigint;
  credit: bigint;
}

/** Per account: raw (debit − credit) of earlier years and of the year before `fromMonth`, and the debit and credit flows of the months asked. */
async function flows(tx: Tx, cooperativeId: number, year: number, fromMonth: number, toMonth: number): Promise<FlowRow[]> {
  const rows = await tx.$queryRaw<{ accountId: Num; prior: Num; early: Num; debit: Num; credit: Num }[]>(Prisma.sql`
    SELECT l."accountId" AS "accountId",
      CAST(SUM(CASE WHEN v."year" < ${year} THEN l."debitFen" - l."creditFen" ELSE 0 END) AS BIGINT) AS "prior",
      CAST(SUM(CASE WHEN v."year" = ${year} AND v."month" < ${fromMonth} THEN l."debitFen" - l."creditFen" ELSE 0 END) AS BIGINT) AS "early",
      CAST(SUM(CASE WHEN v."year" = ${year} AND v."month" >= ${fromMonth} AND v."month" <= ${toMonth} THEN l."debitFen" ELSE 0 END) AS BIGINT) AS "debit",
      CAST(SUM(CASE WHEN v."year" = ${year} AND v."month" >= ${fromMonth} AND v."month" <= ${toMonth} THEN l."creditFen" ELSE 0 END) AS BIGINT) AS "credit"
    FROM "VoucherLine" l
    JOIN "Voucher" v ON v."id" = l."voucherId"
    WHERE l."cooperativeId" = ${cooperativeId} AND v."status" <> 'VOID' AND v."year" <= ${year}
    GROUP BY l."accountId"`);
  return rows.map((r) => ({ accountId: Number(r.accountId), prior: big(r.prior), early: big(r.early), debit: big(r.debit), credit: big(r.credit) }));
}

const signed = (side: "DEBIT" | "CREDIT", raw: bigint) => (side === "DEBIT" ? raw : -raw);

function levels(accounts: readonly AccountRow[]): Map<number, number> {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const out = new Map<number, number>();
  const level = (a: AccountRow): number => {
    const known = out.get(a.id);
    if (known !== undefined) return known;
    const parent = a.parentId === null ? undefined : byId.get(a.parentId);
    const l = parent ? level(parent) + 1 : 1;
    out.set(a.id, l);
    return l;
  };
  accounts.forEach(level);
  return out;
}

/**
 * The trial balance (科目余额表) of a year's months: every account, balances
 * signed by its normal side, parents rolled up from their leaves. Opening =
 * the year's months before `fromMonth` plus the balance-sheet accounts'
 * balances of earlier years; earlier years' income and expense, had a year
 * not been closed, count in the undistributed surplus (so the opening always
 * balances).
 */
export async function trialBalance(cooperativeId: number, year: number, fromMonth = 1, toMonth = 12, tx: Tx = prisma): Promise<TrialBalanceRow[]> {
  const [accounts, flowRows, undistributedCode] = await Promise.all([accountsOf(cooperativeId, tx), flows(tx, cooperativeId, year, fromMonth, toMonth), undistributedCodeOf(tx, cooperativeId)]);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  // raw (debit − credit) opening and flows per account, leaves first, then added to every ancestor
  const raw = new Map<number, { opening: bigint; debit: bigint; credit: bigint }>(accounts.map((a) => [a.id, { opening: 0n, debit: 0n, credit: 0n }]));
  let priorIncome = 0n;
  for (const f of flowRows) {
    const a = byId.get(f.accountId);
    if (!a) continue;
    const r = raw.get(a.id)!;
    if (a.category === "PROFIT_LOSS") priorIncome += f.prior;
    r.opening += (a.category === "PROFIT_LOSS" ? 0n : f.prior) + f.early;
    r.debit += f.debit;
    r.credit += f.credit;
  }
  const undistributed = accounts.find((a) => a.code === undistributedCode);
  if (undistributed && priorIncome !== 0n) raw.get(undistributed.id)!.opening += priorIncome;
  const rolled = new Map<number, { opening: bigint; debit: bigint; credit: bigint }>(accounts.map((a) => [a.id, { opening: 0n, debit: 0n, credit: 0n }]));
  for (const a of accounts) {
    const r = raw.get(a.id)!;
    if (r.opening === 0n && r.debit === 0n && r.credit === 0n) continue;
    for (let at: AccountRow | undefined = a; at; at = at.parentId === null ? undefined : byId.get(at.parentId)) {
      const t = rolled.get(at.id)!;
      t.opening += r.opening;
      t.debit += r.debit;
      t.credit += r.credit;
    }
  }
  const lv = levels(accounts);
  return accounts.map((a) => {
    const t = rolled.get(a.id)!;
    const openingFen = signed(a.normalSide, t.opening);
    return {
      accountId: a.id,
      code: a.code,
      name: a.name,
      parentId: a.parentId,
      level: lv.get(a.id)!,
      category: a.category,
      normalSide: a.normalSide,
      isLeaf: a.isLeaf,
      householdId: a.householdId,
      openingFen,
      debitFen: t.debit,
      creditFen: t.credit,
      closingFen: openingFen + signed(a.normalSide, t.debit - t.credit),
    };
  });
}

async function undistributedCodeOf(tx: Tx, cooperativeId: number): Promise<string> {
  const coop = await tx.cooperative.findUnique({ where: { id: cooperativeId }, select: { accountingSystem: true } });
  return coop?.accountingSystem === "COLLECTIVE_2023" ? "32202" : "33202";
}

/** Every leaf at or under `accountId` (the account itself when it is a leaf). */
export function leavesUnder(accounts: readonly AccountRow[], accountId: number): number[] {
  const children = new Map<number, AccountRow[]>();
  for (const a of accounts) if (a.parentId !== null) children.set(a.parentId, [...(children.get(a.parentId) ?? []), a]);
  const out: number[] = [];
  const walk = (id: number) => {
    const kids = children.get(id);
    if (!kids || kids.length === 0) out.push(id);
    else kids.forEach((k) => walk(k.id));
  };
  walk(accountId);
  return out;
}

export interface LedgerEntry {
  voucherId: number;
  lineId: number;
  accountId: number;
  date: string;
  month: number;
  number: number;
  summary: string;
  debitFen: bigint;
  creditFen: bigint;
  /** running balance after the entry, signed by the account's normal side */
  balanceFen: bigint;
  redInk: boolean;
  status: string;
}

/** The ledger of one account for a year (明细账); a parent account is all its leaves, line by line. */
export async function accountLedger(cooperativeId: number, accountId: number, year: number, tx: Tx = prisma): Promise<{ openingFen: bigint; entries: LedgerEntry[]; closingFen: bigint }> {
  const accounts = await accountsOf(cooperativeId, tx);
  const account = accounts.find((a) => a.id === accountId);
  if (!account) return { openingFen: 0n, entries: [], closingFen: 0n };
  const tb = await trialBalance(cooperativeId, year, 1, 12, tx);
  const row = tb.find((r) => r.accountId === accountId)!;
  const leaves = leavesUnder(accounts, accountId);
  const entries: LedgerEntry[] = [];
  for (let i = 0; i < leaves.length; i += 500) {
    const ids = leaves.slice(i, i + 500);
    const rows = await tx.$queryRaw<{ voucherId: Num; lineId: Num; accountId: Num; date: string; month: Num; number: Num; summary: string; debitFen: Num; creditFen: Num; redInk: unknown; status: string }[]>(Prisma.sql`
      SELECT v."id" AS "voucherId", l."id" AS "lineId", l."accountId" AS "accountId", v."date" AS "date", v."month" AS "month", v."number" AS "number",
             CASE WHEN l."summary" = '' THEN v."summary" ELSE l."summary" END AS "summary",
             l."debitFen" AS "debitFen", l."creditFen" AS "creditFen", v."redInk" AS "redInk", v."status" AS "status"
      FROM "VoucherLine" l JOIN "Voucher" v ON v."id" = l."voucherId"
      WHERE l."cooperativeId" = ${cooperativeId} AND v."year" = ${year} AND v."status" <> 'VOID' AND l."accountId" IN (${Prisma.join(ids)})`);
    for (const r of rows)
      entries.push({
        voucherId: Number(r.voucherId),
        lineId: Number(r.lineId),
        accountId: Number(r.accountId),
        date: r.date,
        month: Number(r.month),
        number: Number(r.number),
        summary: r.summary,
        debitFen: big(r.debitFen),
        creditFen: big(r.creditFen),
        balanceFen: 0n,
        redInk: r.redInk === true || r.redInk === 1 || r.redInk === 1n,
        status: r.status,
      });
  }
  entries.sort((a, b) => a.month - b.month || a.number - b.number || a.lineId - b.lineId);
  let balance = row.openingFen;
  for (const e of entries) {
    balance += signed(account.normalSide, e.debitFen - e.creditFen);
    e.balanceFen = balance;
  }
  return { openingFen: row.openingFen, entries, closingFen: balance };
}

/** Raw (debit − credit) per account of the year's non-void vouchers (for the year-end carry-forward). */
export async function yearBalances(tx: Tx, cooperativeId: number, year: number): Promise<Map<number, bigint>> {
  const rows = await tx.$queryRaw<{ accountId: Num; net: Num }[]>(Prisma.sql`
    SELECT l."accountId" AS "accountId", CAST(SUM(l."debitFen" - l."creditFen") AS BIGINT) AS "net"
    FROM "VoucherLine" l JOIN "Voucher" v ON v."id" = l."voucherId"
    WHERE l."cooperativeId" = ${cooperativeId} AND v."year" = ${year} AND v."status" <> 'VOID'
    GROUP BY l."accountId"`);
  return new Map(rows.map((r) => [Number(r.accountId), big(r.net)]));
}

/** Raw (debit − credit) per account of every non-void voucher up to the end of `year`. */
export async function balancesThrough(tx: Tx, cooperativeId: number, year: number): Promise<Map<number, bigint>> {
  const rows = await tx.$queryRaw<{ accountId: Num; net: Num }[]>(Prisma.sql`
    SELECT l."accountId" AS "accountId", CAST(SUM(l."debitFen" - l."creditFen") AS BIGINT) AS "net"
    FROM "VoucherLine" l JOIN "Voucher" v ON v."id" = l."voucherId"
    WHERE l."cooperativeId" = ${cooperativeId} AND v."year" <= ${year} AND v."status" <> 'VOID'
    GROUP BY l."accountId"`);
  return new Map(rows.map((r) => [Number(r.accountId), big(r.net)]));
}

export interface PaymentRow {
  id: number;
  lineId: number;
  runId: number;
  year: number;
  householdId: number;
  headName: string;
  paidOn: string;
  amountFen: bigint;
  status: string;
  failureReason: string;
  reference: string;
  transactionFen: bigint;
  restFen: bigint;
  deductionFen: bigint;
}

/** Every dividend payment of the cooperative's issued runs, with its line's parts, in id order. */
export async function paymentsOf(tx: Tx, cooperativeId: number): Promise<PaymentRow[]> {
  const rows = await tx.$queryRaw<Record<string, Num>[]>(Prisma.sql`
    SELECT p."id" AS "id", p."lineId" AS "lineId", r."id" AS "runId", r."year" AS "year", l."householdId" AS "householdId", h."headName" AS "headName",
           p."paidOn" AS "paidOn", p."amountFen" AS "amountFen", p."status" AS "status", p."failureReason" AS "failureReason", p."reference" AS "reference",
           l."transactionFen" AS "transactionFen", l."guaranteedFen" + l."surplusFen" + l."capitalFen" AS "restFen", l."deductionFen" AS "deductionFen"
    FROM "DividendPayment" p
    JOIN "DividendLine" l ON l."id" = p."lineId"
    JOIN "DividendRun" r ON r."id" = l."runId"
    JOIN "Household" h ON h."id" = l."householdId"
    WHERE r."cooperativeId" = ${cooperativeId} AND r."status" = 'ISSUED'
    ORDER BY p."id"`);
  return rows.map((r) => ({
    id: Number(r.id),
    lineId: Number(r.lineId),
    runId: Number(r.runId),
    year: Number(r.year),
    householdId: Number(r.householdId),
    headName: String(r.headName),
    paidOn: String(r.paidOn),
    amountFen: big(r.amountFen),
    status: String(r.status),
    failureReason: String(r.failureReason ?? ""),
    reference: String(r.reference ?? ""),
    transactionFen: big(r.transactionFen),
    restFen: big(r.restFen),
    deductionFen: big(r.deductionFen),
  }));
}

export interface RentRow {
  id: number;
  contractId: number;
  contract: string;
  householdId: number;
  headName: string;
  paidOn: string;
  amountFen: bigint;
  method: string;
  reversesId: number | null;
}

/**
 * Rent payments the organisation is party to: as the transferee
 * (`paid`: contracts whose cooperativeId is it) or, for a collective, rent it
 * collects for households of the villages it serves from other transferees
 * (`collected`).
 */
export async function rentPaymentsOf(tx: Tx, cooperativeId: number, kind: "paid" | "collected"): Promise<RentRow[]> {
  const where =
    kind === "paid"
      ? Prisma.sql`c."cooperativeId" = ${cooperativeId}`
      : Prisma.sql`(c."cooperativeId" IS NULL OR c."cooperativeId" <> ${cooperativeId}) AND p."villageId" IN (SELECT cv."villageId" FROM "CooperativeVillage" cv WHERE cv."cooperativeId" = ${cooperativeId})`;
  const rows = await tx.$queryRaw<Record<string, Num>[]>(Prisma.sql`
    SELECT p."id" AS "id", p."contractId" AS "contractId", COALESCE(c."contractNo", c."draftNo") AS "contract", p."householdId" AS "householdId", h."headName" AS "headName",
           p."paidOn" AS "paidOn", p."amountFen" AS "amountFen", p."method" AS "method", p."reversesId" AS "reversesId"
    FROM "RentPayment" p
    JOIN "TransferContract" c ON c."id" = p."contractId"
    JOIN "Household" h ON h."id" = p."householdId"
    WHERE ${where}
    ORDER BY p."id"`);
  return rows.map((r) => ({
    id: Number(r.id),
    contractId: Number(r.contractId),
    contract: String(r.contract),
    householdId: Number(r.householdId),
    headName: String(r.headName),
    paidOn: String(r.paidOn),
    amountFen: big(r.amountFen),
    method: String(r.method),
    reversesId: r.reversesId === null ? null : Number(r.reversesId),
  }));
}

/** Sources already booked, as "sourceId" → the booked versions, per source. */
export async function bookedSources(tx: Tx, cooperativeId: number): Promise<Map<string, Map<string, { id: number; version: number; totalFen: bigint; redInk: boolean }[]>>> {
  const rows = await tx.voucher.findMany({
    where: { cooperativeId, sourceId: { not: null } },
    select: { id: true, source: true, sourceId: true, sourceVersion: true, totalFen: true, redInk: true },
    orderBy: [{ sourceVersion: "asc" }],
  });
  const out = new Map<string, Map<string, { id: number; version: number; totalFen: bigint; redInk: boolean }[]>>();
  for (const r of rows) {
    const bySource = out.get(r.source) ?? new Map();
    out.set(r.source, bySource);
    const list = bySource.get(r.sourceId!) ?? [];
    list.push({ id: r.id, version: r.sourceVersion, totalFen: r.totalFen, redInk: r.redInk });
    bySource.set(r.sourceId!, list);
  }
  return out;
}

const ROWS_PER_STATEMENT = 500;

/**
 * An integer written into the statement itself: thousands of bound
 * parameters per statement cost more than the rows (Prisma's raw queries
 * convert each one), and a number or bigint needs no quoting.
 */
function int(n: number | bigint | null): Prisma.Sql {
  if (n === null) return Prisma.raw("NULL");
  if (typeof n === "number" && !Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return Prisma.raw(BigInt(n).toString());
}

const SIDES = new Set(["DEBIT", "CREDIT"]);
const CATEGORIES = new Set(["ASSET", "LIABILITY", "EQUITY", "COST", "PROFIT_LOSS"]);

/** New sub-accounts, many per statement (a run of thousands of members makes thousands at once). */
export async function insertLedgerAccounts(
  tx: Tx,
  rows: readonly { cooperativeId: number; code: string; name: string; parentId: number; category: string; normalSide: string; householdId: number | null; counterparty?: "" }[],
): Promise<void> {
  // isLeaf, standard, counterparty and createdAt take the table's defaults (a leaf, not standard, '', now)
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => {
      if (!SIDES.has(r.normalSide) || !CATEGORIES.has(r.category) || r.counterparty) throw new RangeError(`bad account ${r.code}`);
      return Prisma.sql`(${int(r.cooperativeId)}, ${r.code}, ${r.name}, ${int(r.parentId)}, ${Prisma.raw(`'${r.category}'`)}, ${Prisma.raw(`'${r.normalSide}'`)}, ${int(r.householdId)})`;
    });
    await tx.$executeRaw(Prisma.sql`INSERT INTO "LedgerAccount" ("cooperativeId", "code", "name", "parentId", "category", "normalSide", "householdId") VALUES ${Prisma.join(values)}`);
  }
}

/** A voucher's lines, many per statement. */
export async function insertVoucherLines(tx: Tx, rows: readonly { voucherId: number; cooperativeId: number; seq: number; accountId: number; summary: string; debitFen: bigint; creditFen: bigint }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => Prisma.sql`(${int(r.voucherId)}, ${int(r.cooperativeId)}, ${int(r.seq)}, ${int(r.accountId)}, ${r.summary}, ${int(r.debitFen)}, ${int(r.creditFen)})`);
    await tx.$executeRaw(Prisma.sql`INSERT INTO "VoucherLine" ("voucherId", "cooperativeId", "seq", "accountId", "summary", "debitFen", "creditFen") VALUES ${Prisma.join(values)}`);
  }
}

/** The lines of a run with their members' names, in line order (one query for thousands). */
export async function runLinesOf(tx: Tx, runId: number) {
  const rows = await tx.$queryRaw<Record<string, Num>[]>(Prisma.sql`
    SELECT l."householdId" AS "householdId", h."headName" AS "headName", l."transactionFen" AS "transactionFen",
           l."guaranteedFen" AS "guaranteedFen", l."surplusFen" AS "surplusFen", l."capitalFen" AS "capitalFen", l."deductionFen" AS "deductionFen", l."deductionNote" AS "deductionNote"
    FROM "DividendLine" l JOIN "Household" h ON h."id" = l."householdId"
    WHERE l."runId" = ${runId}
    ORDER BY l."id"`);
  return rows.map((r) => ({
    householdId: Number(r.householdId),
    name: String(r.headName),
    transactionFen: big(r.transactionFen),
    restFen: big(r.guaranteedFen) + big(r.surplusFen) + big(r.capitalFen),
    deductionFen: big(r.deductionFen),
    deductionNote: String(r.deductionNote ?? ""),
  }));
}
