/**
 * The printed transfer contract, laid out after the Ministry of Agriculture /
 * SAMR model lease contract (农村土地经营权出租合同 GF—2021—2606): parties,
 * land, use, term, rent and payment, rights and duties, change and
 * termination, breach, disputes, other terms, then the signature page with a
 * fingerprint box per household, the transferee's seal, the village
 * committee and the township's filing block.
 *
 * STREAMING: renderContractPdf returns the pdfkit document, already ended, as
 * a Node Readable. The whole layout runs synchronously inside the call (pages
 * are buffered so that "第 N 页 共 M 页" can be written), and the bytes are
 * produced as the consumer reads. In a resource route:
 *
 *   const stream = renderContractPdf(doc);
 *   return new Response(createReadableStreamFromReadable(stream), { headers: pdfHeaders(name) });
 *
 * and in tests or for an archive copy: `await pdfToBuffer(renderContractPdf(doc))`.
 */
import type { Readable } from "node:stream";
import { Decimal, formatYuan, fromFen, toCapitals } from "~/lib/money";
import { createPdf, FONT, numberPages } from "~/lib/pdf.server";
import {
  contractTitle,
  FORM_ZH,
  paymentTimingOf,
  paymentTimingText,
  PRICE_BASIS_ZH,
  STATUS_ZH,
  termYears,
  TRANSFEREE_KIND_ZH,
  USE_ZH,
  yuanWithCapitals,
  zh,
  CROP_ZH,
  type ContractDocument,
} from "./contract-document";
import { dateZh } from "~/lib/dates";

const BODY = 10;
const SMALL = 8;
const LINE_GAP = 3.5;
/** the appendix the contract refers to for each household's plots and rent */
const APPENDIX_TITLE = "各户流转地块及租金明细";

type Doc = PDFKit.PDFDocument;

interface Column {
  header: string;
  width: number;
  align?: "left" | "center" | "right";
}

/** Page geometry of the current page. */
function frame(doc: Doc) {
  const m = doc.page.margins;
  return { left: m.left, right: doc.page.width - m.right, width: doc.page.width - m.left - m.right, top: m.top, bottom: doc.page.height - m.bottom };
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > frame(doc).bottom) doc.addPage();
}

/** A chapter heading, moved to the next page unless `keep` points of what follows fit below it. */
function heading(doc: Doc, text: string, keep = 40): void {
  ensureSpace(doc, keep + 30);
  doc.moveDown(0.5);
  doc.font(FONT.bold).fontSize(11.5).text(text, frame(doc).left, doc.y, { width: frame(doc).width });
  doc.moveDown(0.25);
  doc.font(FONT.regular).fontSize(BODY);
}

function para(doc: Doc, text: string, opts: { indent?: boolean; size?: number; bold?: boolean; align?: "left" | "justify" | "center" | "right" } = {}): void {
  const f = frame(doc);
  doc.font(opts.bold ? FONT.bold : FONT.regular).fontSize(opts.size ?? BODY);
  doc.text(text, f.left, doc.y, {
    width: f.width,
    lineGap: LINE_GAP,
    indent: opts.indent === false ? 0 : 2 * (opts.size ?? BODY),
    // left, not justify: justification stretches the spaces around figures
    align: opts.align ?? "left",
  });
  doc.font(FONT.regular).fontSize(BODY);
}

/** Numbered clauses "1. …" with a hanging indent. */
function clauses(doc: Doc, items: string[]): void {
  const f = frame(doc);
  const hang = 2 * BODY;
  items.forEach((item, i) => {
    const label = `${i + 1}.`;
    const h = doc.heightOfString(item, { width: f.width - hang, lineGap: LINE_GAP });
    ensureSpace(doc, Math.min(h, 40));
    const y = doc.y;
    doc.text(label, f.left + BODY * 0.6, y, { width: hang, lineBreak: false });
    doc.text(item, f.left + hang, y, { width: f.width - hang, lineGap: LINE_GAP, align: "left" });
  });
  doc.x = f.left;
}

/**
 * A ruled table that breaks across pages, repeating its header row. Cells
 * wrap; every row is as tall as its tallest cell. `bold` rows (totals) use
 * the bold face.
 */
function table(
  doc: Doc,
  columns: Column[],
  rows: string[][],
  opts: { size?: number; boldRows?: Set<number>; headerFill?: string; noHeader?: boolean; shadeColumns?: Set<number> } = {},
): void {
  const size = opts.size ?? SMALL;
  const pad = 3;
  const f = frame(doc);
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  const scale = f.width / totalWidth;
  const widths = columns.map((c) => c.width * scale);

  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? FONT.bold : FONT.regular).fontSize(size);
    let h = 0;
    cells.forEach((text, i) => {
      h = Math.max(h, doc.heightOfString(text || " ", { width: widths[i]! - 2 * pad, lineGap: 1 }));
    });
    return h + 2 * pad;
  };

  const drawRow = (cells: string[], y: number, h: number, bold: boolean, fill?: string) => {
    let x = f.left;
    doc.lineWidth(0.5).strokeColor("#333333");
    cells.forEach((text, i) => {
      const w = widths[i]!;
      const shade = fill ?? (opts.shadeColumns?.has(i) ? "#f4f4f4" : undefined);
      if (shade) doc.save().rect(x, y, w, h).fill(shade).restore();
      doc.rect(x, y, w, h).stroke();
      doc.font(bold ? FONT.bold : FONT.regular).fontSize(size).fillColor("black");
      const th = doc.heightOfString(text || " ", { width: w - 2 * pad, lineGap: 1 });
      doc.text(text, x + pad, y + (h - th) / 2, { width: w - 2 * pad, align: columns[i]!.align ?? "left", lineGap: 1 });
      x += w;
    });
  };

  const headers = columns.map((c) => c.header);
  const headerH = opts.noHeader ? 0 : rowHeight(headers, true);
  let y = doc.y;
  const header = () => {
    if (opts.noHeader) return;
    drawRow(headers, y, headerH, true, opts.headerFill ?? "#eeeeee");
    y += headerH;
  };
  // never leave a header alone at the foot of a page
  const firstRowH = rows.length ? rowHeight(rows[0]!, opts.boldRows?.has(0) ?? false) : 0;
  if (y + headerH + firstRowH > f.bottom) {
    doc.addPage();
    y = frame(doc).top;
  }
  header();
  rows.forEach((cells, r) => {
    const bold = opts.boldRows?.has(r) ?? false;
    const h = rowHeight(cells, bold);
    if (y + h > frame(doc).bottom) {
      doc.addPage();
      y = frame(doc).top;
      header();
    }
    drawRow(cells, y, h, bold);
    y += h;
  });
  doc.x = f.left;
  doc.y = y + 6;
  doc.font(FONT.regular).fontSize(BODY);
}

function blank(value: string | null | undefined, width = 8): string {
  const v = (value ?? "").trim();
  return v === "" ? "_".repeat(width) : v;
}

function sumAreas(areas: string[]): Decimal {
  return areas.reduce((s, a) => (a ? s.plus(new Decimal(a)) : s), new Decimal(0));
}

// ─── Sections ───────────────────────────────────────────────────────────────

function titleBlock(doc: Doc, c: ContractDocument): void {
  const f = frame(doc);
  doc.font(FONT.regular).fontSize(SMALL).fillColor("#444444");
  doc.text("参照农业农村部、国家市场监督管理总局示范文本 GF—2021—2606", f.left, f.top, { width: f.width, align: "left" });
  doc.fillColor("black");
  doc.moveDown(1.2);
  doc.font(FONT.bold).fontSize(20).text(contractTitle(c.form), f.left, doc.y, { width: f.width, align: "center", characterSpacing: 2 });
  doc.moveDown(0.8);
  doc.font(FONT.regular).fontSize(BODY);
  const no = c.contractNo ?? "（备案时由乡镇人民政府编号）";
  const meta = [
    `合同编号：${no}`,
    `内部编号：${c.draftNo}${c.version && c.version > 1 ? `（第 ${c.version} 版）` : ""}`,
    `合同状态：${zh(STATUS_ZH, c.status)}`,
  ];
  for (const line of meta) doc.text(line, f.left, doc.y, { width: f.width, align: "right", lineGap: 1 });
  doc.moveDown(0.8);
}

function partiesSection(doc: Doc, c: ContractDocument): void {
  heading(doc, "一、当事人");
  const formWord = zh(FORM_ZH, c.form);
  const n = c.transferors.length;
  // Only the copy printed for signing carries the numbers whole (ADR 004); every other copy says it is masked.
  const masked = c.personalNumbers !== "full" ? "（身份证号码、联系电话、收款账户已作脱敏处理，以原件为准）" : "";
  para(doc, `甲方（流出方）：土地承包农户${n > 1 ? `共 ${n} 户` : ""}，${n > 1 ? "明细如下" : "信息如下"}${masked}：`, { indent: false });
  doc.moveDown(0.2);
  const rows = c.transferors.map((t, i) => [
    String(i + 1),
    t.headName,
    t.idNumber,
    t.address,
    t.phone,
    t.receivingAccount,
    t.areaMu,
    t.entrustmentNo ? `${t.entrustmentNo}\n${t.entrustmentDate ?? ""}` : "—",
  ]);
  const boldRows = new Set<number>();
  if (n > 1) {
    rows.push(["", "合计", "", "", "", "", sumAreas(c.transferors.map((t) => t.areaMu)).toFixed(2), ""]);
    boldRows.add(rows.length - 1);
  }
  table(
    doc,
    [
      { header: "序号", width: 22, align: "center" },
      { header: "户主姓名", width: 44, align: "center" },
      // wide enough that an ID number and a mobile stay on one line
      { header: "身份证号码", width: 88 },
      { header: "住址", width: 78 },
      { header: "联系电话", width: 58 },
      { header: isEquityDocument(c) ? "收益收款账户" : "租金收款账户", width: 92 },
      { header: "面积（亩）", width: 38, align: "right" },
      { header: "委托书编号/日期", width: 74 },
    ],
    rows,
    { boldRows },
  );
  if (c.signedByVillageCommittee) {
    para(doc, `上述农户已分别出具书面委托书，委托${c.village}村民委员会统一办理土地经营权${formWord}事宜并代为签订本合同，委托书作为本合同附件。`);
  }
  doc.moveDown(0.3);
  const t = c.transferee;
  para(doc, "乙方（流入方）：", { indent: false });
  doc.moveDown(0.2);
  const kindWord = zh(TRANSFEREE_KIND_ZH, t.kind);
  table(
    doc,
    [
      { header: "", width: 90 },
      { header: "", width: 160 },
      { header: "", width: 80 },
      { header: "", width: 170 },
    ],
    [
      ["名称或姓名", t.name, "主体类型", [...new Set([kindWord, t.entityType].filter(Boolean))].join(" / ")],
      ["统一社会信用代码或身份证号码", t.code, "法定代表人或负责人", t.representative],
      ["住所（地址）", t.address, "联系电话", t.phone],
      ["资格审查及项目审核批准文号", t.reviewApprovalNo || "—", "审查日期", t.reviewDate ? dateZh(t.reviewDate) : "—"],
    ],
    { noHeader: true, shadeColumns: new Set([0, 2]) },
  );
  para(
    doc,
    `根据《中华人民共和国民法典》《中华人民共和国农村土地承包法》《农村土地经营权流转管理办法》等法律法规和政策规定，甲乙双方本着平等、自愿、有偿、诚信的原则，经协商一致，就土地经营权${formWord}事宜，签订本合同。`,
  );
}

function plotsSection(doc: Doc, c: ContractDocument): void {
  const formWord = zh(FORM_ZH, c.form);
  const basic = sumAreas(c.plots.filter((p) => p.basicFarmland).map((p) => p.areaMu));
  const intro = `甲方将其承包经营的位于${c.district}${c.township}${c.village}的土地共 ${c.plots.length} 块、${c.totalAreaMu} 亩的土地经营权${formWord}给乙方${basic.isZero() ? "" : `，其中永久基本农田 ${basic.toFixed(2)} 亩`}。地块的名称、编码、四至、等级、面积等以农村土地承包经营权确权登记数据为准，明细如下：`;
  // heading and introduction stay with the table's header and first rows
  heading(doc, "二、流转土地", doc.heightOfString(intro, { width: frame(doc).width, lineGap: LINE_GAP, indent: 2 * BODY }) + 80);
  para(doc, intro);
  doc.moveDown(0.2);
  const several = c.transferors.length > 1;
  const rows = c.plots.map((p, i) => [
    String(i + 1),
    ...(several ? [p.householdHead] : []),
    p.villageGroup,
    p.parcelName,
    p.parcelCode,
    p.east,
    p.south,
    p.west,
    p.north,
    p.gradeClass,
    p.areaMu,
    p.basicFarmland ? "是" : "否",
    p.notes ?? "",
  ]);
  rows.push(["", ...(several ? [""] : []), "合计", `${c.plots.length} 块`, "", "", "", "", "", "", c.totalAreaMu, basic.isZero() ? "" : basic.toFixed(2), ""]);
  table(
    doc,
    [
      // the code column fits 19 digits on one line at 7.5 pt
      { header: "序号", width: 18, align: "center" },
      ...(several ? [{ header: "承包户", width: 34, align: "center" as const }] : []),
      { header: "村组", width: 44 },
      { header: "地块名称", width: 40 },
      { header: "地块编码", width: 84 },
      { header: "东至", width: 30 },
      { header: "南至", width: 30 },
      { header: "西至", width: 30 },
      { header: "北至", width: 30 },
      { header: "等级/地类", width: 34 },
      { header: "面积（亩）", width: 32, align: "right" },
      { header: "永久基本农田", width: 26, align: "center" },
      { header: "备注", width: 28 },
    ],
    rows,
    { size: 7.5, boldRows: new Set([rows.length - 1]) },
  );
}

function useAndTermSections(doc: Doc, c: ContractDocument): void {
  heading(doc, "三、流转土地用途");
  const note = c.useNote.trim() ? `（${c.useNote.trim()}）` : "";
  para(
    doc,
    `乙方流转土地用于${zh(USE_ZH, c.use)}${note}。乙方应当依法保护和合理利用土地，不得改变土地的农业用途，不得将流转土地用于非农建设；在永久基本农田上不得种植果树、挖塘养鱼或者从事其他破坏耕作层的生产经营活动。`,
  );
  heading(doc, "四、流转期限");
  const years = termYears(c.startDate, c.endDate);
  para(
    doc,
    `土地经营权流转期限自${dateZh(c.startDate)}起至${dateZh(c.endDate)}止${years ? `，共计 ${years} 年` : ""}。流转期限不得超过甲方土地承包期的剩余期限。甲方应当于${dateZh(c.handoverDate)}前将流转土地交付乙方。`,
  );
}

/** 入股: the return is the cooperative's dividend run, so the contract prints no rent, schedule or rent penalty. */
const isEquityDocument = (c: ContractDocument) => c.rent.kind === "EQUITY";

function equityReturnSection(doc: Doc, c: ContractDocument): void {
  heading(doc, "五、入股收益及分配");
  clauses(doc, [
    "收益方式：甲方以流转土地的经营权入股乙方，乙方不向甲方支付租金，本合同不设租金支付计划。",
    "收益分配：甲方的收益为乙方（合作社）的年度分红，包括保底收益和盈余分红，按乙方章程和经成员（代表）大会通过并公示的年度分红方案计算，由乙方直接支付至甲方各户在本合同第一条中载明的收款账户，任何组织和个人不得截留、扣缴。",
    "分红依据：入股份额按甲方各户入股土地面积及入股天数计算，以乙方的股份登记为准。",
    c.riskDepositFen != null && c.riskDepositFen > 0n
      ? `风险保障金：乙方应当于本合同签订之日起 ${c.riskDepositWithinDays ?? 30} 日内缴纳风险保障金${yuanWithCapitals(c.riskDepositFen)}，用于乙方不能按约支付保底收益或者不能恢复土地原状时的保障；合同期满或者解除时乙方无违约的，风险保障金予以退还（不计利息）。`
      : "风险保障金：本合同不收取风险保障金。",
  ]);
}

function rentSection(doc: Doc, c: ContractDocument): void {
  if (isEquityDocument(c)) return equityReturnSection(doc, c);
  heading(doc, "五、租金及支付方式");
  const r = c.rent;
  const items: string[] = [];
  if (r.kind === "EQUITY") return;
  if (r.kind === "CASH") {
    const fen = new Decimal(r.yuanPerMu || "0");
    items.push(`租金标准：租金以人民币支付，标准为每亩每年人民币 ${formatYuan(fen)} 元（大写：${toCapitals(fen.toDecimalPlaces(2))}）。`);
  } else {
    const basis = r.priceBasis ? zh(PRICE_BASIS_ZH, r.priceBasis) : "当年价格";
    items.push(
      `租金标准：租金以实物折价方式支付，标准为每亩每年${zh(CROP_ZH, r.crop)} ${r.jinPerMu} 斤，按${basis}折合人民币支付；折价价格以乡（镇）人民政府或有关部门公布的当年价格为准。`,
    );
  }
  items.push(
    c.step && c.step.percent && Number(c.step.percent) !== 0
      ? `租金调整：自合同第一个年度起，每满 ${c.step.everyYears} 年租金标准递增 ${c.step.percent}%，以上一调整期的租金标准为基数计算，每亩租金计至分（四舍五入）。`
      : "租金调整：流转期限内租金标准不作调整。",
  );
  items.push(
    c.annualRentFen != null
      ? `年租金：按上述标准，全部流转土地 ${c.totalAreaMu} 亩首个租金年度的年租金为${yuanWithCapitals(c.annualRentFen)}；各户租金按其流转面积分配，计至分。`
      : `年租金：实物折价租金按当年公布价格计算，价格公布后确定当年租金金额；各户租金按其流转面积分配，计至分。`,
  );
  const pt = paymentTimingOf(c.payment);
  items.push(
    `支付方式：${paymentTimingText(pt.timing, pt)}。不足一个租金年度的，按实际天数占该年度天数的比例计算。乙方应将租金通过银行转账直接支付至甲方各户在本合同第一条中载明的收款账户，任何组织和个人不得截留、扣缴。`,
  );
  items.push(
    c.riskDepositFen != null && c.riskDepositFen > 0n
      ? `风险保障金：乙方应当于本合同签订之日起 ${c.riskDepositWithinDays ?? 30} 日内缴纳风险保障金${yuanWithCapitals(c.riskDepositFen)}，用于乙方不能按约支付租金或者不能恢复土地原状时的保障；合同期满或者解除时乙方无违约的，风险保障金予以退还（不计利息）。`
      : "风险保障金：本合同不收取风险保障金。",
  );
  clauses(doc, items);

  // The whole schedule, every period (a signed text never says "略"), then the total.
  const s = c.schedule;
  if (s.periods.length === 0) return;
  doc.moveDown(0.3);
  ensureSpace(doc, 90); // keep the caption with the table's first rows
  para(doc, `租金支付计划（全部流转土地合计，各户明细见附件：${APPENDIX_TITLE}）：`, { indent: false });
  doc.moveDown(0.2);
  const rows = s.periods.map((p, i) => [
    String(i + 1),
    `${dateZh(p.periodStart)}至${dateZh(p.periodEnd)}`,
    dateZh(p.dueDate),
    p.totalFen === null ? "待定" : formatYuan(p.totalFen),
    p.totalFen === null ? "待当年价格公布后确定" : toCapitals(fromFen(p.totalFen)),
  ]);
  rows.push([
    "合计",
    `共 ${s.periods.length} 期`,
    "",
    s.totalFen === null ? "待定" : formatYuan(s.totalFen),
    s.totalFen === null ? "含待定金额" : toCapitals(fromFen(s.totalFen)),
  ]);
  table(
    doc,
    [
      { header: "期次", width: 30, align: "center" },
      { header: "计租期间", width: 150 },
      { header: "应付日期", width: 70 },
      { header: "应付金额（元）", width: 70, align: "right" },
      { header: "大写金额", width: 150 },
    ],
    rows,
    { boldRows: new Set([rows.length - 1]) },
  );
  if (s.missingPriceYears.length) {
    para(doc, `注：${s.missingPriceYears.join("、")} 年的折价价格尚未公布，相应期次的租金待价格公布后计算。`, { size: SMALL, indent: false });
  }
}

function dutiesSection(doc: Doc, c: ContractDocument): void {
  heading(doc, "六、双方的权利和义务");
  para(doc, "（一）甲方的权利和义务", { indent: false, bold: true });
  clauses(doc, [
    `${isEquityDocument(c) ? "按照乙方章程和年度分红方案取得入股收益" : "按照合同约定收取租金"}，监督乙方依法合理利用和保护流转土地，制止乙方损害土地和农业资源的行为。`,
    "按照合同约定的时间和质量交付流转土地，保障乙方在流转期限内依法自主开展农业生产经营。",
    "流转期间土地被依法征收、征用、占用的，土地补偿费归甲方（依法应归集体的除外）；地上附着物和青苗补偿费归实际投入者所有，合同相应解除或者变更。",
    "不得干涉乙方依法进行的正常生产经营活动，不得在合同期内擅自收回或者另行流转土地。",
  ]);
  para(doc, "（二）乙方的权利和义务", { indent: false, bold: true });
  clauses(doc, [
    "在流转期限内依法享有土地经营权，自主组织生产经营并取得收益。",
    isEquityDocument(c) ? "按照章程和经公示的年度分红方案按时足额支付甲方的入股分红（保底收益和盈余分红）。" : "按照合同约定的时间、方式和标准足额支付租金。",
    "不得改变土地的农业用途，不得弃耕抛荒，不得破坏农业综合生产能力和农业生态环境。",
    "不得在流转土地上建窑、建坟、建房、挖沙、采石、取土或者堆放固体废弃物。",
    "不得在永久基本农田上种植果树、挖塘养鱼或者从事其他破坏耕作层的生产经营活动。",
    "经甲方书面同意并向本集体经济组织备案，乙方可以再流转土地经营权，或者以土地经营权向金融机构融资担保。",
    "经甲方同意，乙方可以依法投资改良土壤、建设农业生产附属和配套设施；合同期满或者解除时，相关设施和投入的补偿由双方协商确定。",
    `流转期限届满，甲方继续流转的，在同等条件下乙方享有优先续租权；乙方需要续租的，应当在期限届满前 ${c.renewalNoticeDays} 日书面向甲方提出。`,
    "流转期限届满或者合同解除后，乙方应当按期交还土地，并恢复土地的原有耕作条件。",
  ]);
  para(doc, "（三）备案和登记", { indent: false, bold: true });
  clauses(doc, [
    `本合同签订之日起 ${c.filingWithinDays} 日内，由${c.village}村民委员会（或者甲方）将合同报${c.township}人民政府农村土地承包管理部门备案。`,
    "流转期限为五年以上的，当事人可以依法向不动产登记机构申请土地经营权登记。",
  ]);
}

function changeBreachDisputeOther(doc: Doc, c: ContractDocument): void {
  heading(doc, "七、合同的变更和解除");
  clauses(doc, [
    "经甲乙双方协商一致，可以书面变更或者解除本合同；变更或者解除的，应当报乡（镇）人民政府备案。",
    `乙方有下列情形之一的，甲方有权单方解除合同（《中华人民共和国农村土地承包法》第四十二条）：（1）擅自改变土地的农业用途；（2）弃耕抛荒连续两年以上；（3）给土地造成严重损害或者严重破坏土地生态环境；（4）其他严重违约行为，包括${isEquityDocument(c) ? "未按分红方案支付分红" : "逾期支付租金"}经催告后在合理期限内仍未支付。`,
    "因不可抗力致使合同目的不能实现的，任何一方可以解除合同，互不承担违约责任。",
    isEquityDocument(c) ? "合同解除的，入股收益按实际入股期间结算；乙方应当按期交还土地。" : "合同解除的，租金按实际流转期间结算，多退少补；乙方应当按期交还土地。",
  ]);
  heading(doc, "八、违约责任");
  clauses(doc, [
    isEquityDocument(c)
      ? "乙方未按经公示的年度分红方案按期支付甲方分红的，应当补足并依法承担违约责任。"
      : `乙方逾期支付租金的，每逾期一日，按当日未付租金的万分之 ${c.penaltyPerTenThousand} 向甲方支付违约金；付款当日仍计逾期，已计违约金不因付款而减少。`,
    "甲方未按照约定时间交付土地，或者非法干预乙方生产经营，给乙方造成损失的，应当承担赔偿责任。",
    "乙方违反本合同第三条、第六条的约定造成土地损害的，应当恢复原状并赔偿损失。",
    "一方违反本合同约定给对方造成损失的，应当依法承担赔偿责任。",
  ]);
  heading(doc, "九、争议解决");
  para(
    doc,
    `因履行本合同发生争议的，由双方协商解决；协商不成的，可以请求村民委员会、乡（镇）人民政府等调解解决；当事人不愿协商、调解或者协商、调解不成的，可以向${c.district}农村土地承包仲裁委员会申请仲裁，也可以直接向人民法院提起诉讼。`,
  );
  heading(doc, "十、其他");
  const annexes = [...(c.householdAppendix?.length ? [APPENDIX_TITLE] : []), "甲方身份证复印件", "农村土地承包经营权证（确权证书）复印件", "流转地块示意图", "村民会议或者村民代表会议决议", "流转公示材料"];
  if (c.signedByVillageCommittee) annexes.push("农户委托书");
  if (c.transferee.reviewApprovalNo) annexes.push("乙方资格审查及项目审核材料");
  if (c.transferee.kind !== "GROWER" && c.transferee.kind !== "OTHER") annexes.push("乙方营业执照复印件");
  const copies = c.copies ?? 4;
  clauses(doc, [
    "本合同未尽事宜，经甲乙双方协商一致可以签订补充协议，补充协议与本合同具有同等法律效力。",
    "本合同自甲乙双方签字（盖章、按手印）之日起生效。",
    `本合同一式 ${copies} 份，甲乙双方各执一份，${c.village}村民委员会、${c.township}人民政府农村土地承包管理部门各存档一份，具有同等法律效力。`,
    `附件：${annexes.map((a, i) => `（${i + 1}）${a}`).join("；")}。`,
    `签订地点：${blank(c.signingPlace, 16)}；签订日期：${dateZh(c.signedDate)}。`,
  ]);
  para(doc, "（以下无正文）", { indent: false, align: "center", size: 9 });
}

// ─── Signature page ─────────────────────────────────────────────────────────

function fingerprintBox(doc: Doc, x: number, y: number, size: number, label: string): void {
  doc.save();
  doc.lineWidth(0.6).strokeColor("#888888").dash(2, { space: 2 }).rect(x, y, size, size).stroke().undash();
  doc.font(FONT.regular).fontSize(6.5).fillColor("#999999").text(label, x, y + size / 2 - 4, { width: size, align: "center", lineBreak: false });
  doc.restore();
  doc.fillColor("black");
}

function signatures(doc: Doc, c: ContractDocument): void {
  const f = frame(doc);
  const colW = f.width / 2;
  const boxH = 74;
  const box = 46;
  // Keep the signature page together when it fits on one page: a signature
  // separated from the text it signs invites disputes about missing pages.
  const needed = 40 + Math.ceil(c.transferors.length / 2) * (boxH + 6) + (c.signedByVillageCommittee ? 40 : 0) + 124 + 104;
  if (doc.y + needed > f.bottom && f.top + needed <= f.bottom) doc.addPage();
  else ensureSpace(doc, 200);
  heading(doc, "签字（盖章）");

  // Households, two per row, each with a fingerprint box.
  c.transferors.forEach((t, i) => {
    const col = i % 2;
    if (col === 0) ensureSpace(doc, boxH + 6);
    const x = f.left + col * colW;
    const y = doc.y;
    doc.lineWidth(0.4).strokeColor("#bbbbbb").rect(x + 2, y, colW - 4, boxH).stroke().strokeColor("black");
    doc.font(FONT.bold).fontSize(9).text(`甲方（承包户）：${t.headName}`, x + 8, y + 7, { width: colW - box - 24, lineBreak: false });
    doc.font(FONT.regular).fontSize(9);
    doc.text("户主签字：______________", x + 8, y + 27, { width: colW - box - 24, lineBreak: false });
    doc.text("日期：______年____月____日", x + 8, y + 49, { width: colW - box - 24, lineBreak: false });
    fingerprintBox(doc, x + colW - box - 10, y + (boxH - box) / 2, box, "按手印");
    if (col === 1 || i === c.transferors.length - 1) doc.y = y + boxH + 6;
    else doc.y = y;
  });
  doc.x = f.left;

  if (c.signedByVillageCommittee) {
    ensureSpace(doc, 40);
    para(doc, `甲方委托代理人：${c.village}村民委员会（盖章）        负责人（签字）：______________        日期：______年____月____日`, { indent: false, size: 9 });
    doc.moveDown(0.6);
  }

  // Transferee and village committee side by side.
  ensureSpace(doc, 120);
  const y = doc.y + 4;
  const h = 108;
  const seal = 64;
  doc.lineWidth(0.4).strokeColor("#bbbbbb").rect(f.left + 2, y, colW - 4, h).stroke();
  doc.rect(f.left + colW + 2, y, colW - 4, h).stroke().strokeColor("black");
  const leftText = (x: number, lines: [string, boolean][]) => {
    let yy = y + 8;
    for (const [text, bold] of lines) {
      doc.font(bold ? FONT.bold : FONT.regular).fontSize(9).text(text, x + 8, yy, { width: colW - seal - 24 });
      yy = doc.y + 6;
    }
  };
  leftText(f.left, [
    [`乙方（盖章）：${c.transferee.name}`, true],
    ["法定代表人或负责人（签字）：", false],
    ["______________", false],
    ["日期：______年____月____日", false],
  ]);
  fingerprintBox(doc, f.left + colW - seal - 10, y + (h - seal) / 2, seal, "盖章 / 按手印");
  leftText(f.left + colW, [
    [`${c.village}村民委员会（盖章）`, true],
    ["经办人（签字）：______________", false],
    ["日期：______年____月____日", false],
  ]);
  fingerprintBox(doc, f.right - seal - 10, y + (h - seal) / 2, seal, "盖章");
  doc.y = y + h + 12;
  doc.x = f.left;

  // Township filing block.
  ensureSpace(doc, 96);
  const fy = doc.y;
  const fh = 88;
  doc.lineWidth(0.8).rect(f.left, fy, f.width, fh).stroke();
  doc.font(FONT.bold).fontSize(10).text(`${c.township}人民政府备案意见`, f.left + 10, fy + 8, { width: f.width - 20 });
  doc.font(FONT.regular).fontSize(9);
  const filedNo = c.contractNo ?? "";
  doc.text(
    `本合同已于${dateZh(c.filedDate)}备案，备案编号：${blank(filedNo, 20)}。`,
    f.left + 10,
    fy + 30,
    { width: f.width - seal - 40 },
  );
  doc.text("经办人（签字）：______________        （盖章）", f.left + 10, fy + 58, { width: f.width - seal - 40 });
  fingerprintBox(doc, f.right - seal - 12, fy + (fh - seal) / 2, seal, "盖章");
  doc.y = fy + fh + 8;
  doc.x = f.left;
}

const CN_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const ordinal = (n: number) => (n <= 10 ? CN_ORDINALS[n - 1]! : n < 20 ? `十${CN_ORDINALS[n - 11]}` : String(n));

/** 附件：各户流转地块及租金明细 — on its own pages: each household's plots and its whole schedule with totals. */
function householdAppendix(doc: Doc, c: ContractDocument): void {
  const list = c.householdAppendix ?? [];
  if (!list.length) return;
  doc.addPage();
  doc.font(FONT.bold).fontSize(14).text(`附件：${APPENDIX_TITLE}`, { align: "center" });
  doc.moveDown(0.3);
  para(doc, `合同编号：${c.contractNo ?? c.draftNo}　流出方共 ${list.length} 户，流转土地合计 ${c.totalAreaMu} 亩。`, { indent: false, size: 9 });
  list.forEach((h, k) => {
    doc.moveDown(0.4);
    ensureSpace(doc, 120);
    heading(doc, `（${ordinal(k + 1)}）${h.headName}　流转面积 ${h.areaMu} 亩`, 80);
    const plotRows = h.plots.map((p, i) => [String(i + 1), p.parcelName, p.parcelCode, p.areaMu]);
    plotRows.push(["合计", "", `${h.plots.length} 块`, h.areaMu]);
    table(
      doc,
      [
        { header: "序号", width: 30, align: "center" },
        { header: "地块名称", width: 120 },
        { header: "地块编码", width: 170 },
        { header: "流转面积（亩）", width: 80, align: "right" },
      ],
      plotRows,
      { boldRows: new Set([plotRows.length - 1]) },
    );
    const rows = h.installments.map((i, n) => [
      String(n + 1),
      `${dateZh(i.periodStart)}至${dateZh(i.periodEnd)}`,
      dateZh(i.dueDate),
      i.areaMu,
      i.ratePerMu === null ? "待定" : formatYuan(new Decimal(i.ratePerMu)),
      i.amountFen === null ? "待定" : formatYuan(i.amountFen),
    ]);
    rows.push(["合计", `共 ${h.installments.length} 期`, "", "", "", h.totalFen === null ? "含待定金额" : formatYuan(h.totalFen)]);
    table(
      doc,
      [
        { header: "期次", width: 30, align: "center" },
        { header: "计租期间", width: 150 },
        { header: "应付日期", width: 75 },
        { header: "面积（亩）", width: 50, align: "right" },
        { header: "每亩年租金（元）", width: 60, align: "right" },
        { header: "应付金额（元）", width: 70, align: "right" },
      ],
      rows,
      { boldRows: new Set([rows.length - 1]) },
    );
    if (h.totalFen !== null) para(doc, `${h.headName}户租金合计：${yuanWithCapitals(h.totalFen)}。`, { indent: false, size: 9 });
  });
}

/** Lays out the whole contract and returns the ended document as a stream of PDF bytes (see the module comment). */
export function renderContractPdf(c: ContractDocument): Readable {
  const title = contractTitle(c.form);
  const doc = createPdf({ title: `${title} ${c.contractNo ?? c.draftNo}`, subject: `${c.township}${c.village}` });
  titleBlock(doc, c);
  partiesSection(doc, c);
  plotsSection(doc, c);
  useAndTermSections(doc, c);
  rentSection(doc, c);
  dutiesSection(doc, c);
  changeBreachDisputeOther(doc, c);
  signatures(doc, c);
  householdAppendix(doc, c);

  const draft = c.status === "DRAFT";
  numberPages(doc, {
    left: `合同编号：${c.contractNo ?? c.draftNo}`,
    right: c.generatedAt ? `打印：${c.generatedAt}` : undefined,
    overlay: draft
      ? (d) => {
          // A faint diagonal "草稿" so that a draft is never mistaken for the signed text.
          d.save();
          d.rotate(-35, { origin: [d.page.width / 2, d.page.height / 2] });
          d.font(FONT.bold).fontSize(120).fillColor("#000000").fillOpacity(0.06);
          d.text("草稿", 0, d.page.height / 2 - 70, { width: d.page.width, align: "center", lineBreak: false });
          d.restore();
        }
      : undefined,
  });
  doc.end();
  return doc;
}
