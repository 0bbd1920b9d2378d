import { changedFields, recordAudit } from "~/auth/audit.server";
import type { Scope, Target } from "~/auth/permissions";
import { cooperativeScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import type { CooperativeInput } from "./cooperative-form";
import type { FieldErrors } from "~/lib/forms";

const select = {
  id: true,
  name: true,
  creditCode: true,
  type: true,
  townshipId: true,
  legalRepresentative: true,
  phone: true,
  address: true,
  sharesPerMu: true,
  township: { select: { name: true } },
  villages: { select: { village: { select: { id: true, name: true } } } },
} as const;

export async function listCooperatives(scope: Scope) {
  return prisma.cooperative.findMany({ where: cooperativeScopeWhere(scope), select, orderBy: [{ townshipId: "asc" }, { id: "asc" }] });
}

export async function getCooperative(scope: Scope, id: number) {
  return prisma.cooperative.findFirst({ where: { AND: [{ id }, cooperativeScopeWhere(scope)] }, select });
}

/** A cooperative as an access target (app/auth/policy.ts): it lies in its township and is its own cooperative. */
export function cooperativeTarget(coop: { id: number; townshipId: number }): Target {
  return { townshipId: coop.townshipId, cooperativeId: coop.id };
}

/** Villages a cooperative may serve: those of its township. */
export async function villagesOfTownship(townshipId: number) {
  return prisma.village.findMany({ where: { townshipId }, select: { id: true, name: true }, orderBy: { code: "asc" } });
}

export async function saveCooperative(
  user: CurrentUser,
  target: { id: number | null; townshipId: number },
  input: CooperativeInput,
): Promise<{ ok: true; id: number } | { ok: false; errors: FieldErrors }> {
  return prisma.$transaction(async (tx) => {
    const errors: FieldErrors = {};
    const sameCode = await tx.cooperative.findFirst({
      where: { creditCode: input.creditCode, ...(target.id ? { NOT: { id: target.id } } : {}) },
      select: { id: true },
    });
    if (sameCode) errors.creditCode = { key: "credit.duplicate" };
    const villages = await tx.village.count({ where: { id: { in: input.villageIds }, townshipId: target.townshipId } });
    if (villages !== input.villageIds.length) errors.villageIds = { key: "coop.villagesRequired" };
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const { villageIds, ...fields } = input;
    const actor = { id: user.id, name: user.username };
    if (target.id === null) {
      const created = await tx.cooperative.create({
        data: { ...fields, townshipId: target.townshipId, villages: { create: villageIds.map((villageId) => ({ villageId })) } },
        select: { id: true },
      });
      await recordAudit({ actor, action: "create", entity: "Cooperative", entityId: created.id, townshipId: target.townshipId, after: input }, tx);
      return { ok: true as const, id: created.id };
    }
    const before = await tx.cooperative.findUniqueOrThrow({ where: { id: target.id }, include: { villages: true } });
    await tx.cooperative.update({ where: { id: target.id }, data: fields });
    await tx.cooperativeVillage.deleteMany({ where: { cooperativeId: target.id } });
    await tx.cooperativeVillage.createMany({ data: villageIds.map((villageId) => ({ cooperativeId: target.id!, villageId })) });
    const diff = changedFields(before as unknown as Record<string, unknown>, fields);
    const beforeVillages = before.villages.map((v) => v.villageId).sort((a, b) => a - b);
    const afterVillages = [...villageIds].sort((a, b) => a - b);
    const villagesChanged = beforeVillages.join() !== afterVillages.join();
    await recordAudit(
      {
        actor,
        action: "update",
        entity: "Cooperative",
        entityId: target.id,
        townshipId: target.townshipId,
        before: { ...diff.before, ...(villagesChanged ? { villageIds: beforeVillages } : {}) },
        after: { ...diff.after, ...(villagesChanged ? { villageIds: afterVillages } : {}) },
      },
      tx,
    );
    return { ok: true as const, id: target.id };
  });
}
