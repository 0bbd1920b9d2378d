import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loader as pdfLoader } from "~/routes/resources.contracts.$id.pdf";
import { loader as xlsxLoader } from "~/routes/resources.contracts.ledger[.]xlsx";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import { extend } from "./access/contracts.world";

let w: World;
beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await extend(w));
  // Give the contract a filed number so that it shows in the ledger.
  await prisma.transferContract.update({ where: { id: w.extra.contractV1 }, data: { status: "FILED", contractNo: "牡丹小留流转〔2024〕007号", filedDate: "2024-01-05", signedDate: "2023-12-20" } });
});

describe("contract documents read back", () => {
  it("the contract PDF carries the parties, parcel code and rent in figures and capitals", async () => {
    const res = await pdfLoader({ request: request(`/resources/contracts/${w.extra.contractV1}/pdf`, { cookie: w.users.township.cookie }), params: { id: String(w.extra.contractV1) }, context: {} });
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const file = path.join(os.tmpdir(), `contract-${process.pid}.pdf`);
    fs.writeFileSync(file, bytes);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("农村土地经营权出租合同");
    expect(text).toContain("牡丹小留流转〔2024〕007号");
    expect(text).toContain("谢建国");
    expect(text).toContain("牡丹区续强合作社");
    expect(text).toContain("3717021020010100001");
    expect(text).toContain("800.00");
    // 2.00 mu × 800 yuan = 1,600 yuan a year: 壹仟陆佰元整
    expect(text).toContain("壹仟陆佰元整");
    // Personal numbers are masked on paper.
    expect(text).not.toContain(w.h1.members[0]!.idNumber);
  });

  it("the ledger workbook keeps parcel codes as text and masks ID numbers", async () => {
    const res = await xlsxLoader({ request: request("/resources/contracts/ledger.xlsx", { cookie: w.users.township.cookie }), params: {}, context: {} });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0]!;
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ""))));
    const all = cells.join("\n");
    expect(all).toContain("牡丹小留流转〔2024〕007号");
    expect(all).toContain("谢建国");
    expect(all).toContain("3717021020010100001");
    expect(all).not.toContain(w.h1.members[0]!.idNumber);
    expect(all).toMatch(/371702\*{8}/);
    // Only the township's own contracts: the V3 contract is another township's.
    expect(all).not.toContain("王建设");
  });

  it("an equity contract's PDF says its return is the cooperative's dividend, with no rent schedule; printed in China time", async () => {
    const plot = await prisma.contractedPlot.findFirstOrThrow({ where: { parcelCode: "3717021020010100001" } });
    const c = await prisma.transferContract.create({
      data: {
        townshipId: w.t1.id,
        villageId: w.v1.id,
        draftNo: "D-EQUITY-1",
        contractNo: "牡丹小留流转〔2025〕入股001号",
        transfereeKind: "COOPERATIVE",
        cooperativeId: w.c1.id,
        transfereeName: "",
        form: "EQUITY",
        use: "GRAIN",
        startDate: "2025-01-01",
        endDate: "2034-12-31",
        rentKind: "CASH",
        rentPerMu: null,
        paymentTiming: "YEARLY",
        status: "FILED",
        signedDate: "2024-12-20",
        filedDate: "2024-12-28",
        createdById: w.users.secretary.id,
        parties: { create: { householdId: w.h1.id } },
        plots: { create: { plotId: plot.id, householdId: w.h1.id, area: "3.00" } },
      },
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z")); // 00:30 on 2026-12-03 in China
    let text: string;
    try {
      const res = await pdfLoader({ request: request(`/resources/contracts/${c.id}/pdf`, { cookie: w.users.township.cookie }), params: { id: String(c.id) }, context: {} });
      const file = path.join(os.tmpdir(), `contract-equity-${process.pid}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    } finally {
      vi.useRealTimers();
    }
    expect(text).toContain("入股收益及分配");
    expect(text).toMatch(/年度分红/);
    expect(text).toMatch(/不向甲方支付租金/);
    expect(text).not.toContain("计租期间"); // no schedule table
    expect(text).not.toMatch(/租金标准|逾期支付租金/);
    expect(text).not.toContain("每逾期一日");
    expect(text).toContain("2026-12-03 00:30");
    const xlsx = await xlsxLoader({ request: request("/resources/contracts/ledger.xlsx", { cookie: w.users.township.cookie }), params: {}, context: {} });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const row: string[] = [];
    wb.worksheets[0]!.eachRow((r) => {
      const cells = (r.values as unknown[]).map((v) => String(v ?? ""));
      if (cells.includes("牡丹小留流转〔2025〕入股001号")) row.push(...cells);
    });
    expect(row.join("|")).toContain("入股分红");
    expect(row.join("|")).toContain("合作社年度分红");
  });
});
