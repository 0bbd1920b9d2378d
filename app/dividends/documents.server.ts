import type { Scope } from "~/auth/permissions";
import { chinaDate, formatInstant, now } from "~/lib/dates";
import { Decimal } from "~/lib/money";
import { prisma } from "~/lib/db.server";
import { maskBankAccount, maskIdNumber } from "~/registry/masking";
import type { DividendMethod } from "./compute";
import { verifyUrl, type NoticeDocument, type RunCover, type StatementDocument } from "./statement-document";
import { correctionContext, runLabel, runScopeWhere, runSignOff } from "./runs.server";
import { HOLDING_STATUSES } from "~/contracts/status";
import { equityPlotsOf } from "./runs.queries.server";
import { holdingSince } from "./shares";
import { statementPaymentOf } from "./statement-document";
import type { RosterDocument, RosterGroup } from "./roster";

const POVERTY: Record<string, string> = { ALLEVIATED: "脱贫户", MONITORED: "监测户" };
// Every printed date and time is China time (app/lib/dates.ts), whatever the server's zone.
const stampNow = () => formatInstant(now());

/** Where the QR codes point: PUBLIC_BASE_URL when set (behind a proxy), else the address the request came to. */
export function baseUrlOf(request: Request): string {
  return process.env.PUBLIC_BASE_URL ?? new URL(request.url).origin;
}

/** A run inside the scope with what its documents print; a village secretary's copy holds only their village's lines. */
export async function runForDocuments(scope: Scope, id: number) {
  const run = await prisma.dividendRun.findFirst({
    where: { AND: [{ id }, runScopeWhere(scope)] },
    include: { cooperative: { select: { name: true, creditCode: true, phone: true, legalRepresentative: true } } },
  });
  if (!run) return null;
  // Who made, approved and issued the run, printed on statements and the roster.
  const { madeBy, approvedBy, issuedBy } = await runSignOff(run);
  const signOff = { madeBy, approvedBy, issuedBy };
  // A correction prints what was issued before it, the corrected amounts and the difference, and names the run it corrects.
  const context = await correctionContext(run);
  return { ...run, signOff, correction: context ? { ...context, of: runLabel(context.original) } : null };
}

/** How a run's PDFs are named: a correction's carry 更正 and its number, so they are never mistaken for the original's. */
export function documentName(kind: "分红明细单" | "分红公示表" | "分红发放花名册", run: { id: number; year: number; correctsId: number | null; cooperative: { name: string } }): string {
  return run.correctsId !== null ? `${kind}-更正-${run.cooperative.name}-${run.year}-第${run.id}号.pdf` : `${kind}-${run.cooperative.name}-${run.year}-第${run.id}号.pdf`;
}

const lineInclude = {
  household: { select: { code: true, headName: true, status: true, bankName: true, bankAccount: true, village: { select: { name: true } }, group: { select: { name: true } }, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true } } } },
  payments: { orderBy: { id: "asc" }, select: { status: true, paidOn: true, amountFen: true, reference: true, failureReason: true } },
} as const;

type Run = NonNullable<Awaited<ReturnType<typeof runForDocuments>>>;

function lineWhere(scope: Scope, runId: number) {
  return { runId, ...(scope.kind === "village" ? { villageId: scope.villageId } : {}) };
}

export async function countLines(scope: Scope, runId: number): Promise<number> {
  return prisma.dividendLine.count({ where: lineWhere(scope, runId) });
}

function statementOf(run: Run, l: Awaited<ReturnType<typeof fetchLines>>[number], baseUrl: string): StatementDocument {
  return {
    cooperativeName: run.cooperative.name,
    creditCode: run.cooperative.creditCode,
    year: run.year,
    method: run.method as DividendMethod,
    runTitle: run.title || `${run.year} 年度收益分配方案`,
    resolution: run.resolution,
    statementNo: l.statementNo ?? "",
    householdHead: l.household.headName,
    idMasked: maskIdNumber(l.household.members[0]?.idNumber ?? ""),
    householdCode: l.household.code,
    villageName: `${l.household.village.name} ${l.household.group.name}`,
    povertyLabel: POVERTY[l.household.status] ?? null,
    areaMu: l.areaMu,
    shares: l.shares,
    weight: new Decimal(l.weight).toDecimalPlaces(4).toString(),
    guaranteePerShare: run.guaranteePerShare,
    transactionPercent: run.transactionPercent,
    amounts: {
      guaranteedFen: l.guaranteedFen,
      surplusFen: l.surplusFen,
      transactionFen: l.transactionFen,
      capitalFen: l.capitalFen,
      providentShareFen: l.providentShareFen,
      deductionFen: l.deductionFen,
      netFen: l.netFen,
    },
    deductionNote: l.deductionNote,
    accountMasked: `${l.household.bankName} ${maskBankAccount(l.household.bankAccount)}`.trim(),
    paymentMethod: "银行转账",
    verificationCode: l.verifyCode ?? "",
    verifyUrl: l.verifyCode ? verifyUrl(baseUrl, l.verifyCode) : "",
    issuedOn: run.issuedAt ? chinaDate(run.issuedAt) : null,
    payment: run.status === "ISSUED" ? statementPaymentOf(l.netFen, l.payments) : undefined,
    ...run.signOff,
    generatedAt: stampNow(),
    draft: run.status !== "ISSUED",
    correction: run.correction ? { of: run.correction.of, ...netChange(run, l.householdId, l.netFen) } : undefined,
  };
}

/** A household's net issued before a correction and after it. */
function netChange(run: Run, householdId: number, differenceFen: bigint) {
  const issuedNetFen = run.correction?.lines.get(householdId)?.netFen ?? 0n;
  return { issuedNetFen, correctedNetFen: issuedNetFen + differenceFen };
}

/** A correction's plan figures as corrected (everything issued before it plus its differences); the run's own otherwise. */
function planTotals(run: Run) {
  const base = run.correction?.totals;
  const plus = (k: "surplusFen" | "providentFen" | "riskFen" | "distributableFen") => (base ? base[k] : 0n) + run[k];
  return { surplusFen: plus("surplusFen"), providentFen: plus("providentFen"), riskFen: plus("riskFen"), distributableFen: plus("distributableFen") };
}

async function fetchLines(where: { runId: number; villageId?: number; id?: number }, skip = 0, take = 1000) {
  return prisma.dividendLine.findMany({ where, include: lineInclude, orderBy: [{ villageId: "asc" }, { id: "asc" }], skip, take });
}

export async function statementOfLine(scope: Scope, lineId: number, baseUrl: string): Promise<StatementDocument | null> {
  const line = await prisma.dividendLine.findFirst({ where: { id: lineId, run: runScopeWhere(scope), ...(scope.kind === "village" ? { villageId: scope.villageId } : {}) }, select: { runId: true } });
  if (!line) return null;
  const run = (await runForDocuments(scope, line.runId))!;
  const [l] = await fetchLines({ runId: line.runId, id: lineId });
  return statementOf(run, l!, baseUrl);
}

/** The statements of a run, fetched a page at a time so that a batch of thousands never sits in memory at once. */
export async function* statementsOf(scope: Scope, run: Run, baseUrl: string): AsyncGenerator<StatementDocument> {
  for (let skip = 0; ; skip += 500) {
    const page = await fetchLines(lineWhere(scope, run.id), skip, 500);
    for (const l of page) yield statementOf(run, l, baseUrl);
    if (page.length < 500) return;
  }
}

export async function coverOf(scope: Scope, run: Run): Promise<RunCover> {
  const where = lineWhere(scope, run.id);
  const agg = await prisma.dividendLine.findMany({ where, select: { householdId: true, guaranteedFen: true, surplusFen: true, transactionFen: true, capitalFen: true, providentShareFen: true, deductionFen: true, netFen: true, shares: true, areaMu: true } });
  const sum = (k: "guaranteedFen" | "surplusFen" | "transactionFen" | "capitalFen" | "providentShareFen" | "deductionFen" | "netFen") => agg.reduce((s, l) => s + l[k], 0n);
  return {
    cooperativeName: run.cooperative.name,
    creditCode: run.cooperative.creditCode,
    year: run.year,
    method: run.method as DividendMethod,
    runTitle: run.title || `${run.year} 年度收益分配方案`,
    resolution: run.resolution,
    incomeFen: run.incomeFen,
    costFen: run.costFen,
    ...planTotals(run),
    providentPercent: run.providentPercent,
    riskPercent: run.riskPercent,
    guaranteePerShare: run.guaranteePerShare,
    sharesPerMu: run.sharesPerMu,
    transactionPercent: run.transactionPercent,
    guaranteedFen: sum("guaranteedFen"),
    surplusSharedFen: sum("surplusFen"),
    transactionFen: sum("transactionFen"),
    capitalFen: sum("capitalFen"),
    providentQuantifiedFen: sum("providentShareFen"),
    deductionFen: sum("deductionFen"),
    netFen: sum("netFen"),
    shortfallFen: run.shortfallFen,
    households: agg.length,
    totalShares: agg.reduce((s, l) => s.plus(l.shares), new Decimal(0)).toFixed(2),
    totalAreaMu: agg.reduce((s, l) => s.plus(l.areaMu), new Decimal(0)).toFixed(2),
    approvedOn: run.approvedAt ? chinaDate(run.approvedAt) : null,
    issuedOn: run.issuedAt ? chinaDate(run.issuedAt) : null,
    generatedAt: stampNow(),
    draft: run.status !== "ISSUED",
    correction: run.correction
      ? (() => {
          const issuedNetFen = agg.reduce((s, l) => s + (run.correction!.lines.get(l.householdId)?.netFen ?? 0n), 0n);
          return { of: run.correction.of, issuedNetFen, correctedNetFen: issuedNetFen + sum("netFen") };
        })()
      : undefined,
  };
}

/** When each household's holding began (the notice's 入股日期), from the same contracts as the share register. */
export async function holdingStarts(cooperativeId: number, year: number): Promise<Map<number, string>> {
  const rows = await equityPlotsOf(prisma as never, cooperativeId, HOLDING_STATUSES, `${year}-01-01`, `${year}-12-31`);
  return holdingSince(rows.map((r) => ({ householdId: r.householdId, areaMu: r.area, startDate: r.startDate, endDate: r.endDate, terminatedOn: r.terminatedOn })), year);
}

export async function noticeOf(scope: Scope, run: Run): Promise<NoticeDocument> {
  const lines = await fetchLines(lineWhere(scope, run.id), 0, 100_000);
  const since = await holdingStarts(run.cooperativeId, run.year);
  return {
    cooperativeName: run.cooperative.name,
    creditCode: run.cooperative.creditCode,
    year: run.year,
    method: run.method as DividendMethod,
    runTitle: run.title || `${run.year} 年度收益分配方案`,
    resolution: run.resolution,
    ...planTotals(run),
    providentPercent: run.providentPercent,
    riskPercent: run.riskPercent,
    guaranteePerShare: run.guaranteePerShare,
    sharesPerMu: run.sharesPerMu,
    transactionPercent: run.transactionPercent,
    rows: lines.map((l) => ({
      householdHead: l.household.headName,
      idMasked: maskIdNumber(l.household.members[0]?.idNumber ?? ""),
      group: l.household.group.name,
      areaMu: l.areaMu,
      shares: l.shares,
      weight: l.weight,
      since: since.get(l.householdId) ?? null,
      guaranteedFen: l.guaranteedFen,
      surplusFen: l.surplusFen,
      transactionFen: l.transactionFen,
      capitalFen: l.capitalFen,
      deductionFen: l.deductionFen,
      netFen: l.netFen,
      ...(run.correction ? netChange(run, l.householdId, l.netFen) : {}),
    })),
    noticeFrom: run.noticeStartsOn ?? "",
    noticeTo: run.noticeEndsOn ?? "",
    contactName: run.cooperative.legalRepresentative,
    contactPhone: run.cooperative.phone,
    complaintPhone: run.contactPhone || run.cooperative.phone,
    supervisoryBody: run.method === "PROFESSIONAL" ? "监事会" : "村务监督委员会",
    publishedOn: run.noticeStartsOn,
    generatedAt: stampNow(),
    draft: run.status === "DRAFT" || run.status === "APPROVED",
    correction: run.correction ? { of: run.correction.of } : undefined,
  };
}

/** The payout roster of a run (发放花名册): per village and group, heads' names, masked IDs, weighted shares and amounts. */
export async function rosterOf(scope: Scope, run: Run): Promise<RosterDocument> {
  const lines = await prisma.dividendLine.findMany({
    where: lineWhere(scope, run.id),
    select: {
      weight: true, guaranteedFen: true, surplusFen: true, transactionFen: true, capitalFen: true, deductionFen: true, deductionNote: true, netFen: true, villageId: true,
      household: { select: { code: true, headName: true, village: { select: { name: true } }, group: { select: { name: true } }, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true } } } },
    },
  });
  lines.sort((a, b) => a.villageId - b.villageId || a.household.group.name.localeCompare(b.household.group.name, "zh-CN", { numeric: true }) || a.household.code.localeCompare(b.household.code));
  const groups: RosterGroup[] = [];
  for (const l of lines) {
    let g = groups[groups.length - 1];
    if (!g || g.village !== l.household.village.name || g.group !== l.household.group.name) {
      g = { village: l.household.village.name, group: l.household.group.name, rows: [] };
      groups.push(g);
    }
    g.rows.push({
      householdHead: l.household.headName,
      idMasked: maskIdNumber(l.household.members[0]?.idNumber ?? ""),
      weight: new Decimal(l.weight).toDecimalPlaces(4).toFixed(),
      grossFen: l.guaranteedFen + l.surplusFen + l.transactionFen + l.capitalFen,
      deductionFen: l.deductionFen,
      deductionNote: l.deductionNote,
      netFen: l.netFen,
    });
  }
  return {
    cooperativeName: run.cooperative.name,
    creditCode: run.cooperative.creditCode,
    year: run.year,
    runLabel: runLabel(run),
    groups,
    ...run.signOff,
    issuedOn: run.issuedAt ? chinaDate(run.issuedAt) : null,
    generatedAt: stampNow(),
    correction: run.correction ? { of: run.correction.of } : undefined,
  };
}
