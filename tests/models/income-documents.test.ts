import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { addIncomeEntry, saveMonitoringLine } from "~/income/account.server";
import { prisma } from "~/lib/db.server";
import { formatYuan } from "~/lib/money";
import { makeIdNumber } from "~/registry/id-number";
import { loader as villagePage } from "~/routes/_app.income.villages.$villageId";
import { loader as reportPdf } from "~/routes/resources.income.villages.$villageId.report[.]pdf";
import { loader as auditXlsx } from "~/routes/resources.income.villages.$villageId.audit[.]xlsx";
import { buildWorld, request, type World } from "../factories";

let w: World;
let secretary: CurrentUser;

/** Six households of V1 with incomes around the line, two of them poverty-alleviated or monitored. */
beforeAll(async () => {
  w = await buildWorld();
  secretary = (await getUser(request("/", { cookie: w.users.secretary.cookie })))!;
  await saveMonitoringLine(secretary, { year: 2025, provinceCode: "37", amountFen: 720000n, source: "鲁乡振发〔2025〕测试号", sourceUrl: "" });
  const group = w.v1.groups[0]!;
  const statuses = ["ALLEVIATED", "MONITORED", "ORDINARY", "ALLEVIATED", "ORDINARY", "MONITORED"];
  for (let i = 0; i < statuses.length; i++) {
    const h = await prisma.household.create({
      data: {
        code: `D${i}`,
        townshipId: w.t1.id,
        villageId: w.v1.id,
        groupId: group.id,
        headName: `孙${"一二三四五六"[i]}`,
        status: statuses[i]!,
        statusYear: statuses[i] === "ORDINARY" ? null : 2020,
        members: { create: [{ name: `孙${"一二三四五六"[i]}`, relation: "HEAD", idNumber: makeIdNumber("371702", "19700101", String(500 + i)), birthDate: "1970-01-01", sex: "M" }] },
      },
    });
    const yuan = [5000, 7500, 9000, 12000, 30000, 7200][i]!;
    await addIncomeEntry(secretary, h.id, { year: 2025, category: "TRANSFER", kind: "PENSION", personId: null, amountFen: BigInt(yuan * 100), costFen: 0n, source: "养老金", receivedOn: null, note: "" });
    await addIncomeEntry(secretary, h.id, { year: 2024, category: "TRANSFER", kind: "PENSION", personId: null, amountFen: BigInt(yuan * 150), costFen: 0n, source: "养老金", receivedOn: null, note: "" });
  }
});

const args = (path: string) => ({ request: request(path, { cookie: w.users.township.cookie }), params: { villageId: String(w.v1.id) }, context: {} }) as never;
const squash = (s: string) => s.replace(/\s+/g, "");

describe("the audit report and workbook say what the page says", () => {
  it("PDF and Excel carry the page's figures", async () => {
    const page = (await villagePage(args(`/income/villages/${w.v1.id}?year=2025`))) as Awaited<ReturnType<typeof villagePage>>;
    const a = page.audit;
    expect(a.flagged.length).toBeGreaterThan(0);

    const pdfRes = (await reportPdf(args(`/resources/income/villages/${w.v1.id}/report.pdf?year=2025`))) as Response;
    expect(pdfRes.headers.get("Content-Type")).toContain("application/pdf");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "r.pdf");
    fs.writeFileSync(file, Buffer.from(await pdfRes.arrayBuffer()));
    const text = squash(execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
    expect(text).toContain(squash(page.line!.source));
    expect(text).toContain(formatYuan(a.perCapita.medianFen!));
    expect(text).toContain(formatYuan(a.totals.total));
    for (const r of a.flagged) {
      expect(text).toContain(r.headName);
      expect(text).toContain(formatYuan(r.perCapitaFen!));
    }
    for (const r of a.fell) expect(text).toContain(`${r.changePercent}%`);

    const xlsxRes = (await auditXlsx(args(`/resources/income/villages/${w.v1.id}/audit.xlsx?year=2025`))) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsxRes.arrayBuffer());
    const cells: string[] = [];
    const numbers: number[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          if (typeof c.value === "number") numbers.push(c.value);
          else cells.push(String(c.text ?? c.value));
        }),
      ),
    );
    for (const r of a.flagged) {
      expect(cells).toContain(r.headName);
      // money cells hold yuan as numbers with two decimals
      expect(numbers.some((n) => Math.round(n * 100) === Number(r.perCapitaFen))).toBe(true);
    }
    expect(numbers.some((n) => Math.round(n * 100) === Number(a.totals.total))).toBe(true);
  });
});

describe("printed dates are China dates (issue 11, item 7)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("at 00:30 China time (still the day before in UTC) the report and the workbook say 2026-12-03 00:30", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z"));
    const pdfRes = (await reportPdf(args(`/resources/income/villages/${w.v1.id}/report.pdf?year=2025`))) as Response;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "r.pdf");
    fs.writeFileSync(file, Buffer.from(await pdfRes.arrayBuffer()));
    const text = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("2026-12-03 00:30");
    expect(text).not.toContain("2026-12-02");

    const xlsxRes = (await auditXlsx(args(`/resources/income/villages/${w.v1.id}/audit.xlsx?year=2025`))) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsxRes.arrayBuffer());
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text ?? c.value)))));
    expect(cells.some((c) => c.includes("2026-12-03 00:30"))).toBe(true);
    expect(cells.some((c) => c.includes("2026-12-02"))).toBe(false);
  });
});

describe("figures set aside for review and the causes of a fall are printed too (issue 11, items 5 and 10)", () => {
  it("a household registered late in the year is listed for review in the PDF and the workbook, not among the flagged", async () => {
    const h = await prisma.household.create({
      data: {
        code: "LATE1",
        townshipId: w.t1.id,
        villageId: w.v1.id,
        groupId: w.v1.groups[0]!.id,
        headName: "冯晚登",
        status: "MONITORED",
        members: { create: [{ name: "冯晚登", relation: "HEAD", idNumber: makeIdNumber("371702", "19700101", "591"), birthDate: "1970-01-01", sex: "M", joinedOn: "2025-12-03" }] },
      },
    });
    await addIncomeEntry(secretary, h.id, { year: 2025, category: "WAGE", kind: "MIGRANT_WORK", personId: null, amountFen: 6_032_000n, costFen: 0n, source: "", receivedOn: null, note: "" });
    const page = (await villagePage(args(`/income/villages/${w.v1.id}?year=2025`))) as Awaited<ReturnType<typeof villagePage>>;
    expect(page.audit.review.map((r) => [r.headName, r.perCapitaFen])).toEqual([["冯晚登", 75_920_000n]]);
    expect(page.audit.flagged.map((r) => r.headName)).not.toContain("冯晚登");

    const pdfRes = (await reportPdf(args(`/resources/income/villages/${w.v1.id}/report.pdf?year=2025`))) as Response;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "r.pdf");
    fs.writeFileSync(file, Buffer.from(await pdfRes.arrayBuffer()));
    const text = squash(execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" }));
    expect(text).toContain("人均纯收入需复核的农户");
    expect(text).toContain("冯晚登");
    expect(text).toContain(formatYuan(75_920_000n));

    const xlsxRes = (await auditXlsx(args(`/resources/income/villages/${w.v1.id}/audit.xlsx?year=2025`))) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsxRes.arrayBuffer());
    const sheet = wb.getWorksheet("需复核")!;
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((c) => void cells.push(String(c.text ?? c.value))));
    expect(cells).toContain("冯晚登");
  });
});
