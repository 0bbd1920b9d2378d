import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import {
  badChecksum,
  cleanRoster,
  csvText,
  gbkBytes,
  GROUPS,
  householdContext,
  id,
  ROSTER_HEADINGS,
  rosterRows,
  xlsxBytes,
  type Cell,
} from "../../tests/fixtures/imports/workbooks";
import { makeIdNumber } from "~/registry/id-number";
import { mapHeadings } from "./columns";
import { checkHouseholdRows, type HouseholdImportContext } from "./households";
import { readTable, type RawTable } from "./read-table.server";
import { changeText, rowErrorText } from "./report";

const t = translator("zh-CN");

async function read(bytes: Uint8Array, name = "花名册.xlsx"): Promise<RawTable> {
  const r = await readTable(bytes, name);
  if (!r.ok) throw new Error(r.error.key);
  return r.table;
}

async function check(rows: Cell[][], opts: { headings?: string[]; ctx?: HouseholdImportContext; title?: boolean } = {}) {
  const headings = opts.headings ?? ROSTER_HEADINGS;
  const table = await read(await xlsxBytes({ rows: opts.title ? [["鲁谢庄村农户花名册"], headings, ...rows] : [headings, ...rows], merges: opts.title ? ["A1:K1"] : [] }));
  const { index } = mapHeadings("HOUSEHOLDS", table.headings);
  return { table, result: checkHouseholdRows(table, index, opts.ctx ?? householdContext(), 2026) };
}

/** The messages of one row, as the error file shows them. */
function messages(result: ReturnType<typeof checkHouseholdRows>, row: number): string {
  return rowErrorText(result.rowErrors.get(row) ?? [], t);
}

describe("checkHouseholdRows", () => {
  it("accepts a clean roster: households grouped, relations, groups and statuses mapped", async () => {
    const { people, rows } = cleanRoster();
    const { result } = await check(rows, { title: true });
    expect(result.rowErrors.size).toBe(0);
    expect(result.fileErrors).toEqual([]);
    expect(result.counts).toEqual({ rows: 5, households: 2, people: 5, create: 2, update: 0, unchanged: 0 });
    const [a, b] = result.households;
    expect(a).toMatchObject({ rowNumbers: [3, 4, 5], existingId: null, action: "create", changes: [] });
    expect(a!.input).toMatchObject({ code: "0101", groupId: 11, status: "ORDINARY", phone: "13853012345" });
    expect(a!.input.members.map((m) => [m.name, m.relation, m.idNumber, m.ableToWork])).toEqual([
      ["谢建国", "HEAD", people.a.id, true],
      ["王秀兰", "SPOUSE", people.b.id, true],
      ["谢雨轩", "SON", people.c.id, true],
    ]);
    expect(b!.input).toMatchObject({ code: "0102", groupId: 12, status: "ALLEVIATED", statusYear: 2019 });
    expect(b!.input.members[1]).toMatchObject({ relation: "DAUGHTER", sex: "F", birthDate: "1995-10-10" });
  });

  it("reports a bad ID checksum with the expected check digit, in the right row and column", async () => {
    const { rows, people } = cleanRoster();
    const bad = badChecksum(people.c.id);
    rows[2]![6] = bad;
    const { result } = await check(rows);
    expect(result.rowErrors.get(4)).toEqual([{ column: "身份证号", key: "import.id.checksum", params: { expected: people.c.id[17] } }]);
    expect(messages(result, 4)).toBe(`身份证号：身份证号校验位错误（第 18 位应为 ${people.c.id[17]}），请核对号码`);
    expect(result.households.map((h) => h.input.code)).toEqual(["0102"]);
  });

  it("reports a person listed in two households, naming both rows and households", async () => {
    const { rows, people } = cleanRoster();
    rows[4]![6] = people.b.id; // 鲁小红's row now carries 王秀兰's ID number
    rows[4]![4] = "王秀兰";
    const { result } = await check(rows);
    expect(messages(result, 3)).toBe(`身份证号：第 3 行与第 6 行是同一人（身份证号 ${people.b.id}），却分在 0101 户和 0102 户`);
    expect(messages(result, 6)).toBe(`身份证号：第 6 行与第 3 行是同一人（身份证号 ${people.b.id}），却分在 0102 户和 0101 户`);
    expect(result.households).toEqual([]);
  });

  it("reports a person listed twice in one household", async () => {
    const { rows } = cleanRoster();
    rows.splice(2, 0, [...rows[1]!]);
    const { result } = await check(rows);
    expect(result.rowErrors.get(4)?.[0]).toMatchObject({ column: "身份证号", key: "import.member.twiceInHousehold", params: { row: 3 } });
  });

  it("reports a missing required column once, above the rows, and checks the rest", async () => {
    const { rows } = cleanRoster();
    const headings = ROSTER_HEADINGS.filter((h) => h !== "身份证号");
    const { result, table } = await check(
      rows.map((r) => r.filter((_, i) => i !== 6)),
      { headings },
    );
    expect(result.fileErrors).toEqual([{ key: "import.column.missing", params: { columns: "身份证号" } }]);
    expect(rowErrorText(result.rowErrors.get(table.headerRowNumber)!, t)).toBe("缺少必填列：身份证号");
    expect(result.rowErrors.size).toBe(1);
  });

  it("accepts dates in Excel's serial-number form and as date cells", async () => {
    const headings = [...ROSTER_HEADINGS, "监测原因", "纳入监测日期", "入户日期", "监测类别", "风险类型"];
    const p = { name: "郭守田", relation: "户主", id: id("19580808") };
    const row = [...rosterRows([{ code: "0201", group: "1", status: "监测户", people: [p] }])[0]!, "因病", 45292, new Date(Date.UTC(2020, 4, 1)), "边缘易致贫户", "因病"];
    const { result } = await check([row], { headings });
    expect(result.rowErrors.size).toBe(0);
    expect(result.households[0]!.input).toMatchObject({ status: "MONITORED", statusReason: "因病", statusDate: "2024-01-01" });
    expect(result.households[0]!.memberJoinedOn).toEqual(["2020-05-01"]);
  });

  it("reads 监测类别 and 风险类型 by their Chinese names, several types separated by 、 or ，, and refuses unknown ones on the row", async () => {
    const headings = [...ROSTER_HEADINGS, "纳入监测日期", "监测类别", "风险类型", "监测原因"];
    const rowOf = (code: string, birth: string, category: string, risks: string, note = "") =>
      [...rosterRows([{ code, group: "1", status: "监测户", people: [{ name: "郭守田", relation: "户主", id: id(birth) }] }])[0]!, "2024-01-01", category, risks, note];
    const ok = (await check([rowOf("0201", "19580808", "边缘易致贫户", "因病、因学，因务工就业不稳")], { headings })).result;
    expect(ok.rowErrors.size).toBe(0);
    expect(ok.households[0]!.input).toMatchObject({ monitoringCategory: "MARGINAL", riskTypes: "ILLNESS,EDUCATION,EMPLOYMENT" });
    const sudden = (await check([rowOf("0202", "19600101", "突发严重困难", "灾")], { headings })).result;
    expect(sudden.households[0]!.input).toMatchObject({ monitoringCategory: "SUDDEN", riskTypes: "DISASTER" });

    const bad = (await check([rowOf("0203", "19610101", "困难户", "因病"), rowOf("0204", "19620101", "脱贫不稳定户", "因病、因懒")], { headings })).result;
    expect(messages(bad, 2)).toContain("监测类别");
    expect(messages(bad, 2)).toContain("困难户");
    expect(messages(bad, 3)).toContain("因懒");
    expect(bad.households).toEqual([]);

    const missing = (await check([rowOf("0205", "19630101", "", "")], { headings })).result;
    expect(messages(missing, 2)).toContain("监测户须选择监测类别");
    expect(messages(missing, 2)).toContain("监测户须至少选择一种风险类型");
    const other = (await check([rowOf("0206", "19640101", "脱贫不稳定户", "其他")], { headings })).result;
    expect(messages(other, 2)).toContain("其他");
    expect((await check([rowOf("0207", "19650101", "脱贫不稳定户", "其他", "房屋倒塌")], { headings })).result.rowErrors.size).toBe(0);
  });

  it("reads merged household cells, ignores trailing empty rows and maps heading variants", async () => {
    const a = { name: "谢建国", relation: "户主", id: id("19700101") };
    const b = { name: "王秀兰", relation: "配偶", id: id("19720305", true) };
    const bytes = await xlsxBytes({
      rows: [
        ["鲁谢庄村农户花名册"],
        ["户号", "组别", "户主", "成员姓名", "关系", "公民身份号码", "手机号"],
        ["0007", "三组", "谢建国", "谢建国", "本人", a.id, "138 5301 2345"],
        [null, null, null, "王秀兰", "妻", b.id, ""],
        [],
        [null, null, null, null, null, null, null],
        ["", "", "", "", "", "", ""],
      ],
      merges: ["A1:G1", "A3:A4", "B3:B4", "C3:C4"],
    });
    const table = await read(bytes);
    expect(table.rows.map((r) => r.rowNumber)).toEqual([3, 4]);
    const { index, unknown } = mapHeadings("HOUSEHOLDS", table.headings);
    expect(unknown).toEqual([]);
    const groups = [...GROUPS, { id: 13, number: "03", name: "第三村民小组" }];
    const result = checkHouseholdRows(table, index, householdContext({ groups }), 2026);
    expect(result.rowErrors.size).toBe(0);
    expect(result.households[0]!.input).toMatchObject({ code: "0007", groupId: 13, phone: "13853012345" });
    expect(result.households[0]!.input.members.map((m) => m.relation)).toEqual(["HEAD", "SPOUSE"]);
  });

  it("reads a GBK-encoded CSV roster", async () => {
    const { rows } = cleanRoster();
    const table = await read(gbkBytes(csvText([ROSTER_HEADINGS, ...rows])), "花名册.csv");
    expect(table.encoding).toBe("gb18030");
    expect(table.headings).toEqual(ROSTER_HEADINGS);
    const result = checkHouseholdRows(table, mapHeadings("HOUSEHOLDS", table.headings).index, householdContext(), 2026);
    expect(result.rowErrors.size).toBe(0);
    expect(result.households.map((h) => h.input.members[0]!.name)).toEqual(["谢建国", "鲁振华"]);
  });

  it("reports an 18-digit ID number that Excel stored as a number", async () => {
    const { rows } = cleanRoster();
    (rows[1] as Cell[])[6] = 371702197203051234;
    const { result } = await check(rows);
    expect(result.rowErrors.get(3)).toEqual([{ column: "身份证号", key: "import.lostDigits" }]);
  });

  it("applies the form's rules: name, relation, phone, bank account, status year, group", async () => {
    const headings = [...ROSTER_HEADINGS, "银行账号"];
    const p1 = { name: "谢建国", relation: "户主", id: id() };
    const p2 = { name: "X1", relation: "邻居", id: id() };
    const rows: Cell[][] = rosterRows([{ code: "0301", group: "9", status: "脱贫户", people: [p1, p2] }]).map((r) => [...r, "62-30"]);
    rows[0]![8] = "12345";
    const { result } = await check(rows, { headings });
    const row2 = result.rowErrors.get(2)!;
    expect(row2).toContainEqual({ column: "村民小组", key: "import.group.notFound", params: { value: "9", groups: "第一村民小组、第二村民小组" } });
    expect(row2).toContainEqual({ column: "脱贫年度", key: "status.yearRequired" });
    expect(row2).toContainEqual({ column: "联系电话", key: "phone.format" });
    expect(row2).toContainEqual({ column: "银行账号", key: "bank.format" });
    const row3 = result.rowErrors.get(3)!;
    expect(row3).toContainEqual({ column: "姓名", key: "name.format" });
    expect(row3).toContainEqual(expect.objectContaining({ column: "与户主关系", key: "import.value.unknown" }));
    expect(messages(result, 3)).toContain("无法识别“邻居”，可填：户主、配偶、子、女");
  });

  it("requires exactly one head and a head consistent with 户主姓名 and 户主身份证号", async () => {
    const a = { name: "谢建国", relation: "户主", id: id() };
    const b = { name: "王秀兰", relation: "户主", id: id("19720305", true) };
    const { result } = await check(rosterRows([{ code: "0401", group: "1", people: [a, b] }]));
    expect(result.rowErrors.get(2)).toContainEqual({ column: "与户主关系", key: "import.head.count", params: { household: "0401", count: 2 } });
    expect(result.rowErrors.get(3)).toContainEqual({ column: "与户主关系", key: "import.head.count", params: { household: "0401", count: 2 } });

    const rows = rosterRows([{ code: "0402", group: "1", people: [a, { ...b, relation: "妻" }] }]);
    rows[0]![2] = "谢健国";
    rows[1]![2] = "谢健国";
    const r2 = (await check(rows)).result;
    expect(r2.rowErrors.get(2)).toContainEqual({ column: "户主姓名", key: "import.head.nameMismatch", params: { given: "谢健国", name: "谢建国", row: 2 } });
  });

  it("reports conflicting household data between rows of one household", async () => {
    const { rows } = cleanRoster();
    rows[1]![1] = "2";
    const { result } = await check(rows);
    expect(result.rowErrors.get(3)).toEqual([{ column: "村民小组", key: "import.household.conflict", params: { row: 2, household: "0101", a: "1", b: "2" } }]);
    expect(messages(result, 3)).toBe("村民小组：与第 2 行同属 0101 户，但填写不一致（“1”与“2”）");
  });

  it("groups by the head's ID number or by the row above when there is no household number, and numbers new households", async () => {
    const headings = ["村民小组", "户主身份证号", "姓名", "与户主关系", "身份证号"];
    const a = { name: "谢建国", id: id() };
    const b = { name: "王秀兰", id: id("19720305", true) };
    const c = { name: "鲁振华", id: id("19650303") };
    const d = { name: "鲁小红", id: id("19951010", true) };
    const rows = [
      ["1", a.id, a.name, "户主", a.id],
      ["1", a.id, b.name, "妻", b.id],
      ["2", "", c.name, "户主", c.id],
      ["", "", d.name, "女", d.id],
    ];
    const ctx = householdContext({
      households: [{ id: 1, code: "0012", groupId: 11, headName: "某", address: "", phone: "", bankName: "", bankAccount: "", status: "ORDINARY", statusYear: null, statusReason: "", statusDate: null, members: [{ id: 1, name: "某", idNumber: id(), relation: "HEAD", ableToWork: false, phone: "" }] }],
    });
    const { result } = await check(rows, { headings, ctx });
    expect(result.rowErrors.size).toBe(0);
    expect(result.households.map((h) => [h.input.code, h.input.members.map((m) => m.name)])).toEqual([
      ["0013", ["谢建国", "王秀兰"]],
      ["0014", ["鲁振华", "鲁小红"]],
    ]);
    expect(result.households[0]!.notes).toEqual([{ key: "import.household.codeAssigned", params: { code: "0013" } }]);
  });

  describe("against the database", () => {
    const head = { id: 101, name: "谢建国", idNumber: id("19700101"), relation: "HEAD", ableToWork: true, phone: "13800000101" };
    const son = { id: 102, name: "谢雨轩", idNumber: id("20100505"), relation: "SON", ableToWork: false, phone: "" };
    const grandma = { id: 103, name: "李桂英", idNumber: id("19400404", true), relation: "MOTHER", ableToWork: false, phone: "" };
    const existing = {
      id: 1,
      code: "0001",
      groupId: 11,
      headName: "谢建国",
      address: "东街 1 号",
      phone: "13800000101",
      bankName: "农商行",
      bankAccount: "623058000000000101",
      status: "MONITORED",
      statusYear: null,
      statusReason: "因病",
      statusDate: "2023-05-01",
      members: [head, son, grandma],
    };
    const other = { ...existing, id: 2, code: "0002", headName: "鲁振华", members: [{ id: 201, name: "鲁振华", idNumber: id("19650303"), relation: "HEAD", ableToWork: true, phone: "" }] };
    const ctx = householdContext({ households: [existing, other] });
    const headings = ["户编号", "村民小组", "姓名", "与户主关系", "身份证号", "有无劳动能力", "联系电话"];

    it("is unchanged when the file repeats what the database holds, and keeps members absent from the file", async () => {
      const rows = [
        ["0001", "1", head.name, "户主", head.idNumber, "是", head.phone],
        ["0001", "1", son.name, "子", son.idNumber, "否", ""],
      ];
      const { result } = await check(rows, { headings, ctx });
      expect(result.rowErrors.size).toBe(0);
      const [h] = result.households;
      expect(h).toMatchObject({ existingId: 1, action: "unchanged", changes: [] });
      expect(h!.input).toMatchObject({ address: "东街 1 号", bankAccount: "623058000000000101", status: "MONITORED", statusReason: "因病", statusDate: "2023-05-01" });
      expect(h!.input.members.map((m) => m.id)).toEqual([101, 102]);
      expect(h!.notes).toEqual([{ key: "import.household.membersNotInFile", params: { names: "李桂英", count: 1 } }]);
    });

    it("lists what an update would change, matching by household number (leading zeros lost) and ID number", async () => {
      const newborn = id("20240101", true);
      const rows = [
        ["1", "2", head.name, "户主", head.idNumber, "是", head.phone],
        ["1", "2", son.name, "子", son.idNumber, "是", ""],
        ["1", "2", "谢小红", "孙女", newborn, "", ""],
      ];
      const { result } = await check(rows, { headings, ctx });
      expect(result.rowErrors.size).toBe(0);
      const [h] = result.households;
      expect(h).toMatchObject({ existingId: 1, action: "update" });
      expect(h!.input.code).toBe("0001");
      expect(h!.changes.map((c) => changeText(c, t))).toEqual(["村民小组：第一村民小组 → 第二村民小组", "谢雨轩：劳动能力：否 → 是", "新增成员：（空） → 谢小红"]);
      expect(result.counts).toMatchObject({ create: 0, update: 1, unchanged: 0 });
    });

    it("refuses a member who belongs to another household, here or in another village", async () => {
      const outsider = id("19900909");
      const rows = [
        ["0001", "1", head.name, "户主", head.idNumber, "是", ""],
        ["0001", "1", "鲁振华", "其他", other.members[0]!.idNumber, "", ""],
        ["0001", "1", "刘某", "其他", outsider, "", ""],
      ];
      const c = { ...ctx, otherMemberships: [{ idNumber: outsider, householdCode: "0009", villageName: "刘庄村" }] };
      const { result } = await check(rows, { headings, ctx: c });
      expect(messages(result, 3)).toBe("身份证号：该身份证号已登记在其他农户（0002 鲁振华）");
      expect(messages(result, 4)).toBe("身份证号：该身份证号已登记在其他农户（刘庄村 0009）");
    });

    it("takes a 入户日期 from the file for a saved member (an update), keeps the stored one when the file has none, refuses one after today", async () => {
      const dated = { ...ctx, today: "2026-12-03", households: [{ ...existing, members: [{ ...head, joinedOn: "1995-01-01" }, { ...son, joinedOn: null }, grandma] }, other] };
      const hs = [...headings, "入户日期"];
      const rows = (sonJoined: string) => [
        ["0001", "1", head.name, "户主", head.idNumber, "是", head.phone, ""],
        ["0001", "1", son.name, "子", son.idNumber, "否", "", sonJoined],
      ];
      const same = (await check(rows(""), { headings: hs, ctx: dated })).result;
      expect(same.households[0]).toMatchObject({ action: "unchanged", memberJoinedOn: ["1995-01-01", null] });
      const { result } = await check(rows("2010-05-05"), { headings: hs, ctx: dated });
      expect(result.households[0]!.changes.map((c) => changeText(c, t))).toEqual(["谢雨轩：入户日期：（空） → 2010-05-05"]);
      expect(result.households[0]!.input.members.map((m) => m.joinedOn)).toEqual(["1995-01-01", "2010-05-05"]);
      const future = (await check(rows("2026-12-04"), { headings: hs, ctx: dated })).result;
      expect(messages(future, 3)).toBe("入户日期：入户日期不能晚于今天（2026-12-03）");
      expect(future.households).toEqual([]);
    });

    it("refuses a row with a 迁出日期: the roster lists current members only", async () => {
      const hs = [...headings, "迁出日期"];
      const rows = [
        ["0001", "1", head.name, "户主", head.idNumber, "是", head.phone, ""],
        ["0001", "1", son.name, "子", son.idNumber, "否", "", "2026-05-01"],
      ];
      const { result } = await check(rows, { headings: hs, ctx });
      expect(result.rowErrors.get(3)).toEqual([{ column: "迁出日期", key: "import.member.leftOn", params: { value: "2026-05-01" } }]);
      expect(messages(result, 3)).toContain("花名册只导入现有成员");
      expect(result.households).toEqual([]);
    });

    it("refuses a status change dated after today or before the current status's date", async () => {
      const hs = [...headings, "户类型", "脱贫年度", "状态日期"];
      const dated = { ...ctx, today: "2026-12-03", households: [{ ...existing, statusSince: "2023-05-01" }, other] };
      const rows = (date: string) => [["0001", "1", head.name, "户主", head.idNumber, "是", head.phone, "脱贫户", "2019", date]];
      const before = (await check(rows("2023-04-30"), { headings: hs, ctx: dated })).result;
      expect(before.rowErrors.get(2)).toEqual([{ column: "状态日期", key: "status.dateBeforeCurrent", params: { date: "2023-05-01" } }]);
      const future = (await check(rows("2026-12-04"), { headings: hs, ctx: dated })).result;
      expect(future.rowErrors.get(2)).toEqual([{ column: "状态日期", key: "status.dateFuture", params: { today: "2026-12-03" } }]);
      const ok = (await check(rows("2023-05-01"), { headings: hs, ctx: dated })).result;
      expect(ok.rowErrors.size).toBe(0);
      expect(ok.households[0]).toMatchObject({ action: "update", input: { status: "ALLEVIATED", statusDate: "2023-05-01" } });
    });

    it("refuses a household number that belongs to another head", async () => {
      const rows = [["0003", "1", head.name, "户主", head.idNumber, "是", ""]];
      const { result } = await check(rows, { headings, ctx });
      expect(result.rowErrors.get(2)?.[0]).toMatchObject({ column: "户编号", key: "import.household.codeMismatch", params: { code: "0003", existing: "0001" } });
    });
  });

  it("checks a large roster in one pass (timings: tests/fixtures/imports/perf.ts)", () => {
    const rows: { rowNumber: number; cells: string[] }[] = [];
    const personId = (k: number) => makeIdNumber("371702", new Date(Date.UTC(1940, 0, 1) + k * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ""), "011");
    for (let h = 0; h < 1000; h++) {
      const code = String(h + 1).padStart(5, "0");
      const people = [0, 1, 2, 3].map((i) => personId(h * 4 + i));
      const head = people[0]!;
      ["户主", "妻", "子", "女"].forEach((rel, i) => {
        rows.push({ rowNumber: rows.length + 2, cells: [code, "1", "张一", head, `张${"一二三四"[i]}`, rel, people[i]!, "是", "", "一般户", ""] });
      });
    }
    const table: RawTable = { fileName: "big.xlsx", format: "xlsx", encoding: null, sheetName: "S", headerRowNumber: 1, headings: ROSTER_HEADINGS, rows };
    const result = checkHouseholdRows(table, mapHeadings("HOUSEHOLDS", ROSTER_HEADINGS).index, householdContext(), 2026);
    expect(result.rowErrors.size).toBe(0);
    expect(result.counts).toMatchObject({ households: 1000, people: 4000, create: 1000 });
  });
});
