import { recordAudit } from "~/auth/audit.server";
import type { CurrentUser } from "~/auth/session.server";
import { isValidDate, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { parseArea, parseYuan, toFen } from "~/lib/money";
import type { FieldErrors } from "~/lib/forms";
import { requireOwnCooperative } from "./runs.server";

/**
 * Member accounts of a professional cooperative (Art. 43): each member's
 * transactions with the cooperative (e.g. fruit delivered) and capital
 * contributions, which its dividend runs distribute by.
 */
export async function memberLedger(user: CurrentUser, year: number) {
  const coop = await requireOwnCooperative(user);
  const villages = await prisma.cooperativeVillage.findMany({ where: { cooperativeId: coop.id }, select: { village: { select: { id: true, name: true } } } });
  const [transactions, capital] = await Promise.all([
    prisma.memberTransaction.findMany({ where: { cooperativeId: coop.id, date: { gte: `${year}-01-01`, lte: `${year}-12-31` } }, orderBy: [{ date: "desc" }, { id: "desc" }], take: 200 }),
    prisma.memberCapital.findMany({ where: { cooperativeId: coop.id }, orderBy: [{ date: "desc" }, { id: "desc" }], take: 200 }),
  ]);
  const ids = [...new Set([...transactions.map((t) => t.householdId), ...capital.map((c) => c.householdId)])];
  const heads = new Map((await prisma.household.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, headName: true } })).map((h) => [h.id, h]));
  return { coop, villages: villages.map((v) => v.village), transactions, capital, heads };
}

async function resolveHousehold(cooperativeId: number, villageId: number, code: string) {
  const served = await prisma.cooperativeVillage.findUnique({ where: { cooperativeId_villageId: { cooperativeId, villageId } } });
  if (!served) return null;
  return prisma.household.findFirst({ where: { villageId, code: code.trim() }, select: { id: true, villageId: true, townshipId: true, code: true, headName: true } });
}

export async function recordMemberEntry(
  user: CurrentUser,
  kind: "transaction" | "capital",
  raw: { villageId: string; code: string; date: string; description: string; quantityKg: string; amount: string },
  /** told what was saved, for the message after the save */
  onSaved?: (saved: { code: string; head: string; amountFen: bigint; date: string }) => void,
): Promise<FieldErrors | null> {
  const coop = await requireOwnCooperative(user);
  const errors: FieldErrors = {};
  const household = await resolveHousehold(coop.id, Number(raw.villageId), raw.code);
  if (!household) errors.code = { key: "member.householdUnknown" };
  if (!isValidDate(raw.date)) errors.date = { key: "date.format" };
  else if (raw.date > today()) errors.date = { key: "dividend.dateFuture", params: { today: today() } };
  const amount = parseYuan(raw.amount);
  if (!amount.ok) errors.amount = { key: amount.error };
  else if (amount.value.isZero()) errors.amount = { key: "payment.amountZero" };
  let quantityKg: string | null = null;
  if (raw.quantityKg.trim()) {
    const q = parseArea(raw.quantityKg);
    if (!q.ok) errors.quantityKg = { key: "member.quantityInvalid" };
    else quantityKg = q.value.toFixed(2);
  }
  if (kind === "transaction" && !raw.description.trim()) errors.description = { key: "member.descriptionRequired" };
  if (Object.keys(errors).length || !household || !amount.ok) return errors;
  const fen = toFen(amount.value);
  const actor = { id: user.id, name: user.username };
  if (kind === "transaction") {
    const t = await prisma.memberTransaction.create({ data: { cooperativeId: coop.id, householdId: household.id, date: raw.date, description: raw.description.trim().slice(0, 80), quantityKg, amountFen: fen, recordedById: user.id } });
    await recordAudit({ actor, action: "create", entity: "MemberTransaction", entityId: t.id, townshipId: household.townshipId, villageId: household.villageId, after: { ...raw, amountFen: fen } });
  } else {
    const c = await prisma.memberCapital.create({ data: { cooperativeId: coop.id, householdId: household.id, date: raw.date, amountFen: fen, note: raw.description.trim().slice(0, 80), recordedById: user.id } });
    await recordAudit({ actor, action: "create", entity: "MemberCapital", entityId: c.id, townshipId: household.townshipId, villageId: household.villageId, after: { ...raw, amountFen: fen } });
  }
  onSaved?.({ code: household.code, head: household.headName, amountFen: fen, date: raw.date });
  return null;
}
