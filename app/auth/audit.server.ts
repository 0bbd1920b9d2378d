import type { Prisma } from "@prisma/client";
import { prisma } from "~/lib/db.server";
import { snapshotReplacer } from "~/registry/privacy";

type Tx = Prisma.TransactionClient;

export interface AuditInput {
  actor: { id: number | null; name: string } | null;
  action: "create" | "update" | "delete" | "sign-in" | "sign-in-failed" | "sign-out" | "revoke" | "import" | "export" | "backup" | "password-change" | "password-reset";
  entity: string;
  entityId: string | number;
  townshipId?: number | null;
  villageId?: number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends to the audit trail. Pass the transaction client when the change is
 * part of one, so the record and its trail commit or roll back together.
 * Snapshots are stored with personal numbers masked (ADR 004): the record
 * keeps the full values, the trail only says that they changed.
 */
export async function recordAudit(input: AuditInput, tx: Tx = prisma): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: input.actor?.id ?? null,
      actorName: input.actor?.name ?? "system",
      action: input.action,
      entity: input.entity,
      entityId: String(input.entityId),
      townshipId: input.townshipId ?? null,
      villageId: input.villageId ?? null,
      before: input.before === undefined ? null : JSON.stringify(input.before, jsonSafe),
      after: input.after === undefined ? null : JSON.stringify(input.after, jsonSafe),
    },
  });
}

const masked = snapshotReplacer();

function jsonSafe(key: string, value: unknown) {
  return masked(key, typeof value === "bigint" ? value.toString() : value);
}

/** Only the fields whose values differ, so the trail shows what changed. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    const x = before[key] instanceof Date ? (before[key] as Date).toISOString() : before[key];
    const y = after[key] instanceof Date ? (after[key] as Date).toISOString() : after[key];
    if (x !== y) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
