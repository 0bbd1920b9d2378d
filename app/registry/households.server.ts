import { Prisma } from "@prisma/client";
import { changedFields, recordAudit } from "~/auth/audit.server";
import { can, type Scope } from "~/auth/permissions";
import { householdScopeWhere, requireCan, villageScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { forbidden } from "~/lib/http";
import { formatInstant, formatInstantDate, startOfChinaDay, today as clockToday } from "~/lib/dates";
import type { HouseholdInput, HouseholdStatus } from "./household-form";
import type { FieldErrors } from "~/lib/forms";
import { checkStatusDate, historyNewestFirst } from "./status-history";
import { forbiddenCriterion, MASKED_VIEW, personalView, type Viewer } from "./privacy";
import { parseSearch, type Criterion, type SearchProblem, type SearchQuery } from "./search-terms";
import type { MonitoringCategory } from "./monitoring";
import { replaceSearchTerms } from "./search-index.server";
import { searchHouseholdIds } from "./households.queries.server";

type Tx = Prisma.TransactionClient;

export const PAGE_SIZE = 20;

export interface HouseholdFilters {
  q?: string;
  villageId?: number;
  groupId?: number;
  status?: HouseholdStatus;
  category?: MonitoringCategory;
  page?: number;
}

/** What the list says about its search: why it was not run, or what it looked for (to explain an empty result). */
export type SearchOutcome = { problem: SearchProblem } | { criteria: Criterion[] } | null;

/**
 * The search as this viewer may run it (./privacy.ts): a query, or the
 * reason it is refused — a criterion that would reveal hidden digits to
 * someone who sees them masked is refused with a message saying so.
 */
export function resolveSearch(q: string, viewer: Viewer | null): { query: SearchQuery; problem: SearchProblem | null } {
  const query = parseSearch(q);
  if (query.kind === "invalid") return { query, problem: query.problem };
  if (query.kind === "none") return { query, problem: null };
  const forbidden = forbiddenCriterion(viewer, query.criteria);
  if (forbidden) {
    const problem: SearchProblem = { key: `search.restricted.${forbidden.kind}`, params: forbidden.kind === "idSuffix" ? { n: forbidden.digits.length } : {} };
    return { query: { kind: "invalid", problem }, problem };
  }
  return { query, problem: null };
}

export interface HouseholdListRow {
  id: number;
  code: string;
  headName: string;
  headIdMasked: string;
  villageName: string;
  groupName: string;
  status: string;
  monitoringCategory: string | null;
  phone: string;
  memberCount: number;
  matched: { name: string; relation: string }[];
}

/**
 * The household list and search. The scope is part of every query, so a
 * user only ever counts or sees households inside it. Searches go through
 * the HouseholdSearchTerm index (ADR 005); plain lists through Household's
 * own indexes. `viewer` decides how phones are shown (./privacy.ts);
 * without one they are masked.
 */
export async function listHouseholds(
  scope: Scope,
  f: HouseholdFilters,
  viewer: Viewer | null = null,
): Promise<{ rows: HouseholdListRow[]; total: number; page: number; pages: number; search: SearchOutcome }> {
  const page = Math.max(1, Math.min(f.page ?? 1, 100_000));
  const offset = (page - 1) * PAGE_SIZE;
  const { query, problem } = resolveSearch(f.q ?? "", viewer);
  if (query.kind === "invalid") return { rows: [], total: 0, page: 1, pages: 1, search: { problem: problem ?? query.problem } };
  let ids: number[];
  let total: number;
  if (query.kind === "none") {
    const where: Prisma.HouseholdWhereInput = {
      AND: [
        householdScopeWhere(scope),
        f.villageId ? { villageId: f.villageId } : {},
        f.groupId ? { groupId: f.groupId } : {},
        f.status ? { status: f.status } : {},
        f.category ? { monitoringCategory: f.category } : {},
      ],
    };
    const [found, count] = await Promise.all([
      prisma.household.findMany({
        where,
        select: { id: true },
        orderBy: [{ townshipId: "asc" }, { villageId: "asc" }, { id: "asc" }],
        skip: offset,
        take: PAGE_SIZE,
      }),
      prisma.household.count({ where }),
    ]);
    ids = found.map((h) => h.id);
    total = count;
  } else {
    ({ ids, total } = await searchHouseholdIds(scope, query, f, { offset, limit: PAGE_SIZE }));
  }
  const rows = await describeHouseholds(ids, query.kind === "none" ? [] : query.criteria, viewer);
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), search: query.kind === "none" ? null : { criteria: query.criteria } };
}

async function describeHouseholds(ids: number[], criteria: readonly Criterion[], viewer: Viewer | null): Promise<HouseholdListRow[]> {
  if (ids.length === 0) return [];
  const found = await prisma.household.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      code: true,
      townshipId: true,
      villageId: true,
      headName: true,
      status: true,
      monitoringCategory: true,
      phone: true,
      village: { select: { name: true } },
      group: { select: { name: true } },
      members: { where: { leftOn: null }, select: { name: true, relation: true, idNumber: true, birthDate: true } },
    },
  });
  const byId = new Map(found.map((h) => [h.id, h]));
  // The members a search matched, so a household found by a child's name or ID is explained on its row.
  const matches = (m: { name: string; idNumber: string; birthDate: string }) =>
    criteria.some(
      (c) =>
        (c.kind === "name" && m.name.includes(c.text)) ||
        (c.kind === "idSuffix" && m.idNumber.toUpperCase().endsWith(c.digits)) ||
        (c.kind === "id" && m.idNumber.toUpperCase() === c.id) ||
        (c.kind === "birthDate" && m.birthDate === c.date) ||
        (c.kind === "digits" && m.idNumber.startsWith(c.digits)),
    );
  return ids.flatMap((id) => {
    const h = byId.get(id);
    if (!h) return [];
    const head = h.members.find((m) => m.relation === "HEAD");
    const view = personalView(viewer, h);
    return [
      {
        id: h.id,
        code: h.code,
        headName: h.headName,
        // a list: the head's ID number masked even for the secretary, who has the household's page for it
        headIdMasked: head ? MASKED_VIEW.idNumber(head.idNumber) : "",
        villageName: h.village.name,
        groupName: h.group.name,
        status: h.status,
        monitoringCategory: h.monitoringCategory,
        phone: view.phone(h.phone),
        memberCount: h.members.length,
        matched: criteria.length ? h.members.filter(matches).map((m) => ({ name: m.name, relation: m.relation })) : [],
      },
    ];
  });
}

/** A household inside the scope, or null: callers answer 404 so that ids outside it reveal nothing. */
export async function getHousehold(user: CurrentUser, id: number) {
  const h = await prisma.household.findFirst({
    where: { AND: [{ id }, householdScopeWhere(user.scope)] },
    select: {
      id: true,
      code: true,
      townshipId: true,
      villageId: true,
      groupId: true,
      headName: true,
      address: true,
      phone: true,
      bankName: true,
      bankAccount: true,
      status: true,
      statusYear: true,
      statusReason: true,
      monitoringCategory: true,
      riskTypes: true,
      statusDate: true,
      createdAt: true,
      updatedAt: true,
      village: { select: { name: true, township: { select: { name: true } } } },
      group: { select: { name: true } },
      members: {
        orderBy: [{ leftOn: "asc" }, { id: "asc" }],
        select: { id: true, name: true, relation: true, idNumber: true, birthDate: true, sex: true, ableToWork: true, phone: true, joinedOn: true, leftOn: true },
      },
      statusChanges: {
        orderBy: [{ effectiveOn: "desc" }, { id: "desc" }],
        select: { id: true, status: true, year: true, reason: true, monitoringCategory: true, riskTypes: true, effectiveOn: true, recordedAt: true },
      },
    },
  });
  if (!h) return null;
  const manages = can(user, "write:household", h);
  // Personal numbers as the one policy says (./privacy.ts): whole for the secretary who keeps the household;
  // masked for everyone else, with the birth year only, since the masked ID hides exactly the birth date.
  const view = personalView(user, h);
  return {
    ...h,
    manages,
    personalFull: view.full,
    phone: view.phone(h.phone),
    bankAccount: view.bankAccount(h.bankAccount),
    members: h.members.map((m) => ({ ...m, idNumber: view.idNumber(m.idNumber), birthDate: view.birthDate(m.birthDate), phone: view.phone(m.phone) })),
  };
}

/**
 * The household page's data with every date already printed in China time
 * (ADR 014), so the browser never formats an instant and hydrates the same
 * text whatever its zone. The status history reads newest first by date.
 */
export async function getHouseholdPage(user: CurrentUser, id: number) {
  const h = await getHousehold(user, id);
  if (!h) return null;
  const { createdAt, updatedAt, statusDate, statusChanges, ...rest } = h;
  return {
    ...rest,
    createdAt: formatInstant(createdAt),
    updatedAt: formatInstant(updatedAt),
    statusDate: formatInstantDate(statusDate),
    statusChanges: historyNewestFirst(
      statusChanges.map((c) => ({
        id: c.id,
        status: c.status,
        year: c.year,
        reason: c.reason,
        monitoringCategory: c.monitoringCategory,
        riskTypes: c.riskTypes,
        effectiveOn: formatInstantDate(c.effectiveOn),
        recordedAt: formatInstant(c.recordedAt),
      })),
    ),
  };
}

/** Villages and their groups the user may pick in filters and forms. */
export async function villagesInScope(scope: Scope) {
  return prisma.village.findMany({
    where: villageScopeWhere(scope),
    orderBy: [{ townshipId: "asc" }, { code: "asc" }],
    select: { id: true, name: true, township: { select: { name: true } }, groups: { orderBy: { number: "asc" }, select: { id: true, name: true, number: true } } },
  });
}

export type SaveResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** Checks that need the database: the group's village, the code and ID numbers already in use. */
async function checkAgainstDatabase(tx: Tx, villageId: number, input: HouseholdInput, householdId: number | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const group = await tx.villagerGroup.findFirst({ where: { id: input.groupId, villageId }, select: { id: true } });
  if (!group) errors.groupId = { key: "group.required" };
  const sameCode = await tx.household.findFirst({
    where: { villageId, code: input.code, ...(householdId ? { NOT: { id: householdId } } : {}) },
    select: { id: true },
  });
  if (sameCode) errors.code = { key: "code.duplicate" };
  const taken = await tx.person.findMany({
    where: { idNumber: { in: input.members.map((m) => m.idNumber) }, leftOn: null, ...(householdId ? { NOT: { householdId } } : {}) },
    select: { idNumber: true, household: { select: { code: true, headName: true, village: { select: { name: true } } } } },
  });
  for (const t of taken) {
    const row = input.members.find((m) => m.idNumber === t.idNumber)!.row;
    errors[`members.${row}.idNumber`] = {
      key: "id.duplicate",
      params: { household: `${t.household.village.name} ${t.household.code} ${t.household.headName}` },
    };
  }
  return errors;
}

function headOf(input: HouseholdInput) {
  return input.members.find((m) => m.relation === "HEAD")!;
}

export async function createHousehold(user: CurrentUser, villageId: number, input: HouseholdInput): Promise<SaveResult> {
  const village = await prisma.village.findUnique({ where: { id: villageId }, select: { id: true, townshipId: true } });
  if (!village) forbidden();
  requireCan(user, "write:household", { townshipId: village.townshipId, villageId });
  return prisma.$transaction(async (tx) => {
    const errors = await checkAgainstDatabase(tx, villageId, input, null);
    // Status dates are China days, stored as the instant the day begins in China.
    const today = clockToday();
    const statusDay = input.statusDate ?? today;
    const statusError = checkStatusDate(statusDay, null, today);
    if (statusError) errors.statusDate = statusError;
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const statusOn = startOfChinaDay(statusDay);
    const h = await tx.household.create({
      data: {
        code: input.code,
        townshipId: village.townshipId,
        villageId,
        groupId: input.groupId,
        headName: headOf(input).name,
        address: input.address,
        phone: input.phone,
        bankName: input.bankName,
        bankAccount: input.bankAccount,
        status: input.status,
        statusYear: input.statusYear,
        statusReason: input.statusReason,
        monitoringCategory: input.monitoringCategory ?? null,
        riskTypes: input.riskTypes ?? "",
        statusDate: statusOn,
        members: {
          create: input.members.map((m) => ({
            name: m.name,
            relation: m.relation,
            idNumber: m.idNumber,
            birthDate: m.birthDate,
            sex: m.sex,
            ableToWork: m.ableToWork,
            phone: m.phone,
            // 入户日期 as typed, or unknown; never the time of typing.
            joinedOn: m.joinedOn ?? null,
          })),
        },
        statusChanges: {
          create: {
            status: input.status,
            year: input.statusYear,
            reason: input.statusReason,
            monitoringCategory: input.monitoringCategory ?? null,
            riskTypes: input.riskTypes ?? "",
            effectiveOn: statusOn,
            recordedById: user.id,
          },
        },
      },
      select: { id: true },
    });
    await replaceSearchTerms(tx, h.id);
    await recordAudit(
      { actor: { id: user.id, name: user.username }, action: "create", entity: "Household", entityId: h.id, townshipId: village.townshipId, villageId, after: auditView(input) },
      tx,
    );
    return { ok: true as const, id: h.id };
  });
}

export async function updateHousehold(user: CurrentUser, id: number, input: HouseholdInput): Promise<SaveResult> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.household.findFirst({
      where: { AND: [{ id }, householdScopeWhere(user.scope)] },
      include: { members: { where: { leftOn: null } }, statusChanges: { select: { id: true, effectiveOn: true } } },
    });
    if (!existing) throw new Response("Not Found", { status: 404 });
    requireCan(user, "write:household", existing);
    const errors = await checkAgainstDatabase(tx, existing.villageId, input, id);
    // A member row may only update a person of this household.
    const currentIds = new Set(existing.members.map((m) => m.id));
    for (const m of input.members) {
      if (m.id !== null && !currentIds.has(m.id)) errors[`members.${m.row}.name`] = { key: "field.required" };
    }
    const leaving = input.leaving ?? [];
    for (const l of leaving) {
      const member = existing.members.find((x) => x.id === l.id);
      if (!member) errors[`members.${l.row}.leftOn`] = { key: "field.required" };
      else if (member.joinedOn && l.leftOn <= member.joinedOn) errors[`members.${l.row}.leftOn`] = { key: "member.leftOnBeforeJoined", params: { joinedOn: member.joinedOn } };
    }
    // A current member missing from the form has no 迁出日期: refuse rather than guess one.
    const accounted = new Set([...input.members.flatMap((m) => (m.id === null ? [] : [m.id])), ...leaving.map((l) => l.id)]);
    const unaccounted = existing.members.filter((m) => !accounted.has(m.id));
    if (unaccounted.length) errors.members = { key: "member.leftOnMissing", params: { names: unaccounted.map((m) => m.name).join("、") } };
    const today = clockToday();
    const statusChanged =
      existing.status !== input.status ||
      existing.statusYear !== input.statusYear ||
      existing.statusReason !== input.statusReason ||
      (existing.monitoringCategory ?? null) !== (input.monitoringCategory ?? null) ||
      existing.riskTypes !== (input.riskTypes ?? "");
    const statusDay = input.statusDate ?? today;
    if (statusChanged) {
      // The bound is the latest change recorded, so that the current status is always the latest one.
      const latest = historyNewestFirst(existing.statusChanges.map((c) => ({ id: c.id, effectiveOn: formatInstantDate(c.effectiveOn) })))[0];
      const since = latest?.effectiveOn ?? (existing.statusDate ? formatInstantDate(existing.statusDate) : null);
      const statusError = checkStatusDate(statusDay, since, today);
      if (statusError) errors.statusDate = statusError;
    }
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const fields = {
      code: input.code,
      groupId: input.groupId,
      headName: headOf(input).name,
      address: input.address,
      phone: input.phone,
      bankName: input.bankName,
      bankAccount: input.bankAccount,
      status: input.status,
      statusYear: input.statusYear,
      statusReason: input.statusReason,
      monitoringCategory: input.monitoringCategory ?? null,
      riskTypes: input.riskTypes ?? "",
    };
    const statusOn = startOfChinaDay(statusDay);
    await tx.household.update({ where: { id }, data: { ...fields, ...(statusChanged ? { statusDate: statusOn } : {}) } });
    if (statusChanged) {
      await tx.householdStatusChange.create({
        data: {
          householdId: id,
          status: input.status,
          year: input.statusYear,
          reason: input.statusReason,
          // a copy at each change: the history keeps what the household was monitored for then
          monitoringCategory: input.monitoringCategory ?? null,
          riskTypes: input.riskTypes ?? "",
          effectiveOn: statusOn,
          recordedById: user.id,
        },
      });
    }
    const memberChanges: { before: unknown; after: unknown }[] = [];
    for (const m of input.members) {
      const data = {
        name: m.name,
        relation: m.relation,
        idNumber: m.idNumber,
        birthDate: m.birthDate,
        sex: m.sex,
        ableToWork: m.ableToWork,
        phone: m.phone,
        ...(m.joinedOn !== undefined ? { joinedOn: m.joinedOn } : {}),
      };
      if (m.id !== null) {
        const before = existing.members.find((x) => x.id === m.id)!;
        const diff = changedFields(before as unknown as Record<string, unknown>, data);
        if (Object.keys(diff.after).length) {
          await tx.person.update({ where: { id: m.id }, data });
          memberChanges.push({ before: { id: m.id, ...diff.before }, after: { id: m.id, ...diff.after } });
        }
      } else {
        const created = await tx.person.create({ data: { joinedOn: null, ...data, householdId: id }, select: { id: true } });
        memberChanges.push({ before: null, after: { id: created.id, ...data } });
      }
    }
    // Members taken off the form have left the household on the 迁出日期 typed
    // for them: keep them, because income per person still counts their days.
    for (const l of leaving) {
      await tx.person.update({ where: { id: l.id }, data: { leftOn: l.leftOn } });
      memberChanges.push({ before: { id: l.id, name: l.name, leftOn: null }, after: { id: l.id, leftOn: l.leftOn, reason: l.reason } });
    }
    await replaceSearchTerms(tx, id);
    const diff = changedFields(existing as unknown as Record<string, unknown>, fields);
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "update",
        entity: "Household",
        entityId: id,
        townshipId: existing.townshipId,
        villageId: existing.villageId,
        before: { ...diff.before, members: memberChanges.map((c) => c.before) },
        after: { ...diff.after, members: memberChanges.map((c) => c.after) },
      },
      tx,
    );
    return { ok: true as const, id };
  });
}

function auditView(input: HouseholdInput) {
  return { ...input, members: input.members.map((m) => ({ ...m })) };
}
