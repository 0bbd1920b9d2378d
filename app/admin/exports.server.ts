/**
 * The list pages as Excel workbooks: households (with a sheet of members),
 * contracted plots, the contract list, arrears and orchard plots.
 *
 * - Same rows as on screen: the filters are read as the pages read them
 *   (list-filters.ts) and applied with the same scope and where-clauses;
 *   the lists are paged, so the unpaged selection is built here.
 * - Personal data: ID numbers, bank accounts, phones and birth dates as the
 *   one policy says (~/registry/privacy.ts, as on the household page): in
 *   full only to the village secretary who keeps the household; everyone
 *   else gets them masked, and the birth year only beside a masked ID.
 * - Traceable: each export is recorded in the audit trail (who, which list,
 *   filters, row counts, masked or not) before any row leaves.
 * - Large scopes stream (xlsx-stream.server.ts): the selection is a list of
 *   ids, read back in chunks while the file is already downloading.
 */
import { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import type { Scope } from "~/auth/permissions";
import { householdScopeWhere, placeScopeWhere, villageScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { sumAreas } from "~/contracts/contract-form";
import { contractList } from "~/contracts/contracts.server";
import { chinaDateTime, now as clockNow, today } from "~/lib/dates";
import { arrears } from "~/contracts/rent.server";
import { effectiveStatus } from "~/contracts/status";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import type { Translate } from "~/lib/i18n";
import type { XlsxColumn } from "~/lib/xlsx.server";
import { plotScopeWhere } from "~/plots/plots.server";
import { MASKED_VIEW, personalView, seesPersonalData, type PersonalView } from "~/registry/privacy";
import { parseSearch } from "~/registry/search-terms";
import type { ContractListFilters, HouseholdListFilters, OrchardPlotFilters } from "./list-filters";
import { XlsxStreamWriter, yieldToEventLoop, type SheetWriter } from "./xlsx-stream.server";

export type ExportList = "households" | "contracted-plots" | "contracts" | "arrears" | "orchard-plots";

export interface ExportContext {
  user: CurrentUser;
  t: Translate;
  /** households up to which the members sheet is written from one read (default 20,000; tests lower it) */
  onePassUpTo?: number;
}

export interface ExportFile {
  body: ReadableStream<Uint8Array>;
  fileName: string;
  /** rows of the main sheet */
  rows: number;
}

/** Ids per query: within the bind-variable limit of Prisma's SQLite adapter (999), and a short turn of the event loop. */
const CHUNK = 500;

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** "2026-01-05 14:03", China time, for the title rows. */
export function exportTime(at: Date = clockNow()): string {
  return chinaDateTime(at);
}

// ─── Place, filters, audit ─────────────────────────────────────────────────

interface Place {
  name: string;
  townshipId: number | null;
  villageId: number | null;
}

async function placeOf(ctx: ExportContext, villageId?: number): Promise<Place> {
  const { user, t } = ctx;
  if (villageId) {
    const v = await prisma.village.findFirst({
      where: { AND: [{ id: villageId }, villageScopeWhere(user.scope)] },
      select: { id: true, name: true, townshipId: true, township: { select: { name: true } } },
    });
    // Another village's id answers 404, as its pages do: never the user's own rows under a foreign heading.
    if (!v) notFound();
    return { name: `${v.township.name} ${v.name}`, townshipId: v.townshipId, villageId: v.id };
  }
  const s = user.scope;
  return {
    name: s.kind === "all" ? t("export.place.all") : user.scopeName,
    townshipId: s.kind === "all" ? null : s.townshipId,
    villageId: s.kind === "village" ? s.villageId : null,
  };
}

/** A search as it may appear in the trail and on the sheet: an ID number or a phone typed into the box is masked. */
function safeQuery(q: string): string {
  const w = q.trim();
  if (/^[\dxX-]{15,}$/.test(w)) return MASKED_VIEW.idNumber(w);
  if (/^[\d-]{5,14}$/.test(w)) return MASKED_VIEW.phone(w);
  return w;
}

async function describeHouseholdFilters(ctx: ExportContext, f: HouseholdListFilters): Promise<{ text: string; record: Record<string, unknown> }> {
  const { t, user } = ctx;
  const parts: string[] = [];
  if (f.villageId) {
    const v = await prisma.village.findFirst({ where: { AND: [{ id: f.villageId }, villageScopeWhere(user.scope)] }, select: { name: true } });
    if (!v) notFound();
    parts.push(`${t("export.filter.village")}：${v.name}`);
  }
  if (f.groupId) {
    const g = await prisma.villagerGroup.findFirst({ where: { id: f.groupId, village: villageScopeWhere(user.scope) }, select: { name: true } });
    if (!g) notFound();
    parts.push(`${t("export.filter.group")}：${g.name}`);
  }
  if (f.status) parts.push(`${t("export.filter.status")}：${t(`status.${f.status}`)}`);
  if (f.q.trim()) parts.push(`${t("export.filter.search")}：“${safeQuery(f.q)}”`);
  return {
    text: parts.join("，"),
    record: { village: f.villageId ?? null, group: f.groupId ?? null, status: f.status ?? null, q: f.q.trim() ? safeQuery(f.q) : null },
  };
}

function subtitle(ctx: ExportContext, filters: string, count: number, masking: "masked" | "full" | "none"): string {
  const { t, user } = ctx;
  const meta = t("export.meta", {
    filters: filters || t("export.filter.none"),
    time: exportTime(),
    who: `${user.displayName}（${user.username}）`,
    count,
  });
  return masking === "none" ? meta : `${meta}　${t(masking === "masked" ? "export.masked" : "export.full")}`;
}

async function recordExport(ctx: ExportContext, list: ExportList, place: Place, after: Record<string, unknown>): Promise<void> {
  const { user } = ctx;
  await recordAudit({
    actor: { id: user.id, name: user.username },
    action: "export",
    entity: "Export",
    entityId: list,
    townshipId: place.townshipId,
    villageId: place.villageId,
    after: { list, ...after },
  });
}

/**
 * Runs the row writing after the response has been handed back, so the
 * download starts at once; a failure ends the download as failed. Stops
 * early when the client goes away.
 */
function writeInBackground(w: XlsxStreamWriter, fill: () => Promise<void>): void {
  void (async () => {
    try {
      await fill();
      await w.finish();
    } catch (e) {
      if (!w.closed) {
        console.error("export failed", e);
        w.fail(e);
      }
    }
  })();
}

const fileName = (title: string) => `${title}-${today()}.xlsx`;

// ─── Households ────────────────────────────────────────────────────────────

interface Selected {
  id: number;
  townshipId: number;
  villageId: number;
}

/** listHouseholds' where-clause without the search. */
function householdListWhere(scope: Scope, f: HouseholdListFilters): Prisma.HouseholdWhereInput {
  return {
    AND: [householdScopeWhere(scope), f.villageId ? { villageId: f.villageId } : {}, f.groupId ? { groupId: f.groupId } : {}, f.status ? { status: f.status } : {}],
  };
}

/**
 * The households of the list, in its order (township, village, id), unpaged.
 * Without a search this is listHouseholds' where-clause; with one, the same
 * search index read the same way (every word must match one household; a
 * partial ID number or phone matches by prefix), then the list's filters.
 */
export async function selectHouseholds(scope: Scope, f: HouseholdListFilters): Promise<Selected[]> {
  const filters = householdListWhere(scope, f).AND as Prisma.HouseholdWhereInput[];
  const select = { id: true, townshipId: true, villageId: true } as const;
  const query = parseSearch(f.q);
  if (query.kind === "none") {
    return prisma.household.findMany({ where: { AND: filters }, select, orderBy: [{ townshipId: "asc" }, { villageId: "asc" }, { id: "asc" }] });
  }
  const termScope = placeScopeWhere(scope, (s) => ({ villageId: { in: s.villageIds } })) as Prisma.HouseholdSearchTermWhereInput;
  const termWhere = (term: Prisma.HouseholdSearchTermWhereInput): Prisma.HouseholdSearchTermWhereInput => ({
    AND: [term, termScope, f.villageId ? { villageId: f.villageId } : {}],
  });
  let matched = new Set<number>();
  if (query.kind === "exact") {
    for (const [i, term] of query.terms.entries()) {
      const rows = await prisma.householdSearchTerm.findMany({ where: termWhere({ term }), select: { householdId: true } });
      const ids = new Set(rows.map((r) => r.householdId));
      matched = i === 0 ? ids : new Set([...matched].filter((id) => ids.has(id)));
      if (matched.size === 0) break;
    }
  } else {
    const rows = await prisma.householdSearchTerm.findMany({
      where: termWhere({ OR: query.prefixes.map((p) => ({ term: { gte: p, lt: p + "\uffff" } })) }),
      select: { householdId: true },
    });
    matched = new Set(rows.map((r) => r.householdId));
  }
  const found: Selected[] = [];
  for (const chunk of chunks([...matched], CHUNK)) {
    found.push(...(await prisma.household.findMany({ where: { AND: [{ id: { in: chunk } }, ...filters] }, select })));
  }
  return found.sort((a, b) => a.townshipId - b.townshipId || a.villageId - b.villageId || a.id - b.id);
}

interface HouseholdData {
  id: number;
  code: string;
  townshipId: number;
  villageId: number;
  groupId: number;
  headName: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
  status: string;
  statusYear: number | null;
  members: { name: string; relation: string; idNumber: string; sex: string; birthDate: string; ableToWork: boolean; phone: string }[];
}

function scopeSql(scope: Scope): Prisma.Sql {
  switch (scope.kind) {
    case "all":
      return Prisma.empty;
    case "township":
      return Prisma.sql` AND townshipId = ${scope.townshipId}`;
    case "village":
      return Prisma.sql` AND villageId = ${scope.villageId}`;
    case "cooperative":
      return scope.villageIds.length ? Prisma.sql` AND villageId IN (${Prisma.join(scope.villageIds)})` : Prisma.sql` AND 0`;
  }
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));

/**
 * Households of a chunk of ids with their current members, inside the scope.
 * Two plain SQL reads: Prisma's typed nested read of the same rows takes
 * about ten times as long (3 s instead of 0.3 s for a township's 28,000
 * rows), which is most of an export's time.
 */
async function householdsWithMembers(scope: Scope, ids: number[]): Promise<Map<number, HouseholdData>> {
  type H = Omit<HouseholdData, "members" | "id" | "townshipId" | "villageId" | "groupId" | "statusYear"> & Record<"id" | "townshipId" | "villageId" | "groupId", number | bigint> & { statusYear: number | bigint | null };
  type P = { householdId: number | bigint; name: string; relation: string; idNumber: string; sex: string; birthDate: string; ableToWork: number | bigint | boolean; phone: string };
  const households = await prisma.$queryRaw<H[]>(
    Prisma.sql`SELECT id, code, townshipId, villageId, groupId, headName, address, phone, bankName, bankAccount, status, statusYear
      FROM Household WHERE id IN (${Prisma.join(ids)})${scopeSql(scope)}`,
  );
  const out = new Map<number, HouseholdData>();
  for (const h of households) {
    out.set(Number(h.id), { ...h, id: Number(h.id), townshipId: Number(h.townshipId), villageId: Number(h.villageId), groupId: Number(h.groupId), statusYear: num(h.statusYear), members: [] });
  }
  if (out.size === 0) return out;
  const people = await prisma.$queryRaw<P[]>(
    Prisma.sql`SELECT householdId, name, relation, idNumber, sex, birthDate, ableToWork, phone
      FROM Person WHERE leftOn IS NULL AND householdId IN (${Prisma.join([...out.keys()])}) ORDER BY id`,
  );
  for (const p of people) {
    out.get(Number(p.householdId))?.members.push({ name: p.name, relation: p.relation, idNumber: p.idNumber, sex: p.sex, birthDate: p.birthDate, ableToWork: Boolean(Number(p.ableToWork)), phone: p.phone });
  }
  return out;
}

/** Names of the villages and groups in scope, looked up once instead of joined on every row. */
async function placeNames(scope: Scope) {
  const villages = await prisma.village.findMany({
    where: villageScopeWhere(scope),
    select: { id: true, name: true, township: { select: { name: true } }, groups: { select: { id: true, name: true } } },
  });
  return {
    village: new Map(villages.map((v) => [v.id, v.name])),
    township: new Map(villages.map((v) => [v.id, v.township.name])),
    group: new Map(villages.flatMap((v) => v.groups.map((g) => [g.id, g.name] as const))),
  };
}

interface HouseholdRow {
  no: number;
  township: string;
  village: string;
  group: string;
  code: string;
  head: string;
  headId: string;
  status: string;
  statusYear: number | null;
  members: number;
  phone: string;
  bankName: string;
  bankAccount: string;
  address: string;
}

interface MemberRow {
  no: number;
  township: string;
  village: string;
  code: string;
  head: string;
  name: string;
  relation: string;
  idNumber: string;
  sex: string;
  birthDate: string;
  ableToWork: string;
  phone: string;
}

/** Households of the list with their current members, as a workbook of two sheets. */
export async function exportHouseholds(ctx: ExportContext, f: HouseholdListFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const selected = await selectHouseholds(user.scope, f);
  const ids = selected.map((h) => h.id);
  let memberCount = 0;
  if (parseSearch(f.q).kind === "none") memberCount = await prisma.person.count({ where: { leftOn: null, household: householdListWhere(user.scope, f) } });
  else for (const chunk of chunks(ids, CHUNK)) memberCount += await prisma.person.count({ where: { leftOn: null, householdId: { in: chunk } } });
  // Full values only where the user may manage every household of the file.
  const full = selected.length > 0 && selected.every((h) => seesPersonalData(user, h));
  const place = await placeOf(ctx, f.villageId);
  const filters = await describeHouseholdFilters(ctx, f);
  const title = `${t("export.households.title")} ${place.name}`.trim();
  await recordExport(ctx, "households", place, { filters: filters.record, rows: selected.length, members: memberCount, masked: !full });

  const names = await placeNames(user.scope);
  const manyTownships = user.scope.kind === "all";
  const w = new XlsxStreamWriter();
  const withTownship = <T,>(cols: XlsxColumn<T>[], value: (r: T) => string): XlsxColumn<T>[] =>
    manyTownships ? [cols[0]!, { header: t("export.col.township"), type: "text", value, width: 10 }, ...cols.slice(1)] : cols;
  const idHeader = t(full ? "export.col.idNumber" : "export.col.idNumberMasked");
  const households: SheetWriter<HouseholdRow> = w.addSheet<HouseholdRow>({
    name: t("export.households.sheet"),
    title,
    subtitle: subtitle(ctx, filters.text, selected.length, full ? "full" : "masked"),
    columns: withTownship<HouseholdRow>(
      [
        { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
        { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
        { header: t("export.col.group"), type: "text", value: (r) => r.group, width: 14 },
        { header: t("export.col.householdCode"), type: "text", value: (r) => r.code, width: 10 },
        { header: t("export.col.head"), type: "text", value: (r) => r.head, width: 10 },
        { header: idHeader, type: "text", value: (r) => r.headId, width: 21 },
        { header: t("export.col.status"), type: "text", value: (r) => r.status, width: 8 },
        { header: t("export.col.statusYear"), type: "integer", value: (r) => r.statusYear, width: 8 },
        { header: t("export.col.members"), type: "integer", value: (r) => r.members, width: 6 },
        { header: t("export.col.phone"), type: "text", value: (r) => r.phone, width: 13 },
        { header: t("export.col.bankName"), type: "text", value: (r) => r.bankName, width: 16 },
        { header: t("export.col.bankAccount"), type: "text", value: (r) => r.bankAccount, width: 22 },
        { header: t("export.col.address"), type: "text", value: (r) => r.address, width: 24 },
      ],
      (r) => r.township,
    ),
  });
  const membersSheet = (): SheetWriter<MemberRow> => w.addSheet<MemberRow>({
    name: t("export.members.sheet"),
    title: `${t("export.members.title")} ${place.name}`.trim(),
    subtitle: subtitle(ctx, filters.text, memberCount, full ? "full" : "masked"),
    columns: withTownship<MemberRow>(
      [
        { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
        { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
        { header: t("export.col.householdCode"), type: "text", value: (r) => r.code, width: 10 },
        { header: t("export.col.head"), type: "text", value: (r) => r.head, width: 10 },
        { header: t("export.col.name"), type: "text", value: (r) => r.name, width: 10 },
        { header: t("export.col.relation"), type: "text", value: (r) => r.relation, width: 10 },
        { header: idHeader, type: "text", value: (r) => r.idNumber, width: 21 },
        { header: t("export.col.sex"), type: "text", value: (r) => r.sex, width: 6 },
        // masked, the year alone: the masked ID number hides exactly the birth date
        full
          ? { header: t("export.col.birthDate"), type: "date", value: (r) => r.birthDate, width: 11 }
          : { header: t("export.col.birthYear"), type: "text", value: (r) => r.birthDate, width: 8 },
        { header: t("export.col.ableToWork"), type: "text", value: (r) => r.ableToWork, width: 8 },
        { header: t("export.col.phone"), type: "text", value: (r) => r.phone, width: 13 },
      ],
      (r) => r.township,
    ),
  });

  const pass = async (write: (h: HouseholdData, view: PersonalView) => void) => {
    for (const chunk of chunks(ids, CHUNK)) {
      if (w.closed) return;
      const byId = await householdsWithMembers(user.scope, chunk);
      for (const id of chunk) {
        const h = byId.get(id);
        if (h) write(h, personalView(user, h));
      }
      await w.drained();
      await yieldToEventLoop();
    }
  };
  const memberRows = (h: HouseholdData, view: PersonalView, add: (r: Omit<MemberRow, "no">) => void) => {
    const ordered = [...h.members.filter((m) => m.relation === "HEAD"), ...h.members.filter((m) => m.relation !== "HEAD")];
    for (const m of ordered) {
      add({
        township: names.township.get(h.villageId) ?? "",
        village: names.village.get(h.villageId) ?? "",
        code: h.code,
        head: h.headName,
        name: m.name,
        relation: t(`relation.${m.relation}`),
        idNumber: view.idNumber(m.idNumber),
        sex: t(`sex.${m.sex}`),
        birthDate: view.birthDate(m.birthDate),
        ableToWork: m.ableToWork ? t("export.yes") : t("export.no"),
        phone: view.phone(m.phone),
      });
    }
  };
  // A sheet's rows can only leave once the sheet before it is closed. Up to
  // a township's size the members wait as plain rows; beyond, a second pass
  // over the households writes them (a district has 350,000).
  const onePass = ids.length <= (ctx.onePassUpTo ?? 20_000);
  writeInBackground(w, async () => {
    const waiting: Omit<MemberRow, "no">[] = [];
    await pass((h, view) => {
      const head = h.members.find((m) => m.relation === "HEAD");
      households.add({
        no: households.count + 1,
        township: names.township.get(h.villageId) ?? "",
        village: names.village.get(h.villageId) ?? "",
        group: names.group.get(h.groupId) ?? "",
        code: h.code,
        head: h.headName,
        headId: head ? view.idNumber(head.idNumber) : "",
        status: t(`status.${h.status}`),
        statusYear: h.statusYear,
        members: h.members.length,
        phone: view.phone(h.phone),
        bankName: h.bankName,
        bankAccount: view.bankAccount(h.bankAccount),
        address: h.address,
      });
      if (onePass) memberRows(h, view, (r) => waiting.push(r));
    });
    households.end();
    const members = membersSheet();
    const add = (r: Omit<MemberRow, "no">) => members.add({ no: members.count + 1, ...r });
    if (onePass) {
      for (const [i, r] of waiting.entries()) {
        add(r);
        if (i % 2000 === 1999) {
          await w.drained();
          await yieldToEventLoop();
        }
      }
    } else await pass((h, view) => memberRows(h, view, add));
  });
  return { body: w.body, fileName: fileName(title), rows: selected.length };
}

// ─── Contracted plots (承包地块) ────────────────────────────────────────────

interface PlotRow {
  no: number;
  village: string;
  group: string;
  householdCode: string;
  head: string;
  parcelCode: string;
  name: string;
  category: string;
  contractArea: string;
  measuredArea: string | null;
  landClass: string;
  grade: string;
  basicFarmland: string;
  east: string;
  south: string;
  west: string;
  north: string;
  contractEnd: string;
}

/** The contracted plots of the households on the list (same filters), one row per plot. */
export async function exportContractedPlots(ctx: ExportContext, f: HouseholdListFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const selected = await selectHouseholds(user.scope, f);
  const ids = selected.map((h) => h.id);
  const plotScope = placeScopeWhere(user.scope, (s) => ({ villageId: { in: s.villageIds } })) as Prisma.ContractedPlotWhereInput;
  let count = 0;
  for (const chunk of chunks(ids, CHUNK)) count += await prisma.contractedPlot.count({ where: { AND: [{ householdId: { in: chunk } }, plotScope] } });
  const place = await placeOf(ctx, f.villageId);
  const filters = await describeHouseholdFilters(ctx, f);
  const title = `${t("export.contractedPlots.title")} ${place.name}`.trim();
  await recordExport(ctx, "contracted-plots", place, { filters: filters.record, rows: count, households: selected.length });

  const names = await placeNames(user.scope);
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<PlotRow>({
    name: t("export.contractedPlots.sheet"),
    title,
    subtitle: subtitle(ctx, filters.text, count, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
      { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
      { header: t("export.col.group"), type: "text", value: (r) => r.group, width: 14 },
      { header: t("export.col.householdCode"), type: "text", value: (r) => r.householdCode, width: 10 },
      { header: t("export.col.head"), type: "text", value: (r) => r.head, width: 10 },
      { header: t("plots.parcelCode"), type: "text", value: (r) => r.parcelCode, width: 22 },
      { header: t("plots.name"), type: "text", value: (r) => r.name, width: 12 },
      { header: t("plots.category"), type: "text", value: (r) => r.category, width: 10 },
      { header: t("plots.contractArea"), type: "decimal", value: (r) => r.contractArea, width: 10, total: "sum" },
      { header: t("plots.measuredArea"), type: "decimal", value: (r) => r.measuredArea, width: 10, total: "sum" },
      { header: t("plots.landClass"), type: "text", value: (r) => r.landClass, width: 8 },
      { header: t("plots.grade"), type: "text", value: (r) => r.grade, width: 6 },
      { header: t("plots.basicFarmland"), type: "text", value: (r) => r.basicFarmland, width: 8 },
      { header: t("plots.east"), type: "text", value: (r) => r.east, width: 10 },
      { header: t("plots.south"), type: "text", value: (r) => r.south, width: 10 },
      { header: t("plots.west"), type: "text", value: (r) => r.west, width: 10 },
      { header: t("plots.north"), type: "text", value: (r) => r.north, width: 10 },
      { header: t("plots.contractEnd"), type: "date", value: (r) => r.contractEnd, width: 11 },
    ],
  });

  writeInBackground(w, async () => {
    const yes = t("export.yes");
    const no = t("export.no");
    for (const chunk of chunks(ids, CHUNK)) {
      if (w.closed) return;
      const [plots, heads] = await Promise.all([
        prisma.contractedPlot.findMany({
          where: { AND: [{ householdId: { in: chunk } }, plotScope] },
          orderBy: [{ householdId: "asc" }, { parcelCode: "asc" }],
          select: {
            householdId: true,
            villageId: true,
            groupId: true,
            parcelCode: true,
            name: true,
            category: true,
            contractArea: true,
            measuredArea: true,
            landClass: true,
            grade: true,
            basicFarmland: true,
            east: true,
            south: true,
            west: true,
            north: true,
            contractEnd: true,
          },
        }),
        prisma.household.findMany({ where: { id: { in: chunk } }, select: { id: true, code: true, headName: true } }),
      ]);
      const head = new Map(heads.map((h) => [h.id, h]));
      const byHousehold = new Map<number, typeof plots>();
      for (const p of plots) byHousehold.set(p.householdId, [...(byHousehold.get(p.householdId) ?? []), p]);
      for (const id of chunk) {
        for (const p of byHousehold.get(id) ?? []) {
          sheet.add({
            no: sheet.count + 1,
            village: names.village.get(p.villageId) ?? "",
            group: names.group.get(p.groupId) ?? "",
            householdCode: head.get(id)?.code ?? "",
            head: head.get(id)?.headName ?? "",
            parcelCode: p.parcelCode,
            name: p.name,
            category: t(`pcat.${p.category}`),
            contractArea: p.contractArea,
            measuredArea: p.measuredArea,
            landClass: p.landClass,
            grade: p.grade,
            basicFarmland: p.basicFarmland ? yes : no,
            east: p.east,
            south: p.south,
            west: p.west,
            north: p.north,
            contractEnd: p.contractEnd,
          });
        }
      }
      await w.drained();
      await yieldToEventLoop();
    }
  });
  return { body: w.body, fileName: fileName(title), rows: count };
}

// ─── Contracts ─────────────────────────────────────────────────────────────

/** listContracts' where-clause (contracts.server.ts), for the unpaged list. */

interface ContractRow {
  no: number;
  contractNo: string;
  draftNo: string;
  village: string;
  status: string;
  form: string;
  use: string;
  transferors: string;
  transferee: string;
  area: string;
  startDate: string;
  endDate: string;
  rent: string;
  signedDate: string | null;
  filedDate: string | null;
}

export async function exportContracts(ctx: ExportContext, f: ContractListFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const now = today();
  // the list's rows and order, unpaged; a search is literal as on the page
  const { rows } = await contractList(user.scope, f, null, now);
  const place = await placeOf(ctx);
  const parts: string[] = [];
  if (f.status) parts.push(`${t("export.filter.status")}：${t(`cstatus.${f.status}`)}`);
  if (f.form) parts.push(`${t("export.filter.form")}：${t(`cform.${f.form}`)}`);
  if (f.endingWithinDays) parts.push(t("export.filter.ending", { days: f.endingWithinDays }));
  if (f.q) parts.push(`${t("export.filter.search")}：“${f.q}”`);
  const title = `${t("export.contracts.title")} ${place.name}`.trim();
  await recordExport(ctx, "contracts", place, { filters: { status: f.status ?? null, form: f.form ?? null, ending: f.endingWithinDays ?? null, q: f.q ?? null }, rows: rows.length });

  // as listContracts: a cooperative's contracts may lie in villages it does not serve
  const villages = new Map(
    (await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]),
  );
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<ContractRow>({
    name: t("export.contracts.sheet"),
    title,
    subtitle: subtitle(ctx, parts.join("，"), rows.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractNo, width: 18 },
      { header: t("export.col.draftNo"), type: "text", value: (r) => r.draftNo, width: 16 },
      { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
      { header: t("export.col.status"), type: "text", value: (r) => r.status, width: 8 },
      { header: t("export.col.form"), type: "text", value: (r) => r.form, width: 8 },
      { header: t("export.col.use"), type: "text", value: (r) => r.use, width: 10 },
      { header: t("export.col.transferors"), type: "text", value: (r) => r.transferors, width: 24 },
      { header: t("export.col.transferee"), type: "text", value: (r) => r.transferee, width: 22 },
      { header: t("export.col.area"), type: "decimal", value: (r) => r.area, width: 10, total: "sum" },
      { header: t("export.col.startDate"), type: "date", value: (r) => r.startDate, width: 11 },
      { header: t("export.col.endDate"), type: "date", value: (r) => r.endDate, width: 11 },
      { header: t("export.col.rent"), type: "text", value: (r) => r.rent, width: 18 },
      { header: t("export.col.signedDate"), type: "date", value: (r) => r.signedDate, width: 11 },
      { header: t("export.col.filedDate"), type: "date", value: (r) => r.filedDate, width: 11 },
    ],
  });
  writeInBackground(w, async () => {
    for (const r of rows) {
      sheet.add({
        no: sheet.count + 1,
        contractNo: r.contractNo ?? "",
        draftNo: r.draftNo,
        village: villages.get(r.villageId) ?? "",
        status: t(`cstatus.${effectiveStatus(r, now)}`),
        form: t(`cform.${r.form}`),
        use: t(`cuse.${r.use}`),
        transferors: r.parties.map((p) => p.household.headName).join("、"),
        transferee: r.cooperative?.name ?? r.transfereeName,
        area: sumAreas(r.plots.map((p) => p.area)).toFixed(2),
        startDate: r.startDate,
        endDate: r.endDate,
        rent:
          r.rentKind === "CASH"
            ? `${r.rentPerMu ?? ""} ${t("unit.yuanPerMu")}`
            : `${t(`crop.${r.inKindCrop}`)} ${r.inKindJinPerMu ?? ""} ${t("unit.jinPerMu")}`,
        signedDate: r.signedDate,
        filedDate: r.filedDate,
      });
      if (sheet.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: fileName(title), rows: rows.length };
}

// ─── Arrears ───────────────────────────────────────────────────────────────

const BUCKETS = ["DUE", "D1_30", "D31_90", "D90_PLUS"] as const;

type Sum = { outstandingFen: bigint; penaltyFen: bigint; penaltyPaidFen: bigint; penaltyWaivedFen: bigint; penaltyOutstandingFen: bigint; buckets: Record<string, bigint> };

/** Arrears as on the page (as of today): by household, by contract, and every overdue installment. */
export async function exportArrears(ctx: ExportContext): Promise<ExportFile> {
  const { user, t } = ctx;
  const a = await arrears(user.scope, today());
  const place = await placeOf(ctx);
  const title = `${t("export.arrears.title")} ${place.name}`.trim();
  await recordExport(ctx, "arrears", place, { asOf: a.asOf, rows: a.byHousehold.length, contracts: a.byContract.length, installments: a.lines.length });
  const filters = t("export.filter.asOf", { date: a.asOf });
  const sumColumns = <T extends Sum>(): XlsxColumn<T>[] => [
    ...BUCKETS.map((b) => ({ header: t(`aging.${b}`), type: "money" as const, value: (r: T) => r.buckets[b] ?? 0n, width: 13, total: "sum" as const })),
    { header: t("export.col.outstanding"), type: "money", value: (r: T) => r.outstandingFen, width: 13, total: "sum" },
    // The late penalty accrued, paid, waived and outstanding apart (contracts/penalty.ts).
    { header: t("penalty.accrued"), type: "money", value: (r: T) => r.penaltyFen, width: 12, total: "sum" },
    { header: t("penalty.paid"), type: "money", value: (r: T) => r.penaltyPaidFen, width: 12, total: "sum" },
    { header: t("penalty.waived"), type: "money", value: (r: T) => r.penaltyWaivedFen, width: 12, total: "sum" },
    { header: t("penalty.outstanding"), type: "money", value: (r: T) => r.penaltyOutstandingFen, width: 12, total: "sum" },
  ];
  type ByHousehold = Sum & { headName: string; villageName: string };
  type ByContract = Sum & { contractLabel: string; villageName: string };
  type Line = (typeof a.lines)[number];
  const w = new XlsxStreamWriter();
  const households = w.addSheet<ByHousehold>({
    name: t("export.arrears.byHousehold"),
    title,
    subtitle: subtitle(ctx, filters, a.byHousehold.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.head"), type: "text", value: (r) => r.headName, width: 10 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      ...sumColumns<ByHousehold>(),
    ],
  });
  const contracts = w.addSheet<ByContract>({
    name: t("export.arrears.byContract"),
    title,
    subtitle: subtitle(ctx, filters, a.byContract.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractLabel, width: 18 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      ...sumColumns<ByContract>(),
    ],
  });
  const lines = w.addSheet<Line>({
    name: t("export.arrears.lines"),
    title,
    subtitle: subtitle(ctx, filters, a.lines.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractLabel, width: 18 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      { header: t("export.col.head"), type: "text", value: (r) => r.headName, width: 10 },
      { header: t("export.col.dueDate"), type: "date", value: (r) => r.dueDate, width: 11 },
      { header: t("export.col.aging"), type: "text", value: (r) => t(`aging.${r.bucket}`), width: 14 },
      { header: t("export.col.outstanding"), type: "money", value: (r) => r.outstandingFen, width: 13, total: "sum" },
      { header: t("penalty.accrued"), type: "money", value: (r) => r.penaltyFen, width: 12, total: "sum" },
    ],
  });
  writeInBackground(w, async () => {
    for (const h of a.byHousehold) households.add(h as ByHousehold);
    households.end();
    for (const c of a.byContract) contracts.add(c as ByContract);
    contracts.end();
    for (const l of a.lines) {
      lines.add(l);
      if (lines.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: fileName(title), rows: a.byHousehold.length };
}

// ─── Orchard plots (果园地块) ────────────────────────────────────────────────

interface OrchardRow {
  no: number;
  village: string;
  code: string;
  name: string;
  crop: string;
  variety: string;
  plantingYear: number | null;
  trees: number | null;
  areaMu: string;
  declaredMu: string | null;
  status: string;
  cooperative: string;
  household: string;
}

/** Orchard plots of the scope, or of one village of it (a village outside it answers 404, as the map export does). */
export async function exportOrchardPlots(ctx: ExportContext, f: OrchardPlotFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const place = await placeOf(ctx, f.villageId);
  if (f.villageId && place.villageId !== f.villageId) notFound();
  const rows = await prisma.orchardPlot.findMany({
    where: { AND: [plotScopeWhere(user.scope), f.villageId ? { villageId: f.villageId } : {}] },
    orderBy: [{ townshipId: "asc" }, { villageId: "asc" }, { code: "asc" }],
    select: { code: true, name: true, crop: true, variety: true, plantingYear: true, trees: true, status: true, areaMu: true, declaredMu: true, villageId: true, householdId: true, cooperativeId: true },
  });
  const [heads, coops, names] = await Promise.all([
    prisma.household.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.householdId ? [r.householdId] : [])))] } }, select: { id: true, headName: true } }),
    prisma.cooperative.findMany({ where: { id: { in: [...new Set(rows.flatMap((r) => (r.cooperativeId ? [r.cooperativeId] : [])))] } }, select: { id: true, name: true } }),
    placeNames(user.scope),
  ]);
  const head = new Map(heads.map((h) => [h.id, h.headName]));
  const coop = new Map(coops.map((c) => [c.id, c.name]));
  const title = `${t("export.plots.title")} ${place.name}`.trim();
  const filters = f.villageId ? `${t("export.filter.village")}：${names.village.get(f.villageId) ?? ""}` : "";
  await recordExport(ctx, "orchard-plots", place, { filters: { village: f.villageId ?? null }, rows: rows.length });
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<OrchardRow>({
    name: t("export.plots.sheet"),
    title,
    subtitle: subtitle(ctx, filters, rows.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
      { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
      { header: t("export.col.plotCode"), type: "text", value: (r) => r.code, width: 14 },
      { header: t("export.col.plotName"), type: "text", value: (r) => r.name, width: 14 },
      { header: t("export.col.crop"), type: "text", value: (r) => r.crop, width: 8 },
      { header: t("export.col.variety"), type: "text", value: (r) => r.variety, width: 12 },
      { header: t("export.col.plantingYear"), type: "integer", value: (r) => r.plantingYear, width: 8 },
      { header: t("export.col.trees"), type: "integer", value: (r) => r.trees, width: 8 },
      { header: t("export.col.areaMu"), type: "decimal", value: (r) => r.areaMu, width: 10, total: "sum" },
      { header: t("export.col.declaredMu"), type: "decimal", value: (r) => r.declaredMu, width: 10, total: "sum" },
      { header: t("export.col.plotStatus"), type: "text", value: (r) => r.status, width: 10 },
      { header: t("export.col.cooperative"), type: "text", value: (r) => r.cooperative, width: 22 },
      { header: t("export.col.household"), type: "text", value: (r) => r.household, width: 10 },
    ],
  });
  writeInBackground(w, async () => {
    for (const r of rows) {
      sheet.add({
        no: sheet.count + 1,
        village: names.village.get(r.villageId) ?? "",
        code: r.code,
        name: r.name,
        crop: t(`plots.crop.${r.crop}`),
        variety: r.variety,
        plantingYear: r.plantingYear,
        trees: r.trees,
        areaMu: r.areaMu,
        declaredMu: r.declaredMu,
        status: t(`plots.status.${r.status}`),
        cooperative: r.cooperativeId ? (coop.get(r.cooperativeId) ?? "") : "",
        household: r.householdId ? (head.get(r.householdId) ?? "") : "",
      });
      if (sheet.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: fileName(title), rows: rows.length };
}
