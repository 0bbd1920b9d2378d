import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfToBuffer } from "~/lib/pdf.server";
import { maskIdNumber } from "~/registry/masking";
import { rosterPages, rosterTotals, ROSTER_ROWS_PER_PAGE, type RosterDocument, type RosterRow } from "./roster";
import { renderRosterPdf, signedCapitals } from "./roster-pdf.server";

let dir: string;
beforeAll(() => {
  dir = process.env.DIVIDEND_PDF_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), "roster-pdf-"));
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  if (!process.env.DIVIDEND_PDF_OUT) fs.rmSync(dir, { recursive: true, force: true });
});

const SURNAMES = "王李张刘陈杨赵黄周吴";
function row(i: number): RosterRow {
  const gross = BigInt(100_000 + ((i * 7919) % 900_000));
  const deduction = i % 7 === 0 ? BigInt(1_000 + i) : 0n;
  return {
    householdHead: `${SURNAMES[i % 10]}${["建国", "秀英", "德胜", "桂兰"][i % 4]}`,
    idMasked: maskIdNumber(`3717021970010${String(i).padStart(4, "0")}1`),
    weight: String(2 + (i % 9)),
    grossFen: gross,
    deductionFen: deduction,
    deductionNote: deduction ? "代扣代缴医保" : "",
    netFen: gross - deduction,
  };
}

function roster(n: number, groupsOf = 60): RosterDocument {
  const rows = Array.from({ length: n }, (_, i) => row(i));
  const groups = [];
  for (let i = 0; i < n; i += groupsOf) groups.push({ village: i < n / 2 ? "鲁谢庄村" : "刘庄村", group: `${1 + i / groupsOf} 组`, rows: rows.slice(i, i + groupsOf) });
  return { cooperativeName: "牡丹区续强合作社", creditCode: "93371702MA3C4K8X1Q", year: 2025, runLabel: "2025 年度收益分配方案（第 3 号）", groups, madeBy: "刘会计", approvedBy: "赵志强", issuedBy: "赵志强", issuedOn: "2026-02-01", generatedAt: "2026-02-01 10:20" };
}

const text = (file: string) => execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
const flat = (t: string) => t.replace(/\s+/g, "");

describe("the payout roster (发放花名册)", () => {
  it("pages per group; page subtotals add up to the grand total to the fen (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 15 }), (sizes, perPage) => {
        let k = 0;
        const doc = { groups: sizes.map((s, g) => ({ village: "V", group: `${g} 组`, rows: Array.from({ length: s }, () => row(k++)) })) };
        const pages = rosterPages(doc, perPage);
        const all = doc.groups.flatMap((g) => g.rows);
        const grand = pages[pages.length - 1]!.grandTotal!;
        expect(grand.netFen).toBe(all.reduce((s, r) => s + r.netFen, 0n));
        expect(pages.reduce((s, p) => s + p.subtotal.netFen, 0n)).toBe(grand.netFen);
        expect(pages.reduce((s, p) => s + p.subtotal.deductionFen, 0n)).toBe(grand.deductionFen);
        expect(pages.reduce((s, p) => s + p.subtotal.grossFen, 0n)).toBe(grand.grossFen);
        expect(grand.netFen + grand.deductionFen).toBe(grand.grossFen);
        expect(pages.flatMap((p) => p.rows.map((r) => r.no))).toEqual(all.map((_r, i) => i + 1));
        // a page never mixes groups
        for (const p of pages) expect(p.rows.length).toBeLessThanOrEqual(perPage);
        expect(pages.filter((p) => p.grandTotal).length).toBe(1);
      }),
    );
  });

  it("a 300-line run spans pages, each with its subtotal in figures and capitals, the grand total and the sign-off on the last", async () => {
    const doc = roster(300);
    const pages = rosterPages(doc);
    expect(pages.length).toBe(5 * Math.ceil(60 / ROSTER_ROWS_PER_PAGE));
    const buf = await pdfToBuffer(renderRosterPdf(doc));
    const file = path.join(dir, "roster.pdf");
    fs.writeFileSync(file, buf);
    const info = execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" });
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)![1])).toBe(pages.length);
    const t = text(file);
    const perPage = t.split("\f").filter((p) => p.trim());
    expect(perPage.length).toBe(pages.length);
    perPage.forEach((p, i) => {
      const sub = pages[i]!.subtotal;
      expect(p).toContain(`本页小计（${sub.households} 户）`);
      expect(flat(p)).toContain(flat((Number(sub.netFen) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })));
      expect(flat(p)).toContain(flat(`人民币 ${signedCapitals(sub.netFen)}`));
      expect(p).toContain("签字或按手印");
    });
    const grand = rosterTotals(doc.groups.flatMap((g) => g.rows));
    const last = perPage[perPage.length - 1]!;
    expect(last).toContain("合计（300 户）");
    expect(flat(last)).toContain(flat(`人民币 ${signedCapitals(grand.netFen)}`));
    for (const label of ["制表：刘会计", "理事长（签字）", "监事（签字）", "审定：赵志强", "发放：赵志强"]) expect(flat(last)).toContain(flat(label));
    expect(t).toContain("代扣代缴医保");
    expect(t).toContain("371702********0011");
    expect(t).not.toContain("19700100001");
    expect(flat(t)).toContain("鲁谢庄村1组");
  });

  it("prints a rare character of a name with the fallback font, never as a box", async () => {
    const doc = roster(3);
    doc.groups[0]!.rows[0]!.householdHead = "刘𠈌";
    const file = path.join(dir, "roster-rare.pdf");
    fs.writeFileSync(file, await pdfToBuffer(renderRosterPdf(doc)));
    expect(text(file)).toContain("刘𠈌");
  });
});
