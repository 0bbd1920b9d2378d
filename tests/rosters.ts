/** Household rosters as Chinese Excel writes them, for import tests and the bench. */
import ExcelJS from "exceljs";
import { makeIdNumber } from "~/registry/id-number";

const CN = "零一二三四五六七八九";
/** Names may not hold digits: 100 → 一零零. */
const cn = (n: number) => String(n).replace(/\d/g, (d) => CN[Number(d)]!);
/** An ID number that cannot be mistaken for one Excel cut short (ending in 000). */
export const id = (birth: string, n: number) => {
  // Unique per (birth, n): on a retry the county part changes, never the sequence, so no two n meet.
  for (let county = 17; ; county--) {
    const v = makeIdNumber(`37${county}${80 + Math.floor(n / 1000)}`, birth, String(n % 1000).padStart(3, "0"));
    if (!v.endsWith("000")) return v;
  }
};

/** A roster of `n` households of three people each, household numbers from `from`. */
export async function roster(n: number, opts: { from?: number; address?: string; badIdAt?: number } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("花名册");
  ws.addRow(["户编号", "村民小组", "姓名", "与户主关系", "身份证号", "户类型", "脱贫年度", "家庭住址"]);
  for (let i = 0; i < n; i++) {
    const no = (opts.from ?? 100) + i;
    const code = String(no).padStart(4, "0");
    const status = i % 10 === 0 ? "脱贫户" : "一般户";
    const year = i % 10 === 0 ? "2019" : "";
    const address = opts.address ?? `村东街 ${no} 号`;
    const people: [string, string, string][] = [
      [`张${cn(no)}`, "户主", id("19700101", no)],
      [`李${cn(no)}`, "配偶", id("19720202", no)],
      [`张小${cn(no)}`, "子", id("20050505", no)],
    ];
    if (opts.badIdAt === i) people[1]![2] = people[1]![2].slice(0, 17) + (people[1]![2].endsWith("0") ? "1" : "0");
    for (const [name, relation, id] of people) ws.addRow([code, "1", name, relation, id, status, year, address]);
  }
  ws.getColumn(5).numFmt = "@";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

