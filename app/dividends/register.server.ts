/**
 * The share register (股权登记簿) and member accounts (成员账户) of a
 * cooperative, for reading: what the run computes from, and what each member
 * has been credited and paid. Day-weighted shares come from shareRegister,
 * the very function runs are computed with, so the register and a run of the
 * same year can never disagree.
 */
import type { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import type { Scope } from "~/auth/permissions";
import { cooperativeScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { HOLDING_STATUSES } from "~/contracts/status";
import { currentYear, yearEnd, yearStart } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { memberAccounts, registerHistory, type HistoryContract, type HistoryEvent, type YearAccount } from "./register";
import { shareRegister } from "./runs.server";

type Tx = Prisma.TransactionClient;

/** The year asked for (`?year=`), else this year (China time). */
export function yearParam(url: URL): number {
  const y = Number(url.searchParams.get("year"));
  return Number.isInteger(y) && y >= 1900 && y <= 2999 ? y : currentYear();
}

/** The cooperatives whose register the user may read (an accountant: their own). */
export function cooperativesInScope(scope: Scope) {
  return prisma.cooperative.findMany({ where: cooperativeScopeWhere(scope), orderBy: { id: "asc" }, select: { id: true, name: true, type: true }, take: 500 });
}

/**
 * The cooperative asked for (`?coop=`), or the user's first one in scope;
 * 404 for one outside the scope, null when the scope holds none.
 */
export async function pickCooperative(user: CurrentUser, raw: string | null) {
  const list = await cooperativesInScope(user.scope);
  if (raw) {
    const id = Number(raw);
    const hit = Number.isSafeInteger(id) ? list.find((c) => c.id === id) : undefined;
    if (!hit) notFound();
    return { cooperative: hit, list };
  }
  return { cooperative: list[0] ?? null, list };
}

/** Every download of the register or the accounts is in the audit trail, as the list exports are (they name members and amounts). */
export async function recordRegisterExport(user: CurrentUser, list: "share-register.xlsx" | "share-register.pdf" | "member-accounts.xlsx", cooperativeId: number, year: number): Promise<void> {
  const coop = await prisma.cooperative.findUniqueOrThrow({ where: { id: cooperativeId }, select: { townshipId: true } });
  await recordAudit({
    actor: { id: user.id, name: user.username },
    action: "export",
    entity: "Export",
    entityId: list,
    townshipId: coop.townshipId,
    villageId: user.scope.kind === "village" ? user.scope.villageId : null,
    after: { list, cooperativeId, year },
  });
}

/** A village secretary reads only their village's members of a cooperative. */
const villageOnly = (scope: Scope) => (scope.kind === "village" ? scope.villageId : null);

export interface RegisterContractRow {
  id: number;
  label: string;
  version: number;
  status: string;
  startDate: string;
  endDate: string;
  terminatedOn: string | null;
  plot: string;
  parcelCode: string;
  areaMu: string;
}

/**
 * The register of a year: every household holding shares on a day of it
 * (shareRegister), with the contracts and plots they come from, and the
 * history of changes up to the year's end.
 */
export async function registerOf(scope: Scope, cooperativeId: number, year: number) {
  const coop = await prisma.cooperative.findFirst({ where: { AND: [{ id: cooperativeId }, cooperativeScopeWhere(scope)] }, select: { id: true, name: true, type: true, sharesPerMu: true, creditCode: true } });
  if (!coop) notFound();
  const only = villageOnly(scope);
  const register = (await shareRegister(prisma as unknown as Tx, coop.id, year)).filter((r) => only === null || r.household.villageId === only);
  const contracts = await prisma.transferContract.findMany({
    where: { cooperativeId: coop.id, form: "EQUITY", status: { not: "DRAFT" }, ...(only !== null ? { villageId: only } : {}) },
    orderBy: { id: "asc" },
    select: {
      id: true,
      draftNo: true,
      contractNo: true,
      version: true,
      status: true,
      startDate: true,
      endDate: true,
      terminatedOn: true,
      amendsId: true,
      renewsId: true,
      plots: { select: { householdId: true, area: true, plot: { select: { name: true, parcelCode: true } } } },
    },
  });
  const label = (c: { draftNo: string; contractNo: string | null; version: number }) => `${c.contractNo ?? c.draftNo}${c.version > 1 ? ` v${c.version}` : ""}`;
  const from = yearStart(year);
  const to = yearEnd(year);
  const byHousehold = new Map<number, RegisterContractRow[]>();
  const historyInput: HistoryContract[] = [];
  for (const c of contracts) {
    for (const p of c.plots) {
      historyInput.push({ id: c.id, householdId: p.householdId, label: label(c), status: c.status, startDate: c.startDate, endDate: c.endDate, terminatedOn: c.terminatedOn, amendsId: c.amendsId, renewsId: c.renewsId, areaMu: p.area });
      // The rows the run counts: holding versions that overlap the year (superseded versions only in the history).
      if (!HOLDING_STATUSES.includes(c.status) || c.startDate > to || c.endDate < from) continue;
      const list = byHousehold.get(p.householdId) ?? [];
      list.push({ id: c.id, label: label(c), version: c.version, status: c.status, startDate: c.startDate, endDate: c.endDate, terminatedOn: c.terminatedOn, plot: p.plot.name, parcelCode: p.plot.parcelCode, areaMu: p.area });
      byHousehold.set(p.householdId, list);
    }
  }
  const inRegister = new Set(register.map((r) => r.householdId));
  const events = registerHistory(historyInput, to);
  const eventHouseholds = [...new Set(events.map((e) => e.householdId))].filter((id) => !inRegister.has(id));
  const others = new Map(
    (await prisma.household.findMany({ where: { id: { in: eventHouseholds } }, select: { id: true, code: true, headName: true, village: { select: { name: true } } } })).map((h) => [h.id, { code: h.code, headName: h.headName, village: h.village.name }]),
  );
  const names = new Map<number, { code: string; headName: string; village: string }>([...register.map((r) => [r.householdId, { code: r.household.code, headName: r.household.headName, village: r.household.village.name }] as const), ...others]);
  const rows = register.map((r) => ({
    householdId: r.householdId,
    code: r.household.code,
    headName: r.household.headName,
    village: r.household.village.name,
    areaMu: r.areaMu,
    shares: r.shares,
    weight: r.weight,
    days: r.days,
    contracts: byHousehold.get(r.householdId) ?? [],
  }));
  const history = events.map((e: HistoryEvent) => ({ ...e, household: names.get(e.householdId) ?? { code: "", headName: String(e.householdId), village: "" } }));
  return { coop, year, rows, history };
}

export type RegisterPage = Awaited<ReturnType<typeof registerOf>>;

/**
 * Every member account of the cooperative (households with lines in its
 * issued runs, capital or transactions), by year. `householdId` narrows to
 * one member, with the detail by run.
 */
export async function accountsOf(scope: Scope, cooperativeId: number, householdId: number | null = null) {
  const coop = await prisma.cooperative.findFirst({ where: { AND: [{ id: cooperativeId }, cooperativeScopeWhere(scope)] }, select: { id: true, name: true, type: true } });
  if (!coop) notFound();
  const only = villageOnly(scope);
  const householdWhere = householdId !== null ? { householdId } : {};
  const [lines, allCapital, allTransactions] = await Promise.all([
    prisma.dividendLine.findMany({
      where: { run: { cooperativeId: coop.id, status: "ISSUED" }, ...householdWhere, ...(only !== null ? { villageId: only } : {}) },
      orderBy: [{ runId: "asc" }, { id: "asc" }],
      select: {
        id: true,
        runId: true,
        householdId: true,
        providentShareFen: true,
        netFen: true,
        statementNo: true,
        run: { select: { year: true, title: true, correctsId: true, issuedAt: true } },
        payments: { orderBy: { id: "asc" }, select: { id: true, status: true, amountFen: true, paidOn: true, reference: true, failureReason: true } },
      },
    }),
    prisma.memberCapital.findMany({ where: { cooperativeId: coop.id, ...householdWhere }, orderBy: [{ date: "asc" }, { id: "asc" }], select: { id: true, householdId: true, date: true, amountFen: true, note: true } }),
    prisma.memberTransaction.findMany({ where: { cooperativeId: coop.id, ...householdWhere }, orderBy: [{ date: "asc" }, { id: "asc" }], select: { id: true, householdId: true, date: true, amountFen: true, description: true, quantityKg: true } }),
  ]);
  // Capital and transactions carry no village: a secretary's are kept to their village's households.
  const inVillage = only === null ? null : new Set((await prisma.household.findMany({ where: { id: { in: [...new Set([...allCapital, ...allTransactions].map((x) => x.householdId))] }, villageId: only }, select: { id: true } })).map((h) => h.id));
  const capital = inVillage ? allCapital.filter((c) => inVillage.has(c.householdId)) : allCapital;
  const transactions = inVillage ? allTransactions.filter((x) => inVillage.has(x.householdId)) : allTransactions;
  const accounts = memberAccounts({
    lines: lines.map((l) => ({ runId: l.runId, year: l.run.year, householdId: l.householdId, providentShareFen: l.providentShareFen, netFen: l.netFen })),
    payments: lines.flatMap((l) => l.payments.map((p) => ({ runId: l.runId, householdId: l.householdId, status: p.status, amountFen: p.amountFen }))),
    capital,
    transactions,
  });
  const ids = [...accounts.keys()];
  const households = await prisma.household.findMany({
    where: { id: { in: ids } },
    orderBy: [{ villageId: "asc" }, { code: "asc" }],
    select: { id: true, code: true, headName: true, village: { select: { name: true } } },
  });
  return { coop, households, accounts: accounts as Map<number, YearAccount[]>, lines, capital, transactions };
}

/** One member's account; 404 when the household has none with this cooperative in the user's scope. */
export async function accountOf(scope: Scope, cooperativeId: number, householdId: number) {
  const a = await accountsOf(scope, cooperativeId, householdId);
  const household = a.households[0];
  if (!household) notFound();
  return { ...a, household };
}
