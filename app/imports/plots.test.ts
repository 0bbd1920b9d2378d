import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { parcel, plotContext, xlsxBytes, type Cell } from "../../tests/fixtures/imports/workbooks";
import { mapHeadings } from "./columns";
import { checkPlotRows, type PlotImportContext } from "./plots";
import { readTable } from "./read-table.server";
import { changeText, rowErrorText } from "./report";

const t = translator("zh-CN");
const HEADINGS = ["地块编码", "户编号", "地块名称", "合同面积（亩）", "实测面积（亩）", "地块类别", "是否基本农田", "东至", "南至", "西至", "北至", "承包到期日期"];

async function check(rows: Cell[][], opts: { headings?: string[]; ctx?: PlotImportContext } = {}) {
  const headings = opts.headings ?? HEADINGS;
  const r = await readTable(await xlsxBytes({ rows: [headings, ...rows], textColumns: [1] }), "地块.xlsx");
  if (!r.ok) throw new Error(r.error.key);
  const { index } = mapHeadings("PLOTS", r.table.headings);
  return checkPlotRows(r.table, index, opts.ctx ?? plotContext());
}

const row = (code: string, household = "0001", area: Cell = "2.35", end: Cell = "2057-12-31"): Cell[] => [code, household, "东大地", area, "2.41", "承包地", "否", "路", "谢建军", "沟", "谢振华", end];

describe("checkPlotRows", () => {
  it("accepts clean plots and finds the group from the parcel code", async () => {
    const r = await check([row(parcel("01", 1)), row(parcel("02", 7), "0002", 3, new Date(Date.UTC(2057, 11, 31)))]);
    expect(r.rowErrors.size).toBe(0);
    expect(r.counts).toEqual({ rows: 2, plots: 2, create: 2, update: 0, unchanged: 0 });
    expect(r.plots[0]).toMatchObject({ householdId: 501, action: "create", input: { parcelCode: parcel("01", 1), groupId: 11, category: "CONTRACTED", contractArea: "2.35", measuredArea: "2.41", basicFarmland: false, contractEnd: "2057-12-31" } });
    expect(r.plots[1]!.input).toMatchObject({ groupId: 12, contractArea: "3.00" });
  });

  it("reports a bad parcel code: not 19 digits, another village, a group the village lacks", async () => {
    const r = await check([row("371702102001010001"), row("3717021029990100001"), row(`${"371702102001"}0900001`)]);
    expect(r.rowErrors.get(2)).toContainEqual({ column: "地块编码", key: "parcel.format" });
    expect(rowErrorText(r.rowErrors.get(3)!, t)).toBe("地块编码：地块编码的县、乡、村代码与本村（371702102001）不符");
    expect(r.rowErrors.get(4)).toContainEqual({ column: "地块编码", key: "import.plot.groupNotInVillage", params: { group: "09" } });
    expect(r.plots).toEqual([]);
  });

  it("reports a parcel code given twice in the file", async () => {
    const r = await check([row(parcel("01", 1)), row(parcel("01", 2)), row(parcel("01", 1), "0002")]);
    expect(r.rowErrors.get(4)).toEqual([{ column: "地块编码", key: "import.plot.duplicateInFile", params: { row: 2, code: parcel("01", 1) } }]);
    expect(rowErrorText(r.rowErrors.get(4)!, t)).toBe(`地块编码：地块编码 ${parcel("01", 1)} 与第 2 行重复`);
  });

  it("checks the group column against the parcel code's group digits", async () => {
    const r = await check([[parcel("01", 1), "0001", "二组", "东大地", "2.35", "2057-12-31"]], { headings: ["地块编码", "户编号", "村民小组", "地块名称", "合同面积", "承包到期日期"] });
    expect(r.rowErrors.get(2)).toEqual([{ column: "地块编码", key: "parcel.group", params: { prefix: "371702102001", group: "02" } }]);
  });

  it("finds the household by number or by the contractor's ID number, and reports one not found", async () => {
    const ctx = plotContext();
    const headings = ["地块编码", "承包方身份证号", "户编号", "地块名称", "合同面积", "承包到期日期"];
    const r = await check(
      [
        [parcel("01", 1), ctx.households[1]!.headIdNumber, "", "东大地", "1", "2057-12-31"],
        [parcel("01", 2), "", "0009", "西大地", "1", "2057-12-31"],
        [parcel("01", 3), ctx.households[1]!.headIdNumber, "0001", "南大地", "1", "2057-12-31"],
      ],
      { headings, ctx },
    );
    expect(r.plots.map((p) => p.householdId)).toEqual([502]);
    expect(r.rowErrors.get(3)).toEqual([{ column: "户编号", key: "import.household.notFound", params: { value: "0009" } }]);
    expect(r.rowErrors.get(4)).toEqual([{ column: "承包方身份证号", key: "import.plot.householdMismatch", params: { code: "0001", name: "谢建国" } }]);
  });

  it("applies the form's rules to areas, names and dates", async () => {
    const r = await check([
      [parcel("01", 1), "0001", "", "2.355", "", "", "", "", "", "", "", "2057-02-30"],
      [parcel("01", 2), "0001", "东大地", "0", "abc", "宅基地", "也许", "", "", "", "", ""],
    ]);
    expect(r.rowErrors.get(2)).toEqual([
      { column: "承包到期日期", key: "import.date.invalid", params: { value: "2057-02-30" } },
      { column: "地块名称", key: "name.required" },
      { column: "合同面积（亩）", key: "area.precision" },
    ]);
    const row3 = r.rowErrors.get(3)!;
    expect(row3).toContainEqual({ column: "合同面积（亩）", key: "area.nonpositive" });
    expect(row3).toContainEqual({ column: "实测面积（亩）", key: "area.malformed" });
    expect(row3).toContainEqual(expect.objectContaining({ column: "地块类别", key: "import.value.unknown" }));
    expect(row3).toContainEqual(expect.objectContaining({ column: "是否基本农田", key: "import.value.unknown" }));
    expect(row3).toContainEqual({ column: "承包到期日期", key: "plot.contractEndRequired" });
  });

  describe("against the database", () => {
    const existing = {
      id: 31,
      parcelCode: parcel("01", 1),
      householdId: 501,
      groupId: 11,
      name: "东大地",
      category: "CONTRACTED",
      contractArea: "2.35",
      measuredArea: "2.41",
      landClass: "水浇地",
      grade: "二等",
      basicFarmland: false,
      east: "路",
      south: "谢建军",
      west: "沟",
      north: "谢振华",
      contractEnd: "2057-12-31",
    };

    it("is unchanged when the file repeats the plot, and lists changes otherwise", async () => {
      const ctx = plotContext({ plots: [existing] });
      const same = await check([row(parcel("01", 1))], { ctx });
      expect(same.plots[0]).toMatchObject({ existingId: 31, action: "unchanged", changes: [] });
      expect(same.plots[0]!.input).toMatchObject({ landClass: "水浇地", grade: "二等" });
      const changed = await check([[...row(parcel("01", 1), "0001", "2.50").slice(0, 6), "是", ...row("").slice(7)]], { ctx });
      expect(changed.plots[0]!.action).toBe("update");
      expect(changed.plots[0]!.changes.map((c) => changeText(c, t))).toEqual(["合同面积：2.35 → 2.50", "基本农田：否 → 是"]);
    });

    it("refuses to move a plot to another household", async () => {
      const ctx = plotContext({ plots: [existing] });
      const r = await check([row(parcel("01", 1), "0002")], { ctx });
      expect(rowErrorText(r.rowErrors.get(2)!, t)).toBe("地块编码：该地块在系统中属于 0001 谢建国 户，不能通过导入改到其他农户名下");
    });

    it("refuses a parcel code registered in another village", async () => {
      const ctx = plotContext({ otherVillagePlots: [{ parcelCode: parcel("01", 1), villageName: "刘庄村" }] });
      const r = await check([row(parcel("01", 1))], { ctx });
      expect(r.rowErrors.get(2)).toEqual([{ column: "地块编码", key: "import.plot.otherVillage", params: { village: "刘庄村" } }]);
    });
  });

  it("reports a parcel code stored as a number in Excel", async () => {
    const r = await readTable(await xlsxBytes({ rows: [HEADINGS, [3717021020010100001, ...row("").slice(1)]] }), "a.xlsx");
    if (!r.ok) throw new Error(r.error.key);
    expect(r.table.lostDigitCells).toEqual([{ rowNumber: 2, column: 0 }]);
    const res = checkPlotRows(r.table, mapHeadings("PLOTS", r.table.headings).index, plotContext());
    expect(res.rowErrors.get(2)?.[0]).toEqual({ column: "地块编码", key: "import.lostDigits" });
  });

  it("requires a household column", async () => {
    const r = await check([[parcel("01", 1), "东大地", "1", "2057-12-31"]], { headings: ["地块编码", "地块名称", "合同面积", "承包到期日期"] });
    expect(r.fileErrors).toEqual([{ key: "import.column.missingEither", params: { columns: "户编号 或 承包方身份证号" } }]);
  });
});
