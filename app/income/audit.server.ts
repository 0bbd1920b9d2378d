/**
 * The township's income audit (read-only): per village and for the
 * township, from the stored per-household-year figures (figures.server.ts),
 * which are brought up to date with every record before they are read.
 */
import type { CurrentUser } from "~/auth/session.server";
import { can } from "~/auth/permissions";
import { currentYear, formatInstant, now, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { auditTownship, auditVillage, type VillageAudit } from "./audit";
import { auditInputsVersion, ensureFigures, storedHouseholdYears, storedSummaryRows, storedTrend } from "./figures.server";
import { monitoringLineFor, owedSums, type Place } from "./income.server";

/** Audits look at whole years; the default is the last finished one. */
export function auditYear(param: string | null): number {
  const current = currentYear();
  const y = Number(param);
  return Number.isInteger(y) && y >= 2015 && y <= current ? y : current - 1;
}

/** The township the user audits: their own, or their village's. */
export async function auditPlaceOf(user: CurrentUser): Promise<Place | null> {
  switch (user.scope.kind) {
    case "township":
      return { townshipId: user.scope.townshipId, villageId: null };
    case "village":
      return { townshipId: user.scope.townshipId, villageId: user.scope.villageId };
    default:
      return null;
  }
}

type TownshipAudit = Awaited<ReturnType<typeof computeTownshipAudit>>;

/**
 * The last township audits computed in this process, each with the text of
 * everything it was computed from (auditInputsVersion and what is owed, read
 * before the figures): a request whose inputs read the same gets the same
 * result without reading the figures again, or waits for the computation
 * already under way. Any write the figures depend on moves the clock in that
 * text, so a changed input is never served from here.
 */
const memo = new Map<string, { version: string; value: Promise<TownshipAudit> }>();
const MEMO_ENTRIES = 32;

/**
 * The township audit page: per village and for the whole township (or the
 * user's village). The result may be shared with other requests: read it,
 * never change it. `memo: false` computes it afresh (the bench's figure).
 */
export async function townshipAudit(place: Place, year: number, opts: { memo?: boolean } = {}): Promise<TownshipAudit> {
  const asOf = today();
  if (opts.memo === false) return computeTownshipAudit(place, year, asOf);
  const [inputs, owed] = await Promise.all([auditInputsVersion(place, year), owedSums(place, asOf)]);
  const key = `${place.townshipId}:${place.villageId ?? ""}:${year}:${asOf}`;
  const version = `${inputs}\n${owed.text}`;
  const hit = memo.get(key);
  if (hit && hit.version === version) return hit.value;
  const entry = { version, value: computeTownshipAudit(place, year, asOf, owed) };
  memo.delete(key);
  memo.set(key, entry);
  if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  // a failed computation is not kept
  entry.value.catch(() => {
    if (memo.get(key) === entry) memo.delete(key);
  });
  return entry.value;
}

async function computeTownshipAudit(place: Place, year: number, asOf: string, owed?: Awaited<ReturnType<typeof owedSums>>) {
  const [rows, line, township, villages] = await Promise.all([
    storedSummaryRows(place, year, asOf, owed),
    monitoringLineFor(place.townshipId, year),
    prisma.township.findUnique({ where: { id: place.townshipId }, select: { name: true } }),
    prisma.village.findMany({ where: place.villageId == null ? { townshipId: place.townshipId } : { id: place.villageId }, select: { id: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  const lineFen = line?.amountFen ?? null;
  const byVillage = new Map<number, typeof rows>();
  for (const r of rows) {
    let list = byVillage.get(r.villageId);
    if (!list) byVillage.set(r.villageId, (list = []));
    list.push(r);
  }
  // The township page lists no households: only counts and totals are built
  // (storedSummaryRows carries no names, so summaryOnly is required here).
  const audits: VillageAudit[] = villages.map((v) => auditVillage(byVillage.get(v.id) ?? [], { villageId: v.id, villageName: v.name, year, lineFen, summaryOnly: true }));
  const whole = auditVillage(rows, { villageId: 0, villageName: township?.name ?? "", year, lineFen, summaryOnly: true });
  return { year, asOf, townshipName: township?.name ?? "", line, summary: auditTownship(audits), whole };
}

export async function villageAudit(user: CurrentUser, villageId: number, year: number) {
  const village = await prisma.village.findUnique({ where: { id: villageId }, select: { id: true, name: true, townshipId: true, township: { select: { name: true } } } });
  if (!village || !can(user, "read:audit-view", { townshipId: village.townshipId, villageId: village.id })) return null;
  const place = { townshipId: village.townshipId, villageId: village.id };
  const asOf = today();
  const years = [year - 4, year - 3, year - 2, year - 1, year];
  // one recomputation for the five years, rather than one per reader below
  // (which fall back to the exact sums by themselves if it cannot be done)
  await ensureFigures(place, years).catch(() => {});
  const [rows, line, points] = await Promise.all([storedHouseholdYears(place, year, asOf), monitoringLineFor(village.townshipId, year), storedTrend(place, years)]);
  const audit = auditVillage(rows, { villageId: village.id, villageName: village.name, year, lineFen: line?.amountFen ?? null });
  return { village: { id: village.id, name: village.name, townshipName: village.township.name }, year, asOf, line, audit, trend: points };
}

/** What the PDF report and the workbook are made from: exactly the village page's figures. */
export function auditDocumentInput(v: NonNullable<Awaited<ReturnType<typeof villageAudit>>>, user: CurrentUser) {
  return {
    township: v.village.townshipName,
    village: v.audit,
    trend: v.trend,
    line: v.line ? { amountFen: v.line.amountFen, source: v.line.source } : null,
    // printed on the report: China time, whatever the server's TZ
    generatedAt: formatInstant(now()),
    generatedBy: user.displayName,
  };
}
