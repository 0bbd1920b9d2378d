import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
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
});
