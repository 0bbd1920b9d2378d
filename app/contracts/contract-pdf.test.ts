import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfHeaders, pdfToBuffer } from "~/lib/pdf.server";
import { formatYuan, fromFen, toCapitals } from "~/lib/money";
import { renderContractPdf } from "./contract-pdf.server";
import type { ContractDocument, PlotLine, TransferorParty } from "./contract-document";
import { annualRentFen, generateSchedule, type ScheduleInput } from "./schedule";

/**
 * Renders a sample contract and reads it back with poppler's pdftotext.
 * Set CONTRACT_PDF_OUT=/some/dir to keep the PDF (and look at it with
 * `pdftoppm -png -r 80 contract.pdf page`).
 */

const households: (TransferorParty & { id: number })[] = [
  { id: 101, headName: "王建国", idNumber: "371702********0018", address: "牡丹区皇镇张庄村 3 组 12 号", phone: "138****5678", receivingAccount: "农商行 6228 **** **** 0018", areaMu: "3.25", entrustmentNo: "ZZ-WT-2026-001", entrustmentDate: "2026-03-10" },
  { id: 102, headName: "李秀英", idNumber: "371702********002X", address: "牡丹区皇镇张庄村 3 组 15 号", phone: "139****1234", receivingAccount: "农商行 6228 **** **** 7731", areaMu: "4.10", entrustmentNo: "ZZ-WT-2026-002", entrustmentDate: "2026-03-10" },
  { id: 103, headName: "张德胜", idNumber: "371702********3312", address: "牡丹区皇镇张庄村 4 组 2 号", phone: "135****0099", receivingAccount: "邮储 6210 **** **** 4402", areaMu: "2.67", entrustmentNo: "ZZ-WT-2026-003", entrustmentDate: "2026-03-11" },
];

/** 3 + 4 + many small plots, so the parcel table runs over a page. */
function plots(): PlotLine[] {
  const out: PlotLine[] = [];
  const shares: [number, string[]][] = [
    [0, ["1.25", "2.00"]],
    [1, ["1.10", "1.00", "2.00"]],
    [2, ["0.67", "2.00"]],
  ];
  let n = 1;
  for (const [h, areas] of shares) {
    for (const a of areas) {
      out.push({
        householdHead: households[h]!.headName,
        villageGroup: `张庄村 第${h + 3}组`,
        parcelName: n % 2 ? "东大洼" : "河南地",
        parcelCode: `371702102001${String(h + 3).padStart(2, "0")}${String(n).padStart(5, "0")}`,
        east: "王建民地",
        south: "生产路",
        west: "沟渠",
        north: "李家坟地",
        gradeClass: "二等 水浇地",
        areaMu: a,
        basicFarmland: n % 3 !== 0,
      });
      n += 1;
    }
  }
  return out;
}

const scheduleInput: ScheduleInput = {
  startDate: "2026-04-01",
  endDate: "2036-03-31",
  rent: { kind: "CASH", yuanPerMu: "800" },
  step: { percent: "5", everyYears: 3 },
  payment: { timing: "YEARLY", monthDay: "12-31" },
  parties: households.map((h) => ({ householdId: h.id, areaMu: h.areaMu })),
};

function sample(over: Partial<ContractDocument> = {}): ContractDocument {
  const schedule = generateSchedule(scheduleInput);
  return {
    contractNo: "HZ-LZ-2026-0042",
    draftNo: "LXZ-2026-0007",
    status: "FILED",
    district: "菏泽市牡丹区",
    township: "皇镇",
    village: "张庄村",
    transferors: households.map(({ id: _id, ...h }) => h),
    signedByVillageCommittee: true,
    transferee: {
      name: "菏泽市牡丹区张庄牡丹种植专业合作社",
      kind: "COOPERATIVE",
      entityType: "农民专业合作社",
      code: "93371702MA3C4K8X1Q",
      representative: "赵志强",
      address: "牡丹区皇镇张庄村村委会东 200 米",
      phone: "0530-5551234",
      reviewApprovalNo: "皇政农审〔2026〕3号",
      reviewDate: "2026-03-20",
    },
    plots: plots(),
    totalAreaMu: "10.02",
    form: "LEASE",
    use: "NURSERY",
    useNote: "种植观赏牡丹及苗木",
    startDate: scheduleInput.startDate,
    endDate: scheduleInput.endDate,
    handoverDate: "2026-04-01",
    rent: { kind: "CASH", yuanPerMu: "800" },
    step: { percent: "5", everyYears: 3 },
    payment: scheduleInput.payment,
    annualRentFen: annualRentFen(scheduleInput, scheduleInput.startDate),
    riskDepositFen: 500000n,
    riskDepositWithinDays: 15,
    penaltyPerTenThousand: "5",
    filingWithinDays: 30,
    renewalNoticeDays: 90,
    schedule,
    signedDate: "2026-03-25",
    signingPlace: "皇镇张庄村村民委员会",
    filedDate: "2026-04-10",
    generatedAt: "2026-05-01 10:20",
    ...over,
  };
}

let dir: string;
beforeAll(() => {
  dir = process.env.CONTRACT_PDF_OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), "contract-pdf-"));
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  if (!process.env.CONTRACT_PDF_OUT) fs.rmSync(dir, { recursive: true, force: true });
});

async function renderToText(doc: ContractDocument, name: string): Promise<{ pdf: Buffer; text: string; pages: number }> {
  const pdf = await pdfToBuffer(renderContractPdf(doc));
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  return { pdf, text, pages };
}

/** pdftotext lays out columns with spaces; compare without them. */
const squash = (s: string) => s.replace(/\s+/g, "");

describe("renderContractPdf", () => {
  it("prints the parties, parcels and amounts in figures and capitals", async () => {
    const doc = sample();
    const { pdf, text, pages } = await renderToText(doc, "contract");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const t = squash(text);

    expect(t).toContain("农村土地经营权出租合同");
    for (const h of households) {
      expect(t).toContain(h.headName);
      expect(t).toContain(squash(h.idNumber));
    }
    expect(t).toContain("菏泽市牡丹区张庄牡丹种植专业合作社");
    expect(t).toContain("93371702MA3C4K8X1Q");
    for (const p of doc.plots) expect(t).toContain(p.parcelCode);

    // 800 元/亩 in figures and capitals, the first year's annual rent, the deposit
    expect(t).toContain("800.00元");
    expect(t).toContain("捌佰元整");
    expect(doc.annualRentFen).toBe(801600n); // 10.02 mu × 800
    expect(t).toContain("8,016.00");
    expect(t).toContain(toCapitals(fromFen(801600n))); // 捌仟零壹拾陆元整
    expect(t).toContain("5,000.00");
    expect(t).toContain("伍仟元整");
    // the first, prorated period and the schedule total
    expect(t).toContain("6,039.45");
    expect(t).toContain("陆仟零叁拾玖元肆角伍分");
    expect(t).toContain(formatYuan(doc.schedule.totalFen!));
    expect(t).toContain(toCapitals(fromFen(doc.schedule.totalFen!)));

    // chapters of the model contract
    for (const chapter of ["一、当事人", "二、流转土地", "三、流转土地用途", "四、流转期限", "五、租金及支付方式", "六、双方的权利和义务", "七、合同的变更和解除", "八、违约责任", "九、争议解决", "十、其他"]) {
      expect(t).toContain(chapter);
    }
    expect(t).toContain("万分之5");
    expect(t).toContain("优先续租权");
    expect(t).toContain("不得在流转土地上建窑、建坟、建房");
    expect(t).toContain("不得在永久基本农田上种植果树、挖塘养鱼");
    expect(t).toContain("第四十二条");
    expect(t).toContain("申请仲裁");
    expect(t).toContain("30日内");
    expect(t).toContain("按手印");
    expect(t).toContain("皇镇人民政府备案意见");

    expect(pages).toBeGreaterThanOrEqual(3);
    expect(t).toContain(`第1页共${pages}页`);
    expect(t).toContain(`第${pages}页共${pages}页`);
  });

  it("prints every period of the schedule (never 略) and the per-household appendix it refers to", async () => {
    const schedule = generateSchedule(scheduleInput);
    const appendix = households.map((h) => {
      const own = schedule.installments.filter((i) => i.householdId === h.id);
      return {
        headName: h.headName,
        areaMu: h.areaMu,
        plots: plots().filter((p) => p.householdHead === h.headName).map((p) => ({ parcelName: p.parcelName, parcelCode: p.parcelCode, areaMu: p.areaMu })),
        installments: own.map((i) => ({ periodStart: i.periodStart, periodEnd: i.periodEnd, dueDate: i.dueDate, areaMu: i.areaMu, ratePerMu: i.yearlyRateYuanPerMu, amountFen: i.amountFen })),
        totalFen: own.reduce((t, i) => t + i.amountFen!, 0n),
      };
    });
    const { text } = await renderToText(sample({ householdAppendix: appendix }), "appendix");
    const t = squash(text);
    expect(schedule.periods.length).toBeGreaterThan(6);
    expect(t).not.toContain("略");
    expect(t).toContain(`共${schedule.periods.length}期`);
    for (const p of schedule.periods) expect(t).toContain(formatYuan(p.totalFen!));
    expect(t).toContain("各户明细见附件：各户流转地块及租金明细");
    expect(t).toContain("附件：各户流转地块及租金明细");
    for (const h of appendix) {
      expect(t).toContain(`${h.headName}流转面积${h.areaMu}亩`);
      for (const p of h.plots) expect(t).toContain(p.parcelCode);
      for (const i of h.installments) expect(t).toContain(formatYuan(i.amountFen!));
      expect(t).toContain(`${h.headName}户租金合计：人民币${formatYuan(h.totalFen)}元`);
    }
    // the step-up years print their actual rate per mu (800 → 840 → 882)
    expect(t).toContain("882.00");
  });

  it("breaks a long parcel table across pages with its header repeated", async () => {
    const many = Array.from({ length: 90 }, (_, i) => ({ ...plots()[i % 7]!, parcelCode: `3717021020010${String(i).padStart(6, "0")}` }));
    const { text, pages } = await renderToText(sample({ plots: many, totalAreaMu: "123.45" }), "many-plots");
    const t = squash(text);
    for (const p of many) expect(t).toContain(p.parcelCode);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(text.match(/地块编码/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it("marks a draft and leaves blanks for what is not known yet", async () => {
    const { text } = await renderToText(
      sample({ status: "DRAFT", contractNo: null, filedDate: null, signedDate: null, riskDepositFen: null }),
      "draft",
    );
    const t = squash(text);
    expect(t).toContain("合同状态：草稿");
    expect(t).toContain("备案时由乡镇人民政府编号");
    expect(t).toContain("本合同不收取风险保障金");
    expect(t).toContain("______年____月____日");
  });

  it("words rent in kind with the price basis and a missing year's price", async () => {
    const input: ScheduleInput = {
      ...scheduleInput,
      rent: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", prices: { 2026: "1.18" } },
      step: null,
    };
    const { text } = await renderToText(
      sample({
        rent: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", priceBasis: "MINIMUM_PURCHASE" },
        step: null,
        schedule: generateSchedule(input),
        annualRentFen: annualRentFen(input, "2026-04-01"),
      }),
      "in-kind",
    );
    const t = squash(text);
    expect(t).toContain("小麦950斤");
    expect(t).toContain("当年国家最低收购价");
    expect(t).toContain("待定");
    expect(t).toContain("2027、2028");
  });

  it("download headers carry a UTF-8 file name", () => {
    const h = pdfHeaders("流转合同-HZ-LZ-2026-0042.pdf");
    expect(h["Content-Type"]).toBe("application/pdf");
    expect(h["Content-Disposition"]).toMatch(/^inline; filename="____-HZ-LZ-2026-0042.pdf"; filename\*=UTF-8''%E6%B5%81/);
  });
});
