import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { contractContext, parcel, xlsxBytes, type Cell } from "../../tests/fixtures/imports/workbooks";
import { EXAMPLE_TRANSFEREE_ID, mapHeadings } from "./columns";
import { checkContractRows, type ContractImportContext } from "./contracts";
import { readTable } from "./read-table.server";
import { rowErrorText } from "./report";

const t = translator("zh-CN");
const HEADINGS = ["合同编号", "地块编码", "流转面积（亩）", "流转方式", "受让方类型", "受让方名称", "受让方证件号", "用途", "起始日期", "终止日期", "租金（元/亩/年）", "支付方式", "每年支付日", "签订日期", "备案日期", "已付租金（元）", "付款日期"];
type Line = Partial<Record<(typeof HEADINGS)[number], Cell>>;

function line(no: string, code: string, area: Cell, over: Line = {}): Cell[] {
  const base: Line = {
    合同编号: no,
    地块编码: code,
    "流转面积（亩）": area,
    流转方式: "出租",
    受让方类型: "种植大户",
    受让方名称: "鲁振华",
    受让方证件号: EXAMPLE_TRANSFEREE_ID,
    用途: "粮食种植",
    起始日期: "2024-01-01",
    终止日期: "2028-12-31",
    "租金（元/亩/年）": "800",
    支付方式: "每年",
    每年支付日: "12-31",
    签订日期: "2023-12-20",
    备案日期: "2023-12-28",
    "已付租金（元）": "",
    付款日期: "",
    ...over,
  };
  return HEADINGS.map((h) => base[h] ?? "");
}

async function check(rows: Cell[][], ctx: ContractImportContext = contractContext(), headings = HEADINGS) {
  const r = await readTable(await xlsxBytes({ rows: [headings, ...rows], textColumns: [2, 7] }), "合同.xlsx");
  if (!r.ok) throw new Error(r.error.key);
  return checkContractRows(r.table, mapHeadings("CONTRACTS", r.table.headings).index, ctx);
}

describe("checkContractRows", () => {
  it("plans clean contracts with their plot lines and the payments already made", async () => {
    const r = await check([
      line("XLZ-2024-001", parcel("01", 1), "2.35", { "已付租金（元）": 1880, 付款日期: new Date(Date.UTC(2024, 11, 31)) }),
      line("XLZ-2024-001", parcel("01", 2), "1.5"),
      line("XLZ-2024-002", parcel("02", 3), "3", { 受让方类型: "合作社", 受让方名称: "牡丹区续强合作社", 受让方证件号: "", 支付方式: "一次性", 每年支付日: "", 起始日期: 45292, 备案日期: "" }),
    ]);
    expect([...r.rowErrors]).toEqual([]);
    expect(r.counts).toEqual({ rows: 3, contracts: 2, lines: 3, create: 2, update: 0, unchanged: 0 });
    const [a, b] = r.contracts;
    expect(a).toMatchObject({ action: "create", contractNo: "XLZ-2024-001", signedDate: "2023-12-20", filedDate: "2023-12-28", rowNumbers: [2, 3] });
    expect(a!.input).toMatchObject({ form: "LEASE", transfereeKind: "GROWER", transfereeCode: EXAMPLE_TRANSFEREE_ID, use: "GRAIN", rentKind: "CASH", rentPerMu: "800.00", paymentTiming: "YEARLY", paymentMonthDay: "12-31" });
    expect(a!.lines).toEqual([
      { rowNumber: 2, plotId: 901, householdId: 501, area: "2.35" },
      { rowNumber: 3, plotId: 902, householdId: 501, area: "1.50" },
    ]);
    expect(a!.payments).toEqual([{ rowNumber: 2, householdId: 501, amountFen: 188000n, paidOn: "2024-12-31" }]);
    expect(b!.input).toMatchObject({ transfereeKind: "COOPERATIVE", cooperativeId: 71, paymentTiming: "ONCE", startDate: "2024-01-01" });
    expect(b!.filedDate).toBeNull();
  });

  it("reports a plot transferred twice in the file over overlapping dates, and accepts it for later years", async () => {
    const r = await check([
      line("A-1", parcel("01", 1), "2.35"),
      line("A-2", parcel("01", 1), "1", { 起始日期: "2026-01-01", 终止日期: "2030-12-31" }),
      line("A-3", parcel("01", 1), "2.35", { 起始日期: "2029-01-01", 终止日期: "2031-12-31" }),
    ]);
    expect(r.rowErrors.get(3)).toEqual([{ column: "流转面积（亩）", key: "contract.plotAlreadyTransferred", params: { free: "0.00", contracts: "A-1（第 2 行）" } }]);
    expect(rowErrorText(r.rowErrors.get(3)!, t)).toBe("流转面积（亩）：该地块在重叠期间已流转（合同 A-1（第 2 行）），剩余可流转 0.00 亩");
    // A-2 has an error, so it takes no land from A-3; A-3 starts after A-1 ends.
    expect(r.rowErrors.has(4)).toBe(false);
    expect(r.contracts.map((c) => c.contractNo)).toEqual(["A-1", "A-3"]);
  });

  it("reports a plot already transferred by a contract in the database", async () => {
    const ctx = contractContext({ activeLines: [{ plotId: 901, startDate: "2020-01-01", endDate: "2025-12-31", area: "2.00", contractNo: "XLZ-2020-009" }] });
    const r = await check([line("B-1", parcel("01", 1), "1")], ctx);
    expect(r.rowErrors.get(2)).toEqual([{ column: "流转面积（亩）", key: "contract.plotAlreadyTransferred", params: { free: "0.35", contracts: "XLZ-2020-009" } }]);
  });

  it("applies the plot rules: area, contract term, orchards on basic farmland, plots of the village", async () => {
    const r = await check([
      line("C-1", parcel("01", 1), "3"),
      line("C-2", parcel("01", 2), "1", { 终止日期: "2060-12-31" }),
      line("C-3", parcel("02", 3), "1", { 用途: "果园" }),
      line("C-4", parcel("01", 99), "1"),
    ]);
    expect(r.rowErrors.get(2)).toEqual([{ column: "流转面积（亩）", key: "contract.areaExceedsPlot", params: { free: "2.35" } }]);
    expect(r.rowErrors.get(3)).toEqual([{ column: "地块编码", key: "contract.termPastPlot", params: { date: "2057-12-31" } }]);
    expect(r.rowErrors.get(4)).toEqual([{ column: "地块编码", key: "contract.useOnBasicFarmland" }]);
    expect(rowErrorText(r.rowErrors.get(5)!, t)).toBe(`地块编码：本村没有地块编码为 ${parcel("01", 99)} 的承包地块，请先导入承包地块`);
  });

  it("applies the form's rules to the contract and puts each error on the row that gave the value", async () => {
    const r = await check([
      line("D-1", parcel("01", 1), "1", { 终止日期: "2023-06-30", 支付方式: "" }),
      line("D-1", parcel("01", 2), "1", { 终止日期: "", 每年支付日: "", 支付方式: "" }),
      line("D-2", parcel("02", 3), "1", { 受让方类型: "企业", 受让方名称: "菏泽某公司", 受让方证件号: "91371702MA3C12345X", 租金: "" }),
    ]);
    expect(r.rowErrors.get(2)).toContainEqual({ column: "终止日期", key: "contract.endBeforeStart" });
    expect(r.rowErrors.get(2)).toContainEqual({ column: "支付方式", key: "contract.timingRequired" });
    const d2 = r.rowErrors.get(4)!;
    expect(d2).toContainEqual({ column: "受让方证件号", key: "credit.checksum" });
    expect(d2).toContainEqual({ column: "资格审查批准文号", key: "contract.reviewRequired" });
    expect(d2).toContainEqual({ column: "资格审查日期", key: "contract.reviewRequired" });
  });

  it("reports conflicting contract data between the rows of one contract", async () => {
    const r = await check([line("E-1", parcel("01", 1), "1"), line("E-1", parcel("01", 2), "1", { "租金（元/亩/年）": "900" })]);
    expect(r.rowErrors.get(3)).toEqual([{ column: "租金（元/亩/年）", key: "import.contract.conflict", params: { row: 2, contract: "E-1", a: "800", b: "900" } }]);
  });

  it("refuses rent in kind and an unknown cooperative", async () => {
    const r = await check([line("F-1", parcel("01", 1), "1", { "租金（元/亩/年）": "950斤小麦" }), line("F-2", parcel("01", 2), "1", { 受让方类型: "合作社", 受让方名称: "不存在合作社" })]);
    expect(rowErrorText(r.rowErrors.get(2)!, t)).toBe("租金（元/亩/年）：暂不支持导入实物折价租金的合同，请在系统中逐份录入");
    expect(r.rowErrors.get(3)).toContainEqual({ column: "受让方名称", key: "import.contract.cooperativeNotFound", params: { name: "不存在合作社" } });
  });

  it("checks payments already made: date, term, not more than the rent due", async () => {
    const r = await check([
      line("G-1", parcel("01", 1), "2.35", { "已付租金（元）": "100", 付款日期: "" }),
      line("G-2", parcel("01", 2), "1.5", { "已付租金（元）": "100", 付款日期: "2030-01-01", 终止日期: "2025-12-31" }),
      line("G-3", parcel("02", 3), "1", { "已付租金（元）": "999999", 付款日期: "2025-01-01" }),
      line("G-4", parcel("02", 3), "1", { "已付租金（元）": "-5", 付款日期: "2025-01-01", 起始日期: "2030-01-01", 终止日期: "2031-12-31" }),
    ]);
    expect(r.rowErrors.get(2)).toEqual([{ column: "付款日期", key: "import.payment.dateRequired" }]);
    expect(r.rowErrors.get(3)).toEqual([{ column: "付款日期", key: "import.date.future", params: { today: "2026-03-01" } }]);
    expect(r.rowErrors.get(4)).toEqual([{ column: "已付租金（元）", key: "import.payment.exceedsRent", params: { paid: "999999.00", due: "4000.00" } }]);
    expect(r.rowErrors.get(5)).toEqual([{ column: "已付租金（元）", key: "money.negative" }]);
  });

  it("leaves a contract already in the database unchanged, whatever the file says", async () => {
    const ctx = contractContext({ existingContracts: [{ id: 44, contractNo: "XLZ-2023-001", draftNo: "D1-2023-0001" }] });
    const r = await check([line("XLZ-2023-001", parcel("01", 99), "99")], ctx);
    expect(r.rowErrors.size).toBe(0);
    expect(r.contracts).toEqual([
      expect.objectContaining({ existingId: 44, action: "unchanged", input: null, notes: [{ key: "import.contract.existingNotUpdated", params: { no: "XLZ-2023-001" } }] }),
    ]);
    expect(r.counts).toMatchObject({ create: 0, unchanged: 1 });
  });

  it("requires the contract number on every row", async () => {
    const r = await check([line("", parcel("01", 1), "1")]);
    expect(r.rowErrors.get(2)).toEqual([{ column: "合同编号", key: "contract.contractNoRequired" }]);
  });
});
