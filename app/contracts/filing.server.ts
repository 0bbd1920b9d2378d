import type { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import { hasPermission } from "~/auth/permissions";
import { requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { isValidDate, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { forbidden } from "~/lib/http";
import type { FieldErrors } from "~/lib/forms";
import { sumAreas } from "./contract-form";
import { checkPattern, effectivePattern, filingPrefix, nextFilingNumber, type FilingContext } from "./filing-number";

type Tx = Prisma.TransactionClient;

/** The township's filing context of a contract: its pattern, the year of the filing date, the names. */
async function contextOf(db: Tx, contractId: number, filedDate: string): Promise<{ pattern: string; ctx: FilingContext } | null> {
  const c = await db.transferContract.findUnique({ where: { id: contractId }, select: { villageId: true } });
  if (!c) return null;
  const v = await db.village.findUniqueOrThrow({ where: { id: c.villageId }, select: { name: true, township: { select: { name: true, filingPattern: true } } } });
  const date = isValidDate(filedDate) ? filedDate : today();
  return { pattern: v.township.filingPattern, ctx: { year: Number(date.slice(0, 4)), village: v.name, township: v.township.name } };
}

/**
 * The next free filing number for a contract filed on a date: one past the
 * largest sequence of that year among every stored number matching the
 * township's pattern (contract numbers are unique across all townships).
 * A suggestion only: the unique index decides when two officials file at once.
 */
export async function suggestFilingNumber(contractId: number, filedDate: string, db: Tx = prisma as unknown as Tx): Promise<string> {
  const c = await contextOf(db, contractId, filedDate);
  if (!c) return "";
  const prefix = filingPrefix(c.pattern, c.ctx);
  const rows = await db.transferContract.findMany({ where: prefix ? { contractNo: { startsWith: prefix } } : { contractNo: { not: null } }, select: { contractNo: true } });
  return nextFilingNumber(c.pattern, c.ctx, rows.map((r) => r.contractNo!));
}

/** 待备案: the township's signed contracts waiting to be filed, oldest signature first. */
export async function filingQueue(user: CurrentUser, take = 50) {
  if (!hasPermission(user.role, "file:contract") || user.scope.kind !== "township") return null;
  const where = { townshipId: user.scope.townshipId, status: "SIGNED" } satisfies Prisma.TransferContractWhereInput;
  const [rows, total] = await Promise.all([
    prisma.transferContract.findMany({
      where,
      orderBy: [{ signedDate: "asc" }, { id: "asc" }],
      take,
      select: {
        id: true,
        draftNo: true,
        signedDate: true,
        startDate: true,
        endDate: true,
        transfereeName: true,
        cooperative: { select: { name: true } },
        villageId: true,
        plots: { select: { area: true } },
        parties: { select: { household: { select: { headName: true } } } },
      },
    }),
    prisma.transferContract.count({ where }),
  ]);
  const villages = new Map((await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]));
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      draftNo: r.draftNo,
      signedDate: r.signedDate,
      term: `${r.startDate} – ${r.endDate}`,
      village: villages.get(r.villageId) ?? "",
      transferee: r.cooperative?.name ?? r.transfereeName,
      transferors: r.parties.map((p) => p.household.headName),
      area: sumAreas(r.plots.map((p) => p.area)).toFixed(2),
    })),
  };
}

/** The township's pattern as stored ("" = the default) and what it gives for this year. */
export async function filingPatternOf(user: CurrentUser) {
  if (user.scope.kind !== "township") forbidden();
  const t = await prisma.township.findUniqueOrThrow({ where: { id: user.scope.townshipId }, select: { id: true, name: true, filingPattern: true } });
  return { pattern: t.filingPattern, effective: effectivePattern(t.filingPattern), township: t.name };
}

/** A township official sets their own township's pattern. */
export async function setFilingPattern(user: CurrentUser, raw: string): Promise<{ ok: false; errors: FieldErrors } | { ok: true; pattern: string }> {
  if (user.scope.kind !== "township") forbidden();
  const townshipId = user.scope.townshipId;
  requireCan(user, "file:contract", { townshipId });
  const pattern = raw.trim();
  const error = checkPattern(pattern);
  if (error) return { ok: false, errors: { filingPattern: { key: error } } };
  const before = await prisma.township.findUniqueOrThrow({ where: { id: townshipId }, select: { filingPattern: true } });
  await prisma.$transaction(async (tx) => {
    await tx.township.update({ where: { id: townshipId }, data: { filingPattern: pattern } });
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "Township", entityId: townshipId, townshipId, before: { filingPattern: before.filingPattern }, after: { filingPattern: pattern } }, tx);
  });
  return { ok: true, pattern: effectivePattern(pattern) };
}
