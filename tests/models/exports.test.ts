import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "~/auth/permissions";
import { getUser } from "~/auth/session.server";
import { listContracts } from "~/contracts/contracts.server";
import { arrears } from "~/contracts/rent.server";
import { prisma } from "~/lib/db.server";
import { translator } from "~/i18n";
import { today } from "~/lib/dates";
import { fromFen } from "~/lib/money";
import { listHouseholds } from "~/registry/households.server";
import { householdFilters } from "~/registry/list-filters";
import { exportHouseholds, selectHouseholds } from "~/registry/list-export.server";
import { makeIdNumber } from "~/registry/id-number";
import { maskBankAccount, maskIdNumber, maskPhone } from "~/registry/masking";
import { replaceSearchTerms } from "~/registry/search-index.server";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as plotsWorld } from "./access/plots.world";
import { buildWorld, request, type World } from "../factories";

import * as householdsRoute from "../../app/routes/resources.households[.]xlsx";
import * as plotsRoute from "../../app/routes/resources.households.plots[.]xlsx";
import * as contractsRoute from "../../app/routes/resources.contracts[.]xlsx";
import * as arrearsRoute from "../../app/routes/resources.contracts.arrears[.]xlsx";
import * as orchardRoute from "../../app/routes/resources.plots[.]xlsx";

type Who = "admin" | "township" | "secretary" | "secretary2" | "accountant";
type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;

let w: World;
let monitored: { id: number; head: string; idNumber: string; phone: string; bank: string };
let groupTwo: number;

/** A household as the app stores it, with its search terms. */
async function household(v: World["v1"], code: string, opts: { head: string; status?: string; statusYear?: number; group?: number; members?: string[]; serial: number }) {
  const people = [opts.head, ...(opts.members ?? [])];
  const h = await prisma.household.create({
    data: {
      code,
      townshipId: v.townshipId,
      villageId: v.id,
      groupId: opts.group ?? v.groups[0]!.id,
      headName: opts.head,
      phone: `1391234${String(opts.serial).padStart(4, "0")}`,
      bankName: "菏泽农商银行",
      bankAccount: `62305800001${String(opts.serial).padStart(8, "0")}`,
      status: opts.status ?? "ORDINARY",
      statusYear: opts.statusYear ?? null,
      members: {
        create: people.map((name, i) => ({
          name,
          relation: i === 0 ? "HEAD" : "SON",
          idNumber: makeIdNumber("371702", i === 0 ? "19750505" : "20050505", String(opts.serial * 10 + i).padStart(3, "0").slice(-3)),
          birthDate: i === 0 ? "1975-05-05" : "2005-05-05",
          sex: "M",
          phone: i === 0 ? `1380000${String(opts.serial).padStart(4, "0")}` : "",
        })),
      },
    },
    include: { members: true },
  });
  await prisma.$transaction((tx) => replaceSearchTerms(tx, h.id));
  return h;
}

beforeAll(async () => {
  w = await buildWorld();
  await contractsWorld(w);
  await plotsWorld(w);
  groupTwo = w.v1.groups[1]!.id;
  const m = await household(w.v1, "0002", { head: "鲁守信", status: "MONITORED", group: groupTwo, members: ["鲁小明"], serial: 21 });
  await household(w.v1, "0003", { head: "鲁守义", status: "ALLEVIATED", statusYear: 2019, serial: 22 });
  await household(w.v2, "0002", { head: "刘守仁", serial: 23 });
  const head = m.members.find((p) => p.relation === "HEAD")!;
  monitored = { id: m.id, head: "鲁守信", idNumber: head.idNumber, phone: m.phone, bank: m.bankAccount };
  await prisma.contractedPlot.create({
    data: { townshipId: w.v2.townshipId, villageId: w.v2.id, groupId: w.v2.groups[0]!.id, householdId: w.h2.id, parcelCode: "3717021020020100001", name: "村西地", contractArea: "3.25", contractEnd: "2057-12-31", basicFarmland: true, east: "路", south: "沟", west: "刘家", north: "渠" },
  });
  await prisma.contractedPlot.create({
    data: { townshipId: w.v1.townshipId, villageId: w.v1.id, groupId: groupTwo, householdId: m.id, parcelCode: "3717021020010200001", name: "北洼", contractArea: "1.10", contractEnd: "2057-12-31" },
  });
});

interface Sheet {
  title: string;
  subtitle: string;
  headers: string[];
  rows: Record<string, unknown>[];
}

async function download(loader: Loader, who: Who, path: string, lang?: "en"): Promise<{ res: Response; sheets: Sheet[] }> {
  const req = request(path, { cookie: w.users[who].cookie + (lang ? `; lang=${lang}` : "") });
  const res = await loader({ request: req, params: {}, context: {} });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const sheets = wb.worksheets.map((ws) => {
    const headers = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    ws.eachRow((row, n) => {
      if (n <= 3) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i]])));
    });
    return { title: String(ws.getCell(1, 1).value), subtitle: String(ws.getCell(2, 1).value), headers, rows };
  });
  return { res, sheets };
}

const households = (who: Who, query = "", lang?: "en") => download(householdsRoute.loader as Loader, who, `/resources/households.xlsx${query}`, lang);
const names = (s: Sheet, column = "户主姓名") => s.rows.map((r) => r[column]).sort();

describe("households export", () => {
  it("has only the households of the user's scope, with members on a second sheet", async () => {
    const [sec, sec2, township, accountant, admin] = await Promise.all(
      (["secretary", "secretary2", "township", "accountant", "admin"] as const).map((who) => households(who)),
    );
    expect(names(sec.sheets[0]!)).toEqual(["谢建国", "鲁守义", "鲁守信"].sort());
    expect(names(sec2.sheets[0]!)).toEqual(["刘守仁", "刘振华"].sort());
    // secretary2 never gets V1's households or people
    expect(JSON.stringify(sec2.sheets)).not.toMatch(/谢|鲁/);
    expect(names(township.sheets[0]!)).toEqual(["谢建国", "鲁守义", "鲁守信", "刘守仁", "刘振华"].sort());
    expect(names(accountant.sheets[0]!)).toEqual(names(sec.sheets[0]!));
    expect(admin.sheets[0]!.rows).toHaveLength(6);
    expect(admin.sheets[0]!.headers).toContain("乡镇");
    expect(sec.sheets[0]!.headers).not.toContain("乡镇");
    expect(sec.sheets[1]!.rows.map((r) => r["姓名"]).sort()).toEqual(["谢建国", "谢雨轩", "鲁守义", "鲁守信", "鲁小明"].sort());
    expect(sec.res.headers.get("Content-Type")).toContain("spreadsheetml");
    expect(decodeURIComponent(sec.res.headers.get("Content-Disposition")!)).toContain(`农户名册 小留镇 鲁谢庄村-${today()}.xlsx`);
  });

  it("shows full ID numbers, phones and accounts to the secretary, masked ones to everyone else", async () => {
    const row = (s: Sheet) => s.rows.find((r) => r["户主姓名"] === monitored.head)!;
    const sec = await households("secretary");
    expect(sec.sheets[0]!.headers).toContain("身份证号码");
    expect(row(sec.sheets[0]!)).toMatchObject({ "身份证号码": monitored.idNumber, "联系电话": monitored.phone, "银行账号（一卡通）": monitored.bank, "状态": "监测户" });
    expect(sec.sheets[1]!.rows.find((r) => r["姓名"] === "鲁守信")!["身份证号码"]).toBe(monitored.idNumber);
    expect(sec.sheets[0]!.subtitle).toContain("含完整身份证号码");
    for (const who of ["township", "accountant", "admin"] as const) {
      const { sheets } = await households(who);
      expect(sheets[0]!.headers, who).toContain("身份证号码（脱敏）");
      expect(row(sheets[0]!), who).toMatchObject({
        "身份证号码（脱敏）": maskIdNumber(monitored.idNumber),
        "联系电话": maskPhone(monitored.phone),
        "银行账号（一卡通）": maskBankAccount(monitored.bank),
      });
      expect(sheets[0]!.subtitle, who).toContain("已脱敏");
      const text = JSON.stringify(sheets);
      expect(text, who).not.toContain(monitored.idNumber);
      expect(text, who).not.toContain(monitored.bank);
      for (const m of sheets[1]!.rows) expect(String(m["身份证号码（脱敏）"]), who).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    }
  });

  it("applies the list's filters and names them, the time and the exporter in the title rows", async () => {
    const status = await households("secretary", "?status=MONITORED");
    expect(names(status.sheets[0]!)).toEqual(["鲁守信"]);
    expect(status.sheets[1]!.rows.map((r) => r["姓名"])).toEqual(["鲁守信", "鲁小明"]);
    expect(status.sheets[0]!.title).toBe("农户名册 小留镇 鲁谢庄村");
    expect(status.sheets[0]!.subtitle).toMatch(/筛选：状态：监测户　导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}　导出人：secretary（secretary）　共 1 条/);
    expect(names((await households("secretary", `?group=${groupTwo}`)).sheets[0]!)).toEqual(["鲁守信"]);
    expect(names((await households("township", "?q=谢雨轩")).sheets[0]!)).toEqual(["谢建国"]);
    expect(names((await households("township", "?q=守")).sheets[0]!)).toEqual(["鲁守义", "鲁守信", "刘守仁"].sort());
    expect(names((await households("township", `?q=${monitored.idNumber}`)).sheets[0]!)).toEqual(["鲁守信"]);
    const v2 = await households("township", `?village=${w.v2.id}&status=ORDINARY&page=2`);
    expect(names(v2.sheets[0]!)).toEqual(["刘守仁", "刘振华"].sort());
    expect(v2.sheets[0]!.title).toBe("农户名册 小留镇 刘庄村");
    // a village or group outside the scope answers 404, as the pages do (not the user's own rows under "村：#8")
    await expect(households("secretary2", `?village=${w.v1.id}`)).rejects.toMatchObject({ status: 404 });
    await expect(households("secretary2", `?group=${groupTwo}`)).rejects.toMatchObject({ status: 404 });
    await expect(download(plotsRoute.loader as Loader, "secretary2", `/resources/households/plots.xlsx?village=${w.v1.id}`)).rejects.toMatchObject({ status: 404 });
  });

  it("selects exactly the households the paged list shows, in its order", async () => {
    const pages = async (scope: Scope, query: string) => {
      const f = householdFilters(new URLSearchParams(query));
      const ids: number[] = [];
      for (let page = 1; ; page++) {
        const list = await listHouseholds(scope, { ...f, page });
        ids.push(...list.rows.map((r) => r.id));
        if (page >= list.pages) return ids;
      }
    };
    const scopes: Scope[] = [{ kind: "all" }, { kind: "township", townshipId: w.t1.id }, { kind: "village", townshipId: w.t1.id, villageId: w.v1.id }];
    const queries = ["", "q=守", "q=谢 谢雨轩", "q=1391234", `q=${monitored.phone}`, "status=ORDINARY", `village=${w.v1.id}&group=${groupTwo}`, "q=刘&status=ORDINARY", "q=不存在"];
    for (const scope of scopes) {
      for (const q of queries) {
        const selected = (await selectHouseholds(scope, householdFilters(new URLSearchParams(q)))).map((h) => h.id);
        expect(selected, `${scope.kind} ${q}`).toEqual(await pages(scope, q));
      }
    }
  });

  it("records who exported which list with which filters and how many rows", async () => {
    await households("township", `?status=MONITORED&q=${monitored.idNumber}`);
    const e = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "Export", entityId: "households", actorId: w.users.township.id }, orderBy: { id: "desc" } });
    expect(e.townshipId).toBe(w.t1.id);
    const after = JSON.parse(e.after!);
    expect(after).toMatchObject({ list: "households", rows: 1, members: 2, masked: true, filters: { status: "MONITORED", q: maskIdNumber(monitored.idNumber) } });
    // the typed ID number is not in the trail in full
    expect(e.after).not.toContain(monitored.idNumber);
  });

  it("writes the same members sheet from one read or two (large scopes)", async () => {
    const user = (await getUser(request("/", { cookie: w.users.township.cookie })))!;
    const read = async (onePassUpTo: number) => {
      const file = await exportHouseholds({ user, t: translator("zh-CN"), onePassUpTo }, householdFilters(new URLSearchParams()));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await new Response(file.body).arrayBuffer()) as unknown as ExcelJS.Buffer);
      return wb.worksheets.map((ws) => ws.getSheetValues().slice(2)); // the time in the subtitle aside
    };
    const [one, two] = [await read(1000), await read(0)];
    expect(two[1]!.length).toBeGreaterThan(5);
    expect(JSON.stringify(two.map((s) => s.slice(1)))).toBe(JSON.stringify(one.map((s) => s.slice(1))));
  });

  it("follows the user's language", async () => {
    const { sheets } = await households("secretary", "", "en");
    expect(sheets[0]!.title).toBe("Household roster 小留镇 鲁谢庄村");
    expect(sheets[0]!.headers).toContain("ID number");
    expect(sheets[0]!.rows.find((r) => r["Head of household"] === monitored.head)!["Status"]).toBe("Monitored");
  });
});

describe("other list exports", () => {
  it("contracted plots: the plots of the scope's households, with the list's filters", async () => {
    const get = (who: Who, q = "") => download(plotsRoute.loader as Loader, who, `/resources/households/plots.xlsx${q}`);
    const sec2 = (await get("secretary2")).sheets[0]!;
    expect(sec2.rows.map((r) => r["地块编码"] ?? r["序号"])).toEqual(["3717021020020100001", "合计"]);
    const plot = sec2.rows[0]!;
    expect(plot).toMatchObject({ "户主姓名": "刘振华", "地块名称": "村西地", "合同面积（亩）": 3.25, "永久基本农田": "是", "东至": "路", "北至": "渠", "地块类别": "家庭承包地" });
    expect(plot["承包期至"]).toEqual(new Date(Date.UTC(2057, 11, 31)));
    const sec = (await get("secretary")).sheets[0]!;
    const codes = sec.rows.filter((r) => r["序号"] !== "合计").map((r) => r["地块编码"]);
    expect(codes).toEqual(["3717021020010100001", "3717021020010200001"]);
    // the totals row sums the areas
    expect(sec.rows.at(-1)).toMatchObject({ "序号": "合计", "合同面积（亩）": 6.1 });
    const filtered = (await get("secretary", "?status=MONITORED")).sheets[0]!;
    expect(filtered.rows.filter((r) => r["序号"] !== "合计").map((r) => r["地块编码"])).toEqual(["3717021020010200001"]);
    const admin = (await get("admin")).sheets[0]!;
    expect(admin.rows.filter((r) => r["序号"] !== "合计")).toHaveLength(4);
  });

  it("contracts: the same contracts as the list, with its filters", async () => {
    const get = (who: Who, q = "") => download(contractsRoute.loader as Loader, who, `/resources/contracts.xlsx${q}`);
    const data = (s: Sheet) => s.rows.filter((r) => r["序号"] !== "合计");
    const sec = data((await get("secretary")).sheets[0]!);
    expect(sec.map((r) => r["草稿编号"])).toEqual(["D-ACCESS-1"]);
    expect(sec[0]).toMatchObject({ "状态": "已签订", "流转方式": "出租", "流出方（户主）": "谢建国", "流入方": "牡丹区续强合作社", "流转面积（亩）": 2, "租金标准": "800.00 元/亩/年" });
    expect(data((await get("secretary2")).sheets[0]!)).toEqual([]);
    expect(data((await get("admin")).sheets[0]!).map((r) => r["草稿编号"]).sort()).toEqual(["D-ACCESS-1", "D-ACCESS-3"]);
    expect(data((await get("admin", "?q=王建设")).sheets[0]!).map((r) => r["草稿编号"])).toEqual(["D-ACCESS-3"]);
    expect(data((await get("admin", "?status=FILED")).sheets[0]!)).toEqual([]);
    for (const q of ["", "q=王建设", "status=SIGNED", "form=LEASE", "ending=90"]) {
      const params = new URLSearchParams(q);
      const list = await listContracts({ kind: "all" }, { status: params.get("status") ?? undefined, form: params.get("form") ?? undefined, q: params.get("q") ?? undefined, endingWithinDays: params.get("ending") ? 90 : undefined });
      expect(data((await get("admin", `?${q}`)).sheets[0]!).map((r) => r["草稿编号"]), q).toEqual(list.rows.map((r) => r.draftNo));
    }
  });

  it("arrears: the page's figures, by household, by contract and per installment", async () => {
    const { sheets } = await download(arrearsRoute.loader as Loader, "township", "/resources/contracts/arrears.xlsx");
    expect(sheets.map((s) => s.rows.length)).toEqual([2, 2, 2]); // one row and the totals on each sheet
    const a = await arrears({ kind: "township", townshipId: w.t1.id }, today());
    expect(sheets[0]!.rows[0]).toMatchObject({ "户主姓名": "谢建国", "欠款合计（元）": fromFen(a.total.outstandingFen).toNumber() });
    expect(sheets[2]!.rows[0]).toMatchObject({ "合同编号": "D-ACCESS-1", "欠款合计（元）": 1600 });
    const none = await download(arrearsRoute.loader as Loader, "secretary2", "/resources/contracts/arrears.xlsx");
    expect(none.sheets.map((s) => s.rows.map((r) => r[s.headers[0]!]))).toEqual([["合计"], ["合计"], ["合计"]]);
    expect(none.sheets[0]!.rows[0]!["欠款合计（元）"]).toBe(0);
  });

  it("orchard plots: the scope's plots, or one village's", async () => {
    const get = (who: Who, q = "") => download(orchardRoute.loader as Loader, who, `/resources/plots.xlsx${q}`);
    const codes = (s: Sheet) => s.rows.filter((r) => r["序号"] !== "合计").map((r) => r["地块编号"]);
    expect(codes((await get("secretary")).sheets[0]!)).toEqual(["V1-001"]);
    expect(codes((await get("township")).sheets[0]!)).toEqual(["V1-001", "V2-001"]);
    expect(codes((await get("admin")).sheets[0]!)).toEqual(["V1-001", "V2-001", "V3-001"]);
    const v2 = (await get("township", `?village=${w.v2.id}`)).sheets[0]!;
    expect(codes(v2)).toEqual(["V2-001"]);
    expect(v2.rows[0]).toMatchObject({ "作物": "桃", "品种": "黄桃", "状态": "挂果", "农户（户主）": "刘振华" });
  });
});
