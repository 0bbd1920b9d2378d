import { ensureBooks } from "~/books/books.server";
import { prisma } from "~/lib/db.server";
import type { World } from "../../factories";

/** The books of C1 (township T1) and C2 (township T2), each with a manual voucher the accountant made (unchecked). */
export async function extend(w: World): Promise<Record<string, number>> {
  await ensureBooks(w.c1.id);
  await ensureBooks(w.c2.id);
  const voucher = async (cooperativeId: number, townshipId: number, number: number) => {
    const accounts = await prisma.ledgerAccount.findMany({ where: { cooperativeId, code: { in: ["101", "102"] } }, select: { id: true, code: true } });
    const v = await prisma.voucher.create({
      data: { cooperativeId, townshipId, year: 2025, month: 3, number, date: "2025-03-05", summary: "提取备用金", source: "MANUAL", totalFen: 10000n, makerId: w.users.accountant.id, makerName: "accountant" },
    });
    await prisma.voucherLine.createMany({
      data: [
        { voucherId: v.id, cooperativeId, seq: 1, accountId: accounts.find((a) => a.code === "101")!.id, debitFen: 10000n },
        { voucherId: v.id, cooperativeId, seq: 2, accountId: accounts.find((a) => a.code === "102")!.id, creditFen: 10000n },
      ],
    });
    return { voucher: v.id, account: accounts.find((a) => a.code === "101")!.id };
  };
  const a = await voucher(w.c1.id, w.t1.id, 1);
  const b = await voucher(w.c2.id, w.t2.id, 1);
  return { booksVoucherC1: a.voucher, booksAccountC1: a.account, booksVoucherC2: b.voucher, booksAccountC2: b.account };
}
