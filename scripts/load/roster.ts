/**
 * Large household rosters (one row per person, as Chinese Excel writes them)
 * generated with exceljs's streaming writer, so that a 200,000-row file is
 * made without holding the workbook in memory. For the load generator and
 * the bench; every ID number is valid and unique within the file, and lies
 * in an area code (3799xx) that no seeded household uses.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { makeIdNumber } from "../../app/registry/id-number.ts";

const CN = "零一二三四五六七八九";
/** Names may not hold digits: 100 → 一零零. */
const cn = (n: number) => String(n).replace(/\d/g, (d) => CN[Number(d)]!);

export const ROSTER_HEADINGS = ["户编号", "村民小组", "户主姓名", "姓名", "与户主关系", "身份证号", "有无劳动能力", "联系电话", "户类型", "脱贫年度", "监测原因", "状态日期"];

/**
 * `rows` person rows, three to a household; `areaBase` picks the ID numbers'
 * block (two rosters with different bases never share an ID number),
 * `codePrefix` the households' numbers.
 */
export async function largeRoster(rows: number, opts: { areaBase?: number; codePrefix?: string } = {}): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: false, useSharedStrings: true });
  const ws = wb.addWorksheet("花名册");
  ws.addRow(ROSTER_HEADINGS).commit();
  const base = opts.areaBase ?? 10;
  const prefix = opts.codePrefix ?? "B";
  let row = 0;
  for (let h = 0; row < rows; h++) {
    const code = `${prefix}${String(h).padStart(6, "0")}`;
    const status = h % 12 === 0 ? "脱贫户" : h % 31 === 0 ? "监测户" : "一般户";
    // empty cells are left out, as Excel leaves them out
    const year = status === "脱贫户" ? "2020" : null;
    const reason = status === "监测户" ? "因病" : null;
    const since = status === "监测户" ? "2024-03-01" : null;
    const head = `王${cn(h)}`;
    const people: [string, string, string][] = [
      [head, "户主", "19650101"],
      [`李${cn(h)}`, "配偶", "19670303"],
      [`王小${cn(h)}`, "子", "19950505"],
    ];
    const area = `3799${String(base + Math.floor(h / 1000)).padStart(2, "0")}`;
    for (const [name, relation, birth] of people) {
      if (row >= rows) break;
      ws.addRow([code, String(1 + (h % 5)), head, name, relation, makeIdNumber(area, birth, String(h % 1000).padStart(3, "0")), "是", null, status, year, reason, since]).commit();
      row++;
    }
    // let the stream hand its chunks over now and then
    if (h % 2000 === 1999) await new Promise<void>((r) => setImmediate(r));
  }
  ws.commit();
  await wb.commit();
  return new Uint8Array(Buffer.concat(chunks));
}
