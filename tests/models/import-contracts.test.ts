import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { getBatch, startDryRun, startImport } from "~/imports/imports.server";
import { prisma } from "~/lib/db.server";
import { makeIdNumber } from "~/registry/id-number";
import { buildWorld, request, type World } from "../factories";
import { extend } from "./access/contracts.world";

let w: World;
let secretary: CurrentUser;

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await extend(w));
  secretary = (await getUser(request("/", { cookie: w.users.secretary.cookie })))!;
});

/** One signed and filed contract on H1's plot (which another contract holds 2.00 of 5.00 mu), with one payment made. */
async function contractsFile(area = "2.50", over: { no?: string; form?: string; paid?: string } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("流转台账");
  ws.addRow(["合同编号", "地块编码", "流转面积（亩）", "流转方式", "受让方类型", "受让方名称", "受让方证件号", "用途", "起始日期", "终止日期", "租金（元/亩/年）", "支付方式", "每年支付日", "签订日期", "备案日期", "已付租金（元）", "付款日期"]);
  ws.addRow([over.no ?? "XLZ-2025-007", "3717021020010100001", area, over.form ?? "出租", "种植大户", "鲁振华", makeIdNumber("371702", "19850505", "011"), "粮食种植", "2025-01-01", "2027-12-31", "800", "每年", "12-31", "2024-12-20", "2024-12-28", over.paid ?? "2000", over.paid === "" ? "" : "2025-12-31"]);
  ws.getColumn(2).numFmt = "@";
  ws.getColumn(7).numFmt = "@";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const run = async (bytes: Uint8Array) => {
  const r = await startDryRun(secretary, { kind: "CONTRACTS", villageId: w.v1.id, fileName: "台账.xlsx", bytes, updateExisting: false }, { wait: true });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return (await getBatch(secretary, r.id))!;
};

describe("contract import", () => {
  it("refuses land the plot does not have free", async () => {
    const b = await run(await contractsFile("3.50"));
    expect(b.errorCount).toBe(1);
    expect(b.report).toContain("流转面积");
  });

  it("creates the filed contract, its schedule and the payment already made", async () => {
    const b = await run(await contractsFile());
    expect([b.errorCount, b.createCount]).toEqual([0, 1]);
    expect(await startImport(secretary, b.id, { wait: true })).toEqual({ ok: true });
    expect((await getBatch(secretary, b.id))!.status).toBe("IMPORTED");
    const c = await prisma.transferContract.findFirstOrThrow({ where: { contractNo: "XLZ-2025-007" }, include: { installments: { orderBy: { seq: "asc" } }, plots: true } });
    expect([c.status, c.signedDate, c.filedDate, c.transfereeName]).toEqual(["FILED", "2024-12-20", "2024-12-28", "鲁振华"]);
    expect(c.plots.map((p) => p.area)).toEqual(["2.50"]);
    expect(c.installments.map((i) => [i.dueDate, i.amountFen, i.paidFen])).toEqual([
      ["2025-12-31", 200000n, 200000n],
      ["2026-12-31", 200000n, 0n],
      ["2027-12-31", 200000n, 0n],
    ]);
    const payments = await prisma.rentPayment.findMany({ where: { contractId: c.id } });
    expect(payments.map((p) => [p.paidOn, p.amountFen, p.householdId])).toEqual([["2025-12-31", 200000n, w.h1.id]]);
  });

  it("importing the same ledger again creates nothing", async () => {
    const before = await prisma.transferContract.count();
    const b = await run(await contractsFile());
    expect([b.errorCount, b.createCount, b.unchangedCount]).toEqual([0, 0, 1]);
    await startImport(secretary, b.id, { wait: true });
    expect(await prisma.transferContract.count()).toBe(before);
  });

  it("refuses rent paid under an equity contract, and imports one without payments with no rent schedule", async () => {
    const refused = await run(await contractsFile("0.50", { no: "XLZ-2025-008", form: "入股" }));
    expect([refused.errorCount, refused.createCount]).toEqual([1, 0]);
    expect(refused.report).toContain("import.contract.equityPayments");
    const b = await run(await contractsFile("0.50", { no: "XLZ-2025-008", form: "入股", paid: "" }));
    expect([b.errorCount, b.createCount]).toEqual([0, 1]);
    expect(await startImport(secretary, b.id, { wait: true })).toEqual({ ok: true });
    const c = await prisma.transferContract.findFirstOrThrow({ where: { contractNo: "XLZ-2025-008" }, include: { installments: true } });
    expect([c.form, c.rentPerMu, c.installments.length]).toEqual(["EQUITY", null, 0]);
  });
});
