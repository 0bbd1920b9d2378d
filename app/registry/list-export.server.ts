/**
 * The household list and its contracted plots as Excel workbooks (the
 * households with a sheet of members; one row per contracted plot), with the
 * list's filters, in the frame every list export shares
 * (~/exports/frame.server.ts: masking, audit record, streaming).
 */
import { Prisma } from "@prisma/client";
import type { Scope } from "~/auth/permissions";
import { householdScopeWhere, placeScopeWhere, villageScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import {
  CHUNK,
  chunks,
  exportFileName,
  placeNames,
  placeOf,
  recordExport,
  subtitle,
  writeInBackground,
  type ExportContext,
  type ExportFile,
  type ListExport,
} from "~/exports/frame.server";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import type { XlsxColumn } from "~/lib/xlsx.server";
import { XlsxStreamWriter, yieldToEventLoop, type SheetWriter } from "~/lib/xlsx-stream.server";
import { householdFilters, type HouseholdListFilters } from "./list-filters";
import { MASKED_VIEW, personalView, seesPersonalData, type PersonalView, type Viewer } from "./privacy";
import { resolveSearch } from "./households.server";
import { parseSearch } from "./search-terms";
import { currentMembersOf, householdsByIds } from "./households.queries.server";

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

// ─── Households ────────────────────────────────────────────────────────────

interface Selected {
  id: number;
  townshipId: number;
  villageId: number;
}

/** listHouseholds' where-clause without the search. */
function householdListWhere(scope: Scope, f: HouseholdListFilters): Prisma.HouseholdWhereInput {
  return {
    AND: [
      householdScopeWhere(scope),
      f.villageId ? { villageId: f.villageId } : {},
      f.groupId ? { groupId: f.groupId } : {},
      f.status ? { status: f.status } : {},
      f.category ? { monitoringCategory: f.category } : {},
    ],
  };
}

/**
 * The households of the list, in its order (township, village, id), unpaged.
 * Without a search this is listHouseholds' where-clause; with one, the same
 * search index read the same way (every word must match one household; a
 * partial ID number or phone matches by prefix), then the list's filters.
 */
export async function selectHouseholds(scope: Scope, f: HouseholdListFilters, viewer: Viewer | null = null): Promise<Selected[]> {
  const filters = householdListWhere(scope, f).AND as Prisma.HouseholdWhereInput[];
  const select = { id: true, townshipId: true, villageId: true } as const;
  // the list's own reading of the search, with its privacy rule: a search the list refuses exports nothing
  const { query } = resolveSearch(f.q, viewer);
  if (query.kind === "invalid") return [];
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

/**
 * Households of a chunk of ids with their current members, inside the scope:
 * two plain SQL reads (./households.queries.server.ts), as Prisma's typed
 * nested read of the same rows would be most of an export's time.
 */
async function householdsWithMembers(scope: Scope, ids: number[]): Promise<Map<number, HouseholdData>> {
  const out = new Map<number, HouseholdData>();
  for (const h of await householdsByIds(scope, ids)) out.set(h.id, { ...h, members: [] });
  for (const p of await currentMembersOf([...out.keys()])) {
    const { householdId, ...member } = p;
    out.get(householdId)?.members.push(member);
  }
  return out;
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
  const selected = await selectHouseholds(user.scope, f, user);
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
  return { body: w.body, fileName: exportFileName(title), rows: selected.length };
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
  const selected = await selectHouseholds(user.scope, f, user);
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
  return { body: w.body, fileName: exportFileName(title), rows: count };
}

// ─── The two list exports, as the export index runs them ───────────────────

export const householdsExport: ListExport = {
  async count(user: CurrentUser, params: URLSearchParams): Promise<number> {
    const f = householdFilters(params);
    if (parseSearch(f.q).kind === "none") return prisma.household.count({ where: householdListWhere(user.scope, f) });
    return (await selectHouseholds(user.scope, f, user)).length;
  },
  run: (ctx, params) => exportHouseholds(ctx, householdFilters(params)),
};

export const contractedPlotsExport: ListExport = {
  async count(user: CurrentUser, params: URLSearchParams): Promise<number> {
    const f = householdFilters(params);
    const plotScope = placeScopeWhere(user.scope, (s) => ({ villageId: { in: s.villageIds } })) as Prisma.ContractedPlotWhereInput;
    if (parseSearch(f.q).kind === "none") return prisma.contractedPlot.count({ where: { AND: [plotScope, { household: householdListWhere(user.scope, f) }] } });
    const ids = (await selectHouseholds(user.scope, f, user)).map((h) => h.id);
    let n = 0;
    for (const chunk of chunks(ids, CHUNK)) n += await prisma.contractedPlot.count({ where: { AND: [plotScope, { householdId: { in: chunk } }] } });
    return n;
  },
  run: (ctx, params) => exportContractedPlots(ctx, householdFilters(params)),
};
